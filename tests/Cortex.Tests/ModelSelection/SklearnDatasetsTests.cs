using Cortex.Keras.Datasets;

namespace Cortex.Tests.ModelSelection;

public class SklearnDatasetsTests
{
    [Fact]
    public void The_shipped_sets_load_with_sklearns_shapes_and_counts()
    {
        var iris = SklearnDatasets.LoadIris();
        Assert.Equal(new[] { 150, 4 }, iris.Data.Shape.ToArray());
        Assert.Equal(new[] { "setosa", "versicolor", "virginica" }, iris.TargetNames);
        Assert.Equal(new[] { 50, 50, 50 }, Enumerable.Range(0, 3).Select(c => iris.Target.ToArray().Count(v => v == c)).ToArray());
        Assert.Equal(new float[] { 5.1f, 3.5f, 1.4f, 0.2f }, iris.Data.ToArray()[..4]);

        var cancer = SklearnDatasets.LoadBreastCancer();
        Assert.Equal(new[] { 569, 30 }, cancer.Data.Shape.ToArray());
        Assert.Equal(212, cancer.Target.ToArray().Count(v => v == 0));
        Assert.Equal("mean radius", cancer.FeatureNames[0]);
        Assert.Equal("worst fractal dimension", cancer.FeatureNames[29]);

        var wine = SklearnDatasets.LoadWine();
        Assert.Equal(new[] { 178, 13 }, wine.Data.Shape.ToArray());
        Assert.Equal(new[] { 59, 71, 48 }, Enumerable.Range(0, 3).Select(c => wine.Target.ToArray().Count(v => v == c)).ToArray());

        var digits = SklearnDatasets.LoadDigits();
        Assert.Equal(new[] { 1797, 64 }, digits.Data.Shape.ToArray());
        Assert.Equal(178, digits.Target.ToArray().Count(v => v == 0));
        Assert.Equal(16f, digits.Data.ToArray().Max());
    }

    [Fact]
    public void Diabetes_is_scaled_as_sklearn_by_default()
    {
        var d = SklearnDatasets.LoadDiabetes();
        Assert.Equal(new[] { 442, 10 }, d.Data.Shape.ToArray());
        SklearnFixture.Close(SklearnFixture.Doubles(SklearnFixture.Get("diabetes_row0")), d.Data.ToArray()[..10].Select(v => (double)v).ToArray(), 1e-5, 1e-7);
        Assert.Equal(151f, d.Target.ToArray()[0]);
        var raw = SklearnDatasets.LoadDiabetes(scaled: false);
        Assert.Equal(new float[] { 59, 2 }, raw.Data.ToArray()[..2]);
        Assert.Empty(d.TargetNames);
    }

    [Fact]
    public void A_given_folder_is_searched_first_and_bad_files_are_named()
    {
        string dir = Path.Combine(Path.GetTempPath(), "cortex-sk-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.WriteAllText(Path.Combine(dir, "iris.csv"), "2,4,a,b\n1,2,3,4,0\n5,6,7,8,1\n");
            var tiny = SklearnDatasets.LoadIris(dir);
            Assert.Equal(2, tiny.Count);
            Assert.Equal(Path.GetFullPath(dir), tiny.Source);
            File.WriteAllText(Path.Combine(dir, "iris.csv"), "3,4,a,b\n1,2,3,4,0\n");
            var e = Assert.Throws<InvalidDataException>(() => SklearnDatasets.LoadIris(dir));
            Assert.Contains("iris.csv", e.Message);
            Assert.Contains("header says 3 samples but there are 1 rows", e.Message);
            File.WriteAllText(Path.Combine(dir, "iris.csv"), "1,4,a,b\n1,2,x,4,0\n");
            Assert.Contains("'x' is not a number", Assert.Throws<InvalidDataException>(() => SklearnDatasets.LoadIris(dir)).Message);
        }
        finally { Directory.Delete(dir, true); }
    }
}
