using Cortex.Keras.Layers;
using Cortex.Onnx.Proto;

namespace Cortex.Onnx.Converters;

/// <summary>Flatten → <c>Flatten(axis = 1)</c> on the Keras (channels-last) layout, so the element order is Keras's.</summary>
internal sealed class FlattenConverter : OnnxLayerConverter<Flatten>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, Flatten layer, OnnxValue input)
        => ctx.Result(ctx.AddNode("Flatten", new[] { ctx.Get(input, OnnxLayout.Keras) }, layer.Name, OnnxAttributeProto.Int("axis", 1)), OnnxLayout.Keras);
}

/// <summary>Reshape(target_shape) → <c>Reshape</c> to (0, target...) on the Keras layout (0 keeps the dynamic batch size).</summary>
internal sealed class ReshapeConverter : OnnxLayerConverter<Reshape>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, Reshape layer, OnnxValue input)
    {
        var shape = ctx.AddInt64s($"{layer.Name}/shape", new long[] { 0 }.Concat(layer.TargetShape.Select(d => (long)d)).ToArray());
        return ctx.Result(ctx.AddNode("Reshape", new[] { ctx.Get(input, OnnxLayout.Keras), shape }, layer.Name), OnnxLayout.Keras);
    }
}

/// <summary>
/// Permute(dims) → one <c>Transpose</c>: from the Keras layout, or straight from the channels-first form when the value
/// only exists there (the two permutations composed).
/// </summary>
internal sealed class PermuteConverter : OnnxLayerConverter<Permute>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, Permute layer, OnnxValue input)
    {
        var layout = input.Preferred;
        var perm = new long[] { 0 }.Concat(layer.Dims.Select(d => (long)OnnxValue.AxisIn(layout, input.Rank, d))).ToArray();
        return ctx.Result(ctx.AddNode("Transpose", new[] { ctx.Get(input, layout) }, layer.Name, OnnxAttributeProto.IntList("perm", perm)), OnnxLayout.Keras);
    }
}

/// <summary>
/// Add, Subtract, Multiply, Maximum, Minimum, Average → <c>Add</c> / <c>Sub</c> / <c>Mul</c> chains, <c>Max</c>,
/// <c>Min</c>, <c>Mean</c> (variadic), computed channels-first when every input is already held so.
/// </summary>
internal sealed class MergeConverter : OnnxMultiInputConverter<Merge>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, Merge layer, IReadOnlyList<OnnxValue> inputs)
    {
        var layout = OnnxConversionContext.CommonLayout(inputs);
        var names = inputs.Select(v => ctx.Get(v, layout)).ToList();
        string? variadic = layer switch { Maximum => "Max", Minimum => "Min", Average => "Mean", _ => null };
        if (variadic is not null) return ctx.Result(ctx.AddNode(variadic, names, layer.Name), layout);
        string op = layer switch
        {
            Add => "Add", Subtract => "Sub", Multiply => "Mul",
            _ => throw OnnxConversionContext.Unsupported(layer),
        };
        var y = names[0];
        for (int i = 1; i < names.Count; i++) y = ctx.AddNode(op, new[] { y, names[i] }, i == names.Count - 1 ? layer.Name : $"{layer.Name}/{op.ToLowerInvariant()}{i}");
        return ctx.Result(y, layout);
    }
}

/// <summary>Concatenate(axis) → <c>Concat</c> on that axis, in the inputs' common layout.</summary>
internal sealed class ConcatenateConverter : OnnxMultiInputConverter<Concatenate>
{
    protected override OnnxValue Convert(OnnxConversionContext ctx, Concatenate layer, IReadOnlyList<OnnxValue> inputs)
    {
        var layout = OnnxConversionContext.CommonLayout(inputs);
        int axis = OnnxValue.AxisIn(layout, inputs[0].Rank, layer.Axis);
        return ctx.Result(ctx.AddNode("Concat", inputs.Select(v => ctx.Get(v, layout)).ToList(), layer.Name, OnnxAttributeProto.Int("axis", axis)), layout);
    }
}
