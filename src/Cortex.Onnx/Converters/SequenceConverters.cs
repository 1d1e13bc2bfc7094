using Cortex.Keras.Layers;
using Cortex.Onnx.Proto;
using static Cortex.Onnx.Converters.OnnxSequenceOps;

namespace Cortex.Onnx.Converters;

/// <summary>
/// Embedding → <c>Cast</c> of the (float, Keras-layout) ids to int64, then <c>Gather</c> of the embedding matrix's rows.
/// mask_zero is refused: its mask would change what the following layers compute, and ONNX graphs carry no masks.
/// </summary>
internal sealed class EmbeddingConverter : OnnxLayerConverter<Embedding>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, Embedding layer, OnnxValue input)
    {
        if (layer.MaskZero)
            throw OnnxConversionContext.Unsupported(layer, "mask_zero=True makes a mask the following layers use (recurrent layers skip the masked steps), " +
                "and an ONNX graph carries no masks; export a copy with mask_zero=False (same weights) if the model's inputs are not padded, " +
                "or pad so the masked steps do not matter");
        var ids = ctx.AddNode("Cast", new[] { ctx.Get(input, OnnxLayout.Keras) }, $"{layer.Name}/ids", OnnxAttributeProto.Int("to", Int64Type));
        var table = ctx.AddInitializer($"{layer.Name}/embeddings", layer.Embeddings.Value);
        return ctx.Result(ctx.AddNode("Gather", new[] { table, ids }, layer.Name, OnnxAttributeProto.Int("axis", 0)), OnnxLayout.Keras);
    }
}

/// <summary>Masking is refused with a clear error: it only makes a mask, and ONNX graphs carry no masks.</summary>
internal sealed class MaskingConverter : OnnxLayerConverter<Masking>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, Masking layer, OnnxValue input)
        => throw OnnxConversionContext.Unsupported(layer, $"it makes a mask of the steps equal to mask_value={layer.MaskValue} for the following layers, " +
            "and an ONNX graph carries no masks; export the model without the Masking layer (the same results only when no step is masked)");
}

/// <summary>RepeatVector(n): (batch, features) → <c>Unsqueeze</c> to (batch, 1, features) → <c>Expand</c> to (batch, n, features).</summary>
internal sealed class RepeatVectorConverter : OnnxLayerConverter<RepeatVector>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, RepeatVector layer, OnnxValue input)
    {
        var x = Unsqueeze(ctx, ctx.Get(input, OnnxLayout.Keras), 1, $"{layer.Name}/unsqueeze");
        var shape = ctx.AddInt64s($"{layer.Name}/shape", 1, layer.N, 1);
        return ctx.Result(ctx.AddNode("Expand", new[] { x, shape }, layer.Name), OnnxLayout.Keras);
    }
}

/// <summary>
/// TimeDistributed(inner): <c>Reshape</c> (batch, time, ...) to (batch·time, ...), the inner layer's converter, and a
/// <c>Reshape</c> back to (batch, time, ...) (sizes taken from the input's <c>Shape</c> where Keras does not know them).
/// </summary>
internal sealed class TimeDistributedConverter : OnnxLayerConverter<TimeDistributed>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, TimeDistributed layer, OnnxValue input)
    {
        string hint = layer.Name;
        var x = ctx.Get(input, OnnxLayout.Keras);
        var inShape = input.Shape;
        var inner = new[] { inShape[0] < 0 || inShape[1] < 0 ? -1 : inShape[0] * inShape[1] }.Concat(inShape.Skip(2)).ToArray();
        var innerOut = ctx.OutputShapes[0].Skip(2).ToArray();

        string? shapeOfX = null;
        string ShapeOfX() => shapeOfX ??= Shape(ctx, x, $"{hint}/input_shape");

        // (batch·time, ...): the trailing sizes are known in any model Keras can build; else read them from the input.
        var foldTo = inShape.Skip(2).All(d => d > 0)
            ? ctx.AddInt64s($"{hint}/fold_shape", new long[] { -1 }.Concat(inShape.Skip(2).Select(d => (long)d)).ToArray())
            : ctx.AddNode("Concat", new[] { ctx.AddInt64s($"{hint}/minus_one", -1), Slice1D(ctx, ShapeOfX(), 2, null, $"{hint}/feature_dims") },
                $"{hint}/fold_shape", OnnxAttributeProto.Int("axis", 0));
        var folded = ctx.Value(ctx.AddNode("Reshape", new[] { x, foldTo }, $"{hint}/folded"), inner, OnnxLayout.Keras);

        var innerShape = layer.Layer.ComputeOutputShape(inner);
        var y = ctx.Get(ctx.ConvertLayer(layer.Layer, new[] { folded }, new[] { innerShape })[0], OnnxLayout.Keras);

        // (batch, time, ...): batch and time from the input, the rest from the inner layer's output shape.
        string lead = inShape[0] > 0 && inShape[1] > 0
            ? ctx.AddInt64s($"{hint}/batch_time", inShape[0], inShape[1])
            : Slice1D(ctx, ShapeOfX(), 0, 2, $"{hint}/batch_time");
        string tail = innerOut.All(d => d > 0)
            ? ctx.AddInt64s($"{hint}/output_dims", innerOut.Select(d => (long)d).ToArray())
            : Slice1D(ctx, Shape(ctx, y, $"{hint}/inner_shape"), 1, null, $"{hint}/output_dims");
        var unfoldTo = ctx.AddNode("Concat", new[] { lead, tail }, $"{hint}/unfold_shape", OnnxAttributeProto.Int("axis", 0));
        return ctx.Result(ctx.AddNode("Reshape", new[] { y, unfoldTo }, hint), OnnxLayout.Keras);
    }
}
