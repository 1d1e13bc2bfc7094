using Cortex.Autodiff;
using Cortex.Kernels;

namespace Cortex;

public static partial class Ops
{
    /// <summary>
    /// Constant padding (NumPy's <c>pad(mode="constant")</c>, PyTorch's <c>F.pad</c>): <paramref name="before"/>[i] cells
    /// of <paramref name="value"/> in front of axis i and <paramref name="after"/>[i] behind it, for any rank.
    /// The gradient is the matching crop of the output's gradient.
    /// </summary>
    public static Tensor Pad(Tensor x, int[] before, int[] after, float value = 0f)
    {
        CheckMargins(x, before, after, "Pad", "padding");
        var dims = new int[x.Rank];
        for (int i = 0; i < dims.Length; i++) dims[i] = x.Dims[i] + before[i] + after[i];
        var y = Empty(dims);
        PadKernels.ShiftCopy(Read(x), x.Dims, y.Span, dims, before, value);
        var b = (int[])before.Clone();
        GradientTape.Record(y, x, g => new[] { ShiftRaw(g, x.Dims, b, negate: true) });
        return y;
    }

    /// <summary>
    /// The reverse of <see cref="Pad"/>: removes <paramref name="before"/>[i] cells from the front of axis i and
    /// <paramref name="after"/>[i] from its end, as a new contiguous tensor. The gradient is zero-padded back.
    /// </summary>
    public static Tensor Crop(Tensor x, int[] before, int[] after)
    {
        CheckMargins(x, before, after, "Crop", "cropping");
        var dims = new int[x.Rank];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = x.Dims[i] - before[i] - after[i];
            if (dims[i] < 0)
                throw new ArgumentException($"Crop: cropping {before[i]} + {after[i]} cells from axis {i} of a tensor of shape {x.ShapeString} removes more than its {x.Dims[i]} cells.");
        }
        var b = (int[])before.Clone();
        var y = ShiftRaw(x, dims, b, negate: true);
        GradientTape.Record(y, x, g => new[] { ShiftRaw(g, x.Dims, b, negate: false) });
        return y;
    }

    /// <summary>
    /// Repeats every cell of <paramref name="axis"/> <paramref name="times"/> times in place (NumPy's <c>repeat</c>):
    /// along that axis [a, b] becomes [a, a, b, b] for times 2. Nearest-neighbour up-sampling is a repeat per spatial axis.
    /// The gradient sums the gradients of the copies.
    /// </summary>
    public static Tensor Repeat(Tensor x, int axis, int times)
    {
        int a = TensorShape.NormalizeAxis(axis, x.Rank);
        if (times < 1) throw new ArgumentOutOfRangeException(nameof(times), $"Repeat needs times >= 1. Received: times={times}");
        var (outer, n, inner) = Split(x.Dims, a);
        var dims = (int[])x.Dims.Clone();
        dims[a] *= times;
        var y = Empty(dims);
        ResizeKernels.Repeat(Read(x), y.Span, outer, n, inner, times);
        GradientTape.Record(y, x, g =>
        {
            var dx = Empty((int[])x.Dims.Clone());
            ResizeKernels.RepeatBackward(Read(g), dx.Span, outer, n, inner, times);
            return new[] { dx };
        });
        return y;
    }

    /// <summary>
    /// Linear resize of <paramref name="axis"/> to <paramref name="size"/> cells with half-pixel centres (TensorFlow's
    /// <c>resize(..., "bilinear")</c> one axis at a time, PyTorch's <c>interpolate(align_corners=False)</c>): output cell
    /// j samples the input at (j + ½)·n/size − ½, clamped to the edge cells.
    /// </summary>
    public static Tensor ResizeLinear(Tensor x, int axis, int size)
    {
        int a = TensorShape.NormalizeAxis(axis, x.Rank);
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), $"ResizeLinear needs size >= 1. Received: size={size}");
        if (x.Dims[a] == 0) throw new ArgumentException($"ResizeLinear cannot resize the empty axis {axis} of a tensor of shape {x.ShapeString}.");
        var (outer, n, inner) = Split(x.Dims, a);
        var dims = (int[])x.Dims.Clone();
        dims[a] = size;
        var y = Empty(dims);
        ResizeKernels.Linear(Read(x), y.Span, outer, n, inner, size);
        GradientTape.Record(y, x, g =>
        {
            var dx = Empty((int[])x.Dims.Clone());
            ResizeKernels.LinearBackward(Read(g), dx.Span, outer, n, inner, size);
            return new[] { dx };
        });
        return y;
    }

    /// <summary>A new tensor of <paramref name="dims"/>: x shifted by +offset (or −offset), zeros where x does not reach.</summary>
    private static Tensor ShiftRaw(Tensor x, int[] dims, int[] offset, bool negate)
    {
        var y = Empty((int[])dims.Clone());
        Span<int> off = stackalloc int[offset.Length];
        for (int i = 0; i < off.Length; i++) off[i] = negate ? -offset[i] : offset[i];
        PadKernels.ShiftCopy(Read(x), x.Dims, y.Span, dims, off, 0f);
        return y;
    }

    private static void CheckMargins(Tensor x, int[] before, int[] after, string op, string what)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (before.Length != x.Rank || after.Length != x.Rank)
            throw new ArgumentException($"{op} needs one {what} entry per axis of a tensor of shape {x.ShapeString}. Received: before=[{string.Join(", ", before)}], after=[{string.Join(", ", after)}]");
        if (before.Any(v => v < 0) || after.Any(v => v < 0))
            throw new ArgumentException($"{op}: {what} must be non-negative. Received: before=[{string.Join(", ", before)}], after=[{string.Join(", ", after)}]");
    }
}
