using Cortex.Keras;
using Cortex.Keras.Constraints;
using Cortex.Keras.Layers;
using Cortex.Keras.Losses;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Tests.Regularizers;

/// <summary>MaxNorm, MinMaxNorm, NonNeg, UnitNorm: Keras's formulas, axes, and their place after the optimizer's update.</summary>
public sealed class ConstraintTests
{
    // (2, 2) = [[3, 0], [4, 1]]: column norms (axis 0) 5 and 1; row norms (axis 1) 3 and √17.
    private static Tensor M() => Tensor.FromArray(new[] { 3f, 0f, 4f, 1f }, 2, 2);

    [Fact]
    public void MaxNormClipsEachColumnByDefault()
    {
        var r = new MaxNorm(2f).Call(M()).ToArray();
        float s = 2f / (5f + 1e-7f);
        Assert.Equal(new[] { 3f * s, 0f * (1f / (1f + 1e-7f)), 4f * s, 1f / (1f + 1e-7f) }, r, new RegularizerTests.FloatComparer(1e-6f));
        var rows = new MaxNorm(2f, 1).Call(M()).ToArray();          // axis=1: the norms of the rows, 3 and √17
        Assert.Equal(3f * 2f / 3f, rows[0], 5);
        Assert.Equal(4f * 2f / MathF.Sqrt(17f), rows[2], 5);
    }

    [Fact]
    public void UnitMinMaxAndNonNegFollowKerasFormulas()
    {
        var u = new UnitNorm().Call(M()).ToArray();
        Assert.Equal(0.6f, u[0], 6); Assert.Equal(0.8f, u[2], 6); Assert.Equal(1f, u[3], 5);
        // rate 0.5, bounds [2, 3]: column 0 norm 5 → desired 0.5·3 + 0.5·5 = 4; column 1 norm 1 → 0.5·2 + 0.5·1 = 1.5.
        var mm = new MinMaxNorm(2f, 3f, 0.5f).Call(M()).ToArray();
        Assert.Equal(3f * 4f / 5f, mm[0], 5); Assert.Equal(1.5f, mm[3], 5);
        Assert.Equal(new[] { 0f, 2f, 0f }, new NonNeg().Call(Tensor.FromArray(new[] { -1f, 2f, -0.5f }, 3)).ToArray());
    }

    [Fact]
    public void ConvKernelAxesConstrainEachFilter()
    {
        // A (2, 2, 1, 2) kernel: filter 0 all 1 (norm 2), filter 1 all 3 (norm 6); axis [0, 1, 2] keeps the last axis.
        var k = Tensor.FromArray(new[] { 1f, 3f, 1f, 3f, 1f, 3f, 1f, 3f }, 2, 2, 1, 2);
        var r = new MaxNorm(3f, 0, 1, 2).Call(k).ToArray();
        Assert.Equal(1f, r[0], 5);                // norm 2 ≤ 3: unchanged
        Assert.Equal(3f * 3f / 6f, r[1], 5);      // norm 6 → 3
        var unit = new UnitNorm(-4, -3, -2).Call(k).ToArray();       // negative axes count from the end
        Assert.Equal(1f, unit.Where((_, i) => i % 2 == 0).Sum(v => v * v), 4);
        Assert.Equal(1f, unit.Where((_, i) => i % 2 == 1).Sum(v => v * v), 4);
    }

    [Fact]
    public void NamesAndBadArguments()
    {
        Assert.IsType<MaxNorm>(Constraint.Get("max_norm"));
        Assert.Equal(2f, ((MaxNorm)Constraint.Get("max_norm")).MaxValue);
        Assert.Equal(new[] { 0 }, ((UnitNorm)Constraint.Get("unit_norm")).Axis);
        var mm = (MinMaxNorm)Constraint.Get("min_max_norm");
        Assert.Equal((0f, 1f, 1f), (mm.MinValue, mm.MaxValue, mm.Rate));
        Assert.IsType<NonNeg>(Constraint.Get("non_neg"));
        var e = Assert.Throws<ArgumentException>(() => Constraint.Get("maxnorm2"));
        Assert.Contains("Unknown constraint: 'maxnorm2'", e.Message);
        Assert.Contains("max_norm, min_max_norm, non_neg, unit_norm", e.Message);
        var axis = Assert.Throws<ArgumentException>(() => new MaxNorm(1f, 2).Call(M()));
        Assert.Contains("axis 2 is out of bounds", axis.Message);
        Assert.Throws<ArgumentException>(() => new MinMaxNorm(2f, 1f));
    }

    [Fact]
    public void MaxNormHoldsAfterEachTrainingStep()
    {
        var d = new Dense(3, kernelConstraint: new MaxNorm(0.5f), biasConstraint: "non_neg", inputShape: new[] { 4 });
        var model = new Sequential(new Layer[] { d });
        model.Compile(new SGD(learningRate: 1f), new MeanSquaredError());
        var x = Tensor.FromArray(Enumerable.Range(0, 32).Select(i => (float)Math.Sin(i)).ToArray(), 8, 4);
        var y = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => 10f - (i % 3) * 20f).ToArray(), 8, 3);
        model.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, shuffle: false);
        var k = d.Kernel.ToArray();
        for (int c = 0; c < 3; c++)
        {
            float norm = MathF.Sqrt(Enumerable.Range(0, 4).Sum(r => k[r * 3 + c] * k[r * 3 + c]));
            Assert.True(norm <= 0.5f + 1e-5f, $"column {c} has norm {norm}");
        }
        Assert.All(d.Bias!.ToArray(), b => Assert.True(b >= 0f));
        Assert.Contains(d.Bias!.ToArray(), b => b == 0f);           // target -10 pushes a bias below 0, clipped
    }
}
