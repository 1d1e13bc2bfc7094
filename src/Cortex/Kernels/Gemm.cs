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

/// <summary>One GEMM call: its operands (pinned for the duration of the call) and its partition into tasks.</summary>
internal unsafe struct GemmJob
{
    public float* A, B, C;
    public nint Lda, Ldb, Ldc;
    public bool TransA, TransB;
    public int M, N, K;
    public float Alpha, Beta;

    /// <summary>Depth of a k block (the kc of the packed panels).</summary>
    public int Kc;
    /// <summary>Rows and columns of C per task (multiples of MR and NR), and the task grid.</summary>
    public int TaskRows, TaskCols, RowTasks, ColTasks;
}

/// <summary>
/// The blocked GEMM for one micro-kernel. C is cut into tasks of TaskRows × TaskCols (independent, so no barrier is
/// ever needed); each task loops over k blocks of depth kc: it packs its kc × TaskCols slice of op(B) (sized to stay in
/// L2), then for each MR-row micro-panel of op(A) packs it (it stays in L1) and sweeps it across the packed B
/// micro-panels with the micro-kernel. Partial tiles at the m and n edges are computed in a zero-padded scratch tile
/// and only their valid part is written back.
/// </summary>
internal static unsafe class GemmDriver<TK> where TK : struct, IGemmKernel
{
    /// <summary>Largest k block: a 12 × 320 A micro-panel (15 KiB) sits in L1 next to the streaming B micro-panel.</summary>
    private const int KcMax = 320;

    /// <summary>Largest task width: a 320 × 512 packed B block (640 KiB) stays in a 1 MiB L2.</summary>
    private const int NcMax = 512;

    [ThreadStatic] private static float[]? t_buffer;

    public static void Run(ref GemmJob job, int threads)
    {
        int mr = TK.MR, nr = TK.NR;
        int kBlocks = (job.K + KcMax - 1) / KcMax;
        job.Kc = (job.K + kBlocks - 1) / kBlocks;

        int rowTasks = 1, colTasks = (job.N + NcMax - 1) / NcMax;
        if (threads > 1)
        {
            // At least two tasks per thread when there is enough work, so that a thread slowed by the OS is made
            // up by the others; split the longer side of the task in two until there are enough.
            long flops = (long)job.M * job.N * job.K;
            int want = flops >= (long)threads * 2 * 128 * 128 * 128 ? 2 * threads : threads;
            while (rowTasks * colTasks < want)
            {
                int h = (job.M + rowTasks - 1) / rowTasks, w = (job.N + colTasks - 1) / colTasks;
                if (h >= w && h > mr) rowTasks *= 2;
                else if (w > nr) colTasks *= 2;
                else if (h > mr) rowTasks *= 2;
                else break;
            }
        }
        job.TaskRows = RoundUp((job.M + rowTasks - 1) / rowTasks, mr);
        job.TaskCols = RoundUp((job.N + colTasks - 1) / colTasks, nr);
        job.RowTasks = (job.M + job.TaskRows - 1) / job.TaskRows;
        job.ColTasks = (job.N + job.TaskCols - 1) / job.TaskCols;
        int tasks = job.RowTasks * job.ColTasks;

        fixed (GemmJob* state = &job)
        {
            if (threads <= 1 || tasks == 1)
                for (int t = 0; t < tasks; t++) RunTask(t, state);
            else
                ParallelRange.For(tasks, &RunTask, state, threads);
        }
    }

    private static int RoundUp(int x, int to) => (x + to - 1) / to * to;

    /// <summary>A 64-byte-aligned per-thread scratch of at least <paramref name="floats"/> floats.</summary>
    private static float* Scratch(int floats)
    {
        var buffer = t_buffer;
        if (buffer is null || buffer.Length < floats + 16)
            t_buffer = buffer = GC.AllocateUninitializedArray<float>(Math.Max(floats + 16, buffer?.Length * 2 ?? 0), pinned: true);
        var p = (float*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(buffer));
        return (float*)(((nuint)p + 63) & ~(nuint)63);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void RunTask(int task, void* state)
    {
        ref GemmJob job = ref Unsafe.AsRef<GemmJob>(state);
        int MR = TK.MR, NR = TK.NR;
        int i0 = task / job.ColTasks * job.TaskRows, i1 = Math.Min(job.M, i0 + job.TaskRows);
        int j0 = task % job.ColTasks * job.TaskCols, j1 = Math.Min(job.N, j0 + job.TaskCols);
        int kcMax = job.Kc;

        // Scratch: the packed B block (TaskCols × kc), one packed A micro-panel (MR × kc), one edge tile (MR × NR).
        int bFloats = RoundUp(RoundUp(j1 - j0, NR) * kcMax, 16), aFloats = RoundUp(MR * kcMax, 16);
        float* packB = Scratch(bFloats + aFloats + MR * NR);
        float* packA = packB + bFloats;
        float* tile = packA + aFloats;

        float* A = job.A, B = job.B, C = job.C;
        nint lda = job.Lda, ldb = job.Ldb, ldc = job.Ldc;
        float alpha = job.Alpha;
        for (int p0 = 0; p0 < job.K; p0 += kcMax)
        {
            int kc = Math.Min(kcMax, job.K - p0);
            float beta = p0 == 0 ? job.Beta : 1f;

            for (int j = j0; j < j1; j += NR)
            {
                float* dst = packB + (nint)(j - j0) * kc;
                int nr = Math.Min(NR, j1 - j);
                if (job.TransB) GemmPacking.PackTranspose(B + j * ldb + p0, ldb, nr, kc, dst, NR);
                else GemmPacking.PackCopy(B + p0 * ldb + j, ldb, kc, nr, dst, NR);
            }

            for (int i = i0; i < i1; i += MR)
            {
                int mr = Math.Min(MR, i1 - i);
                if (job.TransA) GemmPacking.PackCopy(A + p0 * lda + i, lda, kc, mr, packA, MR);
                else GemmPacking.PackTranspose(A + i * lda + p0, lda, mr, kc, packA, MR);

                for (int j = j0; j < j1; j += NR)
                {
                    int nr = Math.Min(NR, j1 - j);
                    float* pb = packB + (nint)(j - j0) * kc;
                    float* pc = C + i * ldc + j;
                    if (mr == MR && nr == NR)
                    {
                        TK.Run(kc, packA, pb, pc, ldc, alpha, beta);
                    }
                    else
                    {
                        TK.Run(kc, packA, pb, tile, NR, 1f, 0f);
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
}
