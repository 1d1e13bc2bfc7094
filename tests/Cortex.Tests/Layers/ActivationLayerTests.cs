using Cortex.Keras.Layers;

namespace Cortex.Tests.Layers;

public class ActivationLayerTests
{
    /// <summary>Values at least 0.2 away from 0 and from the thresholds used below (no kinks under finite differences).</summary>
    private static Tensor AwayFromKinks(params int[] shape)
    {
        var rng = new RandomGenerator(11);
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        float[] grid = { -2.3f, -1.4f, -0.7f, -0.3f, 0.3f, 0.75f, 1.3f, 2.2f, 3.1f, 4.6f, 6.4f };
        for (int i = 0; i < s.Length; i++) s[i] = grid[rng.NextInt(grid.Length)] + 0.01f * i % 0.05f;
        return t;
    }

    [Fact]
    public void DefaultsAreKeras()
    {
        Assert.Equal(0.3f, new LeakyReLU().NegativeSlope);
        Assert.Equal(1f, new ELU().Alpha);
        Assert.Equal(1f, new ThresholdedReLU().Theta);
        var r = new ReLU();
        Assert.Null(r.MaxValue); Assert.Equal(0f, r.NegativeSlope); Assert.Equal(0f, r.Threshold);
        Assert.Equal(-1, new Softmax().Axis);
        Assert.Null(new PReLU().SharedAxes);
    }

    [Fact]
    public void LayersComputeTheirFormulas()
    {
        var x = Tensor.FromArray(new float[] { -2f, -0.5f, 0.5f, 1f, 1.5f, 8f }, 1, 6);
        Assert.Equal(new float[] { -0.6f, -0.15f, 0.5f, 1f, 1.5f, 8f }, new LeakyReLU().Apply(x).ToArray(), new Tol(1e-6f));
        Assert.Equal(new float[] { 0f, 0f, 0f, 0f, 1.5f, 8f }, new ThresholdedReLU().Apply(x).ToArray());
        Assert.Equal(new float[] { 0f, 0f, 0.5f, 1f, 1.5f, 6f }, new ReLU(maxValue: 6f).Apply(x).ToArray());
        // below the threshold: slope·(x − threshold); above: min(x, max_value).
        Assert.Equal(new float[] { -0.3f, -0.15f, -0.05f, 0f, 1.5f, 5f }, new ReLU(5f, 0.1f, 1f).Apply(x).ToArray(), new Tol(1e-6f));
        Assert.Equal(new float[] { MathF.Exp(-2f) - 1f, MathF.Exp(-0.5f) - 1f, 0.5f, 1f, 1.5f, 8f }, new ELU().Apply(x).ToArray(), new Tol(1e-6f));
        var sm = new Softmax(axis: 0).Apply(Tensor.FromArray(new float[] { 0f, 1f, 0f, 1f }, 2, 2)).ToArray();
        Assert.Equal(new float[] { 0.5f, 0.5f, 0.5f, 0.5f }, sm, new Tol(1e-6f));
    }

    [Fact]
    public void PReLUAlphaHasTheSampleShapeWithOneOnSharedAxes()
    {
        var p = new PReLU(sharedAxes: new[] { 1, 2 });
        p.Apply(Tensor.Zeros(2, 5, 6, 3));
        Assert.Equal(new[] { 1, 1, 3 }, p.Alpha.Shape.ToArray());
        Assert.Equal(3, p.CountParams());
        Assert.All(p.Alpha.ToArray(), v => Assert.Equal(0f, v));   // zeros: starts as relu
        var q = new PReLU();
        q.Apply(Tensor.Zeros(2, 4, 3));
        Assert.Equal(new[] { 4, 3 }, q.Alpha.Shape.ToArray());
        Assert.Single(q.TrainableWeights);
    }

    [Fact]
    public void PReLUUsesItsAlphaPerChannel()
    {
        var p = new PReLU(sharedAxes: new[] { 1 });
        var x = Tensor.FromArray(new float[] { -1, -1, 2, -4, 3, 5 }, 1, 3, 2);
        p.Apply(x);
        p.Alpha.Assign(new float[] { 0.5f, 0.25f });
        Assert.Equal(new float[] { -0.5f, -0.25f, 2f, -1f, 3f, 5f }, p.Apply(x).ToArray());
    }

    public static IEnumerable<object[]> GradientLayers()
    {
        yield return new object[] { new LeakyReLU(0.2f) };
        yield return new object[] { new ELU(0.7f) };
        yield return new object[] { new ThresholdedReLU(1f) };
        yield return new object[] { new ReLU(5f, 0.1f, 0.5f) };
        yield return new object[] { new ReLU(maxValue: 6f) };
        yield return new object[] { new Softmax(axis: 1) };
    }

    [Theory]
    [MemberData(nameof(GradientLayers))]
    public void GradientsMatchFiniteDifferences(Layer layer)
        => GradientCheck.Assert(t => layer.Apply(t[0]), AwayFromKinks(2, 3, 4));

    [Fact]
    public void PReLUGradientsOfInputAndAlphaMatchFiniteDifferences()
    {
        var p = new PReLU(sharedAxes: new[] { 1 });
        var x = AwayFromKinks(2, 3, 4);
        p.Apply(x);
        p.Alpha.Assign(new float[] { 0.1f, 0.3f, 0.6f, 0.2f });
        GradientCheck.Assert(t => p.Call(t[0], false), x);
        GradientCheck.Assert(_ => p.Call(x, false), p.Alpha.Value);
    }

    [Fact]
    public void ConfigsUseKerasKeys()
    {
        Assert.Equal(0.3f, new LeakyReLU().GetConfig()["negative_slope"]);
        Assert.Equal(1f, new ELU().GetConfig()["alpha"]);
        Assert.Equal(1f, new ThresholdedReLU().GetConfig()["theta"]);
        var r = new ReLU(6f).GetConfig();
        Assert.Equal(6f, r["max_value"]); Assert.Equal(0f, r["negative_slope"]); Assert.Equal(0f, r["threshold"]);
        Assert.Null(new ReLU().GetConfig()["max_value"]);
        Assert.Equal(-1, new Softmax().GetConfig()["axis"]);
        var p = new PReLU(sharedAxes: new[] { 1, 2 }).GetConfig();
        Assert.Equal(new[] { 1, 2 }, (int[])p["shared_axes"]!);
        Assert.True(p.ContainsKey("alpha_initializer"));
        Assert.StartsWith("leaky_re_lu", new LeakyReLU().Name);
        Assert.StartsWith("p_re_lu", new PReLU().Name);
    }

    [Fact]
    public void BadArgumentsAreRejectedNamingTheLayer()
    {
        var e = Assert.Throws<ArgumentException>(() => new LeakyReLU(-0.1f, name: "lr_a"));
        Assert.Contains("lr_a", e.Message); Assert.Contains("negative_slope=-0.1", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ReLU(maxValue: -1f, name: "relu_a"));
        Assert.Contains("relu_a", e.Message); Assert.Contains("max_value=-1", e.Message);
        Assert.Throws<ArgumentException>(() => new ReLU(negativeSlope: -1f));
        Assert.Throws<ArgumentException>(() => new ReLU(threshold: -1f));
        e = Assert.Throws<ArgumentException>(() => new ThresholdedReLU(-1f, name: "tr_a"));
        Assert.Contains("tr_a", e.Message); Assert.Contains("theta=-1", e.Message);
        e = Assert.Throws<ArgumentException>(() => new PReLU(sharedAxes: new[] { 0 }, name: "pr_a"));
        Assert.Contains("pr_a", e.Message);
        e = Assert.Throws<ArgumentException>(() => new PReLU(sharedAxes: new[] { 3 }, name: "pr_b").Apply(Tensor.Zeros(2, 3, 4)));
        Assert.Contains("pr_b", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Softmax(axis: 2, name: "sm_a").Apply(Tensor.Zeros(2, 3)));
        Assert.Contains("sm_a", e.Message);
    }

    private sealed class Tol(float tolerance) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => MathF.Abs(a - b) <= tolerance;
        public int GetHashCode(float v) => 0;
    }
}
