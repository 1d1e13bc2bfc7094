using System.Numerics.Tensors;
using Cortex.Autodiff;
using Cortex.Kernels;

namespace Cortex;

public static partial class Ops
{
    /// <summary>Sum over <paramref name="axes"/> (all axes when null or empty is not given).</summary>
    public static Tensor Sum(Tensor x, int[]? axes = null, bool keepDims = false)
    {
        var norm = NormalizeAxes(axes, x.Rank);
        var y = SumRaw(x, norm, keepDims);
        GradientTape.Record(y, x, g => new[] { BroadcastToRaw(ReshapeRaw(g, KeptDims(x.Dims, norm)), x.Dims) });
        return y;
    }

    /// <summary>Sum over one axis.</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDims = false) => Sum(x, new[] { axis }, keepDims);

    /// <summary>Mean over <paramref name="axes"/> (all axes when null).</summary>
    public static Tensor Mean(Tensor x, int[]? axes = null, bool keepDims = false)
    {
        var norm = NormalizeAxes(axes, x.Rank);
        int count = 1;
        foreach (var a in norm) count *= x.Dims[a];
        return MultiplyScalar(Sum(x, norm, keepDims), count == 0 ? float.NaN : 1f / count);
    }

    /// <summary>Mean over one axis.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDims = false) => Mean(x, new[] { axis }, keepDims);

    /// <summary>Maximum over axes; the gradient is shared equally among tied maxima (as TensorFlow does).</summary>
    public static Tensor Max(Tensor x, int[]? axes = null, bool keepDims = false) => Extreme(ReduceKind.Max, x, axes, keepDims);

    /// <summary>Minimum over axes; the gradient is shared equally among tied minima.</summary>
    public static Tensor Min(Tensor x, int[]? axes = null, bool keepDims = false) => Extreme(ReduceKind.Min, x, axes, keepDims);

    /// <summary>Maximum over one axis.</summary>
    public static Tensor Max(Tensor x, int axis, bool keepDims = false) => Max(x, new[] { axis }, keepDims);

    /// <summary>Minimum over one axis.</summary>
    public static Tensor Min(Tensor x, int axis, bool keepDims = false) => Min(x, new[] { axis }, keepDims);

    /// <summary>Population variance over axes (as Keras's <c>ops.var</c>): mean((x − mean(x))²).</summary>
    public static Tensor Var(Tensor x, int[]? axes = null, bool keepDims = false)
    {
        var norm = NormalizeAxes(axes, x.Rank);
        var centred = Subtract(x, Mean(x, norm, keepDims: true));
        return Mean(Square(centred), norm, keepDims);
    }

    /// <summary>Index of the largest value along <paramref name="axis"/>, as float values (first index on ties).</summary>
    public static Tensor ArgMax(Tensor x, int axis = -1)
    {
        int a = TensorShape.NormalizeAxis(axis, x.Rank);
        var (outer, r, inner) = Split(x.Dims, a);
        var dims = x.Dims.Where((_, i) => i != a).ToArray();
        var y = Empty(dims);
        AxisReduce.ArgMax(Read(x), outer, r, inner, y.Span);
        return y;
    }

    private static Tensor Extreme(ReduceKind kind, Tensor x, int[]? axes, bool keepDims)
    {
        var norm = NormalizeAxes(axes, x.Rank);
        var y = ReduceRaw(kind, x, norm, keepDims);
        GradientTape.Record(y, x, g =>
        {
            var kept = KeptDims(x.Dims, norm);
            var mask = Equal(x, ReshapeRaw(y, kept));
            var count = SumRaw(mask, norm, keepDims: true);
            var share = BinaryRaw(BinaryKind.Divide, ReshapeRaw(g, kept), count);
            return new[] { BinaryRaw(BinaryKind.Multiply, mask, share) };
        });
        return y;
    }

    internal static Tensor SumRaw(Tensor x, int[] axes, bool keepDims) => ReduceRaw(ReduceKind.Sum, x, axes, keepDims);

    /// <summary>Reduces the (sorted, distinct) axes one run of adjacent axes at a time.</summary>
    internal static Tensor ReduceRaw(ReduceKind kind, Tensor x, int[] axes, bool keepDims)
    {
        var cur = x.Contiguous();
        var dims = (int[])x.Dims.Clone();
        // Reduce from the last axis back so earlier axis numbers stay valid; merge adjacent axes into one run.
        int k = axes.Length - 1;
        bool reduced = false;
        while (k >= 0)
        {
            int hi = axes[k], lo = hi;
            while (k > 0 && axes[k - 1] == lo - 1) { k--; lo--; }
            k--;
            int outer = 1, r = 1, inner = 1;
            for (int i = 0; i < lo; i++) outer *= dims[i];
            for (int i = lo; i <= hi; i++) r *= dims[i];
            for (int i = hi + 1; i < dims.Length; i++) inner *= dims[i];
            for (int i = lo; i <= hi; i++) dims[i] = 1;
            var next = Empty((int[])dims.Clone());
            AxisReduce.Reduce(kind, cur.Span, outer, r, inner, next.Span);
            cur = next;
            reduced = true;
        }
        var finalDims = keepDims ? dims : dims.Where((_, i) => Array.IndexOf(axes, i) < 0).ToArray();
        if (!reduced) cur = CopyRaw(cur);
        return ReshapeRaw(cur, finalDims);
    }

    private static Tensor CopyRaw(Tensor x)
    {
        var y = Empty((int[])x.Dims.Clone());
        Read(x).CopyTo(y.Span);
        return y;
    }

    internal static int[] NormalizeAxes(int[]? axes, int rank)
    {
        if (axes is null) return Enumerable.Range(0, rank).ToArray();
        var n = axes.Select(a => TensorShape.NormalizeAxis(a, rank)).Distinct().OrderBy(a => a).ToArray();
        if (n.Length != axes.Length) throw new ArgumentException($"axes contain a repeated axis. Received: axes=[{string.Join(", ", axes)}]");
        return n;
    }

    internal static int[] KeptDims(int[] dims, int[] axes)
    {
        var k = (int[])dims.Clone();
        foreach (var a in axes) k[a] = 1;
        return k;
    }

    internal static (int Outer, int R, int Inner) Split(int[] dims, int axis)
    {
        int outer = 1, inner = 1;
        for (int i = 0; i < axis; i++) outer *= dims[i];
        for (int i = axis + 1; i < dims.Length; i++) inner *= dims[i];
        return (outer, dims[axis], inner);
    }
}
