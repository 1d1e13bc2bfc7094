using Cortex.Onnx.Proto;

namespace Cortex.Onnx.Converters;

/// <summary>
/// Keras's named activations (<see cref="Keras.Activations"/>) as ONNX operators, applied element-wise in the layout
/// the value is already in (softmax on the Keras last axis, wherever that axis is held).
/// </summary>
internal static class OnnxActivations
{
    // Keras's SELU constants (Cortex's Ops.Selu uses the same); ONNX's defaults differ in the last digits.
    private const float SeluAlpha = 1.67326324f, SeluGamma = 1.05070098f;

    /// <summary>Applies the activation called <paramref name="name"/>; "linear" adds nothing.</summary>
    public static OnnxValue Apply(OnnxConversionContext ctx, OnnxValue x, string name, string outputHint)
    {
        switch (name)
        {
            case "linear": return x;
            case "relu": return ctx.Unary("Relu", x, outputHint);
            case "sigmoid": return ctx.Unary("Sigmoid", x, outputHint);
            case "tanh": return ctx.Unary("Tanh", x, outputHint);
            case "softmax": return Softmax(ctx, x, -1, outputHint);
            case "elu": return ctx.Unary("Elu", x, outputHint, OnnxAttributeProto.Float("alpha", 1f));
            case "selu": return ctx.Unary("Selu", x, outputHint, OnnxAttributeProto.Float("alpha", SeluAlpha), OnnxAttributeProto.Float("gamma", SeluGamma));
            case "softplus": return ctx.Unary("Softplus", x, outputHint);
            case "softsign": return ctx.Unary("Softsign", x, outputHint);
            case "exponential": return ctx.Unary("Exp", x, outputHint);
            case "leaky_relu": return ctx.Unary("LeakyRelu", x, outputHint, OnnxAttributeProto.Float("alpha", 0.2f));
            // Keras 3's hard sigmoid, clip(x / 6 + 0.5, 0, 1), is ONNX's HardSigmoid with alpha = 1/6.
            case "hard_sigmoid": return ctx.Unary("HardSigmoid", x, outputHint, OnnxAttributeProto.Float("alpha", 1f / 6f), OnnxAttributeProto.Float("beta", 0.5f));
            case "relu6": return Clip(ctx, x, 0f, 6f, outputHint);
            case "silu":
            case "swish":
            {
                var layout = x.Preferred;
                var input = ctx.Get(x, layout);
                var sigmoid = ctx.AddNode("Sigmoid", new[] { input }, $"{outputHint}/sigmoid");
                return ctx.Value(ctx.AddNode("Mul", new[] { input, sigmoid }, outputHint), x.Shape, layout);
            }
            default:
                throw OnnxConversionContext.Unsupported(ctx.Layer, $"the activation \"{name}\" has no ONNX mapping");
        }
    }

    /// <summary>Softmax along Keras axis <paramref name="kerasAxis"/> (opset 13's Softmax normalises one axis).</summary>
    public static OnnxValue Softmax(OnnxConversionContext ctx, OnnxValue x, int kerasAxis, string outputHint)
    {
        var layout = x.Preferred;
        int axis = OnnxValue.AxisIn(layout, x.Rank, kerasAxis);
        return ctx.Value(ctx.AddNode("Softmax", new[] { ctx.Get(x, layout) }, outputHint, OnnxAttributeProto.Int("axis", axis)), x.Shape, layout);
    }

    /// <summary>min(max(x, lo), hi) with the bounds as inputs (opset ≥ 11).</summary>
    public static OnnxValue Clip(OnnxConversionContext ctx, OnnxValue x, float lo, float hi, string outputHint)
    {
        var layout = x.Preferred;
        var inputs = new[] { ctx.Get(x, layout), ctx.AddScalar($"{outputHint}/min", lo), ctx.AddScalar($"{outputHint}/max", hi) };
        return ctx.Value(ctx.AddNode("Clip", inputs, outputHint), x.Shape, layout);
    }
}
