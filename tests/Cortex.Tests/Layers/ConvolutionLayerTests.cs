using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Kernels;

namespace Cortex.Tests.Layers;

/// <summary>Finite-difference gradient checks, chunking, shapes, configs and errors of the convolution layers.</summary>
[Collection(nameof(GlobalRandomCollection))]
public sealed class ConvolutionLayerTests
{
    private static Tensor Normal(int seed, params int[] shape) => new RandomGenerator(seed).Normal(shape);

    [Theory]
    [InlineData(1, 1, 1, 1, 0, 0, 0, 0)]
    [InlineData(2, 2, 1, 1, 1, 1, 0, 1)]
    [InlineData(1, 2, 2, 1, 2, 2, 1, 0)]
    public void Conv2DOpGradientsMatchFiniteDifferences(int sh, int sw, int dh, int dw, int pt, int pb, int pl, int pr)
    {
        var x = Normal(1, 2, 6, 7, 3);
        var w = Normal(2, 3, 2, 3, 2);
        GradientCheck.Assert(t => Ops.Conv2D(t[0], t[1], (sh, sw), (dh, dw), (pt, pb, pl, pr)), x, w);
    }

    [Fact]
    public void Conv2DTransposeOpGradientsMatchFiniteDifferences()
    {
        var x = Normal(3, 2, 3, 4, 2);
        var w = Normal(4, 3, 3, 3, 2);
        GradientCheck.Assert(t => Ops.Conv2DTranspose(t[0], t[1], 6, 8, (2, 2), (1, 1), 1, 1), x, w);
    }

    [Theory]
    [InlineData("conv1d_causal")]
    [InlineData("conv2d_same_channels_first")]
    [InlineData("conv2d_transpose_same")]
    public void LayerGradientsMatchFiniteDifferences(string which)
    {
        (BaseConv layer, Tensor x) = which switch
        {
            "conv1d_causal" => ((BaseConv)new Conv1D(3, 3, padding: "causal", dilationRate: 2, activation: "tanh"), Normal(5, 2, 7, 2)),
            "conv2d_same_channels_first" => (new Conv2D(2, 3, strides: 2, padding: "same", dataFormat: "channels_first", activation: "tanh"), Normal(6, 2, 2, 5, 5)),
            _ => (new Conv2DTranspose(2, 3, strides: 2, padding: "same", activation: "tanh"), Normal(7, 2, 3, 3, 2)),
        };
        layer.Apply(x);
        GradientCheck.Assert(t => layer.Call(t[0], false), x);
        GradientCheck.Assert(_ => layer.Call(x, false), layer.Kernel.Value, layer.Bias!.Value);
    }

    /// <summary>Direct (seven nested loops) convolution, the definition the kernels must agree with.</summary>
    private static float[] NaiveConv(float[] x, float[] w, ConvGeometry g)
    {
        var y = new float[g.N * g.OH * g.OW * g.F];
        for (int n = 0; n < g.N; n++)
        for (int oh = 0; oh < g.OH; oh++)
        for (int ow = 0; ow < g.OW; ow++)
        for (int f = 0; f < g.F; f++)
        {
            double s = 0;
            for (int kh = 0; kh < g.KH; kh++)
            for (int kw = 0; kw < g.KW; kw++)
            {
                int ih = oh * g.SH - g.PadTop + kh * g.DH, iw = ow * g.SW - g.PadLeft + kw * g.DW;
                if (ih < 0 || ih >= g.H || iw < 0 || iw >= g.W) continue;
                for (int c = 0; c < g.C; c++)
                    s += x[((n * g.H + ih) * g.W + iw) * g.C + c] * w[((kh * g.KW + kw) * g.C + c) * g.F + f];
            }
            y[((n * g.OH + oh) * g.OW + ow) * g.F + f] = (float)s;
        }
        return y;
    }

    [Fact]
    public void KernelsSplitIntoSeveralChunksAgreeWithTheDefinition()
    {
        // 64×64×16 images with a 3×3 kernel unfold to ~553k floats each: a batch of 7 takes seven groups.
        var g = new ConvGeometry(7, 64, 64, 16, 3, 3, 5, 1, 1, 1, 1, 1, 1, 1, 1);
        Assert.True(ConvKernels.GroupImages(g) < 7);
        var x = Normal(8, g.N, g.H, g.W, g.C).ToArray();
        var w = Normal(9, 3, 3, g.C, g.F).ToArray();
        var y = new float[g.N * g.OutPixels * g.F];
        ConvKernels.Forward(x, w, y, g);
        var expected = NaiveConv(x, w, g);
        for (int i = 0; i < y.Length; i += 7) Assert.True(Math.Abs(y[i] - expected[i]) < 1e-3f, $"forward element {i}: {y[i]} vs {expected[i]}");

        // The gradients are adjoints: <conv(x, w), dy> = <x, dX(dy)> = <w, dW(x, dy)>.
        var dy = Normal(10, g.N, g.OH, g.OW, g.F).ToArray();
        var dx = new float[x.Length]; var dw = new float[w.Length];
        ConvKernels.BackwardData(dy, w, dx, g);
        ConvKernels.BackwardFilter(x, dy, dw, g);
        double yDy = Dot(y, dy), xDx = Dot(x, dx), wDw = Dot(w, dw);
        Assert.True(Math.Abs(yDy - xDx) < 1e-4 * Math.Abs(yDy) + 1e-2, $"<y,dy>={yDy} <x,dx>={xDx}");
        Assert.True(Math.Abs(yDy - wDw) < 1e-4 * Math.Abs(yDy) + 1e-2, $"<y,dy>={yDy} <w,dw>={wDw}");
    }

    private static double Dot(float[] a, float[] b) { double s = 0; for (int i = 0; i < a.Length; i++) s += (double)a[i] * b[i]; return s; }

    [Fact]
    public void MnistCnnShapesAndParameterCountsAreKeras()
    {
        var model = new Sequential(
            new Conv2D(32, (3, 3), activation: "relu", inputShape: new[] { 28, 28, 1 }),
            new Conv2D(64, (3, 3), activation: "relu"),
            new Flatten(),
            new Dense(10));
        var convs = model.Layers.OfType<Conv2D>().ToArray();
        Assert.Equal(new[] { -1, 26, 26, 32 }, convs[0].OutputShape);
        Assert.Equal(320, convs[0].CountParams());
        Assert.Equal(new[] { -1, 24, 24, 64 }, convs[1].OutputShape);
        Assert.Equal(18496, convs[1].CountParams());
        Assert.Equal(new[] { 3, 3, 32, 64 }, convs[1].Kernel.Shape);
    }

    [Theory]
    [InlineData("valid", 1, new[] { -1, 10, 8 })]
    [InlineData("same", 1, new[] { -1, 12, 8 })]
    [InlineData("same", 2, new[] { -1, 6, 8 })]
    [InlineData("causal", 1, new[] { -1, 12, 8 })]
    public void Conv1DOutputShapes(string padding, int strides, int[] expected)
    {
        var layer = new Conv1D(8, 3, strides: strides, padding: padding);
        layer.EnsureBuilt(new[] { -1, 12, 5 });
        Assert.Equal(expected, layer.OutputShape);
        Assert.Equal(new[] { 3, 5, 8 }, layer.Kernel.Shape);
        Assert.Equal(expected.Skip(1), layer.Apply(Tensor.Ones(2, 12, 5)).Shape.Skip(1));
    }

    [Fact]
    public void CausalConv1DOutputDependsOnlyOnThePast()
    {
        var layer = new Conv1D(2, 3, padding: "causal", dilationRate: 2);
        var x = Normal(11, 1, 10, 3);
        var y0 = layer.Apply(x).ToArray();
        var x2 = x.Detach(); x2[0, 6, 1] += 5f;       // change step 6
        var y1 = layer.Apply(x2).ToArray();
        for (int t = 0; t < 10; t++)
            for (int f = 0; f < 2; f++)
            {
                bool same = y0[t * 2 + f] == y1[t * 2 + f];
                Assert.True(t < 6 ? same : t is 6 or 8 ? !same : same, $"step {t}, filter {f}");
            }
    }

    [Fact]
    public void Conv2DTransposeInvertsTheShapeOfAStridedConv2D()
    {
        var down = new Conv2D(4, 3, strides: 2, padding: "same");
        var up = new Conv2DTranspose(3, 3, strides: 2, padding: "same");
        var x = Tensor.Ones(2, 8, 8, 3);
        var y = up.Apply(down.Apply(x));
        Assert.Equal(new[] { 2, 8, 8, 3 }, y.Shape);
        Assert.Equal(new[] { 3, 3, 3, 4 }, up.Kernel.Shape);
        var valid = new Conv2DTranspose(5, (3, 2), strides: (2, 3));
        Assert.Equal(new[] { -1, 9, 12, 5 }, valid.ComputeOutputShape(new[] { -1, 4, 4, 1 }));
    }

    [Fact]
    public void ConfigHasKerasKeys()
    {
        var c = new Conv2D(16, (3, 5), strides: 2, padding: "same", activation: "relu", name: "c").GetConfig();
        Assert.Equal(16, c["filters"]);
        Assert.Equal(new[] { 3, 5 }, c["kernel_size"]);
        Assert.Equal(new[] { 2, 2 }, c["strides"]);
        Assert.Equal("same", c["padding"]);
        Assert.Equal("channels_last", c["data_format"]);
        Assert.Equal(new[] { 1, 1 }, c["dilation_rate"]);
        Assert.Equal("relu", c["activation"]);
        Assert.Equal(new[] { 4 }, new Conv1D(1, 4).GetConfig()["kernel_size"]);
    }

    [Fact]
    public void KernelLargerThanInputNamesTheLayer()
    {
        var model = new Sequential(new Conv2D(8, 5, name: "big_kernel", inputShape: null));
        var ex = Assert.Throws<ArgumentException>(() => model.Predict(Tensor.Ones(1, 3, 3, 1)));
        Assert.Contains("big_kernel", ex.Message);
        Assert.Contains("larger than the input", ex.Message);
        var ex1 = Assert.Throws<ArgumentException>(() => new Conv1D(2, 4, name: "c1").Apply(Tensor.Ones(1, 3, 2)));
        Assert.Contains("c1", ex1.Message);
    }

    [Fact]
    public void WrongChannelCountNamesTheLayerAndShapes()
    {
        var layer = new Conv2D(4, 3, name: "rgb_conv");
        layer.Apply(Tensor.Ones(1, 5, 5, 3));
        var ex = Assert.Throws<ArgumentException>(() => layer.Apply(Tensor.Ones(1, 5, 5, 4)));
        Assert.Contains("rgb_conv", ex.Message);
        Assert.Contains("(1, 5, 5, 4)", ex.Message);
        var rank = Assert.Throws<ArgumentException>(() => new Conv2D(4, 3, name: "flat").Apply(Tensor.Ones(2, 10)));
        Assert.Contains("expected ndim=4", rank.Message);
    }

    [Fact]
    public void InvalidArgumentsAreRejectedWithKerasMessages()
    {
        Assert.Contains("filters=0", Assert.Throws<ArgumentException>(() => new Conv2D(0, 3)).Message);
        Assert.Contains("kernel_size=(0, 3)", Assert.Throws<ArgumentException>(() => new Conv2D(2, (0, 3))).Message);
        Assert.Contains("padding=causal", Assert.Throws<ArgumentException>(() => new Conv2D(2, 3, padding: "causal")).Message);
        Assert.Contains("data_format=nhwc", Assert.Throws<ArgumentException>(() => new Conv2D(2, 3, dataFormat: "nhwc")).Message);
    }

    [Fact]
    public void ASmallConvNetLearns()
    {
        RandomGenerator.SetGlobalSeed(3);
        // Vertical vs horizontal bars on 8×8 images.
        var rng = new RandomGenerator(4);
        int n = 64;
        var x = Tensor.Zeros(n, 8, 8, 1); var y = Tensor.Zeros(n, 2);
        for (int i = 0; i < n; i++)
        {
            int k = rng.NextInt(8); bool vertical = i % 2 == 0;
            for (int j = 0; j < 8; j++) { if (vertical) x[i, j, k, 0] = 1f; else x[i, k, j, 0] = 1f; }
            y[i, vertical ? 0 : 1] = 1f;
        }
        var model = new Sequential(new Conv2D(4, 3, activation: "relu", inputShape: new[] { 8, 8, 1 }), new Flatten(), new Dense(2, activation: "softmax"));
        model.Compile(new Cortex.Keras.Optimizers.Adam(0.01f), "categorical_crossentropy", new[] { "accuracy" });
        var h = model.Fit(x, y, batchSize: 16, epochs: 15, verbose: 0);
        Assert.True(h["loss"][^1] < 0.5f * h["loss"][0], $"loss {h["loss"][0]} -> {h["loss"][^1]}");
        Assert.True(model.Evaluate(x, y, verbose: 0)["accuracy"] > 0.95f);
    }
}
