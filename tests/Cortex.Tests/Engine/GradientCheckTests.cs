using Cortex.Autodiff;
using Cortex.Memory;
using Xunit.Sdk;

namespace Cortex.Tests.Engine;

/// <summary>
/// Every differentiable op's tape gradient against central finite differences (<see cref="GradientCheck"/>).
/// Inputs are kept away from kinks: relu/abs/leaky-relu/elu inputs away from 0, clip and hard-sigmoid inputs away from
/// their bounds, max/min inputs on grids with no ties, log/sqrt/pow on positive values.
/// </summary>
public sealed class GradientCheckTests
{
    private sealed record Case(Func<Tensor[], Tensor> F, Func<RandomGenerator, Tensor[]> Inputs);

    private static readonly Dictionary<string, Case> Cases = Build();

    public static IEnumerable<object[]> CaseNames() => Cases.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void TapeGradientMatchesFiniteDifferences(string name)
    {
        var c = Cases[name];
        var rng = new RandomGenerator(StableSeed(name));
        GradientCheck.Assert(c.F, c.Inputs(rng));
    }

    /// <summary>
    /// The same forward and backward inside a <see cref="TensorScope"/> whose pool holds NaN-filled buffers of every
    /// small size: an op that reads a rented buffer before writing all of it would show NaN here.
    /// </summary>
    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ResultsDoNotDependOnStalePooledBuffers(string name)
    {
        var c = Cases[name];
        var inputs = c.Inputs(new RandomGenerator(StableSeed(name)));
        var (y0, g0) = ForwardAndBackward(c.F, inputs);
        using (TensorScope.Begin())
            for (int size = 1; size <= 64; size++)
                for (int copies = 0; copies < 6; copies++) Tensor.Full(float.NaN, size);
        float[] y1; float[][] g1;
        using (TensorScope.Begin()) (y1, g1) = ForwardAndBackward(c.F, inputs);
        AssertSame(y0, y1, "output");
        for (int i = 0; i < g0.Length; i++) AssertSame(g0[i], g1[i], $"gradient of input {i}");
    }

    private static void AssertSame(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int j = 0; j < expected.Length; j++)
            Assert.True(Math.Abs(expected[j] - actual[j]) <= 1e-6 * (1 + Math.Abs(expected[j])),
                $"{what}, element {j}: {actual[j]} inside the scope, {expected[j]} outside");
    }

    private static (float[] Output, float[][] Grads) ForwardAndBackward(Func<Tensor[], Tensor> f, Tensor[] inputs)
    {
        using var tape = GradientTape.Begin();
        foreach (var x in inputs) tape.Watch(x);
        var y = f(inputs);
        var grads = tape.Gradient(Ops.Sum(Ops.Multiply(y, y)), inputs);
        return (y.ToArray(), grads.Select(g => g.ToArray()).ToArray());
    }

    [Fact]
    public void EveryDifferentiableOpHasACase()
    {
        string[] ops =
        {
            "Add", "Subtract", "Multiply", "Divide", "Maximum", "Minimum", "AddScalar", "MultiplyScalar", "Negate", "Square",
            "Sqrt", "Pow", "Exp", "Log", "Abs", "Clip", "Where", "BroadcastTo", "Sum", "Mean", "Max", "Min", "Var", "Reshape",
            "Transpose", "Slice", "SliceRows", "Concat", "Stack", "Flatten", "MatMul", "Relu", "Sigmoid", "Tanh", "Elu", "Selu",
            "Softplus", "Softsign", "HardSigmoid", "LeakyRelu", "Softmax", "LogSoftmax", "Gather", "SoftmaxCrossEntropy",
            "SparseSoftmaxCrossEntropy",
        };
        var covered = Cases.Keys.Select(k => k.Split('/')[0]).ToHashSet();
        Assert.Empty(ops.Except(covered));
    }

    // ------------------------------------------------------------------ the helper catches wrong gradients

    /// <summary>y = x², recorded with the backward function 2·factor·x·g (right only for factor = 1).</summary>
    private static Tensor SquareWithGradientFactor(Tensor x, float factor)
    {
        var y = Tensor.FromArray(x.ToArray().Select(v => v * v).ToArray(), x.Shape.ToArray());
        GradientTape.Record(y, x, g => new[] { Ops.Multiply(g, Ops.MultiplyScalar(x, 2f * factor)) });
        return y;
    }

    [Fact]
    public void HelperPassesACorrectHandWrittenGradient()
        => GradientCheck.Assert(x => SquareWithGradientFactor(x[0], 1f), Tensor.FromArray(new[] { 0.5f, -1.5f, 2f, -0.25f, 1f, 3f }, 2, 3));

    [Theory]
    [InlineData(1.1f)]
    [InlineData(0.9f)]
    [InlineData(-1f)]
    public void HelperRejectsAWrongGradient(float factor)
    {
        var x = Tensor.FromArray(new[] { 0.5f, -1.5f, 2f, -0.25f, 1f, 3f }, 2, 3);
        var e = Assert.ThrowsAny<XunitException>(() => GradientCheck.Assert(v => SquareWithGradientFactor(v[0], factor), x));
        Assert.Contains("input 0", e.Message);
    }

    [Fact]
    public void HelperRejectsAGradientWrongInOneElementOnly()
    {
        // Correct everywhere except one element, whose gradient is 10 % too large: the per-element bound catches it.
        var x = Tensor.FromArray(Enumerable.Range(0, 20).Select(i => 0.3f + 0.1f * i).ToArray(), 20);
        Tensor F(Tensor[] v)
        {
            var y = Tensor.FromArray(v[0].ToArray().Select(a => a * a).ToArray(), 20);
            GradientTape.Record(y, v[0], g =>
            {
                var d = Ops.Multiply(g, Ops.MultiplyScalar(v[0], 2f)).ToArray();
                d[7] *= 1.1f;
                return new[] { Tensor.FromArray(d, 20) };
            });
            return y;
        }
        Assert.ThrowsAny<XunitException>(() => GradientCheck.Assert(F, x));
    }

    [Fact]
    public void HelperRestoresItsInputs()
    {
        var data = new[] { 0.5f, -1.5f, 2f };
        var x = Tensor.FromArray(data, 3);
        GradientCheck.Assert(v => Ops.Exp(v[0]), x);
        Assert.Equal(data, x.ToArray());
    }

    // ------------------------------------------------------------------ the cases

    private static Dictionary<string, Case> Build()
    {
        var c = new Dictionary<string, Case>();
        void Add(string name, Func<Tensor[], Tensor> f, Func<RandomGenerator, Tensor[]> inputs) => c.Add(name, new Case(f, inputs));

        // Element-wise binary ops with broadcasting.
        Add("Add/3x1x4+2x4", x => Ops.Add(x[0], x[1]), r => new[] { N(r, 3, 1, 4), N(r, 2, 4) });
        Add("Add/4+3x4", x => Ops.Add(x[0], x[1]), r => new[] { N(r, 4), N(r, 3, 4) });
        Add("Add/scalar+2x3", x => Ops.Add(x[0], x[1]), r => new[] { N(r), N(r, 2, 3) });
        Add("Subtract/3x1-1x4", x => Ops.Subtract(x[0], x[1]), r => new[] { N(r, 3, 1), N(r, 1, 4) });
        Add("Subtract/2x3-scalar", x => Ops.Subtract(x[0], x[1]), r => new[] { N(r, 2, 3), N(r) });
        Add("Multiply/3x1x4*2x4", x => Ops.Multiply(x[0], x[1]), r => new[] { N(r, 3, 1, 4), N(r, 2, 4) });
        Add("Multiply/2x3*3", x => Ops.Multiply(x[0], x[1]), r => new[] { N(r, 2, 3), N(r, 3) });
        Add("Multiply/same_tensor_twice", x => Ops.Multiply(x[0], x[0]), r => new[] { N(r, 2, 3) });
        Add("Divide/2x3/3", x => Ops.Divide(x[0], x[1]), r => new[] { N(r, 2, 3), AwayFromZero(r, 0.5f, 2f, 3) });
        Add("Divide/scalar/2x2", x => Ops.Divide(x[0], x[1]), r => new[] { N(r), AwayFromZero(r, 0.5f, 2f, 2, 2) });
        Add("Maximum/2x3,3", x => Ops.Maximum(x[0], x[1]), r => new[] { Grid(r, 0f, 2, 3), Grid(r, 0.125f, 3) });
        Add("Maximum/3x1,1x4", x => Ops.Maximum(x[0], x[1]), r => new[] { Grid(r, 0f, 3, 1), Grid(r, 0.125f, 1, 4) });
        Add("Minimum/2x3,3", x => Ops.Minimum(x[0], x[1]), r => new[] { Grid(r, 0f, 2, 3), Grid(r, 0.125f, 3) });
        Add("Minimum/scalar,2x3", x => Ops.Minimum(x[0], x[1]), r => new[] { Tensor.Scalar(0.3f), Grid(r, 0.125f, 2, 3) });

        // Element-wise unary ops.
        Add("AddScalar/2x3", x => Ops.AddScalar(x[0], 1.5f), r => new[] { N(r, 2, 3) });
        Add("MultiplyScalar/2x3", x => Ops.MultiplyScalar(x[0], -2.5f), r => new[] { N(r, 2, 3) });
        Add("Negate/2x3", x => Ops.Negate(x[0]), r => new[] { N(r, 2, 3) });
        Add("Square/2x3", x => Ops.Square(x[0]), r => new[] { N(r, 2, 3) });
        Add("Sqrt/2x3", x => Ops.Sqrt(x[0]), r => new[] { U(r, 0.5f, 3f, 2, 3) });
        Add("Pow/p3", x => Ops.Pow(x[0], 3f), r => new[] { U(r, 0.3f, 2f, 2, 3) });
        Add("Pow/p0.5", x => Ops.Pow(x[0], 0.5f), r => new[] { U(r, 0.5f, 3f, 2, 3) });
        Add("Pow/p-1.5", x => Ops.Pow(x[0], -1.5f), r => new[] { U(r, 0.5f, 3f, 2, 3) });
        Add("Exp/2x3", x => Ops.Exp(x[0]), r => new[] { N(r, 2, 3) });
        Add("Log/2x3", x => Ops.Log(x[0]), r => new[] { U(r, 0.4f, 4f, 2, 3) });
        Add("Abs/2x4", x => Ops.Abs(x[0]), r => new[] { AwayFromZero(r, 0.2f, 2f, 2, 4) });
        Add("Clip/inside_and_outside", x => Ops.Clip(x[0], -0.5f, 0.7f),
            r => new[] { Tensor.FromArray(new[] { -1.3f, -0.7f, -0.3f, 0f, 0.2f, 0.6f, 0.9f, 2f }, 2, 4) });
        var cond = Tensor.FromArray(new[] { 1f, 0f, 1f, 0f, 0f, 1f }, 2, 3);
        Add("Where/same_shape", x => Ops.Where(cond, x[0], x[1]), r => new[] { N(r, 2, 3), N(r, 2, 3) });
        Add("Where/b_scalar", x => Ops.Where(cond, x[0], x[1]), r => new[] { N(r, 2, 3), N(r) });
        Add("BroadcastTo/3x1_to_2x3x4", x => Ops.BroadcastTo(x[0], 2, 3, 4), r => new[] { N(r, 3, 1) });
        Add("BroadcastTo/4_to_3x4", x => Ops.BroadcastTo(x[0], 3, 4), r => new[] { N(r, 4) });

        // Reductions.
        Add("Sum/all", x => Ops.Sum(x[0]), r => new[] { N(r, 2, 3, 4) });
        Add("Sum/axes0_2", x => Ops.Sum(x[0], new[] { 0, 2 }), r => new[] { N(r, 2, 3, 4) });
        Add("Sum/axis-1_keepdims", x => Ops.Sum(x[0], -1, keepDims: true), r => new[] { N(r, 3, 4) });
        Add("Mean/axis1", x => Ops.Mean(x[0], 1), r => new[] { N(r, 2, 3, 4) });
        Add("Mean/all_keepdims", x => Ops.Mean(x[0], null, keepDims: true), r => new[] { N(r, 3, 4) });
        Add("Max/axis1", x => Ops.Max(x[0], 1), r => new[] { Grid(r, 0f, 2, 3, 4) });
        Add("Max/all", x => Ops.Max(x[0]), r => new[] { Grid(r, 0f, 3, 4) });
        Add("Max/axes0_2_keepdims", x => Ops.Max(x[0], new[] { 0, 2 }, keepDims: true), r => new[] { Grid(r, 0f, 2, 3, 4) });
        Add("Min/axis-1", x => Ops.Min(x[0], -1), r => new[] { Grid(r, 0f, 3, 4) });
        Add("Min/axes0_1", x => Ops.Min(x[0], new[] { 0, 1 }), r => new[] { Grid(r, 0f, 2, 3, 4) });
        Add("Var/axis-1", x => Ops.Var(x[0], new[] { -1 }), r => new[] { N(r, 3, 4) });
        Add("Var/axes0_2_keepdims", x => Ops.Var(x[0], new[] { 0, 2 }, keepDims: true), r => new[] { N(r, 2, 3, 4) });
        Add("Var/all", x => Ops.Var(x[0]), r => new[] { N(r, 2, 3) });

        // Shape ops.
        Add("Reshape/2x3x4_to_4x-1", x => Ops.Reshape(x[0], 4, -1), r => new[] { N(r, 2, 3, 4) });
        Add("Transpose/3d_201", x => Ops.Transpose(x[0], 2, 0, 1), r => new[] { N(r, 2, 3, 4) });
        Add("Transpose/2d_default", x => Ops.Transpose(x[0]), r => new[] { N(r, 2, 3) });
        Add("Slice/3d", x => Ops.Slice(x[0], new[] { 0, 1, 1 }, new[] { -1, 2, 2 }), r => new[] { N(r, 2, 4, 3) });
        Add("Slice/negative_start", x => Ops.Slice(x[0], new[] { -2, 0 }, new[] { 2, 3 }), r => new[] { N(r, 4, 5) });
        Add("SliceRows/5x3", x => Ops.SliceRows(x[0], 1, 3), r => new[] { N(r, 5, 3) });
        Add("Concat/axis1_three", x => Ops.Concat(x, 1), r => new[] { N(r, 2, 1, 2), N(r, 2, 3, 2), N(r, 2, 2, 2) });
        Add("Concat/axis0", x => Ops.Concat(x, 0), r => new[] { N(r, 2, 3), N(r, 1, 3) });
        Add("Stack/axis-1", x => Ops.Stack(x, -1), r => new[] { N(r, 2, 3), N(r, 2, 3) });
        Add("Stack/axis0", x => Ops.Stack(x, 0), r => new[] { N(r, 3), N(r, 3), N(r, 3) });
        Add("Flatten/2x3x4", x => Ops.Flatten(x[0]), r => new[] { N(r, 2, 3, 4) });

        // Matrix products.
        Add("MatMul/nn", x => Ops.MatMul(x[0], x[1]), r => new[] { N(r, 3, 4), N(r, 4, 5) });
        Add("MatMul/tn", x => Ops.MatMul(x[0], x[1], transposeA: true), r => new[] { N(r, 4, 3), N(r, 4, 5) });
        Add("MatMul/nt", x => Ops.MatMul(x[0], x[1], transposeB: true), r => new[] { N(r, 3, 4), N(r, 5, 4) });
        Add("MatMul/tt", x => Ops.MatMul(x[0], x[1], transposeA: true, transposeB: true), r => new[] { N(r, 4, 3), N(r, 5, 4) });
        Add("MatMul/3d_left", x => Ops.MatMul(x[0], x[1]), r => new[] { N(r, 2, 3, 4), N(r, 4, 5) });
        Add("MatMul/3d_left_nt", x => Ops.MatMul(x[0], x[1], transposeB: true), r => new[] { N(r, 2, 3, 4), N(r, 5, 4) });

        // Activations.
        Add("Relu/2x4", x => Ops.Relu(x[0]), r => new[] { AwayFromZero(r, 0.2f, 2f, 2, 4) });
        Add("Sigmoid/2x4", x => Ops.Sigmoid(x[0]), r => new[] { N(r, 2, 4, scale: 2f) });
        Add("Tanh/2x4", x => Ops.Tanh(x[0]), r => new[] { N(r, 2, 4) });
        Add("Elu/alpha1", x => Ops.Elu(x[0]), r => new[] { AwayFromZero(r, 0.2f, 2f, 2, 4) });
        Add("Elu/alpha0.5", x => Ops.Elu(x[0], 0.5f), r => new[] { AwayFromZero(r, 0.2f, 2f, 2, 4) });
        Add("Selu/2x4", x => Ops.Selu(x[0]), r => new[] { AwayFromZero(r, 0.2f, 2f, 2, 4) });
        Add("Softplus/2x4", x => Ops.Softplus(x[0]), r => new[] { N(r, 2, 4, scale: 3f) });
        Add("Softsign/2x4", x => Ops.Softsign(x[0]), r => new[] { AwayFromZero(r, 0.2f, 3f, 2, 4) });
        Add("HardSigmoid/keras3", x => Ops.HardSigmoid(x[0]),
            r => new[] { Tensor.FromArray(new[] { -5f, -3.5f, -2.5f, -1f, 0f, 0.7f, 2.8f, 3.3f, 6f, -0.4f }, 10) });
        Add("HardSigmoid/keras2", x => Ops.HardSigmoid(x[0], 0.2f, 0.5f),
            r => new[] { Tensor.FromArray(new[] { -3f, -2.7f, -2.3f, -0.5f, 0f, 1f, 2.3f, 2.7f, 4f }, 9) });
        Add("LeakyRelu/default", x => Ops.LeakyRelu(x[0]), r => new[] { AwayFromZero(r, 0.2f, 2f, 2, 4) });
        Add("LeakyRelu/alpha0.1", x => Ops.LeakyRelu(x[0], 0.1f), r => new[] { AwayFromZero(r, 0.2f, 2f, 2, 4) });
        Add("Softmax/axis-1", x => Ops.Softmax(x[0]), r => new[] { N(r, 3, 4) });
        Add("Softmax/axis0", x => Ops.Softmax(x[0], 0), r => new[] { N(r, 3, 4) });
        Add("LogSoftmax/axis-1", x => Ops.LogSoftmax(x[0]), r => new[] { N(r, 3, 4) });
        Add("LogSoftmax/3d_axis1", x => Ops.LogSoftmax(x[0], 1), r => new[] { N(r, 2, 3, 4) });

        // Indexing and fused losses.
        var ids = Tensor.FromArray(new[] { 2f, 0f, 2f, 3f }, 4);
        Add("Gather/repeated_indices", x => Ops.Gather(x[0], ids), r => new[] { N(r, 4, 3) });
        Add("SoftmaxCrossEntropy/logits_and_targets", x => Ops.SoftmaxCrossEntropy(x[0], x[1]), r => new[] { N(r, 3, 4), U(r, 0.1f, 1f, 3, 4) });
        Add("SoftmaxCrossEntropy/3d", x => Ops.SoftmaxCrossEntropy(x[0], x[1]), r => new[] { N(r, 2, 2, 3), U(r, 0f, 1f, 2, 2, 3) });
        var labels = Tensor.FromArray(new[] { 1f, 0f, 4f, 4f }, 4);
        Add("SparseSoftmaxCrossEntropy/2d", x => Ops.SparseSoftmaxCrossEntropy(x[0], labels), r => new[] { N(r, 4, 5) });
        var labels3d = Tensor.FromArray(new[] { 0f, 3f, 1f, 2f, 2f, 0f }, 2, 3);
        Add("SparseSoftmaxCrossEntropy/3d", x => Ops.SparseSoftmaxCrossEntropy(x[0], labels3d), r => new[] { N(r, 2, 3, 4) });

        // Compositions: strided views flowing into ops, a tensor reaching the loss along several paths.
        Add("Composed/add_of_transposed_view", x => Ops.Add(Ops.Transpose(x[0]), x[1]), r => new[] { N(r, 3, 2), N(r, 2, 3) });
        Add("Composed/matmul_of_transposed_view", x => Ops.MatMul(Ops.Transpose(x[0]), x[1]), r => new[] { N(r, 4, 3), N(r, 4, 2) });
        Add("Composed/softmax_of_slice", x => Ops.Softmax(Ops.Slice(x[0], new[] { 1, 0 }, new[] { 2, -1 })), r => new[] { N(r, 4, 3) });
        Add("Composed/slice_of_transposed_view", x => Ops.Square(Ops.Slice(Ops.Transpose(x[0], 2, 0, 1), new[] { 1, 0, 1 }, new[] { 2, -1, 2 })),
            r => new[] { N(r, 2, 3, 4) });
        Add("Composed/sum_of_transposed_view", x => Ops.Sum(Ops.Transpose(x[0], 1, 0, 2), new[] { 0 }), r => new[] { N(r, 2, 3, 2) });
        Add("Composed/several_paths", x => Ops.Add(Ops.Multiply(x[0], Ops.Exp(x[0])), Ops.Mean(Ops.Square(x[0]), 0, keepDims: true)),
            r => new[] { N(r, 3, 2) });
        Add("Composed/dense_softmax_ce", x => Ops.SoftmaxCrossEntropy(Ops.Add(Ops.MatMul(x[0], x[1]), x[2]), Ops.OneHot(labels, 5)),
            r => new[] { N(r, 4, 3), N(r, 3, 5), N(r, 5) });
        return c;
    }

    // ------------------------------------------------------------------ inputs

    private static int StableSeed(string s)
    {
        int h = 17;
        foreach (var ch in s) h = unchecked(h * 31 + ch);
        return h;
    }

    /// <summary>Normal values.</summary>
    private static Tensor N(RandomGenerator r, params int[] shape) => N(r, shape, 1f);

    private static Tensor N(RandomGenerator r, int d0, int d1, float scale) => N(r, new[] { d0, d1 }, scale);

    private static Tensor N(RandomGenerator r, int[] shape, float scale) => r.Normal(shape, 0f, scale);

    /// <summary>Uniform values in [lo, hi).</summary>
    private static Tensor U(RandomGenerator r, float lo, float hi, params int[] shape) => r.Uniform(shape, lo, hi);

    /// <summary>Values with lo ≤ |x| &lt; hi and random signs.</summary>
    private static Tensor AwayFromZero(RandomGenerator r, float lo, float hi, params int[] shape)
    {
        var t = r.Uniform(shape, lo, hi);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) if (r.NextFloat() < 0.5f) s[i] = -s[i];
        return t;
    }

    /// <summary>Distinct values on the grid shift + 0.25·k (k = −n/2 .. n/2), shuffled: no two inputs within 0.125 of each other.</summary>
    private static Tensor Grid(RandomGenerator r, float shift, params int[] shape)
    {
        int n = TensorShape.Size(shape);
        var perm = r.Permutation(n);
        var data = perm.Select(k => shift + 0.25f * (k - n / 2)).ToArray();
        return Tensor.FromArray(data, shape);
    }
}
