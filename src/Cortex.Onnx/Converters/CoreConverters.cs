using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Onnx.Proto;

namespace Cortex.Onnx.Converters;

/// <summary>Layers that are the identity at inference (InputLayer, Dropout and the noise layers): no node at all.</summary>
internal sealed class IdentityConverter : OnnxLayerConverter<Layer>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, Layer layer, OnnxValue input) => input;
}

/// <summary>
/// Dense: <c>Gemm(x, kernel, bias)</c> for 2-D inputs; <c>MatMul</c> (+ <c>Add</c>) on the last axis for higher ranks;
/// then the activation.
/// </summary>
internal sealed class DenseConverter : OnnxLayerConverter<Dense>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, Dense layer, OnnxValue input)
    {
        var x = ctx.Get(input, OnnxLayout.Keras);
        var kernel = ctx.AddInitializer($"{layer.Name}/kernel", layer.Kernel.Value);
        var bias = layer.Bias is { } b ? ctx.AddInitializer($"{layer.Name}/bias", b.Value) : null;
        bool linear = layer.ActivationName == "linear";
        string preHint = linear ? layer.Name : $"{layer.Name}/linear";
        string y;
        if (input.Rank == 2)
            y = ctx.AddNode("Gemm", bias is null ? new[] { x, kernel } : new[] { x, kernel, bias }, preHint);
        else
        {
            y = ctx.AddNode("MatMul", new[] { x, kernel }, bias is null ? preHint : $"{layer.Name}/matmul");
            if (bias is not null) y = ctx.AddNode("Add", new[] { y, bias }, preHint);
        }
        return OnnxActivations.Apply(ctx, ctx.Result(y, OnnxLayout.Keras), layer.ActivationName, layer.Name);
    }
}

/// <summary>Activation(name).</summary>
internal sealed class ActivationConverter : OnnxLayerConverter<Activation>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, Activation layer, OnnxValue input)
        => OnnxActivations.Apply(ctx, input, layer.ActivationName, layer.Name);
}

/// <summary>
/// ReLU(max_value, negative_slope, threshold): <c>Relu</c> (+ <c>Clip</c>) in the common case, otherwise
/// <c>Where(x &gt; threshold, min(x, max_value), negative_slope · (x − threshold))</c>.
/// </summary>
internal sealed class ReLUConverter : OnnxLayerConverter<ReLU>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, ReLU layer, OnnxValue input)
    {
        if (layer.NegativeSlope == 0f && layer.Threshold == 0f)
            return layer.MaxValue is float max ? OnnxActivations.Clip(ctx, input, 0f, max, layer.Name) : ctx.Unary("Relu", input, layer.Name);
        var layout = input.Preferred;
        var x = ctx.Get(input, layout);
        var threshold = ctx.AddScalar($"{layer.Name}/threshold", layer.Threshold);
        var above = ctx.AddNode("Greater", new[] { x, threshold }, $"{layer.Name}/above");
        var upper = layer.MaxValue is float m ? ctx.AddNode("Min", new[] { x, ctx.AddScalar($"{layer.Name}/max_value", m) }, $"{layer.Name}/upper") : x;
        var shifted = ctx.AddNode("Sub", new[] { x, threshold }, $"{layer.Name}/shifted");
        var lower = ctx.AddNode("Mul", new[] { shifted, ctx.AddScalar($"{layer.Name}/negative_slope", layer.NegativeSlope) }, $"{layer.Name}/lower");
        return ctx.Value(ctx.AddNode("Where", new[] { above, upper, lower }, layer.Name), input.Shape, layout);
    }
}

/// <summary>ELU(alpha) → <c>Elu</c>.</summary>
internal sealed class ELUConverter : OnnxLayerConverter<ELU>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, ELU layer, OnnxValue input)
        => ctx.Unary("Elu", input, layer.Name, OnnxAttributeProto.Float("alpha", layer.Alpha));
}

/// <summary>LeakyReLU(negative_slope) → <c>LeakyRelu</c>.</summary>
internal sealed class LeakyReLUConverter : OnnxLayerConverter<LeakyReLU>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, LeakyReLU layer, OnnxValue input)
        => ctx.Unary("LeakyRelu", input, layer.Name, OnnxAttributeProto.Float("alpha", layer.NegativeSlope));
}

/// <summary>ThresholdedReLU(theta) → <c>ThresholdedRelu</c>.</summary>
internal sealed class ThresholdedReLUConverter : OnnxLayerConverter<ThresholdedReLU>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, ThresholdedReLU layer, OnnxValue input)
        => ctx.Unary("ThresholdedRelu", input, layer.Name, OnnxAttributeProto.Float("alpha", layer.Theta));
}

/// <summary>PReLU → <c>PRelu</c> with the learned slopes (shape input_shape[1:], shared axes of size 1), which broadcast over the batch in Keras's layout.</summary>
internal sealed class PReLUConverter : OnnxLayerConverter<PReLU>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, PReLU layer, OnnxValue input)
    {
        var slope = ctx.AddInitializer($"{layer.Name}/alpha", layer.Alpha.Value);
        return ctx.Result(ctx.AddNode("PRelu", new[] { ctx.Get(input, OnnxLayout.Keras), slope }, layer.Name), OnnxLayout.Keras);
    }
}

/// <summary>Softmax(axis) → <c>Softmax</c> on that axis.</summary>
internal sealed class SoftmaxConverter : OnnxLayerConverter<Softmax>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, Softmax layer, OnnxValue input)
        => OnnxActivations.Softmax(ctx, input, layer.Axis, layer.Name);
}

/// <summary>A model used as a layer: its graph is inlined.</summary>
internal sealed class NestedModelConverter : IOnnxLayerConverter
{
    public IReadOnlyList<OnnxValue> Convert(OnnxConversionContext ctx, Layer layer, IReadOnlyList<OnnxValue> inputs)
        => ctx.ConvertModel((Model)layer, inputs);
}
