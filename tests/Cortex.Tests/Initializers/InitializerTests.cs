using Cortex.Keras.Initializers;

namespace Cortex.Tests.Initializers;

/// <summary>Constant, identity and orthogonal values, fans, names, configuration and argument errors.</summary>
public sealed class InitializerTests
{
    [Theory]
    [InlineData("zeros", typeof(Zeros))]
    [InlineData("zero", typeof(Zeros))]
    [InlineData("ones", typeof(Ones))]
    [InlineData("one", typeof(Ones))]
    [InlineData("constant", typeof(Constant))]
    [InlineData("random_uniform", typeof(RandomUniform))]
    [InlineData("uniform", typeof(RandomUniform))]
    [InlineData("random_normal", typeof(RandomNormal))]
    [InlineData("normal", typeof(RandomNormal))]
    [InlineData("truncated_normal", typeof(TruncatedNormal))]
    [InlineData("variance_scaling", typeof(VarianceScaling))]
    [InlineData("glorot_uniform", typeof(GlorotUniform))]
    [InlineData("glorot_normal", typeof(GlorotNormal))]
    [InlineData("he_uniform", typeof(HeUniform))]
    [InlineData("he_normal", typeof(HeNormal))]
    [InlineData("lecun_uniform", typeof(LecunUniform))]
    [InlineData("lecun_normal", typeof(LecunNormal))]
    [InlineData("orthogonal", typeof(Orthogonal))]
    [InlineData("identity", typeof(Identity))]
    public void GetResolvesKerasNames(string name, Type expected)
    {
        var init = Initializer.Get(name);
        Assert.IsType(expected, init);
        var t = init.Call(new[] { 4, 6 });
        Assert.Equal(new[] { 4, 6 }, t.Shape);
        Assert.All(t.ToArray(), x => Assert.True(float.IsFinite(x)));
    }

    [Fact]
    public void UnknownNameListsTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Initializer.Get("xavier"));
        Assert.Contains("'xavier'", e.Message);
        foreach (var n in new[] { "zeros", "ones", "constant", "random_uniform", "random_normal", "truncated_normal", "glorot_uniform", "glorot_normal",
                     "he_uniform", "he_normal", "lecun_uniform", "lecun_normal", "orthogonal", "identity", "variance_scaling" })
            Assert.Contains(n, e.Message);
    }

    [Fact]
    public void ConstantInitializers()
    {
        Assert.All(new Zeros().Call(new[] { 3, 2 }).ToArray(), x => Assert.Equal(0f, x));
        Assert.All(new Ones().Call(new[] { 5 }).ToArray(), x => Assert.Equal(1f, x));
        var c = new Constant(0.5f).Call(new[] { 2, 2, 2 });
        Assert.Equal(new[] { 2, 2, 2 }, c.Shape);
        Assert.All(c.ToArray(), x => Assert.Equal(0.5f, x));
        Assert.Equal(0f, new Constant().Value);
        Assert.Equal(1f, new Ones().Call(Array.Empty<int>()).Item());
    }

    [Fact]
    public void IdentityPutsTheGainOnTheDiagonal()
    {
        var t = new Identity(gain: 2f).Call(new[] { 3, 5 });
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 5; j++) Assert.Equal(i == j ? 2f : 0f, t[i, j]);
        Assert.Equal(1f, new Identity().Call(new[] { 4, 2 })[1, 1]);
        Assert.Equal(0f, new Identity().Call(new[] { 4, 2 })[3, 1]);
    }

    [Fact]
    public void IdentityNeedsTwoDimensions()
    {
        var e = Assert.Throws<ArgumentException>(() => new Identity().Call(new[] { 3, 3, 3 }));
        Assert.Contains("Identity matrix initializer can only be used for 2D matrices. Received: shape=(3, 3, 3) of rank 3.", e.Message);
    }

    [Theory]
    [InlineData(50, 20)]
    [InlineData(20, 50)]
    [InlineData(32, 32)]
    public void OrthogonalIsOrthonormal(int rows, int cols)
    {
        var w = new Orthogonal(seed: 3).Call(new[] { rows, cols }).ToArray();
        // Orthonormal columns when rows ≥ cols, orthonormal rows otherwise.
        bool byColumns = rows >= cols;
        int k = Math.Min(rows, cols), len = Math.Max(rows, cols);
        double At(int vec, int i) => byColumns ? w[i * cols + vec] : w[vec * cols + i];
        for (int p = 0; p < k; p++)
            for (int q = 0; q < k; q++)
            {
                double dot = 0;
                for (int i = 0; i < len; i++) dot += At(p, i) * At(q, i);
                Assert.True(Math.Abs(dot - (p == q ? 1 : 0)) < 1e-5, $"<{p},{q}> = {dot}");
            }
    }

    [Fact]
    public void OrthogonalFlattensConvKernelsAndAppliesTheGain()
    {
        var w = new Orthogonal(gain: 2f, seed: 5).Call(new[] { 3, 3, 4, 8 });   // a 36 × 8 matrix
        Assert.Equal(new[] { 3, 3, 4, 8 }, w.Shape);
        var x = w.ToArray();
        for (int p = 0; p < 8; p++)
            for (int q = 0; q < 8; q++)
            {
                double dot = 0;
                for (int i = 0; i < 36; i++) dot += x[i * 8 + p] * x[i * 8 + q];
                Assert.True(Math.Abs(dot - (p == q ? 4 : 0)) < 1e-4, $"<{p},{q}> = {dot}");
            }
    }

    [Fact]
    public void OrthogonalFactorIsTheQOfAQrWithPositiveDiagonal()
    {
        const int m = 7, n = 4;
        var rng = new RandomGenerator(11);
        var a = new double[m * n];
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextNormal();
        var original = (double[])a.Clone();
        var q = Orthogonal.OrthonormalFactor(a, m, n);
        // R = Qᵀ A must be upper triangular with a positive diagonal (Keras's sign correction), and Q R = A.
        var r = new double[n, n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                for (int p = 0; p < m; p++) r[i, j] += q[p * n + i] * original[p * n + j];
        for (int i = 0; i < n; i++)
        {
            Assert.True(r[i, i] > 0, $"R[{i},{i}] = {r[i, i]}");
            for (int j = 0; j < i; j++) Assert.True(Math.Abs(r[i, j]) < 1e-10, $"R[{i},{j}] = {r[i, j]}");
        }
        for (int p = 0; p < m; p++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int i = 0; i < n; i++) s += q[p * n + i] * r[i, j];
                Assert.Equal(original[p * n + j], s, 10);
            }
    }

    [Fact]
    public void OrthogonalNeedsTwoDimensions()
    {
        var e = Assert.Throws<ArgumentException>(() => new Orthogonal().Call(new[] { 5 }));
        Assert.Contains("at least two-dimensional. Received: shape=(5,) of rank 1.", e.Message);
    }

    [Theory]
    [InlineData(new int[0], 1, 1)]
    [InlineData(new[] { 7 }, 7, 7)]
    [InlineData(new[] { 3, 4 }, 3, 4)]
    [InlineData(new[] { 5, 4, 8 }, 20, 40)]              // Conv1D kernel (width, in, out)
    [InlineData(new[] { 3, 3, 16, 32 }, 144, 288)]       // Conv2D kernel (h, w, in, out)
    [InlineData(new[] { 2, 3, 3, 4, 5 }, 72, 90)]        // Conv3D kernel
    public void ComputeFansFollowsKeras(int[] shape, long fanIn, long fanOut)
        => Assert.Equal((fanIn, fanOut), VarianceScaling.ComputeFans(shape));

    [Fact]
    public void VarianceScalingUsesTheFansOfItsMode()
    {
        var shape = new[] { 3, 3, 16, 32 };   // fan_in 144, fan_out 288
        Assert.Equal(2.0 / 144, new HeNormal().TargetVariance(shape), 12);
        Assert.Equal(1.0 / 144, new LecunUniform().TargetVariance(shape), 12);
        Assert.Equal(2.0 / (144 + 288), new GlorotUniform().TargetVariance(shape), 12);
        Assert.Equal(3.0 / 288, new VarianceScaling(3f, "fan_out").TargetVariance(shape), 12);
        Assert.Equal(1.0, new VarianceScaling().TargetVariance(new[] { 0, 4 }), 12);   // n is at least 1
    }

    [Fact]
    public void BadArgumentsGiveKerasStyleErrors()
    {
        var mode = Assert.Throws<ArgumentException>(() => new VarianceScaling(mode: "fan_sideways"));
        Assert.Contains("Received: mode=fan_sideways", mode.Message);
        Assert.Contains("fan_in, fan_out, fan_avg", mode.Message);
        var dist = Assert.Throws<ArgumentException>(() => new VarianceScaling(distribution: "cauchy"));
        Assert.Contains("Received: distribution=cauchy", dist.Message);
        var scale = Assert.Throws<ArgumentOutOfRangeException>(() => new VarianceScaling(scale: 0f));
        Assert.Contains("Received: scale=0", scale.Message);
        Assert.Equal("truncated_normal", new VarianceScaling(distribution: "normal").Distribution);
        Assert.Equal("uniform", new VarianceScaling(distribution: "Uniform").Distribution);
    }

    [Fact]
    public void GetConfigUsesKerasKeys()
    {
        var vs = new VarianceScaling(2f, "fan_avg", "uniform", seed: 4).GetConfig();
        Assert.Equal(new object?[] { 4L, 2f, "fan_avg", "uniform" }, new[] { vs["seed"], vs["scale"], vs["mode"], vs["distribution"] });
        Assert.Equal(new[] { "seed" }, new GlorotUniform().GetConfig().Keys);
        Assert.Null(new GlorotUniform().GetConfig()["seed"]);
        var ru = new RandomUniform().GetConfig();
        Assert.Equal(-0.05f, ru["minval"]);
        Assert.Equal(0.05f, ru["maxval"]);
        var rn = new RandomNormal().GetConfig();
        Assert.Equal(0f, rn["mean"]);
        Assert.Equal(0.05f, rn["stddev"]);
        Assert.Equal(0.05f, new TruncatedNormal().GetConfig()["stddev"]);
        Assert.Equal(1f, new Orthogonal().GetConfig()["gain"]);
        Assert.Equal(1f, new Identity().GetConfig()["gain"]);
        Assert.Equal(0.5f, new Constant(0.5f).GetConfig()["value"]);
        Assert.Empty(new Zeros().GetConfig());
    }

    [Fact]
    public void DefaultsMatchKeras3()
    {
        var vs = new VarianceScaling();
        Assert.Equal((1f, "fan_in", "truncated_normal"), (vs.Scale, vs.Mode, vs.Distribution));
        Assert.Equal((1f, "fan_avg", "uniform"), (new GlorotUniform().Scale, new GlorotUniform().Mode, new GlorotUniform().Distribution));
        Assert.Equal((1f, "fan_avg", "truncated_normal"), (new GlorotNormal().Scale, new GlorotNormal().Mode, new GlorotNormal().Distribution));
        Assert.Equal((2f, "fan_in", "uniform"), (new HeUniform().Scale, new HeUniform().Mode, new HeUniform().Distribution));
        Assert.Equal((2f, "fan_in", "truncated_normal"), (new HeNormal().Scale, new HeNormal().Mode, new HeNormal().Distribution));
        Assert.Equal((1f, "fan_in", "uniform"), (new LecunUniform().Scale, new LecunUniform().Mode, new LecunUniform().Distribution));
        Assert.Equal((1f, "fan_in", "truncated_normal"), (new LecunNormal().Scale, new LecunNormal().Mode, new LecunNormal().Distribution));
        Assert.Equal((-0.05f, 0.05f), (new RandomUniform().Minval, new RandomUniform().Maxval));
        Assert.Equal((0f, 0.05f), (new RandomNormal().Mean, new RandomNormal().Stddev));
        Assert.Equal((0f, 0.05f), (new TruncatedNormal().Mean, new TruncatedNormal().Stddev));
    }
}
