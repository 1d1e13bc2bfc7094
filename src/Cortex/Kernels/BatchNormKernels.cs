using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cortex.Kernels;

/// <summary>
/// Batch-normalisation kernels over a (rows, channels) matrix: channels-last data of any rank with the channel axis
/// last. Per-channel statistics are reduced along the rows with register accumulators over blocks of 8 channels,
/// and the element-wise passes are one fused multiply-add per row (<see cref="TensorPrimitives"/>).
/// </summary>
/// <remarks>
/// The rows are cut into blocks whose number depends only on the size of the data, never on the thread count, and
/// each block's partial sums go to its own slice of a caller-provided scratch buffer
/// (<see cref="ScratchLength"/>); the blocks then run in parallel and the results are the same on any machine with
/// the same SIMD width.
/// </remarks>
internal static unsafe class BatchNormKernels
{
    /// <summary>Values per row block: small enough that a block stays in L2 between the passes of one reduction.</summary>
    private const int BlockFloats = 1 << 14;
    private const int MaxBlocks = 64;

    /// <summary>The number of row blocks for a (rows, channels) matrix.</summary>
    public static int Blocks(int rows, int channels)
        => (int)Math.Clamp((long)rows * channels / BlockFloats, 1, Math.Min(MaxBlocks, Math.Max(rows, 1)));

    /// <summary>The scratch length the reductions need: two partial vectors of <paramref name="channels"/> per block.</summary>
    public static int ScratchLength(int rows, int channels) => 2 * Blocks(rows, channels) * channels;

    private enum Pass { Sum, SquaredDeviation, GradientSums, ScaleShift, Affine2 }

    private struct Job
    {
        public Pass Pass;
        public int Rows, C, Blocks, RowsPerBlock;
        public float* X, G, Y, A, B, Shift, Partial;
    }

    /// <summary>
    /// Per-channel mean and biased (population) variance of x, in two passes (the mean first, then the squared
    /// deviations from it), which keeps the variance accurate when the mean is large.
    /// </summary>
    public static void Moments(ReadOnlySpan<float> x, int rows, int channels, Span<float> mean, Span<float> variance, Span<float> scratch)
    {
        Check(x.Length, rows, channels, mean.Length, scratch.Length);
        if (variance.Length != channels) throw new ArgumentException($"variance needs {channels} values; got {variance.Length}.", nameof(variance));
        if (rows == 0) { mean.Fill(float.NaN); variance.Fill(float.NaN); return; }
        float inv = 1f / rows;
        fixed (float* px = x, pm = mean, pv = variance, ps = scratch)
        {
            var job = NewJob(Pass.Sum, rows, channels, ps);
            job.X = px;
            Run(ref job);
            Combine(ps, job.Blocks, channels, pm);
            TensorPrimitives.Multiply(mean, inv, mean);
            job.Pass = Pass.SquaredDeviation;
            job.A = pm;
            Run(ref job);
            Combine(ps, job.Blocks, channels, pv);
            TensorPrimitives.Multiply(variance, inv, variance);
        }
    }

    /// <summary>Per-channel Σ g and Σ g·(x − mean): the sums the batch-norm gradients are made of.</summary>
    public static void GradientSums(ReadOnlySpan<float> g, ReadOnlySpan<float> x, ReadOnlySpan<float> mean, int rows, int channels,
        Span<float> sumG, Span<float> sumGCentred, Span<float> scratch)
    {
        Check(x.Length, rows, channels, mean.Length, scratch.Length);
        if (g.Length != x.Length) throw new ArgumentException($"g has {g.Length} values; x has {x.Length}.", nameof(g));
        if (sumG.Length != channels || sumGCentred.Length != channels) throw new ArgumentException($"the sums need {channels} values each.");
        if (rows == 0) { sumG.Clear(); sumGCentred.Clear(); return; }
        fixed (float* px = x, pg = g, pm = mean, ps = scratch, p1 = sumG, p2 = sumGCentred)
        {
            var job = NewJob(Pass.GradientSums, rows, channels, ps);
            job.X = px; job.G = pg; job.A = pm;
            Run(ref job);
            Combine(ps, job.Blocks, channels, p1);
            Combine(ps + (long)job.Blocks * channels, job.Blocks, channels, p2);
        }
    }

    /// <summary>y[r, c] = x[r, c]·scale[c] + shift[c].</summary>
    public static void ScaleShift(ReadOnlySpan<float> x, int rows, int channels, ReadOnlySpan<float> scale, ReadOnlySpan<float> shift, Span<float> y)
    {
        CheckRows(x.Length, rows, channels);
        if (y.Length != x.Length) throw new ArgumentException($"y has {y.Length} values; x has {x.Length}.", nameof(y));
        if (scale.Length != channels || shift.Length != channels) throw new ArgumentException($"scale and shift need {channels} values each.");
        if (rows == 0) return;
        fixed (float* px = x, py = y, pa = scale, pb = shift)
        {
            var job = NewJob(Pass.ScaleShift, rows, channels, null);
            job.X = px; job.Y = py; job.A = pa; job.Shift = pb;
            Run(ref job);
        }
    }

    /// <summary>dx[r, c] = g[r, c]·a[c] + x[r, c]·b[c] + shift[c] (the batch-norm input gradient in closed form).</summary>
    public static void Affine2(ReadOnlySpan<float> g, ReadOnlySpan<float> x, int rows, int channels,
        ReadOnlySpan<float> a, ReadOnlySpan<float> b, ReadOnlySpan<float> shift, Span<float> dx)
    {
        CheckRows(x.Length, rows, channels);
        if (g.Length != x.Length || dx.Length != x.Length) throw new ArgumentException($"g and dx need {x.Length} values each.");
        if (a.Length != channels || b.Length != channels || shift.Length != channels) throw new ArgumentException($"a, b and shift need {channels} values each.");
        if (rows == 0) return;
        fixed (float* px = x, pg = g, pdx = dx, pa = a, pb = b, pc = shift)
        {
            var job = NewJob(Pass.Affine2, rows, channels, null);
            job.X = px; job.G = pg; job.Y = pdx; job.A = pa; job.B = pb; job.Shift = pc;
            Run(ref job);
        }
    }

    private static void CheckRows(int length, int rows, int channels)
    {
        if (rows < 0 || channels <= 0 || length != (long)rows * channels)
            throw new ArgumentException($"x has {length} values; a ({rows}, {channels}) matrix needs {(long)rows * channels}.");
    }

    private static void Check(int length, int rows, int channels, int meanLength, int scratchLength)
    {
        CheckRows(length, rows, channels);
        if (meanLength != channels) throw new ArgumentException($"mean needs {channels} values; got {meanLength}.");
        if (scratchLength < ScratchLength(rows, channels))
            throw new ArgumentException($"scratch needs {ScratchLength(rows, channels)} values; got {scratchLength}.");
    }

    private static Job NewJob(Pass pass, int rows, int channels, float* partial)
    {
        int blocks = Blocks(rows, channels);
        return new Job { Pass = pass, Rows = rows, C = channels, Blocks = blocks, RowsPerBlock = (rows + blocks - 1) / blocks, Partial = partial };
    }

    private static void Run(ref Job job)
    {
        fixed (Job* p = &job)
        {
            if (job.Blocks == 1 || ParallelRange.MaxDegree == 1)
                for (int b = 0; b < job.Blocks; b++) Block(b, p);
            else
                ParallelRange.For(job.Blocks, &Block, p);
        }
    }

    /// <summary>Adds the per-block partial vectors: dst = Σ_b partial[b].</summary>
    private static void Combine(float* partial, int blocks, int channels, float* dst)
    {
        var d = new Span<float>(dst, channels);
        new ReadOnlySpan<float>(partial, channels).CopyTo(d);
        for (int b = 1; b < blocks; b++) TensorPrimitives.Add(d, new ReadOnlySpan<float>(partial + (long)b * channels, channels), d);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Block(int block, void* state)
    {
        var job = (Job*)state;
        int C = job->C;
        int r0 = block * job->RowsPerBlock, r1 = Math.Min(r0 + job->RowsPerBlock, job->Rows);
        switch (job->Pass)
        {
            case Pass.Sum:
            case Pass.SquaredDeviation:
                ReduceBlock(job->X, job->Pass == Pass.SquaredDeviation ? job->A : null, r0, r1, C, job->Partial + (long)block * C);
                break;
            case Pass.GradientSums:
                GradientBlock(job->G, job->X, job->A, r0, r1, C, job->Partial + (long)block * C, job->Partial + ((long)job->Blocks + block) * C);
                break;
            case Pass.ScaleShift:
                for (int r = r0; r < r1; r++)
                {
                    long at = (long)r * C;
                    TensorPrimitives.FusedMultiplyAdd(new ReadOnlySpan<float>(job->X + at, C), new ReadOnlySpan<float>(job->A, C),
                        new ReadOnlySpan<float>(job->Shift, C), new Span<float>(job->Y + at, C));
                }
                break;
            case Pass.Affine2:
                for (int r = r0; r < r1; r++)
                {
                    long at = (long)r * C;
                    var dx = new Span<float>(job->Y + at, C);
                    TensorPrimitives.FusedMultiplyAdd(new ReadOnlySpan<float>(job->X + at, C), new ReadOnlySpan<float>(job->B, C),
                        new ReadOnlySpan<float>(job->Shift, C), dx);
                    TensorPrimitives.FusedMultiplyAdd(new ReadOnlySpan<float>(job->G + at, C), new ReadOnlySpan<float>(job->A, C), dx, dx);
                }
                break;
        }
    }

    /// <summary>dst[c] = Σ_r x[r, c] (mean null) or Σ_r (x[r, c] − mean[c])², over rows r0..r1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReduceBlock(float* x, float* mean, int r0, int r1, int C, float* dst)
    {
        int c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c <= C - Vector256<float>.Count; c += Vector256<float>.Count)
            {
                var acc = Vector256<float>.Zero;
                float* p = x + (long)r0 * C + c;
                if (mean is null)
                    for (int r = r0; r < r1; r++, p += C) acc += Vector256.Load(p);
                else
                {
                    var m = Vector256.Load(mean + c);
                    for (int r = r0; r < r1; r++, p += C) { var d = Vector256.Load(p) - m; acc = Vector256.FusedMultiplyAdd(d, d, acc); }
                }
                acc.Store(dst + c);
            }
        }
        for (; c < C; c++)
        {
            float acc = 0f, m = mean is null ? 0f : mean[c];
            float* p = x + (long)r0 * C + c;
            if (mean is null) for (int r = r0; r < r1; r++, p += C) acc += *p;
            else for (int r = r0; r < r1; r++, p += C) { float d = *p - m; acc += d * d; }
            dst[c] = acc;
        }
    }

    /// <summary>sumG[c] = Σ_r g[r, c] and sumGC[c] = Σ_r g[r, c]·(x[r, c] − mean[c]), over rows r0..r1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void GradientBlock(float* g, float* x, float* mean, int r0, int r1, int C, float* sumG, float* sumGC)
    {
        int c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c <= C - Vector256<float>.Count; c += Vector256<float>.Count)
            {
                var s1 = Vector256<float>.Zero; var s2 = Vector256<float>.Zero;
                var m = Vector256.Load(mean + c);
                long at = (long)r0 * C + c;
                for (int r = r0; r < r1; r++, at += C)
                {
                    var gv = Vector256.Load(g + at);
                    s1 += gv;
                    s2 = Vector256.FusedMultiplyAdd(gv, Vector256.Load(x + at) - m, s2);
                }
                s1.Store(sumG + c); s2.Store(sumGC + c);
            }
        }
        for (; c < C; c++)
        {
            float s1 = 0f, s2 = 0f, m = mean[c];
            long at = (long)r0 * C + c;
            for (int r = r0; r < r1; r++, at += C) { s1 += g[at]; s2 += g[at] * (x[at] - m); }
            sumG[c] = s1; sumGC[c] = s2;
        }
    }
}
