using Cortex.Autodiff;
using Cortex.Keras.Layers;

namespace Cortex.Tests.Layers;

public class PoolingTests
{
    private const string File = "pooling_norm_reference.json";

    public static IEnumerable<object[]> PoolCases()
        => ReferenceFixture.Names(File).Where(n => ((string)n[0]).Contains("Pool"));

    private static Layer LayerFor(ReferenceFixture.Case c)
    {
        string padding = c.S("padding"), format = c.S("data_format");
        switch (c.Op)
        {
            case "MaxPool2D":
            case "AvgPool2D":
                var p = c.Ints("pool")!; var s = c.Ints("strides")!;
                return c.Op == "MaxPool2D"
                    ? new MaxPooling2D((p[0], p[1]), (s[0], s[1]), padding, format)
                    : new AveragePooling2D((p[0], p[1]), (s[0], s[1]), padding, format);
            default:
                return c.Op == "MaxPool1D"
                    ? new MaxPooling1D(c.I("pool"), c.I("strides"), padding, format)
                    : new AveragePooling1D(c.I("pool"), c.I("strides"), padding, format);
        }
    }

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void LayerMatchesPyTorchWithTensorFlowPadding(string name)
    {
        var c = ReferenceFixture.Load(File)[name];
        var layer = LayerFor(c);
        ReferenceFixture.Check(c, t => layer.Apply(t[0]));
    }

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void OpMatchesPyTorchOnChannelsLast(string name)
    {
        var c = ReferenceFixture.Load(File)[name];
        if (c.S("data_format") != "channels_last") return;
        bool same = c.S("padding") == "same";
        Func<Tensor[], Tensor> f = c.Op switch
        {
            "MaxPool2D" => t => Ops.MaxPool2D(t[0], c.Ints("pool")![0], c.Ints("pool")![1], c.Ints("strides")![0], c.Ints("strides")![1], same),
            "AvgPool2D" => t => Ops.AvgPool2D(t[0], c.Ints("pool")![0], c.Ints("pool")![1], c.Ints("strides")![0], c.Ints("strides")![1], same),
            "MaxPool1D" => t => Ops.MaxPool1D(t[0], c.I("pool"), c.I("strides"), same),
            _ => t => Ops.AvgPool1D(t[0], c.I("pool"), c.I("strides"), same),
        };
        ReferenceFixture.Check(c, f);
    }

    /// <summary>Distinct values, spaced 0.1 apart and shuffled, so no window has a tie within the finite-difference step.</summary>
    private static Tensor Distinct(params int[] shape)
    {
        int n = TensorShape.Size(shape);
        var values = Enumerable.Range(0, n).Select(i => (i - n / 2) * 0.1f).ToArray();
        new Random(7).Shuffle(values);
        return Tensor.FromArray(values, shape);
    }

    [Theory]
    [InlineData(2, 2, 2, 2, false)]
    [InlineData(3, 3, 1, 1, false)]
    [InlineData(3, 3, 2, 2, true)]
    [InlineData(2, 3, 1, 2, true)]
    public void Pool2DGradientsMatchFiniteDifferences(int ph, int pw, int sh, int sw, bool same)
    {
        // Step 1e-3 keeps x ± h inside the 0.1 spacing, so the maximum of each window never changes.
        GradientCheck.Assert(1e-3, GradientCheck.DefaultTolerance, t => Ops.MaxPool2D(t[0], ph, pw, sh, sw, same), Distinct(2, 5, 6, 3));
        GradientCheck.Assert(t => Ops.AvgPool2D(t[0], ph, pw, sh, sw, same), new RandomGenerator(3).Normal(new[] { 2, 5, 6, 3 }));
    }

    [Fact]
    public void LayerGradientsMatchFiniteDifferences()
    {
        var layers = new Layer[]
        {
            new MaxPooling1D(3, 2, "same"), new AveragePooling1D(2, 1, "valid", "channels_first"),
            new GlobalMaxPooling1D(), new GlobalAveragePooling1D(keepdims: true),
        };
        foreach (var l in layers) GradientCheck.Assert(1e-3, GradientCheck.DefaultTolerance, t => l.Apply(t[0]), Distinct(2, 7, 3));
        var layers2 = new Layer[]
        {
            new MaxPooling2D(3, 2, "same", "channels_first"), new AveragePooling2D((2, 3), null, "same"),
            new GlobalMaxPooling2D("channels_first"), new GlobalAveragePooling2D(),
        };
        foreach (var l in layers2) GradientCheck.Assert(1e-3, GradientCheck.DefaultTolerance, t => l.Apply(t[0]), Distinct(2, 3, 5, 4));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]  // the vectorised path
    [InlineData(11)] // vector and scalar tail
    public void MaxPoolGradientGoesToTheFirstMaximumOfATiedWindow(int channels)
    {
        float[] image = { 1, 5, 5, 5,   0, 5, 2, 3 };
        float[] first = { 0, 1, 1, 0,   0, 0, 0, 0 };
        var x = Tensor.FromArray(image.SelectMany(v => Enumerable.Repeat(v, channels)).ToArray(), 1, 2, 4, channels);
        using var tape = GradientTape.Begin();
        tape.Watch(x);
        var y = Ops.MaxPool2D(x, 2, 2, 2, 2, samePadding: false);
        Assert.All(y.ToArray(), v => Assert.Equal(5f, v));
        var dx = tape.Gradient(Ops.Sum(y), x)[0];
        Assert.Equal(first.SelectMany(v => Enumerable.Repeat(v, channels)).ToArray(), dx.ToArray());
    }

    [Fact]
    public void SamePaddingIgnoresPaddedCells()
    {
        // All negative: a zero-padded max would give 0; an average that counted padding would shrink towards 0.
        var x = Tensor.FromArray(new float[] { -1, -2, -3, -4, -5, -6, -7, -8, -9 }, 1, 3, 3, 1);
        Assert.Equal(new float[] { -1, -3, -7, -9 }, Ops.MaxPool2D(x, 2, 2, 2, 2, true).ToArray());
        // Windows (TF: no padding before, one after): {1,2,4,5}, {3,6}, {7,8}, {9}.
        Assert.Equal(new float[] { -3, -4.5f, -7.5f, -9 }, Ops.AvgPool2D(x, 2, 2, 2, 2, true).ToArray());
    }

    /// <summary>Plain loops: the definition, to check the vectorised and parallel paths on sizes the fixture cannot hold.</summary>
    private static (float[] Y, float[] Dx) Naive(bool max, float[] x, float[] g, int n, int h, int w, int c, int p, int s, bool same)
    {
        int Out(int size) => same ? (size + s - 1) / s : (size - p) / s + 1;
        int Pad(int size) => same ? Math.Max((Out(size) - 1) * s + p - size, 0) / 2 : 0;
        int oh = Out(h), ow = Out(w), pt = Pad(h), pl = Pad(w);
        var y = new float[n * oh * ow * c]; var dx = new float[x.Length];
        for (int b = 0; b < n; b++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        for (int k = 0; k < c; k++)
        {
            int o = ((b * oh + i) * ow + j) * c + k;
            float best = float.NegativeInfinity, sum = 0; int arg = -1, count = 0;
            for (int a = i * s - pt; a < i * s - pt + p; a++)
            for (int e = j * s - pl; e < j * s - pl + p; e++)
            {
                if (a < 0 || a >= h || e < 0 || e >= w) continue;
                int at = ((b * h + a) * w + e) * c + k;
                if (x[at] > best) { best = x[at]; arg = at; }
                sum += x[at]; count++;
            }
            y[o] = max ? best : sum / count;
            if (max) dx[arg] += g[o];
            else
                for (int a = Math.Max(i * s - pt, 0); a < Math.Min(i * s - pt + p, h); a++)
                for (int e = Math.Max(j * s - pl, 0); e < Math.Min(j * s - pl + p, w); e++)
                    dx[((b * h + a) * w + e) * c + k] += g[o] / count;
        }
        return (y, dx);
    }

    [Theory]
    [InlineData(8, 16, 16, 24, 3, 1, true)]   // parallel over images
    [InlineData(1, 20, 18, 40, 3, 2, true)]   // one image: backward split into channel blocks
    [InlineData(3, 17, 15, 13, 2, 2, false)]  // channels not a multiple of the vector width
    public void LargeInputsMatchTheDefinition(int n, int h, int w, int c, int p, int s, bool same)
    {
        var rng = new RandomGenerator(11);
        var x = rng.Normal(new[] { n, h, w, c });
        foreach (bool max in new[] { true, false })
        {
            using var tape = GradientTape.Begin();
            tape.Watch(x);
            var y = max ? Ops.MaxPool2D(x, p, p, s, s, same) : Ops.AvgPool2D(x, p, p, s, s, same);
            var g = rng.Normal(y.Shape.ToArray());
            var dx = tape.Gradient(Ops.Sum(Ops.Multiply(y, g)), x)[0];
            var (ey, edx) = Naive(max, x.ToArray(), g.ToArray(), n, h, w, c, p, s, same);
            var ay = y.ToArray(); var adx = dx.ToArray();
            for (int i = 0; i < ey.Length; i++) Assert.True(Math.Abs(ay[i] - ey[i]) <= 1e-5f, $"max={max} y[{i}] = {ay[i]}, expected {ey[i]}");
            for (int i = 0; i < edx.Length; i++) Assert.True(Math.Abs(adx[i] - edx[i]) <= 1e-4f, $"max={max} dx[{i}] = {adx[i]}, expected {edx[i]}");
        }
    }

    [Fact]
    public void OutputShapesFollowKeras()
    {
        Assert.Equal(new[] { -1, 2, 2, 3 }, new MaxPooling2D().ComputeOutputShape(new[] { -1, 5, 5, 3 }));
        Assert.Equal(new[] { -1, 3, 3, 3 }, new MaxPooling2D(padding: "same").ComputeOutputShape(new[] { -1, 5, 5, 3 }));
        Assert.Equal(new[] { -1, 4, 2, 3 }, new AveragePooling2D((2, 3), (1, 2)).ComputeOutputShape(new[] { -1, 5, 6, 3 }));
        Assert.Equal(new[] { -1, 3, 2, -1 }, new MaxPooling2D(2, dataFormat: "channels_first").ComputeOutputShape(new[] { -1, 3, 4, -1 }));
        Assert.Equal(new[] { -1, 3, 4 }, new MaxPooling1D().ComputeOutputShape(new[] { -1, 7, 4 }));
        Assert.Equal(new[] { -1, 4, 4 }, new AveragePooling1D(3, 2, "same").ComputeOutputShape(new[] { -1, 7, 4 }));
        Assert.Equal(new[] { -1, 4, 3 }, new MaxPooling1D(dataFormat: "channels_first").ComputeOutputShape(new[] { -1, 4, 7 }));
        Assert.Equal(new[] { -1, 3 }, new GlobalMaxPooling2D().ComputeOutputShape(new[] { -1, 5, 5, 3 }));
        Assert.Equal(new[] { -1, 3, 1, 1 }, new GlobalAveragePooling2D("channels_first", keepdims: true).ComputeOutputShape(new[] { -1, 3, 5, 5 }));
        Assert.Equal(new[] { -1, 1, 4 }, new GlobalMaxPooling1D(keepdims: true).ComputeOutputShape(new[] { -1, 7, 4 }));
        Assert.Equal(new[] { -1, 4 }, new GlobalAveragePooling1D("channels_first").ComputeOutputShape(new[] { -1, 4, 7 }));

        var layer = new MaxPooling2D(inputShape: new[] { 6, 6, 2 });
        var y = layer.Apply(Tensor.Ones(3, 6, 6, 2));
        Assert.Equal(new[] { 3, 3, 3, 2 }, y.Shape.ToArray());
        Assert.Equal(new[] { -1, 3, 3, 2 }, layer.OutputShape);
    }

    [Fact]
    public void GlobalPoolingReducesTheSpatialAxes()
    {
        var x = Tensor.FromArray(new float[] { 1, -1, 4, 2, -3, 0, 2, 8 }, 1, 2, 2, 2);
        Assert.Equal(new float[] { 4, 8 }, new GlobalMaxPooling2D().Apply(x).ToArray());
        Assert.Equal(new float[] { 1, 2.25f }, new GlobalAveragePooling2D().Apply(x).ToArray());
        Assert.Equal(new float[] { 1.5f, 1.75f }, new GlobalAveragePooling2D("channels_first").Apply(x).ToArray());
        Assert.Equal(new[] { 1, 1, 1, 2 }, new GlobalMaxPooling2D(keepdims: true).Apply(x).Shape.ToArray());
    }

    [Fact]
    public void ConfigHoldsKerasKeysAndRebuildsTheLayer()
    {
        var l = new MaxPooling2D((3, 2), (1, 2), "same", "channels_first", name: "pool_a");
        var c = l.GetConfig();
        Assert.Equal("pool_a", c["name"]);
        Assert.Equal(new[] { 3, 2 }, (int[])c["pool_size"]!);
        Assert.Equal(new[] { 1, 2 }, (int[])c["strides"]!);
        Assert.Equal("same", c["padding"]);
        Assert.Equal("channels_first", c["data_format"]);
        var p = (int[])c["pool_size"]!; var s = (int[])c["strides"]!;
        var again = new MaxPooling2D((p[0], p[1]), (s[0], s[1]), (string)c["padding"]!, (string)c["data_format"]!, name: "pool_b");
        Assert.Equal(l.ComputeOutputShape(new[] { -1, 2, 7, 7 }), again.ComputeOutputShape(new[] { -1, 2, 7, 7 }));

        var d = new AveragePooling1D(3).GetConfig();
        Assert.Equal(new[] { 3 }, (int[])d["pool_size"]!);
        Assert.Equal(new[] { 3 }, (int[])d["strides"]!); // strides default to pool_size
        Assert.Equal("valid", d["padding"]);
        Assert.Equal("channels_last", d["data_format"]);

        var g = new GlobalAveragePooling2D("channels_first", keepdims: true).GetConfig();
        Assert.Equal("channels_first", g["data_format"]);
        Assert.Equal(true, g["keepdims"]);
        Assert.StartsWith("global_average_pooling2d", (string)g["name"]!);
        Assert.StartsWith("max_pooling1d", new MaxPooling1D().Name);
    }

    [Fact]
    public void BadArgumentsGiveKerasErrors()
    {
        Assert.Contains("pool_size=(0, 2)", Assert.Throws<ArgumentException>(() => new MaxPooling2D((0, 2))).Message);
        Assert.Contains("strides=(1, -1)", Assert.Throws<ArgumentException>(() => new AveragePooling2D(2, (1, -1))).Message);
        Assert.Contains("pool_size=(0,)", Assert.Throws<ArgumentException>(() => new MaxPooling1D(0)).Message);
        Assert.Contains("strides=(0,)", Assert.Throws<ArgumentException>(() => new AveragePooling1D(2, 0)).Message);
        Assert.Contains("padding=full", Assert.Throws<ArgumentException>(() => new MaxPooling2D(padding: "full")).Message);
        Assert.Contains("data_format=nhwc", Assert.Throws<ArgumentException>(() => new GlobalMaxPooling2D("nhwc")).Message);
    }

    [Fact]
    public void APoolLargerThanTheInputNamesTheLayerAndTheShapes()
    {
        var l = new MaxPooling2D(4, name: "too_big");
        var e = Assert.Throws<ArgumentException>(() => l.Apply(Tensor.Ones(2, 3, 5, 1)));
        Assert.Contains("too_big", e.Message);
        Assert.Contains("(None, 3, 5, 1)", e.Message);
        Assert.Contains("pool_size=(4, 4)", e.Message);
        Assert.Equal(new[] { 2, 1, 2, 1 }, new MaxPooling2D(4, padding: "same").Apply(Tensor.Ones(2, 3, 5, 1)).Shape.ToArray());

        var e1 = Assert.Throws<ArgumentException>(() => new AveragePooling1D(5, name: "short_seq").ComputeOutputShape(new[] { -1, 4, 3 }));
        Assert.Contains("short_seq", e1.Message);
        Assert.Contains("(None, 4, 3)", e1.Message);

        var rank = Assert.Throws<ArgumentException>(() => new MaxPooling2D(name: "flat").Apply(Tensor.Ones(2, 4, 4)));
        Assert.Contains("flat", rank.Message);
        Assert.Contains("expected ndim=4", rank.Message);
        Assert.Contains("(2, 4, 4)", Assert.Throws<ArgumentException>(() => Ops.AvgPool2D(Tensor.Ones(2, 4, 4), 2, 2, 2, 2, false)).Message);
        Assert.Contains("(1, 2, 2, 1)", Assert.Throws<ArgumentException>(() => Ops.MaxPool2D(Tensor.Ones(1, 2, 2, 1), 3, 3, 1, 1, false)).Message);
    }
}
