using Cortex.Keras.Initializers;

namespace Cortex.Tests.Initializers;

/// <summary>The random initializers' ranges, means and standard deviations over 200 000 draws, and their seeds.</summary>
public sealed class InitializerStatisticsTests
{
    private const double TruncatedStd = 0.87962566103423978;   // std of a unit normal truncated to [−2, 2]

    private static (double Mean, double Std, double Min, double Max) Stats(Tensor t)
    {
        var x = t.ToArray();
        double mean = x.Average(v => (double)v);
        double var = x.Sum(v => (v - mean) * (v - mean)) / x.Length;
        return (mean, Math.Sqrt(var), x.Min(), x.Max());
    }

    private static void AssertMoments(Tensor t, double mean, double std)
    {
        var s = Stats(t);
        Assert.True(Math.Abs(s.Mean - mean) < 0.02 * std, $"mean {s.Mean}, expected {mean}");
        Assert.True(Math.Abs(s.Std - std) < 0.02 * std, $"std {s.Std}, expected {std}");
    }

    [Fact]
    public void RandomUniform()
    {
        var t = new RandomUniform(-0.2f, 0.6f, seed: 1).Call(new[] { 400, 500 });
        var s = Stats(t);
        Assert.True(s.Min >= -0.2 && s.Max < 0.6);
        AssertMoments(t, 0.2, 0.8 / Math.Sqrt(12));
        AssertMoments(new RandomUniform(seed: 2).Call(new[] { 200_000 }), 0, 0.1 / Math.Sqrt(12));
    }

    [Fact]
    public void RandomNormal()
    {
        AssertMoments(new RandomNormal(1f, 0.5f, seed: 1).Call(new[] { 400, 500 }), 1, 0.5);
        AssertMoments(new RandomNormal(seed: 2).Call(new[] { 200_000 }), 0, 0.05);
    }

    [Fact]
    public void TruncatedNormalStaysWithinTwoStandardDeviations()
    {
        var t = new TruncatedNormal(1f, 0.5f, seed: 1).Call(new[] { 400, 500 });
        var s = Stats(t);
        Assert.True(s.Min >= 0 && s.Max <= 2, $"range [{s.Min}, {s.Max}]");
        AssertMoments(t, 1, 0.5 * TruncatedStd);
    }

    [Theory]
    [InlineData("glorot_uniform", 400, 500, 2.0 / 900)]
    [InlineData("he_uniform", 400, 500, 2.0 / 400)]
    [InlineData("lecun_uniform", 400, 500, 1.0 / 400)]
    public void UniformVarianceScaling(string name, int fanIn, int fanOut, double variance)
    {
        var t = Initializer.Get(name).Call(new[] { fanIn, fanOut });
        double limit = Math.Sqrt(3 * variance);
        var s = Stats(t);
        Assert.True(s.Min >= -limit && s.Max <= limit, $"range [{s.Min}, {s.Max}], limit {limit}");
        Assert.True(s.Max > 0.99 * limit && s.Min < -0.99 * limit);
        AssertMoments(t, 0, Math.Sqrt(variance));
    }

    /// <summary>Keras divides σ by 0.8796… so that the truncated result has exactly the target standard deviation.</summary>
    [Theory]
    [InlineData("glorot_normal", 400, 500, 2.0 / 900)]
    [InlineData("he_normal", 400, 500, 2.0 / 400)]
    [InlineData("lecun_normal", 400, 500, 1.0 / 400)]
    [InlineData("variance_scaling", 400, 500, 1.0 / 400)]
    public void TruncatedVarianceScaling(string name, int fanIn, int fanOut, double variance)
    {
        var t = Initializer.Get(name).Call(new[] { fanIn, fanOut });
        double sigma = Math.Sqrt(variance) / TruncatedStd;
        var s = Stats(t);
        Assert.True(s.Min >= -2 * sigma && s.Max <= 2 * sigma, $"range [{s.Min}, {s.Max}], 2σ {2 * sigma}");
        AssertMoments(t, 0, Math.Sqrt(variance));
    }

    [Fact]
    public void UntruncatedNormalAndConvKernels()
    {
        AssertMoments(new VarianceScaling(2f, "fan_out", "untruncated_normal", seed: 3).Call(new[] { 400, 500 }), 0, Math.Sqrt(2.0 / 500));
        // He uniform on a 3×3 conv kernel with 64 input and 128 output channels: fan_in = 9·64.
        var t = new HeUniform(seed: 4).Call(new[] { 3, 3, 64, 128 });
        Assert.Equal(new[] { 3, 3, 64, 128 }, t.Shape);
        double limit = Math.Sqrt(6.0 / 576);
        var s = Stats(t);
        Assert.True(s.Min >= -limit && s.Max <= limit && s.Max > 0.99 * limit);
        AssertMoments(t, 0, Math.Sqrt(2.0 / 576));
    }

    [Theory]
    [InlineData("random_uniform")]
    [InlineData("random_normal")]
    [InlineData("truncated_normal")]
    [InlineData("glorot_uniform")]
    [InlineData("he_normal")]
    [InlineData("orthogonal")]
    public void SameSeedSameValues(string name)
    {
        RandomInitializer Make(long seed) => name switch
        {
            "random_uniform" => new RandomUniform(seed: seed),
            "random_normal" => new RandomNormal(seed: seed),
            "truncated_normal" => new TruncatedNormal(seed: seed),
            "glorot_uniform" => new GlorotUniform(seed: seed),
            "he_normal" => new HeNormal(seed: seed),
            _ => new Orthogonal(seed: seed),
        };
        var shape = new[] { 6, 5 };
        var a = Make(42);
        Assert.Equal(a.Call(shape).ToArray(), a.Call(shape).ToArray());          // a seeded initializer repeats itself (as Keras's)
        Assert.Equal(a.Call(shape).ToArray(), Make(42).Call(shape).ToArray());
        Assert.NotEqual(a.Call(shape).ToArray(), Make(43).Call(shape).ToArray());
        Assert.Equal(42L, a.Seed);
    }
}

[Collection(nameof(GlobalRandomCollection))]
public sealed class UnseededInitializerTests
{
    [Fact]
    public void UnseededInitializersFollowTheGlobalSeed()
    {
        var init = new GlorotUniform();
        RandomGenerator.SetGlobalSeed(123);
        var first = init.Call(new[] { 8, 8 }).ToArray();
        var second = init.Call(new[] { 8, 8 }).ToArray();
        Assert.NotEqual(first, second);                       // fresh draws on every call
        RandomGenerator.SetGlobalSeed(123);
        Assert.Equal(first, new GlorotUniform().Call(new[] { 8, 8 }).ToArray());
    }
}
