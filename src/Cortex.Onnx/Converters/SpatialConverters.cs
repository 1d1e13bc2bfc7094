using Cortex.Keras.Layers;
using Cortex.Onnx.Proto;

namespace Cortex.Onnx.Converters;

/// <summary>
/// Conv1D / Conv2D → <c>Conv</c> on channels-first data: the kernel converted from Keras's (kh, kw, in, out) to ONNX's
/// OIHW, TensorFlow's "same" padding written as explicit pads (the odd one at the end, as SAME_UPPER; SAME_UPPER itself
/// when a spatial size is unknown), "causal" as left padding; then the activation.
/// </summary>
internal sealed class ConvConverter : OnnxLayerConverter<BaseConv>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, BaseConv layer, OnnxValue input)
    {
        var (x, layout) = ctx.ChannelsFirstInput(input, layer.DataFormatName);
        var k = layer.Kernel.Value.Contiguous();
        var ks = k.Shape.ToArray();
        float[] src = k.ToArray(), oihw = new float[src.Length];
        // Keras: (kh, kw, cin, cout) for 2-D, (kw, cin, cout) for 1-D (kh = 1).
        int kh = layer.Rank == 2 ? ks[0] : 1, kw = ks[^3], cin = ks[^2], cout = ks[^1];
        for (int i = 0; i < kh; i++)
            for (int j = 0; j < kw; j++)
                for (int c = 0; c < cin; c++)
                    for (int o = 0; o < cout; o++)
                        oihw[((o * cin + c) * kh + i) * kw + j] = src[((i * kw + j) * cin + c) * cout + o];
        var weightDims = layer.Rank == 2 ? new long[] { cout, cin, kh, kw } : new long[] { cout, cin, kw };
        var inputs = new List<string> { x, ctx.AddInitializer($"{layer.Name}/kernel", oihw, weightDims) };
        if (layer.Bias is { } b) inputs.Add(ctx.AddInitializer($"{layer.Name}/bias", b.Value));

        var kernel = layer.Rank == 2 ? new[] { layer.KernelSize.Height, layer.KernelSize.Width } : new[] { layer.KernelSize.Width };
        var strides = layer.Rank == 2 ? new[] { layer.Strides.Height, layer.Strides.Width } : new[] { layer.Strides.Width };
        var dilations = layer.Rank == 2 ? new[] { layer.DilationRate.Height, layer.DilationRate.Width } : new[] { layer.DilationRate.Width };
        var attrs = new List<OnnxAttributeProto>
        {
            OnnxAttributeProto.IntList("kernel_shape", kernel.Select(v => (long)v).ToArray()),
            OnnxAttributeProto.IntList("strides", strides.Select(v => (long)v).ToArray()),
            OnnxAttributeProto.IntList("dilations", dilations.Select(v => (long)v).ToArray()),
        };
        var spatial = Spatial.SizesOf(input, layer.DataFormatName, layer.Rank);
        attrs.Add(layer.Padding switch
        {
            "causal" => OnnxAttributeProto.IntList("pads", (kernel[0] - 1L) * dilations[0], 0),
            "same" => Spatial.SamePads(spatial, kernel, strides, dilations),
            _ => OnnxAttributeProto.IntList("pads", new long[2 * layer.Rank]),
        });
        bool linear = layer.ActivationName == "linear";
        var y = ctx.AddNode("Conv", inputs, linear ? layer.Name : $"{layer.Name}/conv", attrs.ToArray());
        return OnnxActivations.Apply(ctx, ctx.Result(y, layout), layer.ActivationName, layer.Name);
    }
}

/// <summary>
/// Max/AveragePooling1D/2D → <c>MaxPool</c> / <c>AveragePool</c> on channels-first data, TensorFlow's "same" padding
/// as explicit pads; padded cells do not count in averages (<c>count_include_pad = 0</c>, as in TensorFlow).
/// </summary>
internal sealed class PoolingConverter : OnnxLayerConverter<BasePooling>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, BasePooling layer, OnnxValue input)
    {
        var (x, layout) = ctx.ChannelsFirstInput(input, layer.DataFormat);
        var pool = layer.Rank == 2 ? new[] { layer.PoolSize.Height, layer.PoolSize.Width } : new[] { layer.PoolSize.Width };
        var strides = layer.Rank == 2 ? new[] { layer.Strides.Height, layer.Strides.Width } : new[] { layer.Strides.Width };
        var attrs = new List<OnnxAttributeProto>
        {
            OnnxAttributeProto.IntList("kernel_shape", pool.Select(v => (long)v).ToArray()),
            OnnxAttributeProto.IntList("strides", strides.Select(v => (long)v).ToArray()),
            layer.Padding == "same"
                ? Spatial.SamePads(Spatial.SizesOf(input, layer.DataFormat, layer.Rank), pool, strides, new int[layer.Rank].Select(_ => 1).ToArray())
                : OnnxAttributeProto.IntList("pads", new long[2 * layer.Rank]),
        };
        bool max = layer is MaxPooling1D or MaxPooling2D;
        if (!max) attrs.Add(OnnxAttributeProto.Int("count_include_pad", 0));
        return ctx.Result(ctx.AddNode(max ? "MaxPool" : "AveragePool", new[] { x }, layer.Name, attrs.ToArray()), layout);
    }
}

/// <summary>
/// Global max/average pooling → <c>GlobalMaxPool</c> / <c>GlobalAveragePool</c> on channels-first data, whose
/// (N, C, 1, ...) result is the channels-first form of keepdims's output, or flattened to (N, C) without keepdims.
/// </summary>
internal sealed class GlobalPoolingConverter : OnnxLayerConverter<BaseGlobalPooling>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, BaseGlobalPooling layer, OnnxValue input)
    {
        var (x, layout) = ctx.ChannelsFirstInput(input, layer.DataFormat);
        bool max = layer is GlobalMaxPooling1D or GlobalMaxPooling2D;
        var op = max ? "GlobalMaxPool" : "GlobalAveragePool";
        if (layer.Keepdims) return ctx.Result(ctx.AddNode(op, new[] { x }, layer.Name), layout);
        var pooled = ctx.AddNode(op, new[] { x }, $"{layer.Name}/pool");
        return ctx.Result(ctx.AddNode("Flatten", new[] { pooled }, layer.Name, OnnxAttributeProto.Int("axis", 1)), OnnxLayout.Keras);
    }
}

/// <summary>
/// BatchNormalization (inference) → <c>BatchNormalization</c> with the moving statistics and epsilon, on the layout
/// that puts the normalised axis at 1 (the Keras layout for rank 2 or axis 1; channels-first for the last axis).
/// </summary>
internal sealed class BatchNormalizationConverter : OnnxLayerConverter<BatchNormalization>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, BatchNormalization layer, OnnxValue input)
    {
        int axis = layer.Axis < 0 ? layer.Axis + input.Rank : layer.Axis;
        OnnxLayout layout;
        if (axis == 1 || input.Rank == 2) layout = OnnxLayout.Keras;
        else if (axis == input.Rank - 1) layout = OnnxLayout.ChannelsFirst;
        else throw OnnxConversionContext.Unsupported(layer, $"ONNX normalises axis 1; axis {layer.Axis} of a rank-{input.Rank} input is neither the first nor the last feature axis");
        int channels = input.Shape[axis];
        var ones = Enumerable.Repeat(1f, channels).ToArray();
        var inputs = new[]
        {
            ctx.Get(input, layout),
            layer.Gamma is { } g ? ctx.AddInitializer($"{layer.Name}/gamma", g.Value) : ctx.AddInitializer($"{layer.Name}/gamma", ones, channels),
            layer.Beta is { } b ? ctx.AddInitializer($"{layer.Name}/beta", b.Value) : ctx.AddInitializer($"{layer.Name}/beta", new float[channels], channels),
            ctx.AddInitializer($"{layer.Name}/moving_mean", layer.MovingMean.Value),
            ctx.AddInitializer($"{layer.Name}/moving_variance", layer.MovingVariance.Value),
        };
        return ctx.Result(ctx.AddNode("BatchNormalization", inputs, layer.Name, OnnxAttributeProto.Float("epsilon", layer.Epsilon)), layout);
    }
}

/// <summary>UpSampling1D → <c>Resize</c> (nearest, asymmetric coordinates, floor: each step repeated).</summary>
internal sealed class UpSampling1DConverter : OnnxLayerConverter<UpSampling1D>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, UpSampling1D layer, OnnxValue input)
        => Spatial.Resize(ctx, layer.Name, input, DataFormat.ChannelsLast, new float[] { layer.Size }, "nearest");
}

/// <summary>UpSampling2D → <c>Resize</c>: "nearest" repeats rows and columns; "bilinear" uses half-pixel centres as Keras's TensorFlow resize.</summary>
internal sealed class UpSampling2DConverter : OnnxLayerConverter<UpSampling2D>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, UpSampling2D layer, OnnxValue input)
        => Spatial.Resize(ctx, layer.Name, input, layer.DataFormat, new float[] { layer.Size.Height, layer.Size.Width }, layer.Interpolation);
}

/// <summary>ZeroPadding1D → <c>Pad</c> (constant zeros) along the steps axis.</summary>
internal sealed class ZeroPadding1DConverter : OnnxLayerConverter<ZeroPadding1D>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, ZeroPadding1D layer, OnnxValue input)
        => Spatial.PadOrCrop(ctx, layer.Name, input, layer.Padding, crop: false);
}

/// <summary>ZeroPadding2D → <c>Pad</c> (constant zeros) along rows and columns.</summary>
internal sealed class ZeroPadding2DConverter : OnnxLayerConverter<ZeroPadding2D>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, ZeroPadding2D layer, OnnxValue input)
        => Spatial.PadOrCrop(ctx, layer.Name, input, layer.DataFormat, layer.Padding, crop: false);
}

/// <summary>Cropping1D → <c>Slice</c> along the steps axis.</summary>
internal sealed class Cropping1DConverter : OnnxLayerConverter<Cropping1D>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, Cropping1D layer, OnnxValue input)
        => Spatial.PadOrCrop(ctx, layer.Name, input, layer.Cropping, crop: true);
}

/// <summary>Cropping2D → <c>Slice</c> along rows and columns.</summary>
internal sealed class Cropping2DConverter : OnnxLayerConverter<Cropping2D>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, Cropping2D layer, OnnxValue input)
        => Spatial.PadOrCrop(ctx, layer.Name, input, layer.DataFormat, layer.Cropping, crop: true);
}

/// <summary>What the spatial converters share: sizes, "same" pads, margins, resizing.</summary>
internal static class Spatial
{
    /// <summary>The spatial sizes (−1 unknown) of a Keras-shaped value for a layer's data format.</summary>
    public static int[] SizesOf(OnnxValue input, string dataFormat, int rank)
        => DataFormat.IsChannelsFirst(dataFormat) ? input.Shape[2..(2 + rank)] : input.Shape[1..(1 + rank)];

    /// <summary>
    /// TensorFlow's "same" padding: output ceil(in / stride), total padding split with the odd cell at the end —
    /// explicit <c>pads</c> when every size is known, else <c>auto_pad = SAME_UPPER</c>, ONNX's name for that rule.
    /// </summary>
    public static OnnxAttributeProto SamePads(int[] sizes, int[] kernel, int[] strides, int[] dilations)
    {
        if (sizes.Any(s => s < 0)) return OnnxAttributeProto.String("auto_pad", "SAME_UPPER");
        int n = sizes.Length;
        var pads = new long[2 * n];
        for (int i = 0; i < n; i++)
        {
            int effective = (kernel[i] - 1) * dilations[i] + 1;
            int output = (sizes[i] + strides[i] - 1) / strides[i];
            int total = Math.Max((output - 1) * strides[i] + effective - sizes[i], 0);
            pads[i] = total / 2;
            pads[n + i] = total - total / 2;
        }
        return OnnxAttributeProto.IntList("pads", pads);
    }

    /// <summary>Pads or crops a (batch, steps, channels) value by <paramref name="margins"/> along the steps axis.</summary>
    public static OnnxValue PadOrCrop(OnnxConversionContext ctx, string name, OnnxValue input, Margins1D margins, bool crop)
        => PadOrCrop(ctx, name, input, new[] { 0, margins.Left, 0 }, new[] { 0, margins.Right, 0 }, crop);

    /// <summary>Pads or crops a 4-D value by <paramref name="margins"/> along rows and columns, where <paramref name="dataFormat"/> puts them.</summary>
    public static OnnxValue PadOrCrop(OnnxConversionContext ctx, string name, OnnxValue input, string dataFormat, Margins2D margins, bool crop)
    {
        var (h, w) = DataFormat.IsChannelsFirst(dataFormat) ? (2, 3) : (1, 2);
        var before = new int[4]; var after = new int[4];
        before[h] = margins.Top; after[h] = margins.Bottom; before[w] = margins.Left; after[w] = margins.Right;
        return PadOrCrop(ctx, name, input, before, after, crop);
    }

    /// <summary>
    /// Zero-pads (<c>Pad</c>) or crops (<c>Slice</c>) by per-Keras-axis margins, in whichever layout the value is held
    /// (the margins are permuted to it), so a pad between two convolutions adds no transpose.
    /// </summary>
    public static OnnxValue PadOrCrop(OnnxConversionContext ctx, string name, OnnxValue input, int[] before, int[] after, bool crop)
    {
        var layout = input.Preferred;
        var x = ctx.Get(input, layout);
        int r = input.Rank;
        var b = new long[r]; var a = new long[r];
        for (int k = 0; k < r; k++) { int axis = OnnxValue.AxisIn(layout, r, k); b[axis] = before[k]; a[axis] = after[k]; }
        string y;
        if (!crop)
            y = ctx.AddNode("Pad", new[] { x, ctx.AddInt64s($"{name}/pads", b.Concat(a).ToArray()) }, name, OnnxAttributeProto.String("mode", "constant"));
        else
        {
            var axes = Enumerable.Range(0, r).Where(i => b[i] != 0 || a[i] != 0).ToArray();
            if (axes.Length == 0) return input;
            var starts = axes.Select(i => b[i]).ToArray();
            var ends = axes.Select(i => a[i] == 0 ? long.MaxValue : -a[i]).ToArray();
            y = ctx.AddNode("Slice", new[] { x, ctx.AddInt64s($"{name}/starts", starts), ctx.AddInt64s($"{name}/ends", ends), ctx.AddInt64s($"{name}/axes", axes.Select(i => (long)i).ToArray()) }, name);
        }
        return ctx.Result(y, layout);
    }

    /// <summary>Resizes the spatial axes of channels-first data by <paramref name="factors"/>.</summary>
    public static OnnxValue Resize(OnnxConversionContext ctx, string name, OnnxValue input, string dataFormat, float[] factors, string interpolation)
    {
        var (x, layout) = ctx.ChannelsFirstInput(input, dataFormat);
        var scales = ctx.AddInitializer($"{name}/scales", new[] { 1f, 1f }.Concat(factors).ToArray(), 2 + factors.Length);
        var attrs = interpolation == "nearest"
            ? new[] { OnnxAttributeProto.String("mode", "nearest"), OnnxAttributeProto.String("coordinate_transformation_mode", "asymmetric"), OnnxAttributeProto.String("nearest_mode", "floor") }
            : new[] { OnnxAttributeProto.String("mode", "linear"), OnnxAttributeProto.String("coordinate_transformation_mode", "half_pixel") };
        return ctx.Result(ctx.AddNode("Resize", new[] { x, "", scales }, name, attrs), layout);
    }
}
