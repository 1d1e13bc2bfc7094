using Cortex.Autodiff;
using Cortex.Kernels;

namespace Cortex;

/// <summary>
/// The differentiable operations of the engine. Each op computes its result with a kernel from
/// <c>Cortex.Kernels</c> and, right beside it, records on the active <see cref="GradientTape"/> how its output's
/// gradient maps back to its inputs. The files of this partial class group the ops by kind.
/// </summary>
public static partial class Ops
{
    /// <summary>Maps an input and output span to the output's values.</summary>
    internal delegate void UnaryKernel(ReadOnlySpan<float> x, Span<float> y);

    /// <summary>A new contiguous tensor of the given shape (pooled inside a training step).</summary>
    internal static Tensor Empty(int[] dims) => Tensor.Allocate(dims, clear: false);

    /// <summary>A contiguous span over the tensor (copying a strided view first).</summary>
    internal static ReadOnlySpan<float> Read(Tensor t) => t.Contiguous().Span;

    /// <summary>Applies an element-wise kernel and records its backward function <c>(x, y, dy) → dx</c>.</summary>
    internal static Tensor Unary(Tensor x, UnaryKernel kernel, Func<Tensor, Tensor, Tensor, Tensor> backward)
    {
        var y = Empty((int[])x.Dims.Clone());
        kernel(Read(x), y.Span);
        if (GradientTape.IsRecording) GradientTape.Record(y, x, g => new[] { backward(x, y, g) });
        return y;
    }

    /// <summary>Runs a broadcasting binary kernel (no recording).</summary>
    internal static Tensor BinaryRaw(BinaryKind kind, Tensor a, Tensor b)
    {
        var outDims = TensorShape.SameShape(a.Dims, b.Dims) ? (int[])a.Dims.Clone() : TensorShape.Broadcast(a.Dims, b.Dims);
        var y = Empty(outDims);
        BroadcastBinary.Apply(kind, Read(a), a.Dims, Read(b), b.Dims, y.Span, outDims);
        return y;
    }

    /// <summary>Sums a broadcast gradient back down to <paramref name="dims"/> (the reverse of broadcasting).</summary>
    internal static Tensor SumTo(Tensor g, int[] dims)
    {
        if (TensorShape.SameShape(g.Dims, dims)) return g;
        int lead = g.Rank - dims.Length;
        var axes = new List<int>();
        for (int i = 0; i < g.Rank; i++)
            if (i < lead || (dims[i - lead] == 1 && g.Dims[i] != 1)) axes.Add(i);
        var s = SumRaw(g, axes.ToArray(), keepDims: true);
        return ReshapeRaw(s, dims);
    }

    /// <summary>Broadcasts <paramref name="x"/> to <paramref name="dims"/> as a new contiguous tensor.</summary>
    internal static Tensor BroadcastToRaw(Tensor x, int[] dims)
    {
        if (TensorShape.SameShape(x.Dims, dims)) return x;
        var y = Empty((int[])dims.Clone());
        Span<float> zero = stackalloc float[1];
        BroadcastBinary.Apply(BinaryKind.Add, Read(x), x.Dims, zero, Array.Empty<int>(), y.Span, dims);
        return y;
    }

    /// <summary>Broadcasts <paramref name="x"/> to the shape <paramref name="dims"/> (differentiable).</summary>
    public static Tensor BroadcastTo(Tensor x, params int[] dims)
    {
        TensorShape.Validate(dims, nameof(dims));
        if (dims.Length < x.Rank || !TensorShape.SameShape(TensorShape.Broadcast(x.Dims, dims), dims))
            throw new ArgumentException($"a tensor of shape {x.ShapeString} cannot be broadcast to {TensorShape.Format(dims)}.", nameof(dims));
        var y = BroadcastToRaw(x, dims);
        if (!ReferenceEquals(y, x)) GradientTape.Record(y, x, g => new[] { SumTo(g, x.Dims) });
        return y;
    }

    /// <summary>An element-wise 0/1 mask computed by a kernel over one tensor (never differentiated).</summary>
    internal static Tensor Mask(Tensor x, UnaryKernel kernel)
    {
        var y = Empty((int[])x.Dims.Clone());
        kernel(Read(x), y.Span);
        return y;
    }
}
