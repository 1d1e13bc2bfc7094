using Cortex.Onnx.Proto;

namespace Cortex.Onnx.Converters;

/// <summary>
/// Small ONNX building blocks shared by the sequence converters (recurrent layers, Embedding, RepeatVector,
/// TimeDistributed): int64 constants, axis insertion/removal, slicing and time reversal, written for opset 13+
/// (where Squeeze, Unsqueeze and Slice take their axes as inputs).
/// </summary>
internal static class OnnxSequenceOps
{
    /// <summary>ONNX's <c>TensorProto.DataType</c> code of int64 (Cast's <c>to</c>).</summary>
    public const long Int64Type = 7;

    /// <summary>Adds an int64 scalar (rank 0) constant, e.g. a Gather index that drops its axis.</summary>
    public static string Int64Scalar(OnnxConversionContext ctx, string hint, long value)
    {
        var name = ctx.UniqueName(hint);
        ctx.Graph.Initializers.Add(new OnnxTensorProto(name, Array.Empty<long>(), new[] { value }));
        return name;
    }

    /// <summary>Adds a node with several outputs (the recurrent operators' Y, Y_h, Y_c) and returns their names.</summary>
    public static string[] AddNode(OnnxConversionContext ctx, string opType, IEnumerable<string> inputs, string[] outputHints,
        params OnnxAttributeProto[] attributes)
    {
        var outputs = outputHints.Select(ctx.UniqueName).ToArray();
        ctx.Graph.Nodes.Add(new OnnxNodeProto(opType, ctx.UniqueName($"{outputHints[0]}/{opType}"), inputs, outputs, attributes));
        return outputs;
    }

    /// <summary><c>Transpose</c> with <paramref name="perm"/>.</summary>
    public static string Transpose(OnnxConversionContext ctx, string x, string hint, params long[] perm)
        => ctx.AddNode("Transpose", new[] { x }, hint, OnnxAttributeProto.IntList("perm", perm));

    /// <summary>Swaps the first two axes: Keras's (batch, time, ...) ↔ ONNX recurrent operators' (time, batch, ...) (rank 3).</summary>
    public static string SwapBatchAndTime(OnnxConversionContext ctx, string x, string hint) => Transpose(ctx, x, hint, 1, 0, 2);

    /// <summary><c>Squeeze</c> of one axis.</summary>
    public static string Squeeze(OnnxConversionContext ctx, string x, long axis, string hint)
        => ctx.AddNode("Squeeze", new[] { x, ctx.AddInt64s($"{hint}/axes", axis) }, hint);

    /// <summary><c>Unsqueeze</c>: a new axis of size 1 at <paramref name="axis"/>.</summary>
    public static string Unsqueeze(OnnxConversionContext ctx, string x, long axis, string hint)
        => ctx.AddNode("Unsqueeze", new[] { x, ctx.AddInt64s($"{hint}/axes", axis) }, hint);

    /// <summary>Entry <paramref name="index"/> along <paramref name="axis"/>, that axis removed (<c>Gather</c> with a scalar index).</summary>
    public static string Take(OnnxConversionContext ctx, string x, long index, long axis, string hint)
        => ctx.AddNode("Gather", new[] { x, Int64Scalar(ctx, $"{hint}/index", index) }, hint, OnnxAttributeProto.Int("axis", axis));

    /// <summary>The sequence reversed along <paramref name="axis"/> (<c>Slice</c> with step −1).</summary>
    public static string Reverse(OnnxConversionContext ctx, string x, long axis, string hint)
        => ctx.AddNode("Slice", new[]
        {
            x, ctx.AddInt64s($"{hint}/starts", -1), ctx.AddInt64s($"{hint}/ends", long.MinValue),
            ctx.AddInt64s($"{hint}/axes", axis), ctx.AddInt64s($"{hint}/steps", -1),
        }, hint);

    /// <summary>The entries [<paramref name="start"/>, <paramref name="end"/>) of a 1-D tensor (a shape); null end = to the end.</summary>
    public static string Slice1D(OnnxConversionContext ctx, string x, long start, long? end, string hint)
        => ctx.AddNode("Slice", new[] { x, ctx.AddInt64s($"{hint}/starts", start), ctx.AddInt64s($"{hint}/ends", end ?? long.MaxValue) }, hint);

    /// <summary>The shape of <paramref name="x"/> as a 1-D int64 tensor.</summary>
    public static string Shape(OnnxConversionContext ctx, string x, string hint) => ctx.AddNode("Shape", new[] { x }, hint);
}
