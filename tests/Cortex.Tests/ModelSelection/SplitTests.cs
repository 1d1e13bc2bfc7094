using Cortex.Keras.Datasets;
using Cortex.Keras.ModelSelection;

namespace Cortex.Tests.ModelSelection;

public class SplitTests
{
    private static int[] FoldIds(ICrossValidator cv, int n, Tensor? y = null)
    {
        var ids = Enumerable.Repeat(-1, n).ToArray();
        int k = 0;
        foreach (var (train, test) in cv.Split(n, y))
        {
            Assert.Equal(n, train.Length + test.Length);
            Assert.Empty(train.Intersect(test));
            Assert.Equal(train.Order(), train);
            Assert.Equal(test.Order(), test);
            foreach (int i in test) ids[i] = k;
            k++;
        }
        Assert.Equal(cv.NSplits, k);
        return ids;
    }

    [Fact]
    public void KFold_without_shuffle_is_sklearns()
    {
        Assert.Equal(SklearnFixture.Ints(SklearnFixture.Get("kfold_23_5")), FoldIds(new KFold(5), 23));
    }

    [Fact]
    public void StratifiedKFold_without_shuffle_is_index_for_index_sklearns()
    {
        Assert.Equal(SklearnFixture.Ints(SklearnFixture.Get("skf_iris_10")), FoldIds(new StratifiedKFold(10), 150, SklearnDatasets.LoadIris().Target));
        Assert.Equal(SklearnFixture.Ints(SklearnFixture.Get("skf_cancer_10")), FoldIds(new StratifiedKFold(10), 569, SklearnDatasets.LoadBreastCancer().Target));
        var small = SklearnFixture.Get("skf_small_3");
        var y = SklearnFixture.Ints(small.GetProperty("y")).Select(v => (float)v).ToArray();
        Assert.Equal(SklearnFixture.Ints(small.GetProperty("folds")), FoldIds(new StratifiedKFold(3), y.Length, Tensor.FromArray(y, y.Length)));
    }

    [Fact]
    public void StratifiedKFold_accepts_one_hot_labels_and_keeps_proportions_when_shuffled()
    {
        var y = SklearnDatasets.LoadBreastCancer().Target;
        var yv = y.ToArray();
        var oneHot = new float[yv.Length * 2];
        for (int i = 0; i < yv.Length; i++) oneHot[2 * i + (int)yv[i]] = 1;
        Assert.Equal(FoldIds(new StratifiedKFold(5), yv.Length, y), FoldIds(new StratifiedKFold(5), yv.Length, Tensor.FromArray(oneHot, yv.Length, 2)));

        var a = FoldIds(new StratifiedKFold(5, shuffle: true, randomState: 3), yv.Length, y);
        Assert.Equal(a, FoldIds(new StratifiedKFold(5, shuffle: true, randomState: 3), yv.Length, y));
        Assert.NotEqual(FoldIds(new StratifiedKFold(5), yv.Length, y), a);
        for (int k = 0; k < 5; k++)
        {
            int malignant = Enumerable.Range(0, yv.Length).Count(i => a[i] == k && yv[i] == 0);
            Assert.InRange(malignant, 42, 43); // 212 malignant over 5 folds
        }
    }

    [Fact]
    public void KFold_shuffles_repeatably_from_its_seed()
    {
        var a = FoldIds(new KFold(4, shuffle: true, randomState: 7), 30);
        Assert.Equal(a, FoldIds(new KFold(4, shuffle: true, randomState: 7), 30));
        Assert.NotEqual(a, FoldIds(new KFold(4, shuffle: true, randomState: 8), 30));
        Assert.Equal(new[] { 8, 8, 7, 7 }, Enumerable.Range(0, 4).Select(k => a.Count(f => f == k)).ToArray());
    }

    [Fact]
    public void Splitters_reject_bad_settings_as_sklearn()
    {
        Assert.Contains("n_splits=2 or more, got n_splits=1", Assert.Throws<ArgumentException>(() => new KFold(1)).Message);
        Assert.Contains("Setting a random_state has no effect since shuffle is False", Assert.Throws<ArgumentException>(() => new KFold(3, randomState: 1)).Message);
        Assert.Contains("n_splits=5 greater than the number of samples: n_samples=3", Assert.Throws<ArgumentException>(() => new KFold(5).Split(3).ToList()).Message);
        var y = Tensor.FromArray(new float[] { 0, 0, 1, 1 }, 4);
        Assert.Contains("n_splits=3 cannot be greater than the number of members in each class", Assert.Throws<ArgumentException>(() => new StratifiedKFold(3).Split(4, y).ToList()).Message);
    }

    [Fact]
    public void TrainTestSplit_sizes_order_and_stratification()
    {
        var x = Tensor.FromArray(Enumerable.Range(0, 20).Select(i => (float)i).ToArray(), 10, 2);
        var y = Tensor.FromArray(Enumerable.Range(0, 10).Select(i => (float)i).ToArray(), 10);
        var (xTr, xTe, yTr, yTe) = CrossValidation.TrainTestSplit(x, y, testSize: 0.25, randomState: 1);
        Assert.Equal(7, xTr.Shape[0]);
        Assert.Equal(3, xTe.Shape[0]); // ceil(0.25 · 10)
        Assert.Equal(yTr.ToArray().Concat(yTe.ToArray()).Order(), y.ToArray());
        for (int i = 0; i < 3; i++) Assert.Equal(yTe.ToArray()[i] * 2, xTe.ToArray()[2 * i]); // rows stay paired
        Assert.Equal(yTe.ToArray(), CrossValidation.TrainTestSplit(x, y, 0.25, randomState: 1).YTest.ToArray());

        var (_, _, _, yTeNoShuffle) = CrossValidation.TrainTestSplit(x, y, 0.3, shuffle: false);
        Assert.Equal(new float[] { 7, 8, 9 }, yTeNoShuffle.ToArray());

        var cancer = SklearnDatasets.LoadBreastCancer();
        var (_, _, cTr, cTe) = CrossValidation.TrainTestSplit(cancer.Data, cancer.Target, 0.2, randomState: 0, stratify: cancer.Target);
        Assert.Equal(114, cTe.Shape[0]);
        Assert.Equal(42, cTe.ToArray().Count(v => v == 0)); // 212/569 of 114 = 42.5 → 42 or 43; largest remainder with ties to the larger class gives 42
        Assert.Equal(212 - 42, cTr.ToArray().Count(v => v == 0));
        Assert.Contains("inconsistent numbers of samples: [10, 9]", Assert.Throws<ArgumentException>(() => CrossValidation.TrainTestSplit(x, Tensor.Zeros(9))).Message);
        Assert.Contains("test_size=1.5 should be a float in the (0, 1) range", Assert.Throws<ArgumentException>(() => CrossValidation.TrainTestSplit(x, y, 1.5)).Message);
    }

    [Fact]
    public void ParameterGrid_enumerates_in_sklearns_order()
    {
        var grid = new ParameterGrid(new Dictionary<string, IEnumerable<object?>> { ["b"] = new object?[] { 1, 2 }, ["a"] = new object?[] { "x", "y", "z" } });
        var expected = SklearnFixture.Get("grid_order").EnumerateArray().Select(e => (e.GetProperty("a").GetString(), e.GetProperty("b").GetInt32())).ToList();
        Assert.Equal(expected, grid.Candidates().Select(p => ((string?)p["a"], (int)p["b"]!)).ToList());
        Assert.Equal(6, grid.Count);
    }

    [Fact]
    public void Scoring_r2_and_confusion_matrix_match_sklearn()
    {
        var r = SklearnFixture.Get("r2");
        var yt = Tensor.FromArray(SklearnFixture.Doubles(r.GetProperty("y_true")).Select(v => (float)v).ToArray(), 4, 2);
        var yp = Tensor.FromArray(SklearnFixture.Doubles(r.GetProperty("y_pred")).Select(v => (float)v).ToArray(), 4, 2);
        Assert.Equal(r.GetProperty("score").GetDouble(), Scoring.R2Score(yt, yp), 6);
        var (m, labels) = Scoring.ConfusionMatrix(new float[] { 2, 0, 2, 2, 0, 1 }, new float[] { 0, 0, 2, 2, 0, 2 });
        Assert.Equal(new float[] { 0, 1, 2 }, labels);
        Assert.Equal(new[,] { { 2, 0, 0 }, { 0, 0, 1 }, { 1, 0, 2 } }, m);
    }
}
