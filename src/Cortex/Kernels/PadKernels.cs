using System.Runtime.CompilerServices;

namespace Cortex.Kernels;

/// <summary>
/// Constant padding and cropping of row-major arrays as one strided copy: <c>dst[d] = src[d − offset]</c> where that
/// index lies inside <c>src</c>, else <c>value</c>. A positive offset on an axis pads it in front, a negative one crops.
/// </summary>
/// <remarks>
/// The trailing axes that are neither padded nor cropped are merged with the last axis that is, so each copy moves a
/// whole row of that axis (for an NHWC image padded in H and W, a row is W·C floats). Every destination element is
/// written exactly once. Large arrays are split into blocks of rows over the cores with <see cref="ParallelRange"/>.
/// </remarks>
internal static unsafe class PadKernels
{
    private const int MaxRank = 16;
    private const int ParallelFloats = 1 << 16;
    private const int BlockFloats = 1 << 14;

    private struct Job
    {
        public float* Src, Dst;
        public int* SrcDims, DstDims, Offset;
        public int K;             // the last shifted axis; rows run along it
        public int Inner;         // floats per cell of axis K (the merged trailing axes)
        public long Rows;         // destination rows (product of dstDims[0..K))
        public int RowsPerBlock;
        public float Value;
    }

    /// <summary>Copies <paramref name="src"/> into <paramref name="dst"/> shifted by <paramref name="offset"/> per axis.</summary>
    public static void ShiftCopy(ReadOnlySpan<float> src, ReadOnlySpan<int> srcDims, Span<float> dst, ReadOnlySpan<int> dstDims,
        ReadOnlySpan<int> offset, float value)
    {
        int rank = srcDims.Length;
        if (dstDims.Length != rank || offset.Length != rank) throw new ArgumentException("srcDims, dstDims and offset need one entry per axis.");
        if (rank > MaxRank) throw new ArgumentException($"at most {MaxRank} axes are supported.");
        if (dst.Length == 0) return;
        if (src.Length == 0) { dst.Fill(value); return; }
        int k = rank - 1;
        while (k >= 0 && srcDims[k] == dstDims[k] && offset[k] == 0) k--;
        if (k < 0) { src.CopyTo(dst); return; }
        int inner = 1;
        for (int i = k + 1; i < rank; i++) inner *= dstDims[i];
        long rows = 1;
        for (int i = 0; i < k; i++) rows *= dstDims[i];
        int rowFloats = dstDims[k] * inner;

        int* sd = stackalloc int[rank], dd = stackalloc int[rank], off = stackalloc int[rank];
        for (int i = 0; i < rank; i++) { sd[i] = srcDims[i]; dd[i] = dstDims[i]; off[i] = offset[i]; }
        fixed (float* s = src, d = dst)
        {
            var job = new Job
            {
                Src = s, Dst = d, SrcDims = sd, DstDims = dd, Offset = off, K = k, Inner = inner, Rows = rows, Value = value,
                RowsPerBlock = (int)Math.Clamp(BlockFloats / Math.Max(rowFloats, 1), 1, rows),
            };
            long blocks = (rows + job.RowsPerBlock - 1) / job.RowsPerBlock;
            if ((long)dst.Length < ParallelFloats || blocks < 2) Block(0, &job, (int)rows);
            else
            {
                job.RowsPerBlock = (int)Math.Max(job.RowsPerBlock, (rows + 4L * ParallelRange.MaxDegree - 1) / (4L * ParallelRange.MaxDegree));
                blocks = (rows + job.RowsPerBlock - 1) / job.RowsPerBlock;
                ParallelRange.For((int)blocks, &Block, &job);
            }
        }
    }

    private static void Block(int item, void* state) => Block(item, (Job*)state, ((Job*)state)->RowsPerBlock);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(int item, Job* job, int rowsPerBlock)
    {
        int k = job->K, inner = job->Inner;
        int* sd = job->SrcDims, dd = job->DstDims, off = job->Offset;
        long first = (long)item * rowsPerBlock, last = Math.Min(job->Rows, first + rowsPerBlock);
        int dstRow = dd[k] * inner, srcRow = sd[k] * inner;
        // The part of a destination row that src covers, in cells of axis k.
        int lo = Math.Clamp(off[k], 0, dd[k]), hi = Math.Clamp(sd[k] + off[k], lo, dd[k]);
        int srcStart = (lo - off[k]) * inner;
        Span<int> coord = stackalloc int[Math.Max(k, 1)];
        long rest = first;
        for (int i = k - 1; i >= 0; i--) { coord[i] = (int)(rest % dd[i]); rest /= dd[i]; }
        for (long r = first; r < last; r++)
        {
            var drow = new Span<float>(job->Dst + r * dstRow, dstRow);
            long srow = 0;
            bool inside = hi > lo;
            for (int i = 0; i < k && inside; i++)
            {
                int c = coord[i] - off[i];
                if ((uint)c >= (uint)sd[i]) inside = false;
                srow = srow * sd[i] + c;
            }
            if (!inside) drow.Fill(job->Value);
            else
            {
                drow.Slice(0, lo * inner).Fill(job->Value);
                new ReadOnlySpan<float>(job->Src + srow * srcRow + srcStart, (hi - lo) * inner).CopyTo(drow.Slice(lo * inner));
                drow.Slice(hi * inner).Fill(job->Value);
            }
            for (int i = k - 1; i >= 0; i--) { if (++coord[i] < dd[i]) break; coord[i] = 0; }
        }
    }
}
