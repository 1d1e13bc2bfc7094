using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Tests.Engine;
using K = Cortex.Keras.Backend;

namespace Cortex.Tests.Training;

using Functional = Cortex.Keras.Models.Functional;

public class BackendTests
{
    private static readonly Tensor X = Tensor.FromArray(new float[] { 1, -2, 3, 4, 5, -6 }, 2, 3);

    [Fact]
    public void Reductions_follow_keras_axis_and_keepdims()
    {
        Assert.Equal(5f / 6f, K.Mean(X).Item(), 5);
        Assert.Equal(new float[] { 2f / 3f, 1f }, K.Mean(X, axis: 1).ToArray());
        Assert.Equal(new[] { 2, 1 }, K.Mean(X, axis: -1, keepDims: true).Shape);
        Assert.Equal(new float[] { 5, 3, -3 }, K.Sum(X, axis: 0).ToArray());
        Assert.Equal(new float[] { 3, 5 }, K.Max(X, axis: 1).ToArray());
        Assert.Equal(-6f, K.Min(X).Item());
        Assert.Equal(new[] { 1, 1 }, K.Sum(X, new[] { 0, 1 }, keepDims: true).Shape);
    }

    [Fact]
    public void Elementwise_functions()
    {
        Assert.Equal(new float[] { 1, 4, 9, 16, 25, 36 }, K.Square(X).ToArray());
        Assert.Equal(new float[] { 1, 0, MathF.Sqrt(3), 2, MathF.Sqrt(5), 0 }, K.Sqrt(X).ToArray());   // negatives clipped to 0
        Assert.Equal(new float[] { 1, 2, 3, 4, 5, 6 }, K.Abs(X).ToArray());
        Assert.Equal(MathF.Exp(1), K.Exp(X).ToArray()[0], 5);
        Assert.Equal(MathF.Log(4), K.Log(K.Abs(X)).ToArray()[3], 5);
        Assert.Equal(new float[] { 1, 8, 27 }, K.Pow(Tensor.FromArray(new float[] { 1, 2, 3 }, 3), 3f).ToArray());
        Assert.Equal(1e-7f, K.Epsilon);
    }

    [Fact]
    public void Dot_and_batch_dot_match_hand_products()
    {
        var w = Tensor.FromArray(new float[] { 1, 0, 0, 1, 1, 1 }, 3, 2);
        Assert.Equal(new float[] { 4, 1, -2, -1 }, K.Dot(X, w).ToArray());
        Assert.Equal(14f, K.Dot(Tensor.FromArray(new float[] { 1, 2, 3 }, 3), Tensor.FromArray(new float[] { 1, 2, 3 }, 3)).Item());
        Assert.Throws<ArgumentException>(() => K.Dot(X, X));

        var bd = K.BatchDot(X, X);   // per-row squared norms, (2, 1)
        Assert.Equal(new[] { 2, 1 }, bd.Shape);
        Assert.Equal(new float[] { 14, 77 }, bd.ToArray());

        var a = new RandomGenerator(1).Normal(new[] { 2, 3, 4 });
        var b = new RandomGenerator(2).Normal(new[] { 2, 4, 5 });
        var c = K.BatchDot(a, b);
        Assert.Equal(new[] { 2, 3, 5 }, c.Shape);
        for (int n = 0; n < 2; n++)
        {
            var expected = Ops.MatMul(Ops.Reshape(Ops.Slice(a, new[] { n, 0, 0 }, new[] { 1, 3, 4 }), 3, 4), Ops.Reshape(Ops.Slice(b, new[] { n, 0, 0 }, new[] { 1, 4, 5 }), 4, 5)).ToArray();
            var got = Ops.Slice(c, new[] { n, 0, 0 }, new[] { 1, 3, 5 }).ToArray();
            for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], got[i], 4);
        }
        Assert.Equal(new[] { 2, 3, 3 }, K.BatchDot(a, a, axes: (2, 2)).Shape);
        GradientCheck.Assert(t => K.BatchDot(t[0], t[1]), new RandomGenerator(3).Normal(new[] { 2, 2, 3 }), new RandomGenerator(4).Normal(new[] { 2, 3, 2 }));
    }

    [Fact]
    public void Shape_functions()
    {
        Assert.Equal(new[] { 2, 6 }, K.Concatenate(new[] { X, X }).Shape);
        Assert.Equal(new[] { 4, 3 }, K.Concatenate(new[] { X, X }, axis: 0).Shape);
        Assert.Equal(new[] { 3, 2 }, K.Reshape(X, -1, 2).Shape);
        var t = K.PermuteDimensions(X, 1, 0);
        Assert.Equal(new[] { 3, 2 }, t.Shape);
        Assert.Equal(4f, t[0, 1]);
        Assert.Equal(new[] { 2, 3, 1 }, K.ExpandDims(X).Shape);
        Assert.Equal(new[] { 1, 2, 3 }, K.ExpandDims(X, 0).Shape);
        Assert.Equal(new[] { 2, 3 }, K.Squeeze(K.ExpandDims(X, 1), 1).Shape);
        Assert.Throws<ArgumentException>(() => K.Squeeze(X, 0));
        var n = K.L2Normalize(X, axis: 1).ToArray();
        Assert.Equal(1f / MathF.Sqrt(14), n[0], 5);
        Assert.Equal(-6f / MathF.Sqrt(77), n[5], 5);
    }

    [Fact]
    public void Gradients_and_function()
    {
        var v = new Variable("v", Tensor.FromArray(new float[] { 1, 2, 3 }, 3));
        var unused = new Variable("u", Tensor.Zeros(2));
        var g = K.Gradients(() => K.Sum(K.Square(v.Value)), new[] { v, unused });
        Assert.Equal(new float[] { 2, 4, 6 }, g[0].ToArray());
        Assert.Equal(new float[] { 0, 0 }, g[1].ToArray());

        var input = new Input(new[] { 3 });
        var hidden = new Dense(2, kernelInitializer: "ones", name: "bk_hidden").Apply(input);
        var output = new Dense(1, kernelInitializer: "ones").Apply(hidden);
        var model = new Functional(input, output);
        var f = K.Function(model.Inputs, new[] { model.GetLayer("bk_hidden").Output! });
        Assert.Equal(new float[] { 2, 2, 3, 3 }, f(new[] { X })[0].ToArray());
        Assert.Equal(new float[] { 4, 6 }, K.Function(input, output)(X).ToArray());
    }
}
