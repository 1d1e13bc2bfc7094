namespace Cortex.Kernels;

/// <summary>Copies a strided view into a contiguous destination (row-major order).</summary>
internal static class StridedCopy
{
    public static void Copy(float[] src, int offset, int[] dims, int[] strides, Span<float> dst)
    {
        int rank = dims.Length;
        if (rank == 0) { dst[0] = src[offset]; return; }
        int inner = dims[rank - 1], innerStride = strides[rank - 1];
        int outer = dst.Length / Math.Max(inner, 1);
        if (inner == 0) return;
        Span<int> idx = stackalloc int[rank];
        int d = 0;
        for (int o = 0; o < outer; o++)
        {
            int p = offset;
            for (int i = 0; i < rank - 1; i++) p += idx[i] * strides[i];
            var row = dst.Slice(d, inner);
            if (innerStride == 1) src.AsSpan(p, inner).CopyTo(row);
            else for (int j = 0; j < inner; j++) row[j] = src[p + j * innerStride];
            d += inner;
            for (int i = rank - 2; i >= 0; i--)
            {
                if (++idx[i] < dims[i]) break;
                idx[i] = 0;
            }
        }
    }
}
