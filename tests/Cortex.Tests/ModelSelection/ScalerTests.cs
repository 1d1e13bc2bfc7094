using Cortex.Keras.Datasets;
using Cortex.Keras.Preprocessing.Scalers;

namespace Cortex.Tests.ModelSelection;

public class ScalerTests
{
    [Fact]
    public void StandardScaler_matches_sklearn_on_breast_cancer()
    {
        var ds = SklearnDatasets.LoadBreastCancer();
        var s = new StandardScaler();
        var z = s.FitTransform(ds.Data);
        var r = SklearnFixture.Get("standard_cancer");
        SklearnFixture.Close(SklearnFixture.Doubles(r.GetProperty("mean")), s.Mean.ToArray());
        SklearnFixture.Close(SklearnFixture.Doubles(r.GetProperty("var")), s.Variance.ToArray());
        SklearnFixture.Close(SklearnFixture.Doubles(r.GetProperty("scale")), s.Scale.ToArray());
        SklearnFixture.Close(SklearnFixture.Doubles(r.GetProperty("row0")), z.ToArray().Take(30).Select(v => (double)v).ToArray(), 1e-5, 1e-5);
        Assert.Equal(569, s.SamplesSeen);
        Assert.Equal(30, s.FeatureCount);
    }

    [Fact]
    public void StandardScaler_gives_a_constant_feature_scale_one_and_inverts()
    {
        var r = SklearnFixture.Get("standard_const");
        var x = Tensor.FromArray(SklearnFixture.Doubles(r.GetProperty("x")).Select(v => (float)v).ToArray(), 3, 2);
        var s = new StandardScaler();
        var z = s.FitTransform(x);
        SklearnFixture.Close(SklearnFixture.Doubles(r.GetProperty("scale")), s.Scale.ToArray());
        SklearnFixture.Close(SklearnFixture.Doubles(r.GetProperty("z")), z.ToArray().Select(v => (double)v).ToArray());
        SklearnFixture.Close(x.ToArray().Select(v => (double)v).ToArray(), s.InverseTransform(z).ToArray().Select(v => (double)v).ToArray());
    }

    [Fact]
    public void StandardScaler_flags_turn_off_centering_and_scaling()
    {
        var x = Tensor.FromArray(new float[] { 1, 10, 3, 20 }, 2, 2);
        Assert.Equal(new float[] { 1, 10, 3, 20 }, new StandardScaler(withMean: false, withStd: false).FitTransform(x).ToArray());
        Assert.Equal(new float[] { -1, -5, 1, 5 }, new StandardScaler(withStd: false).FitTransform(x).ToArray());
        Assert.Equal(new float[] { 1, 2, 3, 4 }, new StandardScaler(withMean: false).FitTransform(x).ToArray());
    }

    [Fact]
    public void MinMaxScaler_matches_sklearn_on_wine_with_a_feature_range()
    {
        var ds = SklearnDatasets.LoadWine();
        var m = new MinMaxScaler((-1, 1));
        var t = m.FitTransform(ds.Data);
        var r = SklearnFixture.Get("minmax_wine");
        SklearnFixture.Close(SklearnFixture.Doubles(r.GetProperty("min")), m.DataMin.ToArray());
        SklearnFixture.Close(SklearnFixture.Doubles(r.GetProperty("max")), m.DataMax.ToArray());
        SklearnFixture.Close(SklearnFixture.Doubles(r.GetProperty("row0")), t.ToArray().Take(13).Select(v => (double)v).ToArray(), 1e-5, 1e-5);
        Assert.Equal(-1f, t.ToArray().Min(), 5);
        Assert.Equal(1f, t.ToArray().Max(), 5);
        var back = m.InverseTransform(t).ToArray();
        var orig = ds.Data.ToArray();
        for (int i = 0; i < orig.Length; i++) Assert.True(Math.Abs(back[i] - orig[i]) <= 1e-3f * Math.Max(1f, Math.Abs(orig[i])), $"[{i}] {orig[i]} vs {back[i]}");
    }

    [Fact]
    public void MinMaxScaler_clips_new_data_only_when_asked()
    {
        var train = Tensor.FromArray(new float[] { 0, 10 }, 2, 1);
        var test = Tensor.FromArray(new float[] { -5, 20 }, 2, 1);
        Assert.Equal(new float[] { -0.5f, 2f }, new MinMaxScaler().Fit(train).Transform(test).ToArray());
        Assert.Equal(new float[] { 0f, 1f }, new MinMaxScaler(clip: true).Fit(train).Transform(test).ToArray());
        var constant = Tensor.FromArray(new float[] { 3, 3 }, 2, 1);
        Assert.Equal(new float[] { 0f, 0f }, new MinMaxScaler().FitTransform(constant).ToArray());
    }

    [Fact]
    public void Series_are_scaled_per_feature_over_all_time_steps()
    {
        // (n=2, t=2, f=2): feature 0 takes 1,3,5,7 over the series, feature 1 takes 0,0,0,8.
        var x = Tensor.FromArray(new float[] { 1, 0, 3, 0, 5, 0, 7, 8 }, 2, 2, 2);
        var m = new MinMaxScaler();
        var t = m.FitTransform(x);
        Assert.Equal(new[] { 2, 2, 2 }, t.Shape.ToArray());
        Assert.Equal(new float[] { 0, 0, 1 / 3f, 0, 2 / 3f, 0, 1, 1 }, t.ToArray());
        Assert.Equal(x.ToArray(), m.InverseTransform(t).ToArray());
        Assert.Equal(4, m.SamplesSeen);
    }

    [Fact]
    public void Bad_input_gives_sklearn_style_errors()
    {
        Assert.Contains("not fitted yet", Assert.Throws<InvalidOperationException>(() => new StandardScaler().Transform(Tensor.Zeros(2, 2))).Message);
        var s = new StandardScaler().Fit(Tensor.Zeros(3, 2));
        Assert.Contains("X has 3 features, but StandardScaler is expecting 2 features", Assert.Throws<ArgumentException>(() => s.Transform(Tensor.Zeros(3, 3))).Message);
        Assert.Contains("Minimum of desired feature range must be smaller than maximum. Got (1, 0)", Assert.Throws<ArgumentException>(() => new MinMaxScaler((1, 0))).Message);
        Assert.Contains("expects a 2D array", Assert.Throws<ArgumentException>(() => new StandardScaler().Fit(Tensor.Zeros(4))).Message);
        Assert.Contains("Invalid parameter 'mean' for estimator StandardScaler. Valid parameters are: ['with_mean', 'with_std']",
            Assert.Throws<ArgumentException>(() => new StandardScaler().SetParams(new Dictionary<string, object?> { ["mean"] = true })).Message);
    }
}
