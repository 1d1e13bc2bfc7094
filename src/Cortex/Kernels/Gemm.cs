using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Cortex.Kernels;

/// <summary>
/// Single-precision general matrix multiply (SGEMM) on row-major matrices: blocked and packed in the
/// GotoBLAS/BLIS manner, with a register-blocked FMA micro-kernel picked at run time (AVX-512, AVX2+FMA, or a
/// portable Vector128 one) and the work spread over all processors.
/// </summary>
public static class Gemm
{
    /// <summary>
    /// C[m×n] = alpha · op(A)[m×k] · op(B)[k×n] + beta · C, all matrices row-major.
    /// </summary>
    /// <param name="transA">
    /// false: op(A) = A, stored m×k with rows <paramref name="lda"/> floats apart.
    /// true: op(A) = Aᵀ, where A is stored k×m with rows <paramref name="lda"/> floats apart.
    /// </param>
    /// <param name="transB">
    /// false: op(B) = B, stored k×n with rows <paramref name="ldb"/> apart.
    /// true: op(B) = Bᵀ, where B is stored n×k with rows <paramref name="ldb"/> apart.
    /// </param>
    /// <param name="m">Rows of op(A) and of C.</param>
    /// <param name="n">Columns of op(B) and of C.</param>
    /// <param name="k">Columns of op(A), rows of op(B). k == 0 gives C = beta·C.</param>
    /// <param name="alpha">Scale of the product. alpha == 0 gives C = beta·C without reading A or B.</param>
    /// <param name="a">A's storage; at least (rows − 1)·lda + columns long, in A's stored shape.</param>
    /// <param name="lda">Row stride of A as stored: at least k (m when <paramref name="transA"/>).</param>
    /// <param name="b">B's storage; at least (rows − 1)·ldb + columns long, in B's stored shape.</param>
    /// <param name="ldb">Row stride of B as stored: at least n (k when <paramref name="transB"/>).</param>
    /// <param name="beta">Scale of C's old contents. beta == 0 overwrites C: its old contents, even NaN, are not read.</param>
    /// <param name="c">C's storage, m×n with rows <paramref name="ldc"/> apart; it must not overlap A or B.</param>
    /// <param name="ldc">Row stride of C: at least n.</param>
    /// <remarks>
    /// <para>
    /// Products of more than about 64³ multiply-adds run on all processors (the calling thread and
    /// <see cref="Environment.ProcessorCount"/> − 1 background workers); smaller ones run on the caller alone.
    /// Every element of C is summed over k in the same order whatever the number of threads or the way the
    /// work was shared, so results are bit-identical from run to run (and across thread counts) on a given machine.
    /// They may differ in the last bits between machines, which can pick different micro-kernels.
    /// </para>
    /// <para>Steady-state calls do not allocate: packing buffers are per-thread and reused.</para>
    /// </remarks>
    /// <exception cref="ArgumentException">A size is negative, a stride is smaller than its row length, or a span is too short.</exception>
    public static void Sgemm(bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
        => Sgemm(GemmPath.Auto, 0, transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

    /// <summary>The micro-kernel the public entry point uses on this machine.</summary>
    internal static GemmPath DefaultPath { get; } =
        Avx512Kernel.IsSupported ? GemmPath.Avx512 : Avx2Kernel.IsSupported ? GemmPath.Avx2 : GemmPath.Portable;

    /// <summary>Products with fewer multiply-adds than this run on the calling thread alone.</summary>
    internal const long ParallelThreshold = 64 * 64 * 64;

    /// <summary>
    /// <see cref="Sgemm(bool, bool, int, int, int, float, ReadOnlySpan{float}, int, ReadOnlySpan{float}, int, float, Span{float}, int)"/>
    /// with a forced micro-kernel (<see cref="GemmPath.Auto"/>: the default) and thread cap (0: all processors).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // optimised from the first call (short benchmarks, first epochs)
    internal static unsafe void Sgemm(GemmPath path, int maxThreads, bool transA, bool transB, int m, int n, int k, float alpha,
        ReadOnlySpan<float> a, int lda, ReadOnlySpan<float> b, int ldb, float beta, Span<float> c, int ldc)
    {
        if (m < 0) throw new ArgumentException($"m must be non-negative; got {m}.", nameof(m));
        if (n < 0) throw new ArgumentException($"n must be non-negative; got {n}.", nameof(n));
        if (k < 0) throw new ArgumentException($"k must be non-negative; got {k}.", nameof(k));
        CheckMatrix(transA ? k : m, transA ? m : k, a.Length, lda, transA ? "A (k×m, transposed)" : "A (m×k)", nameof(a), nameof(lda));
        CheckMatrix(transB ? n : k, transB ? k : n, b.Length, ldb, transB ? "B (n×k, transposed)" : "B (k×n)", nameof(b), nameof(ldb));
        CheckMatrix(m, n, c.Length, ldc, "C (m×n)", nameof(c), nameof(ldc));
        if (path == GemmPath.Auto) path = DefaultPath;
        bool supported = path switch
        {
            GemmPath.Avx512 => Avx512Kernel.IsSupported,
            GemmPath.Avx2 => Avx2Kernel.IsSupported,
            GemmPath.Portable => PortableKernel.IsSupported,
            _ => false,
        };
        if (!supported) throw new PlatformNotSupportedException($"GEMM micro-kernel {path} is not supported on this machine.");

        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f)
        {
            ScaleC(m, n, beta, c, ldc);
            return;
        }

        fixed (float* pa = a)
        fixed (float* pb = b)
        fixed (float* pc = c)
        {
            var job = new GemmJob
            {
                A = pa, Lda = lda, TransA = transA,
                B = pb, Ldb = ldb, TransB = transB,
                C = pc, Ldc = ldc,
                M = m, N = n, K = k, Alpha = alpha, Beta = beta,
            };
            int threads = maxThreads <= 0 ? ParallelRange.MaxDegree : Math.Min(maxThreads, ParallelRange.MaxDegree);
            if ((long)m * n * k < ParallelThreshold) threads = 1;
            switch (path)
            {
                case GemmPath.Avx512: GemmDriver<Avx512Kernel>.Run(ref job, threads); break;
                case GemmPath.Avx2: GemmDriver<Avx2Kernel>.Run(ref job, threads); break;
                default: GemmDriver<PortableKernel>.Run(ref job, threads); break;
            }
        }
    }

    private static void CheckMatrix(int rows, int cols, int length, int ld, string what, string spanName, string ldName)
    {
        if (ld < cols || ld < 0)
            throw new ArgumentException($"{ldName} must be at least {cols}, the row length of {what}; got {ld}.", ldName);
        long need = rows == 0 || cols == 0 ? 0 : (long)(rows - 1) * ld + cols;
        if (length < need)
            throw new ArgumentException(
                $"{spanName} is too short for {what} = {rows}×{cols} with row stride {ld}: needs {need} floats, got {length}.", spanName);
    }

    private static void ScaleC(int m, int n, float beta, Span<float> c, int ldc)
    {
        for (int i = 0; i < m; i++)
        {
            var row = c.Slice(i * ldc, n);
            if (beta == 0f) row.Clear();
            else if (beta != 1f) System.Numerics.Tensors.TensorPrimitives.Multiply(row, beta, row);
        }
    }
}

/// <summary>Which micro-kernel a GEMM runs (tests force each one).</summary>
internal enum GemmPath
{
    /// <summary>The fastest one this machine supports.</summary>
    Auto,
    /// <summary><see cref="Avx512Kernel"/>.</summary>
    Avx512,
    /// <summary><see cref="Avx2Kernel"/>.</summary>
    Avx2,
    /// <summary><see cref="PortableKernel"/>.</summary>
    Portable,
}

/// <summary>One GEMM call: its operands (pinned for the duration of the call), its blocking and its work split.</summary>
internal unsafe struct GemmJob
{
    public float* A, B, C;
    public nint Lda, Ldb, Ldc;
    public bool TransA, TransB;
    public int M, N, K;
    public float Alpha, Beta;

    /// <summary>Depth of a k block (the last one may be shallower) and the number of k blocks.</summary>
    public int Kc, KBlocks;
    /// <summary>Micro-panels of op(A) (MR rows each) and of op(B) (NR columns each).</summary>
    public int APanels, BPanels;
    /// <summary>The k blocks packed in the current step: [StepBegin, StepEnd).</summary>
    public int StepBegin, StepEnd;
    /// <summary>Packed panels of the current step: A's k block b at PackedA + b·APanels·MR·Kc, B's likewise.</summary>
    public float* PackedA, PackedB;
    /// <summary>Packing items: A panels per item, B panels per item, A items per k block, B items per k block.</summary>
    public int APanelsPerItem, BPanelsPerItem, AItems, BItems;
    /// <summary>Compute tasks: a grid of RowTasks × ColTasks blocks of C, in micro-panels.</summary>
    public int RowTasks, ColTasks;
}

/// <summary>
/// The blocked GEMM for one micro-kernel, in the manner of BLIS. k is cut into blocks of depth kc (≤ <see cref="KcMax"/>).
/// Each step packs one or more k blocks of op(A) (MR-row micro-panels) and op(B) (NR-column micro-panels) into a
/// shared buffer, all threads packing in parallel, then all threads compute: C is cut into a grid of tasks, each at
/// most <see cref="NcMax"/> columns wide so that its kc × columns slice of packed B stays in L2 while the task sweeps its
/// A micro-panels (each one stays in L1 while it meets every B micro-panel of the task). Every element of C is
/// accumulated over k in the same order whichever thread computes it, hence bit-identical results. Partial tiles at
/// the m and n edges run on zero-padded panels into a scratch tile, of which only the valid part is written back.
/// </summary>
internal static unsafe class GemmDriver<TK> where TK : struct, IGemmKernel
{
    /// <summary>
    /// Deepest k block. 400 keeps a 12-row A micro-panel at 19 KiB of the 32 KiB L1 and a 400 × 512 slice of packed
    /// B at 800 KiB of the 1 MiB L2 (Zen 4), while a C tile is read and written only ⌈k / 400⌉ times. (Measured on a
    /// 2-core Zen 4: kc from 320 to 512 and task widths from 256 to 768 are within noise of each other.)
    /// </summary>
    private const int KcMax = 400;

    /// <summary>Widest compute task, in columns (see <see cref="KcMax"/>).</summary>
    private const int NcMax = 512;

    /// <summary>Largest packed buffer of one step; bigger products pack fewer k blocks per step.</summary>
    private const long StepFloats = 2 << 20; // 8 MiB

    /// <summary>Multiply-adds per compute task that make the split worth its overhead (about 40 µs of one core).</summary>
    private const long TaskMacs = 2 << 20;

    /// <summary>Roughly this many floats are packed per packing item.</summary>
    private const int PackItemFloats = 64 << 10;

    /// <summary>Rows and columns of C per outer block: bounds the packed buffer to (2 · 4096) × kc floats a step.</summary>
    private const int OuterBlock = 4096;

    [ThreadStatic] private static float[]? t_packed;

    /// <summary>Computes the product of <paramref name="job"/> on up to <paramref name="threads"/> threads.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // optimised from the first call (short benchmarks, first epochs)
    public static void Run(ref GemmJob job, int threads)
    {
        if (job.M <= OuterBlock && job.N <= OuterBlock)
        {
            RunBlock(ref job, threads);
            return;
        }
        // Very tall or wide products run as independent blocks of C (each element still sums over k in one order).
        for (int i0 = 0; i0 < job.M; i0 += OuterBlock)
            for (int j0 = 0; j0 < job.N; j0 += OuterBlock)
            {
                var block = job;
                block.M = Math.Min(OuterBlock, job.M - i0);
                block.N = Math.Min(OuterBlock, job.N - j0);
                block.A = job.TransA ? job.A + i0 : job.A + i0 * job.Lda;
                block.B = job.TransB ? job.B + j0 * job.Ldb : job.B + j0;
                block.C = job.C + i0 * job.Ldc + j0;
                RunBlock(ref block, threads);
            }
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // optimised from the first call (short benchmarks, first epochs)
    private static void RunBlock(ref GemmJob job, int threads)
    {
        int MR = TK.MR, NR = TK.NR;
        job.KBlocks = (job.K + KcMax - 1) / KcMax;
        job.Kc = (job.K + job.KBlocks - 1) / job.KBlocks;
        job.APanels = (job.M + MR - 1) / MR;
        job.BPanels = (job.N + NR - 1) / NR;
        long blockFloats = ((long)job.APanels * MR + (long)job.BPanels * NR) * job.Kc;
        int blocksPerStep = (int)Math.Clamp(StepFloats / blockFloats, 1, job.KBlocks);

        job.APanelsPerItem = Math.Max(1, PackItemFloats / (MR * job.Kc));
        job.BPanelsPerItem = Math.Max(1, PackItemFloats / (NR * job.Kc));
        job.AItems = (job.APanels + job.APanelsPerItem - 1) / job.APanelsPerItem;
        job.BItems = (job.BPanels + job.BPanelsPerItem - 1) / job.BPanelsPerItem;
        PlanTasks(ref job, threads);

        // The packed panels live in a buffer of the calling thread: it waits for the workers, so nobody else uses it.
        long aFloats = (long)job.APanels * MR * job.Kc, bFloats = (long)job.BPanels * NR * job.Kc;
        float* packed = Buffer(checked((int)((aFloats + bFloats) * blocksPerStep + 32)));
        job.PackedA = packed;
        job.PackedB = packed + RoundUp(aFloats * blocksPerStep, 16);

        fixed (GemmJob* state = &job)
        {
            for (int step = 0; step < job.KBlocks; step += blocksPerStep)
            {
                job.StepBegin = step;
                job.StepEnd = Math.Min(job.KBlocks, step + blocksPerStep);
                int packItems = (job.AItems + job.BItems) * (job.StepEnd - job.StepBegin);
                int tasks = job.RowTasks * job.ColTasks;
                if (threads <= 1)
                {
                    for (int i = 0; i < packItems; i++) Pack(i, state);
                    for (int t = 0; t < tasks; t++) Compute(t, state);
                }
                else
                {
                    ParallelRange.For(packItems, &Pack, state, threads);
                    ParallelRange.For(tasks, &Compute, state, threads);
                }
            }
        }
    }

    /// <summary>
    /// Cuts C into tasks: at most <see cref="NcMax"/> columns wide, then halves the longer side until there are
    /// enough tasks for every thread to get several (so that a thread the OS delays is made up for by the others),
    /// but no more than the work of a k block justifies.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // optimised from the first call (short benchmarks, first epochs)
    private static void PlanTasks(ref GemmJob job, int threads)
    {
        int MR = TK.MR, NR = TK.NR;
        int rowPanels = job.APanels, colPanels = Math.Min(job.BPanels, NcMax / NR);
        int rowTasks = 1, colTasks = (job.BPanels + colPanels - 1) / colPanels;
        if (threads > 1)
        {
            long macs = (long)job.M * job.N * job.Kc;
            long want = Math.Clamp(macs / TaskMacs, threads, 4L * threads);
            want = (want + threads - 1) / threads * threads;
            while ((long)rowTasks * colTasks < want && (rowPanels > 1 || colPanels > 1))
            {
                // Halve the side that makes the largest task smaller (it sets the pace), preferring rows when it is
                // about even: tasks that share a column slice share its packed B.
                long byRows = (long)((rowPanels + 1) / 2) * MR * colPanels * NR;
                long byCols = (long)rowPanels * MR * ((colPanels + 1) / 2) * NR;
                if (colPanels == 1 || (rowPanels > 1 && byRows <= byCols + byCols / 20))
                {
                    rowPanels = (rowPanels + 1) / 2;
                    rowTasks = (job.APanels + rowPanels - 1) / rowPanels;
                }
                else
                {
                    colPanels = (colPanels + 1) / 2;
                    colTasks = (job.BPanels + colPanels - 1) / colPanels;
                }
            }
        }
        job.RowTasks = rowTasks;
        job.ColTasks = colTasks;
    }

    private static long RoundUp(long x, int to) => (x + to - 1) / to * to;

    /// <summary>A 64-byte-aligned buffer of the calling thread, of at least <paramref name="floats"/> floats.</summary>
    private static float* Buffer(int floats)
    {
        var buffer = t_packed;
        if (buffer is null || buffer.Length < floats + 16)
            t_packed = buffer = GC.AllocateUninitializedArray<float>(Math.Max(floats + 16, buffer?.Length * 2 ?? 0), pinned: true);
        var p = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)(((nuint)p + 63) & ~(nuint)63);
    }

    /// <summary>Packing item <paramref name="item"/> of the current step: a run of A panels or of B panels of one k block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Pack(int item, void* state)
    {
        ref GemmJob job = ref Unsafe.AsRef<GemmJob>(state);
        int MR = TK.MR, NR = TK.NR;
        int perBlock = job.AItems + job.BItems;
        int local = item / perBlock, within = item - local * perBlock;
        int p0 = (job.StepBegin + local) * job.Kc, kc = Math.Min(job.Kc, job.K - p0);
        if (within < job.AItems)
        {
            float* block = job.PackedA + (long)local * job.APanels * MR * job.Kc;
            int first = within * job.APanelsPerItem, last = Math.Min(job.APanels, first + job.APanelsPerItem);
            for (int panel = first; panel < last; panel++)
            {
                int i = panel * MR, rows = Math.Min(MR, job.M - i);
                float* dst = block + (nint)panel * MR * kc;
                if (job.TransA) GemmPacking.PackCopy(job.A + p0 * job.Lda + i, job.Lda, kc, rows, dst, MR);
                else GemmPacking.PackTranspose(job.A + i * job.Lda + p0, job.Lda, rows, kc, dst, MR);
            }
        }
        else
        {
            float* block = job.PackedB + (long)local * job.BPanels * NR * job.Kc;
            int first = (within - job.AItems) * job.BPanelsPerItem, last = Math.Min(job.BPanels, first + job.BPanelsPerItem);
            int j0 = first * NR, j1 = Math.Min(job.N, last * NR);
            if (job.TransB)
            {
                for (int panel = first; panel < last; panel++)
                {
                    int j = panel * NR;
                    GemmPacking.PackTranspose(job.B + j * job.Ldb + p0, job.Ldb, Math.Min(NR, job.N - j), kc,
                        block + (nint)panel * NR * kc, NR);
                }
            }
            else
            {
                GemmPacking.PackCopyPanels(job.B + p0 * job.Ldb + j0, job.Ldb, kc, j1 - j0, block + (nint)first * NR * kc, NR);
            }
        }
    }

    /// <summary>Compute task <paramref name="task"/> of the current step: one block of C over the step's k blocks.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Compute(int task, void* state)
    {
        ref GemmJob job = ref Unsafe.AsRef<GemmJob>(state);
        int MR = TK.MR, NR = TK.NR;
        // Tasks of one column block are consecutive, so a thread that takes several keeps that packed B slice in L2.
        int ct = task / job.RowTasks, rt = task - ct * job.RowTasks;
        int rowPanels = (job.APanels + job.RowTasks - 1) / job.RowTasks, colPanels = (job.BPanels + job.ColTasks - 1) / job.ColTasks;
        int ir0 = rt * rowPanels, ir1 = Math.Min(job.APanels, ir0 + rowPanels);
        int jr0 = ct * colPanels, jr1 = Math.Min(job.BPanels, jr0 + colPanels);
        float* tile = stackalloc float[MR * NR];
        float* C = job.C;
        nint ldc = job.Ldc;
        float alpha = job.Alpha;
        int M = job.M, N = job.N;

        for (int kb = job.StepBegin; kb < job.StepEnd; kb++)
        {
            int local = kb - job.StepBegin;
            int kc = Math.Min(job.Kc, job.K - kb * job.Kc);
            float beta = kb == 0 ? job.Beta : 1f;
            float* aBlock = job.PackedA + (long)local * job.APanels * MR * job.Kc;
            float* bBlock = job.PackedB + (long)local * job.BPanels * NR * job.Kc;
            for (int ir = ir0; ir < ir1; ir++)
            {
                int i = ir * MR, mr = Math.Min(MR, M - i);
                float* pa = aBlock + (nint)ir * MR * kc;
                for (int jr = jr0; jr < jr1; jr++)
                {
                    int j = jr * NR, nr = Math.Min(NR, N - j);
                    float* pb = bBlock + (nint)jr * NR * kc;
                    float* pc = C + i * ldc + j;
                    if (mr == MR && nr == NR)
                    {
                        TK.Run(kc, pa, pb, pc, ldc, alpha, beta);
                        continue;
                    }
                    TK.Run(kc, pa, pb, tile, NR, 1f, 0f);
                    for (int r = 0; r < mr; r++)
                    {
                        float* t = tile + r * NR;
                        float* cr = pc + r * ldc;
                        if (beta == 0f)
                            for (int q = 0; q < nr; q++) cr[q] = alpha * t[q];
                        else
                            for (int q = 0; q < nr; q++) cr[q] = MathF.FusedMultiplyAdd(alpha, t[q], beta * cr[q]);
                    }
                }
            }
        }
    }
}
