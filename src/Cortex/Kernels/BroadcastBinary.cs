using System.Numerics.Tensors;

namespace Cortex.Kernels;

/// <summary>
/// Element-wise binary operations with NumPy broadcasting over contiguous row-major inputs. The trailing
/// dimensions that broadcast the same way are merged into one inner run handled by <see cref="TensorPrimitives"/>,
/// so a bias add over a (batch, units) matrix is one vectorised call per row.
/// </summary>
internal static class BroadcastBinary
{
    public static void Apply(BinaryKind kind, ReadOnlySpan<float> a, int[] aDims, ReadOnlySpan<float> b, int[] bDims, Span<float> dst, int[] outDims)
    {
        int rank = outDims.Length;
        if (a.Length == dst.Length && b.Length == dst.Length) { Run(kind, a, b, dst); return; }
        if (b.Length == 1 && a.Length == dst.Length) { RunScalarRight(kind, a, b[0], dst); return; }
        if (a.Length == 1 && b.Length == dst.Length) { RunScalarLeft(kind, a[0], b, dst); return; }

        // Per-axis flags: does a (b) have the full size on this axis?
        Span<bool> aFull = stackalloc bool[rank];
        Span<bool> bFull = stackalloc bool[rank];
        Span<int> aStr = stackalloc int[rank];
        Span<int> bStr = stackalloc int[rank];
        int sa = 1, sb = 1;
        for (int i = rank - 1; i >= 0; i--)
        {
            int da = i - (rank - aDims.Length) >= 0 ? aDims[i - (rank - aDims.Length)] : 1;
            int db = i - (rank - bDims.Length) >= 0 ? bDims[i - (rank - bDims.Length)] : 1;
            aFull[i] = da == outDims[i]; bFull[i] = db == outDims[i];
            aStr[i] = da == 1 ? 0 : sa; bStr[i] = db == 1 ? 0 : sb;
            sa *= da; sb *= db;
        }
        // Inner run: the trailing axes that share one broadcast pattern (axes of size 1 fit any pattern).
        int split = rank;
        bool? pa = null, pb = null;
        int inner = 1;
        while (split > 0)
        {
            int i = split - 1;
            if (outDims[i] != 1)
            {
                if (pa is null) { pa = aFull[i]; pb = bFull[i]; }
                else if (pa != aFull[i] || pb != bFull[i]) break;
            }
            inner *= outDims[i];
            split--;
        }
        bool innerA = pa ?? true, innerB = pb ?? true;
        int outer = dst.Length / Math.Max(inner, 1);
        Span<int> idx = stackalloc int[Math.Max(split, 1)];
        int offA = 0, offB = 0;
        for (int o = 0; o < outer; o++)
        {
            var d = dst.Slice(o * inner, inner);
            if (innerA && innerB) Run(kind, a.Slice(offA, inner), b.Slice(offB, inner), d);
            else if (innerA) RunScalarRight(kind, a.Slice(offA, inner), b[offB], d);
            else if (innerB) RunScalarLeft(kind, a[offA], b.Slice(offB, inner), d);
            else { float v = Scalar(kind, a[offA], b[offB]); d.Fill(v); }
            for (int i = split - 1; i >= 0; i--)
            {
                offA += aStr[i]; offB += bStr[i];
                if (++idx[i] < outDims[i]) break;
                offA -= aStr[i] * outDims[i]; offB -= bStr[i] * outDims[i];
                idx[i] = 0;
            }
        }
    }

    internal static float Scalar(BinaryKind kind, float x, float y) => kind switch
    {
        BinaryKind.Add => x + y,
        BinaryKind.Subtract => x - y,
        BinaryKind.Multiply => x * y,
        BinaryKind.Divide => x / y,
        BinaryKind.Maximum => MathF.Max(x, y),
        _ => MathF.Min(x, y),
    };

    public static void Run(BinaryKind kind, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (kind)
        {
            case BinaryKind.Add: TensorPrimitives.Add(x, y, d); break;
            case BinaryKind.Subtract: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryKind.Multiply: TensorPrimitives.Multiply(x, y, d); break;
            case BinaryKind.Divide: TensorPrimitives.Divide(x, y, d); break;
            case BinaryKind.Maximum: TensorPrimitives.Max(x, y, d); break;
            default: TensorPrimitives.Min(x, y, d); break;
        }
    }

    public static void RunScalarRight(BinaryKind kind, ReadOnlySpan<float> x, float y, Span<float> d)
    {
        switch (kind)
        {
            case BinaryKind.Add: TensorPrimitives.Add(x, y, d); break;
            case BinaryKind.Subtract: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryKind.Multiply: TensorPrimitives.Multiply(x, y, d); break;
            case BinaryKind.Divide: TensorPrimitives.Divide(x, y, d); break;
            case BinaryKind.Maximum: TensorPrimitives.Max(x, y, d); break;
            default: TensorPrimitives.Min(x, y, d); break;
        }
    }

    public static void RunScalarLeft(BinaryKind kind, float x, ReadOnlySpan<float> y, Span<float> d)
    {
        switch (kind)
        {
            case BinaryKind.Add: TensorPrimitives.Add(y, x, d); break;
            case BinaryKind.Subtract: TensorPrimitives.Subtract(x, y, d); break;
            case BinaryKind.Multiply: TensorPrimitives.Multiply(y, x, d); break;
            case BinaryKind.Divide: TensorPrimitives.Divide(x, y, d); break;
            case BinaryKind.Maximum: TensorPrimitives.Max(y, x, d); break;
            default: TensorPrimitives.Min(y, x, d); break;
        }
    }
}
