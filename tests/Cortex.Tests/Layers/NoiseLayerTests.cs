using Cortex.Keras.Layers;

namespace Cortex.Tests.Layers;

/// <summary>Statistics of the noise layers (seeded, so these tests never draw from the global generator).</summary>
public class NoiseLayerTests
{
    private static (double Mean, double Var) Moments(float[] v)
    {
        double m = v.Average(x => (double)x);
        return (m, v.Average(x => (x - m) * (x - m)));
    }

    [Fact]
    public void GaussianNoiseAddsZeroMeanNoiseOfTheStddevOnlyWhenTraining()
    {
        var x = Tensor.Full(2f, 200, 250);
        var layer = new GaussianNoise(0.5f, seed: 1);
        Assert.Same(x, layer.Apply(x, training: false));
        var noise = layer.Apply(x, training: true).ToArray().Select(v => v - 2f).ToArray();
        var (mean, variance) = Moments(noise);
        Assert.InRange(mean, -0.005, 0.005);                  // sd of the mean: 0.5/√50000 ≈ 0.0022
        Assert.InRange(variance, 0.25 * 0.98, 0.25 * 1.02);   // sd of the variance ≈ 0.25·√(2/50000) ≈ 0.0016
    }

    [Fact]
    public void GaussianDropoutMultipliesByOneCenteredNoiseOnlyWhenTraining()
    {
        const float rate = 0.2f;
        var x = Tensor.Full(3f, 200, 250);
        var layer = new GaussianDropout(rate, seed: 2);
        Assert.Same(x, layer.Apply(x, training: false));
        var factor = layer.Apply(x, training: true).ToArray().Select(v => v / 3f).ToArray();
        var (mean, variance) = Moments(factor);
        Assert.InRange(mean, 1 - 0.005, 1 + 0.005);
        Assert.InRange(variance, 0.25 * 0.98, 0.25 * 1.02);   // rate / (1 − rate) = 0.25
    }

    [Fact]
    public void SpatialDropout1DDropsWholeChannelsAndScalesTheRest()
    {
        const float rate = 0.3f;
        var layer = new SpatialDropout1D(rate, seed: 3);
        var x = Tensor.Ones(64, 10, 50);
        Assert.Same(x, layer.Apply(x, training: false));
        var y = layer.Apply(x, training: true);
        int dropped = 0;
        for (int b = 0; b < 64; b++)
            for (int c = 0; c < 50; c++)
            {
                float first = y[b, 0, c];
                Assert.True(first == 0f || MathF.Abs(first - 1f / (1f - rate)) < 1e-6f, $"value {first}");
                for (int t = 1; t < 10; t++) Assert.Equal(first, y[b, t, c]);   // the whole channel together
                if (first == 0f) dropped++;
            }
        Assert.InRange(dropped / 3200.0, rate - 0.03, rate + 0.03);   // sd ≈ 0.008
    }

    [Theory]
    [InlineData("channels_last")]
    [InlineData("channels_first")]
    public void SpatialDropout2DDropsWholeFeatureMaps(string dataFormat)
    {
        const float rate = 0.5f;
        var layer = new SpatialDropout2D(rate, dataFormat, seed: 4);
        bool first = dataFormat == "channels_first";
        var x = first ? Tensor.Ones(32, 40, 3, 4) : Tensor.Ones(32, 3, 4, 40);
        Assert.Same(x, layer.Apply(x, training: false));
        var y = layer.Apply(x, training: true);
        int dropped = 0;
        for (int b = 0; b < 32; b++)
            for (int c = 0; c < 40; c++)
            {
                float v0 = first ? y[b, c, 0, 0] : y[b, 0, 0, c];
                Assert.True(v0 == 0f || v0 == 2f, $"value {v0}");
                for (int h = 0; h < 3; h++)
                    for (int w = 0; w < 4; w++) Assert.Equal(v0, first ? y[b, c, h, w] : y[b, h, w, c]);
                if (v0 == 0f) dropped++;
            }
        Assert.InRange(dropped / 1280.0, rate - 0.05, rate + 0.05);   // sd ≈ 0.014
    }

    [Fact]
    public void TrainingGradientsPassThroughTheNoise()
    {
        // With the noise fixed by re-seeding per call, the gradient is the mask/factor itself: check it against
        // finite differences with a fresh seeded layer per evaluation.
        var x = new RandomGenerator(5).Normal(new[] { 2, 3, 4 });
        GradientCheck.Assert(t => new GaussianNoise(0.3f, seed: 7).Apply(t[0], training: true), x);
        GradientCheck.Assert(t => new GaussianDropout(0.3f, seed: 7).Apply(t[0], training: true), x);
        GradientCheck.Assert(t => new SpatialDropout1D(0.4f, seed: 7).Apply(t[0], training: true), x);
        GradientCheck.Assert(t => new SpatialDropout2D(0.4f, seed: 7).Apply(t[0], training: true), new RandomGenerator(6).Normal(new[] { 2, 2, 2, 3 }));
    }

    [Fact]
    public void SeededLayersRepeat()
    {
        var x = Tensor.Ones(4, 5, 6);
        Assert.Equal(new SpatialDropout1D(0.5f, seed: 9).Apply(x, true).ToArray(), new SpatialDropout1D(0.5f, seed: 9).Apply(x, true).ToArray());
        Assert.Equal(new GaussianNoise(0.5f, seed: 9).Apply(x, true).ToArray(), new GaussianNoise(0.5f, seed: 9).Apply(x, true).ToArray());
    }

    [Fact]
    public void ConfigsUseKerasKeys()
    {
        var g = new GaussianNoise(0.1f, seed: 3).GetConfig();
        Assert.Equal(0.1f, g["stddev"]); Assert.Equal(3, g["seed"]);
        Assert.Equal(0.2f, new GaussianDropout(0.2f).GetConfig()["rate"]);
        var s1 = new SpatialDropout1D(0.25f).GetConfig();
        Assert.Equal(0.25f, s1["rate"]); Assert.True(s1.ContainsKey("seed"));
        var s2 = new SpatialDropout2D(0.25f, "channels_first").GetConfig();
        Assert.Equal("channels_first", s2["data_format"]);
    }

    [Fact]
    public void BadRatesAreRejectedNamingTheLayer()
    {
        foreach (var rate in new[] { -0.1f, 1f, float.NaN })
        {
            Assert.Contains("gd_a", Assert.Throws<ArgumentException>(() => new GaussianDropout(rate, name: "gd_a")).Message);
            Assert.Contains("sd_a", Assert.Throws<ArgumentException>(() => new SpatialDropout1D(rate, name: "sd_a")).Message);
            Assert.Contains("sd_b", Assert.Throws<ArgumentException>(() => new SpatialDropout2D(rate, name: "sd_b")).Message);
        }
        var e = Assert.Throws<ArgumentException>(() => new GaussianNoise(-1f, name: "gn_a"));
        Assert.Contains("gn_a", e.Message); Assert.Contains("stddev=-1", e.Message);
        e = Assert.Throws<ArgumentException>(() => new SpatialDropout2D(0.5f, name: "sd_c").Apply(Tensor.Zeros(2, 3, 4), training: true));
        Assert.Contains("expected ndim=4, found ndim=3", e.Message);
    }
}
