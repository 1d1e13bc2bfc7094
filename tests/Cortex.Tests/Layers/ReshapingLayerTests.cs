using Cortex.Keras.Layers;

namespace Cortex.Tests.Layers;

public class ReshapingLayerTests
{
    private static Tensor Normal(int seed, params int[] shape) => new RandomGenerator(seed).Normal(shape);

    // ------------------------------------------------------------ argument types

    [Fact]
    public void MarginsReadAsKerasSpellsThem()
    {
        Assert.Equal(new Margins2D(3, 3, 3, 3), new ZeroPadding2D(3).Padding);
        Assert.Equal(new Margins2D(1, 1, 2, 2), new ZeroPadding2D((1, 2)).Padding);
        Assert.Equal(new Margins2D(1, 2, 3, 4), new ZeroPadding2D(((1, 2), (3, 4))).Padding);
        Assert.Equal(new Margins2D(1, 1, 1, 1), new ZeroPadding2D().Padding);
        Assert.Equal(new Margins2D(0, 0, 0, 0), new Cropping2D().Cropping);
        Assert.Equal(new Margins1D(1, 1), new ZeroPadding1D().Padding);
        Assert.Equal(new Margins1D(2, 0), new ZeroPadding1D((2, 0)).Padding);
        Assert.Equal(new Margins1D(1, 1), new Cropping1D().Cropping);
        Assert.Equal(new Margins1D(4, 4), new Cropping1D(4).Cropping);
    }

    // ------------------------------------------------------------ shapes and values

    [Fact]
    public void ZeroPadding2DPadsRowsAndColumnsWithZeros()
    {
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 1, 2, 2, 1);
        var y = new ZeroPadding2D(((1, 0), (0, 2))).Apply(x);
        Assert.Equal(new[] { 1, 3, 4, 1 }, y.Shape.ToArray());
        Assert.Equal(new float[] { 0, 0, 0, 0, 1, 2, 0, 0, 3, 4, 0, 0 }, y.ToArray());
    }

    [Fact]
    public void CroppingKeepsTheInnerBlock()
    {
        var x = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => (float)i).ToArray(), 1, 3, 4, 1);
        var y = new Cropping2D(((1, 0), (1, 2))).Apply(x);
        Assert.Equal(new[] { 1, 2, 1, 1 }, y.Shape.ToArray());
        Assert.Equal(new float[] { 5, 9 }, y.ToArray());
        var z = new Cropping1D((0, 1)).Apply(Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 1, 3, 2));
        Assert.Equal(new float[] { 1, 2, 3, 4 }, z.ToArray());
    }

    public static IEnumerable<object[]> ShapeCases()
    {
        yield return new object[] { new ZeroPadding1D((1, 2)), new[] { 2, 5, 3 }, new[] { 2, 8, 3 } };
        yield return new object[] { new ZeroPadding2D(((1, 2), (3, 4))), new[] { 2, 5, 6, 3 }, new[] { 2, 8, 13, 3 } };
        yield return new object[] { new ZeroPadding2D(((1, 2), (3, 4)), "channels_first"), new[] { 2, 3, 5, 6 }, new[] { 2, 3, 8, 13 } };
        yield return new object[] { new Cropping1D((1, 2)), new[] { 2, 5, 3 }, new[] { 2, 2, 3 } };
        yield return new object[] { new Cropping2D(((1, 0), (2, 1))), new[] { 2, 5, 6, 3 }, new[] { 2, 4, 3, 3 } };
        yield return new object[] { new Cropping2D(((1, 0), (2, 1)), "channels_first"), new[] { 2, 3, 5, 6 }, new[] { 2, 3, 4, 3 } };
        yield return new object[] { new UpSampling1D(3), new[] { 2, 4, 3 }, new[] { 2, 12, 3 } };
        yield return new object[] { new UpSampling2D((2, 3)), new[] { 2, 4, 5, 3 }, new[] { 2, 8, 15, 3 } };
        yield return new object[] { new UpSampling2D(2, "channels_first", "bilinear"), new[] { 2, 3, 4, 5 }, new[] { 2, 3, 8, 10 } };
        yield return new object[] { new Permute(2, 1), new[] { 2, 4, 3 }, new[] { 2, 3, 4 } };
        yield return new object[] { new Permute(3, 1, 2), new[] { 2, 4, 5, 3 }, new[] { 2, 3, 4, 5 } };
    }

    [Theory]
    [MemberData(nameof(ShapeCases))]
    public void ComputeOutputShapeAgreesWithCall(Layer layer, int[] input, int[] expected)
    {
        var y = layer.Apply(Normal(1, input));
        Assert.Equal(expected, y.Shape.ToArray());
        var unknownBatch = (int[])input.Clone(); unknownBatch[0] = -1;
        var inferred = layer.ComputeOutputShape(unknownBatch);
        Assert.Equal(-1, inferred[0]);
        Assert.Equal(expected[1..], inferred[1..]);
    }

    [Fact]
    public void UnknownSpatialSizesStayUnknown()
    {
        Assert.Equal(new[] { -1, -1, -1, 3 }, new ZeroPadding2D(2).ComputeOutputShape(new[] { -1, -1, -1, 3 }));
        Assert.Equal(new[] { -1, -1, 7 }, new UpSampling1D().ComputeOutputShape(new[] { -1, -1, 7 }));
    }

    [Fact]
    public void UpSampling2DNearestRepeatsEachPixel()
    {
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 1, 2, 2, 1);
        var y = new UpSampling2D((1, 2)).Apply(x);
        Assert.Equal(new float[] { 1, 1, 2, 2, 3, 3, 4, 4 }, y.ToArray());
    }

    [Fact]
    public void PermuteIsOneBasedAndExcludesTheBatchAxis()
    {
        var x = Normal(2, 2, 3, 4);
        var y = new Permute(2, 1).Apply(x);
        Assert.Equal(new[] { 2, 4, 3 }, y.Shape.ToArray());
        Assert.Equal(x[1, 2, 3], y[1, 3, 2]);
    }

    // ------------------------------------------------------------ the pad kernel

    [Theory]
    [InlineData(new[] { 3, 70, 90, 4 }, new[] { 0, 3, 2, 0 }, new[] { 0, 1, 3, 0 })]      // large: parallel path
    [InlineData(new[] { 2, 5, 6, 3 }, new[] { 1, 0, 2, 1 }, new[] { 0, 2, 0, 1 })]          // every axis
    [InlineData(new[] { 4, 3 }, new[] { 0, 0 }, new[] { 0, 0 })]                            // nothing
    [InlineData(new[] { 2, 300, 300 }, new[] { 1, 0, 0 }, new[] { 2, 0, 0 })]              // only the first axis, large
    public void PadAndCropMatchAnElementwiseDefinition(int[] dims, int[] before, int[] after)
    {
        var x = Normal(3, dims);
        var y = Ops.Pad(x, before, after, value: -7f);
        var outDims = dims.Select((d, i) => d + before[i] + after[i]).ToArray();
        Assert.Equal(outDims, y.Shape.ToArray());
        var xs = x.ToArray(); var ys = y.ToArray();
        var xStrides = TensorShape.ContiguousStrides(dims);
        var idx = new int[dims.Length];
        for (int flat = 0; flat < ys.Length; flat++)
        {
            int rem = flat, src = 0; bool inside = true;
            for (int i = dims.Length - 1; i >= 0; i--) { idx[i] = rem % outDims[i]; rem /= outDims[i]; }
            for (int i = 0; i < dims.Length; i++)
            {
                int c = idx[i] - before[i];
                if (c < 0 || c >= dims[i]) inside = false; else src += c * xStrides[i];
            }
            float expected = inside ? xs[src] : -7f;
            if (ys[flat] != expected) Assert.Fail($"element {flat} is {ys[flat]}, expected {expected}");
        }
        Assert.Equal(xs, Ops.Crop(y, before, after).ToArray());
    }

    // ------------------------------------------------------------ gradients

    [Fact]
    public void PadAndCropGradientsMatchFiniteDifferences()
    {
        GradientCheck.Assert(t => Ops.Pad(t[0], new[] { 1, 0, 2 }, new[] { 0, 2, 1 }, 0.5f), Normal(4, 2, 3, 2));
        GradientCheck.Assert(t => Ops.Crop(t[0], new[] { 1, 0, 2 }, new[] { 0, 2, 1 }), Normal(5, 3, 4, 5));
    }

    [Fact]
    public void RepeatAndResizeLinearGradientsMatchFiniteDifferences()
    {
        GradientCheck.Assert(t => Ops.Repeat(t[0], 1, 3), Normal(6, 2, 3, 2));
        GradientCheck.Assert(t => Ops.ResizeLinear(t[0], 1, 7), Normal(7, 2, 3, 2));
        GradientCheck.Assert(t => Ops.ResizeLinear(t[0], -1, 2), Normal(8, 2, 5));   // down-sampling too
    }

    public static IEnumerable<object[]> GradientLayers()
    {
        yield return new object[] { new ZeroPadding1D((2, 1)), new[] { 2, 3, 2 } };
        yield return new object[] { new ZeroPadding2D(((1, 0), (2, 1)), "channels_first"), new[] { 1, 2, 3, 3 } };
        yield return new object[] { new Cropping1D((1, 1)), new[] { 2, 4, 2 } };
        yield return new object[] { new Cropping2D(((1, 0), (0, 1))), new[] { 2, 3, 3, 2 } };
        yield return new object[] { new UpSampling1D(2), new[] { 2, 3, 2 } };
        yield return new object[] { new UpSampling2D((2, 3)), new[] { 1, 2, 3, 2 } };
        yield return new object[] { new UpSampling2D(2, interpolation: "bilinear"), new[] { 1, 3, 3, 2 } };
        yield return new object[] { new Permute(3, 1, 2), new[] { 2, 2, 3, 2 } };
    }

    [Theory]
    [MemberData(nameof(GradientLayers))]
    public void LayerGradientsMatchFiniteDifferences(Layer layer, int[] shape)
        => GradientCheck.Assert(t => layer.Apply(t[0]), Normal(9, shape));

    // ------------------------------------------------------------ config

    [Fact]
    public void ConfigsUseKerasKeys()
    {
        var zp = new ZeroPadding2D(((1, 2), (3, 4)), "channels_first").GetConfig();
        Assert.Equal(new[] { new[] { 1, 2 }, new[] { 3, 4 } }, (int[][])zp["padding"]!);
        Assert.Equal("channels_first", zp["data_format"]);
        Assert.Equal(new[] { 2, 0 }, (int[])new ZeroPadding1D((2, 0)).GetConfig()["padding"]!);
        Assert.Equal(new[] { 1, 1 }, (int[])new Cropping1D().GetConfig()["cropping"]!);
        var cr = new Cropping2D((1, 2)).GetConfig();
        Assert.Equal(new[] { new[] { 1, 1 }, new[] { 2, 2 } }, (int[][])cr["cropping"]!);
        Assert.Equal("channels_last", cr["data_format"]);
        Assert.Equal(2, new UpSampling1D().GetConfig()["size"]);
        var up = new UpSampling2D(interpolation: "bilinear").GetConfig();
        Assert.Equal(new[] { 2, 2 }, (int[])up["size"]!);
        Assert.Equal("bilinear", up["interpolation"]);
        Assert.Equal("channels_last", up["data_format"]);
        Assert.Equal(new[] { 2, 1 }, (int[])new Permute(2, 1).GetConfig()["dims"]!);
        Assert.StartsWith("zero_padding2d", new ZeroPadding2D().Name);
        Assert.StartsWith("up_sampling2d", new UpSampling2D().Name);
    }

    // ------------------------------------------------------------ errors

    [Fact]
    public void NegativePaddingIsRejectedNamingTheLayer()
    {
        var e = Assert.Throws<ArgumentException>(() => new ZeroPadding2D(((1, -1), (0, 0)), name: "pad_a"));
        Assert.Contains("pad_a", e.Message);
        Assert.Contains("padding=((1, -1), (0, 0))", e.Message);
        e = Assert.Throws<ArgumentException>(() => new ZeroPadding1D(-2, name: "pad_b"));
        Assert.Contains("pad_b", e.Message);
        Assert.Contains("padding=(-2, -2)", e.Message);
        Assert.Throws<ArgumentException>(() => new Cropping2D(-1));
        Assert.Throws<ArgumentException>(() => Ops.Pad(Tensor.Zeros(2, 2), new[] { 0, -1 }, new[] { 0, 0 }));
    }

    [Fact]
    public void CroppingMoreThanTheInputIsRejectedNamingTheLayerAndShape()
    {
        var e = Assert.Throws<ArgumentException>(() => new Cropping2D(((2, 1), (0, 0)), name: "crop_a").Apply(Tensor.Zeros(1, 3, 4, 1)));
        Assert.Contains("crop_a", e.Message);
        Assert.Contains(", 3, 4, 1)", e.Message);   // the input shape (the batch axis may read None)
        e = Assert.Throws<ArgumentException>(() => new Cropping1D((2, 2), name: "crop_b").Apply(Tensor.Zeros(1, 4, 2)));
        Assert.Contains("crop_b", e.Message);
        Assert.Throws<ArgumentException>(() => new Cropping1D(3).ComputeOutputShape(new[] { -1, 5, 2 }));
        Assert.Throws<ArgumentException>(() => Ops.Crop(Tensor.Zeros(2, 3), new[] { 0, 2 }, new[] { 0, 2 }));
    }

    [Fact]
    public void PermuteDimsMustBeAOneBasedPermutation()
    {
        foreach (var dims in new[] { new[] { 0, 1 }, new[] { 1, 1 }, new[] { 1, 3 } })
        {
            var e = Assert.Throws<ArgumentException>(() => new Permute(dims, name: "perm_a"));
            Assert.Contains("perm_a", e.Message);
            Assert.Contains($"dims=({string.Join(", ", dims)})", e.Message);
        }
    }

    [Fact]
    public void WrongRankAndBadArgumentsAreRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => new ZeroPadding2D(name: "pad_c").Apply(Tensor.Zeros(2, 3, 4)));
        Assert.Contains("\"pad_c\"", e.Message);
        Assert.Contains("expected ndim=4, found ndim=3", e.Message);
        e = Assert.Throws<ArgumentException>(() => new UpSampling2D(interpolation: "bicubic", name: "up_a"));
        Assert.Contains("up_a", e.Message);
        Assert.Contains("interpolation=bicubic", e.Message);
        Assert.Throws<ArgumentException>(() => new UpSampling2D((0, 2)));
        Assert.Throws<ArgumentException>(() => new UpSampling1D(0));
        Assert.Throws<ArgumentException>(() => new ZeroPadding2D(dataFormat: "nhwc"));
        Assert.Throws<ArgumentException>(() => new Permute(2, 1).Apply(Tensor.Zeros(2, 3)));
    }
}
