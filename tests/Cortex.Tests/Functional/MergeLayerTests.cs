using Cortex.Keras;
using Cortex.Keras.Layers;

namespace Cortex.Tests.Functional;

using Functional = Cortex.Keras.Models.Functional;

public class MergeLayerTests
{
    private static readonly Tensor A = Tensor.FromArray(new float[] { 1, -2, 3, 0.5f, 5, -6 }, 2, 3);
    private static readonly Tensor B = Tensor.FromArray(new float[] { 4, 1.5f, -1, 2, -3, 7 }, 2, 3);
    private static readonly Tensor C = Tensor.FromArray(new float[] { -0.5f, 2.5f, 0.25f, 1, 1, 1 }, 2, 3);

    private static void AssertValues(float[] expected, Tensor actual, params int[] shape)
    {
        Assert.Equal(shape, actual.Shape);
        var a = actual.ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.True(Math.Abs(expected[i] - a[i]) <= 1e-5f * (1 + Math.Abs(expected[i])), $"element {i}: expected {expected[i]}, got {a[i]}");
    }

    private static Tensor[] Copies(params Tensor[] xs) => xs.Select(x => Tensor.FromArray(x.ToArray(), x.Shape.ToArray())).ToArray();

    [Fact]
    public void ElementwiseLayersMatchHandComputedValues()
    {
        AssertValues(new float[] { 4.5f, 2, 2.25f, 3.5f, 3, 2 }, new Add().Apply(new[] { A, B, C }), 2, 3);
        AssertValues(new float[] { -3, -3.5f, 4, -1.5f, 8, -13 }, new Subtract().Apply(new[] { A, B }), 2, 3);
        AssertValues(new float[] { -2, -7.5f, -0.75f, 1, -15, -42 }, new Multiply().Apply(new[] { A, B, C }), 2, 3);
        AssertValues(new float[] { 1.5f, 2f / 3, 0.75f, 3.5f / 3, 1, 2f / 3 }, new Average().Apply(new[] { A, B, C }), 2, 3);
        AssertValues(new float[] { 4, 2.5f, 3, 2, 5, 7 }, new Maximum().Apply(new[] { A, B, C }), 2, 3);
        AssertValues(new float[] { -0.5f, -2, -1, 0.5f, -3, -6 }, new Minimum().Apply(new[] { A, B, C }), 2, 3);
    }

    [Fact]
    public void ElementwiseLayersBroadcastAsKerasDoes()
    {
        // (2, 3) with (2, 1): size 1 stretches; (2, 2, 3) with (2, 3): the lower rank gets an axis after the batch.
        var col = Tensor.FromArray(new float[] { 10, 20 }, 2, 1);
        AssertValues(new float[] { 11, 8, 13, 20.5f, 25, 14 }, new Add().Apply(new[] { A, col }), 2, 3);
        var add = new Add();
        Assert.Equal(new[] { -1, 2, 3 }, add.ComputeOutputShape(new[] { new[] { -1, 2, 3 }, new[] { -1, 3 } }));
        var cube = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 2, 2, 3);
        var sum = add.Apply(new[] { cube, A });
        AssertValues(new float[] { 1, -1, 5, 4, 2, 8, 6.5f, 12, 2, 9.5f, 15, 5 }, sum, 2, 2, 3);
    }

    [Fact]
    public void ConcatenateJoinsAlongTheAxis()
    {
        AssertValues(new float[] { 1, -2, 3, 4, 1.5f, -1, 0.5f, 5, -6, 2, -3, 7 }, new Concatenate().Apply(new[] { A, B }), 2, 6);
        var c1 = new Concatenate(axis: 1);
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 1, 2);
        var y = Tensor.FromArray(new float[] { 5, 6, 7, 8, 9, 10, 11, 12 }, 2, 2, 2);
        AssertValues(new float[] { 1, 2, 5, 6, 7, 8, 3, 4, 9, 10, 11, 12 }, c1.Apply(new[] { x, y }), 2, 3, 2);
        Assert.Equal(new[] { -1, -1, 2 }, c1.ComputeOutputShape(new[] { new[] { -1, -1, 2 }, new[] { -1, 2, 2 } }));
    }

    [Fact]
    public void DotContractsOneAxisPerSample()
    {
        // (2, 3)·(2, 3) on axis 1: one dot product per sample, shape (2, 1).
        AssertValues(new float[] { 4 - 3 - 3, 1 - 15 - 42 }, new Dot(1).Apply(new[] { A, B }), 2, 1);
        // normalize: cosine similarity.
        double Cos(float[] u, float[] v) => u.Zip(v, (p, q) => (double)p * q).Sum() / Math.Sqrt(u.Sum(p => (double)p * p) * v.Sum(q => (double)q * q));
        var a = A.ToArray(); var b = B.ToArray();
        AssertValues(new[] { (float)Cos(a[..3], b[..3]), (float)Cos(a[3..], b[3..]) }, new Dot(-1, normalize: true).Apply(new[] { A, B }), 2, 1);
        // (1, 2, 3)·(1, 3, 2) on axes (2, 1): a matrix product per sample.
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 1, 2, 3);
        var y = Tensor.FromArray(new float[] { 7, 8, 9, 10, 11, 12 }, 1, 3, 2);
        AssertValues(new float[] { 58, 64, 139, 154 }, new Dot((2, 1)).Apply(new[] { x, y }), 1, 2, 2);
        // axes (1, 1) on (1, 2, 3) and (1, 2, 2): xᵀ·z per sample, shape (1, 3, 2).
        var z = Tensor.FromArray(new float[] { 1, 0, 2, 1 }, 1, 2, 2);
        AssertValues(new float[] { 9, 4, 12, 5, 15, 6 }, new Dot(1).Apply(new[] { x, z }), 1, 3, 2);
        Assert.Equal(new[] { -1, 3, 2 }, new Dot(1).ComputeOutputShape(new[] { new[] { -1, 2, 3 }, new[] { -1, 2, 2 } }));
    }

    [Fact]
    public void GradientsFlowThroughEveryMergeLayer()
    {
        Layer[] layers = { new Add(), new Subtract(), new Multiply(), new Average(), new Maximum(), new Minimum(), new Concatenate(), new Dot(1), new Dot(1, normalize: true) };
        foreach (var layer in layers)
        {
            var inputs = layer is Subtract or Dot ? Copies(A, B) : Copies(A, B, C);
            GradientCheck.Assert(xs => layer.Apply(xs), inputs);
        }
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6, -1, 0.5f, 2, 1, -2, 3 }, 2, 2, 3);
        var y = Tensor.FromArray(new float[] { 0.5f, 1, -1, 2, 1.5f, -0.5f, 1, 1, 2, -1, 0, 3 }, 2, 3, 2);
        GradientCheck.Assert(xs => new Dot((2, 1)).Apply(xs), x, y);
        GradientCheck.Assert(xs => new Concatenate(axis: 1).Apply(xs), Copies(x, x));
    }

    [Fact]
    public void IncompatibleShapesNameTheLayerAndTheShapes()
    {
        var a = new Input(new[] { 4 });
        var b = new Input(new[] { 5 });
        var err = Assert.Throws<ArgumentException>(() => new Add(name: "add_x").Apply(a, b));
        Assert.Equal("Layer \"add_x\": Inputs have incompatible shapes. Received shapes (4,) and (5,)", err.Message);

        var p = new Input(new[] { 4, 5 });
        var q = new Input(new[] { 3, 5 });
        var e2 = Assert.Throws<ArgumentException>(() => new Concatenate(name: "cat").Apply(p, q));
        Assert.Equal("Layer \"cat\": A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape=[(None, 4, 5), (None, 3, 5)]", e2.Message);
        Assert.Equal(new[] { -1, 4, 10 }, new Concatenate().Apply(p, p).Shape);
        Assert.Equal(new[] { -1, 7, 5 }, new Concatenate(axis: 1).Apply(p, q).Shape);

        var e3 = Assert.Throws<ArgumentException>(() => new Dot(1, name: "dot_x").Apply(a, b));
        Assert.Equal("Layer \"dot_x\": Incompatible input shapes: axis values 4 (at axis 1) != 5 (at axis 1). Full input shapes: (None, 4), (None, 5)", e3.Message);

        var e4 = Assert.Throws<ArgumentException>(() => new Subtract(name: "sub_x").Apply(a, a, a));
        Assert.StartsWith("Layer \"sub_x\": A `Subtract` layer should be called on a list of exactly 2 inputs. Got 3 inputs.", e4.Message);
        var e5 = Assert.Throws<ArgumentException>(() => new Add(name: "add_y").Apply(a));
        Assert.Equal("Layer \"add_y\": A merge layer should be called on a list of inputs. Received: input_shape=(None, 4) (not a list of shapes)", e5.Message);
        var e6 = Assert.Throws<ArgumentException>(() => new Multiply(name: "mul_x").Apply(new[] { Tensor.Zeros(2, 3), Tensor.Zeros(3, 3) }));
        Assert.StartsWith("Layer \"mul_x\": Cannot merge tensors with different batch sizes. Got tensors with shapes [(2, 3), (3, 3)]", e6.Message);
    }

    [Fact]
    public void ConfigsUseKerasKeys()
    {
        Assert.Equal(2, new Concatenate(axis: 2).GetConfig()["axis"]);
        var dot = new Dot((1, 2), normalize: true).GetConfig();
        Assert.Equal(new[] { 1, 2 }, dot["axes"]);
        Assert.Equal(true, dot["normalize"]);
        Assert.Equal(-1, new Dot(-1).GetConfig()["axes"]);
    }
}
