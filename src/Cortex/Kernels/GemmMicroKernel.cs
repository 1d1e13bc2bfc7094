using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cortex.Kernels;

// The kernel bodies below are fully unrolled over the register tile on purpose: every accumulator must be its own
// local so that the JIT keeps it in a register (a loop over an array or span of accumulators would live in memory).

/// <summary>
/// A register-blocked GEMM micro-kernel: C[MR×NR] = alpha·(Ã·B̃) + beta·C, where Ã is a packed MR-row micro-panel of
/// op(A) (kc groups of MR values, one group per k) and B̃ a packed NR-column micro-panel of op(B) (kc groups of NR).
/// beta == 0 does not read C. Implementations are structs so that the generic driver is specialised per kernel and
/// the calls are direct.
/// </summary>
internal unsafe interface IGemmKernel
{
    /// <summary>Rows of the register tile (the broadcast side, packed from op(A)).</summary>
    static abstract int MR { get; }

    /// <summary>Columns of the register tile (the vector side, packed from op(B)); a multiple of the vector width.</summary>
    static abstract int NR { get; }

    /// <summary>Whether this machine runs the kernel natively.</summary>
    static abstract bool IsSupported { get; }

    /// <summary>C[r, j] = alpha·Σₚ a[p·MR + r]·b[p·NR + j] + beta·C[r, j] for r &lt; MR, j &lt; NR, with C's rows ldc apart.</summary>
    static abstract void Run(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta);
}

/// <summary>AVX-512 micro-kernel: 12×32 tile in 24 zmm accumulators; each k step loads 2 vectors of B̃ and broadcasts each of the 12 values of Ã into 2 FMAs. The C tile is prefetched on entry, as it is read or written only at the end.</summary>
internal unsafe struct Avx512Kernel : IGemmKernel
{
    public static int MR => 12;
    public static int NR => 32;
    public static bool IsSupported => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector512<float> c0_0 = default, c0_1 = default;
        Vector512<float> c1_0 = default, c1_1 = default;
        Vector512<float> c2_0 = default, c2_1 = default;
        Vector512<float> c3_0 = default, c3_1 = default;
        Vector512<float> c4_0 = default, c4_1 = default;
        Vector512<float> c5_0 = default, c5_1 = default;
        Vector512<float> c6_0 = default, c6_1 = default;
        Vector512<float> c7_0 = default, c7_1 = default;
        Vector512<float> c8_0 = default, c8_1 = default;
        Vector512<float> c9_0 = default, c9_1 = default;
        Vector512<float> c10_0 = default, c10_1 = default;
        Vector512<float> c11_0 = default, c11_1 = default;
        Vector512<float> b0, b1;
        Vector512<float> a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11;
        Sse.Prefetch0(c + 0 * ldc);
        Sse.Prefetch0(c + 0 * ldc + 31);
        Sse.Prefetch0(c + 1 * ldc);
        Sse.Prefetch0(c + 1 * ldc + 31);
        Sse.Prefetch0(c + 2 * ldc);
        Sse.Prefetch0(c + 2 * ldc + 31);
        Sse.Prefetch0(c + 3 * ldc);
        Sse.Prefetch0(c + 3 * ldc + 31);
        Sse.Prefetch0(c + 4 * ldc);
        Sse.Prefetch0(c + 4 * ldc + 31);
        Sse.Prefetch0(c + 5 * ldc);
        Sse.Prefetch0(c + 5 * ldc + 31);
        Sse.Prefetch0(c + 6 * ldc);
        Sse.Prefetch0(c + 6 * ldc + 31);
        Sse.Prefetch0(c + 7 * ldc);
        Sse.Prefetch0(c + 7 * ldc + 31);
        Sse.Prefetch0(c + 8 * ldc);
        Sse.Prefetch0(c + 8 * ldc + 31);
        Sse.Prefetch0(c + 9 * ldc);
        Sse.Prefetch0(c + 9 * ldc + 31);
        Sse.Prefetch0(c + 10 * ldc);
        Sse.Prefetch0(c + 10 * ldc + 31);
        Sse.Prefetch0(c + 11 * ldc);
        Sse.Prefetch0(c + 11 * ldc + 31);
        for (; kc > 0; kc--)
        {
            b0 = Vector512.Load(b + 0);
            b1 = Vector512.Load(b + 16);
            a0 = Vector512.Create(a[0]);
            c0_0 = Avx512F.FusedMultiplyAdd(a0, b0, c0_0);
            c0_1 = Avx512F.FusedMultiplyAdd(a0, b1, c0_1);
            a1 = Vector512.Create(a[1]);
            c1_0 = Avx512F.FusedMultiplyAdd(a1, b0, c1_0);
            c1_1 = Avx512F.FusedMultiplyAdd(a1, b1, c1_1);
            a2 = Vector512.Create(a[2]);
            c2_0 = Avx512F.FusedMultiplyAdd(a2, b0, c2_0);
            c2_1 = Avx512F.FusedMultiplyAdd(a2, b1, c2_1);
            a3 = Vector512.Create(a[3]);
            c3_0 = Avx512F.FusedMultiplyAdd(a3, b0, c3_0);
            c3_1 = Avx512F.FusedMultiplyAdd(a3, b1, c3_1);
            a4 = Vector512.Create(a[4]);
            c4_0 = Avx512F.FusedMultiplyAdd(a4, b0, c4_0);
            c4_1 = Avx512F.FusedMultiplyAdd(a4, b1, c4_1);
            a5 = Vector512.Create(a[5]);
            c5_0 = Avx512F.FusedMultiplyAdd(a5, b0, c5_0);
            c5_1 = Avx512F.FusedMultiplyAdd(a5, b1, c5_1);
            a6 = Vector512.Create(a[6]);
            c6_0 = Avx512F.FusedMultiplyAdd(a6, b0, c6_0);
            c6_1 = Avx512F.FusedMultiplyAdd(a6, b1, c6_1);
            a7 = Vector512.Create(a[7]);
            c7_0 = Avx512F.FusedMultiplyAdd(a7, b0, c7_0);
            c7_1 = Avx512F.FusedMultiplyAdd(a7, b1, c7_1);
            a8 = Vector512.Create(a[8]);
            c8_0 = Avx512F.FusedMultiplyAdd(a8, b0, c8_0);
            c8_1 = Avx512F.FusedMultiplyAdd(a8, b1, c8_1);
            a9 = Vector512.Create(a[9]);
            c9_0 = Avx512F.FusedMultiplyAdd(a9, b0, c9_0);
            c9_1 = Avx512F.FusedMultiplyAdd(a9, b1, c9_1);
            a10 = Vector512.Create(a[10]);
            c10_0 = Avx512F.FusedMultiplyAdd(a10, b0, c10_0);
            c10_1 = Avx512F.FusedMultiplyAdd(a10, b1, c10_1);
            a11 = Vector512.Create(a[11]);
            c11_0 = Avx512F.FusedMultiplyAdd(a11, b0, c11_0);
            c11_1 = Avx512F.FusedMultiplyAdd(a11, b1, c11_1);
            a += 12;
            b += 32;
        }
        var va = Vector512.Create(alpha);
        if (beta == 0f)
        {
            (c0_0 * va).Store(c + 0 * ldc + 0);
            (c0_1 * va).Store(c + 0 * ldc + 16);
            (c1_0 * va).Store(c + 1 * ldc + 0);
            (c1_1 * va).Store(c + 1 * ldc + 16);
            (c2_0 * va).Store(c + 2 * ldc + 0);
            (c2_1 * va).Store(c + 2 * ldc + 16);
            (c3_0 * va).Store(c + 3 * ldc + 0);
            (c3_1 * va).Store(c + 3 * ldc + 16);
            (c4_0 * va).Store(c + 4 * ldc + 0);
            (c4_1 * va).Store(c + 4 * ldc + 16);
            (c5_0 * va).Store(c + 5 * ldc + 0);
            (c5_1 * va).Store(c + 5 * ldc + 16);
            (c6_0 * va).Store(c + 6 * ldc + 0);
            (c6_1 * va).Store(c + 6 * ldc + 16);
            (c7_0 * va).Store(c + 7 * ldc + 0);
            (c7_1 * va).Store(c + 7 * ldc + 16);
            (c8_0 * va).Store(c + 8 * ldc + 0);
            (c8_1 * va).Store(c + 8 * ldc + 16);
            (c9_0 * va).Store(c + 9 * ldc + 0);
            (c9_1 * va).Store(c + 9 * ldc + 16);
            (c10_0 * va).Store(c + 10 * ldc + 0);
            (c10_1 * va).Store(c + 10 * ldc + 16);
            (c11_0 * va).Store(c + 11 * ldc + 0);
            (c11_1 * va).Store(c + 11 * ldc + 16);
        }
        else
        {
            var vb = Vector512.Create(beta);
            Avx512F.FusedMultiplyAdd(c0_0, va, Vector512.Load(c + 0 * ldc + 0) * vb).Store(c + 0 * ldc + 0);
            Avx512F.FusedMultiplyAdd(c0_1, va, Vector512.Load(c + 0 * ldc + 16) * vb).Store(c + 0 * ldc + 16);
            Avx512F.FusedMultiplyAdd(c1_0, va, Vector512.Load(c + 1 * ldc + 0) * vb).Store(c + 1 * ldc + 0);
            Avx512F.FusedMultiplyAdd(c1_1, va, Vector512.Load(c + 1 * ldc + 16) * vb).Store(c + 1 * ldc + 16);
            Avx512F.FusedMultiplyAdd(c2_0, va, Vector512.Load(c + 2 * ldc + 0) * vb).Store(c + 2 * ldc + 0);
            Avx512F.FusedMultiplyAdd(c2_1, va, Vector512.Load(c + 2 * ldc + 16) * vb).Store(c + 2 * ldc + 16);
            Avx512F.FusedMultiplyAdd(c3_0, va, Vector512.Load(c + 3 * ldc + 0) * vb).Store(c + 3 * ldc + 0);
            Avx512F.FusedMultiplyAdd(c3_1, va, Vector512.Load(c + 3 * ldc + 16) * vb).Store(c + 3 * ldc + 16);
            Avx512F.FusedMultiplyAdd(c4_0, va, Vector512.Load(c + 4 * ldc + 0) * vb).Store(c + 4 * ldc + 0);
            Avx512F.FusedMultiplyAdd(c4_1, va, Vector512.Load(c + 4 * ldc + 16) * vb).Store(c + 4 * ldc + 16);
            Avx512F.FusedMultiplyAdd(c5_0, va, Vector512.Load(c + 5 * ldc + 0) * vb).Store(c + 5 * ldc + 0);
            Avx512F.FusedMultiplyAdd(c5_1, va, Vector512.Load(c + 5 * ldc + 16) * vb).Store(c + 5 * ldc + 16);
            Avx512F.FusedMultiplyAdd(c6_0, va, Vector512.Load(c + 6 * ldc + 0) * vb).Store(c + 6 * ldc + 0);
            Avx512F.FusedMultiplyAdd(c6_1, va, Vector512.Load(c + 6 * ldc + 16) * vb).Store(c + 6 * ldc + 16);
            Avx512F.FusedMultiplyAdd(c7_0, va, Vector512.Load(c + 7 * ldc + 0) * vb).Store(c + 7 * ldc + 0);
            Avx512F.FusedMultiplyAdd(c7_1, va, Vector512.Load(c + 7 * ldc + 16) * vb).Store(c + 7 * ldc + 16);
            Avx512F.FusedMultiplyAdd(c8_0, va, Vector512.Load(c + 8 * ldc + 0) * vb).Store(c + 8 * ldc + 0);
            Avx512F.FusedMultiplyAdd(c8_1, va, Vector512.Load(c + 8 * ldc + 16) * vb).Store(c + 8 * ldc + 16);
            Avx512F.FusedMultiplyAdd(c9_0, va, Vector512.Load(c + 9 * ldc + 0) * vb).Store(c + 9 * ldc + 0);
            Avx512F.FusedMultiplyAdd(c9_1, va, Vector512.Load(c + 9 * ldc + 16) * vb).Store(c + 9 * ldc + 16);
            Avx512F.FusedMultiplyAdd(c10_0, va, Vector512.Load(c + 10 * ldc + 0) * vb).Store(c + 10 * ldc + 0);
            Avx512F.FusedMultiplyAdd(c10_1, va, Vector512.Load(c + 10 * ldc + 16) * vb).Store(c + 10 * ldc + 16);
            Avx512F.FusedMultiplyAdd(c11_0, va, Vector512.Load(c + 11 * ldc + 0) * vb).Store(c + 11 * ldc + 0);
            Avx512F.FusedMultiplyAdd(c11_1, va, Vector512.Load(c + 11 * ldc + 16) * vb).Store(c + 11 * ldc + 16);
        }
    }
}

/// <summary>AVX2+FMA micro-kernel: 6×16 tile in 12 ymm accumulators, so that it fits the 16 registers of AVX2 machines.</summary>
internal unsafe struct Avx2Kernel : IGemmKernel
{
    public static int MR => 6;
    public static int NR => 16;
    public static bool IsSupported => Vector256.IsHardwareAccelerated && Fma.IsSupported;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector256<float> c0_0 = default, c0_1 = default;
        Vector256<float> c1_0 = default, c1_1 = default;
        Vector256<float> c2_0 = default, c2_1 = default;
        Vector256<float> c3_0 = default, c3_1 = default;
        Vector256<float> c4_0 = default, c4_1 = default;
        Vector256<float> c5_0 = default, c5_1 = default;
        Vector256<float> b0, b1;
        Vector256<float> a0, a1, a2, a3, a4, a5;
        for (; kc >= 4; kc -= 4)
        {
            b0 = Vector256.Load(b + 0);
            b1 = Vector256.Load(b + 8);
            a0 = Vector256.Create(a[0]);
            c0_0 = Fma.MultiplyAdd(a0, b0, c0_0);
            c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
            a1 = Vector256.Create(a[1]);
            c1_0 = Fma.MultiplyAdd(a1, b0, c1_0);
            c1_1 = Fma.MultiplyAdd(a1, b1, c1_1);
            a2 = Vector256.Create(a[2]);
            c2_0 = Fma.MultiplyAdd(a2, b0, c2_0);
            c2_1 = Fma.MultiplyAdd(a2, b1, c2_1);
            a3 = Vector256.Create(a[3]);
            c3_0 = Fma.MultiplyAdd(a3, b0, c3_0);
            c3_1 = Fma.MultiplyAdd(a3, b1, c3_1);
            a4 = Vector256.Create(a[4]);
            c4_0 = Fma.MultiplyAdd(a4, b0, c4_0);
            c4_1 = Fma.MultiplyAdd(a4, b1, c4_1);
            a5 = Vector256.Create(a[5]);
            c5_0 = Fma.MultiplyAdd(a5, b0, c5_0);
            c5_1 = Fma.MultiplyAdd(a5, b1, c5_1);
            b0 = Vector256.Load(b + 16);
            b1 = Vector256.Load(b + 24);
            a0 = Vector256.Create(a[6]);
            c0_0 = Fma.MultiplyAdd(a0, b0, c0_0);
            c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
            a1 = Vector256.Create(a[7]);
            c1_0 = Fma.MultiplyAdd(a1, b0, c1_0);
            c1_1 = Fma.MultiplyAdd(a1, b1, c1_1);
            a2 = Vector256.Create(a[8]);
            c2_0 = Fma.MultiplyAdd(a2, b0, c2_0);
            c2_1 = Fma.MultiplyAdd(a2, b1, c2_1);
            a3 = Vector256.Create(a[9]);
            c3_0 = Fma.MultiplyAdd(a3, b0, c3_0);
            c3_1 = Fma.MultiplyAdd(a3, b1, c3_1);
            a4 = Vector256.Create(a[10]);
            c4_0 = Fma.MultiplyAdd(a4, b0, c4_0);
            c4_1 = Fma.MultiplyAdd(a4, b1, c4_1);
            a5 = Vector256.Create(a[11]);
            c5_0 = Fma.MultiplyAdd(a5, b0, c5_0);
            c5_1 = Fma.MultiplyAdd(a5, b1, c5_1);
            b0 = Vector256.Load(b + 32);
            b1 = Vector256.Load(b + 40);
            a0 = Vector256.Create(a[12]);
            c0_0 = Fma.MultiplyAdd(a0, b0, c0_0);
            c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
            a1 = Vector256.Create(a[13]);
            c1_0 = Fma.MultiplyAdd(a1, b0, c1_0);
            c1_1 = Fma.MultiplyAdd(a1, b1, c1_1);
            a2 = Vector256.Create(a[14]);
            c2_0 = Fma.MultiplyAdd(a2, b0, c2_0);
            c2_1 = Fma.MultiplyAdd(a2, b1, c2_1);
            a3 = Vector256.Create(a[15]);
            c3_0 = Fma.MultiplyAdd(a3, b0, c3_0);
            c3_1 = Fma.MultiplyAdd(a3, b1, c3_1);
            a4 = Vector256.Create(a[16]);
            c4_0 = Fma.MultiplyAdd(a4, b0, c4_0);
            c4_1 = Fma.MultiplyAdd(a4, b1, c4_1);
            a5 = Vector256.Create(a[17]);
            c5_0 = Fma.MultiplyAdd(a5, b0, c5_0);
            c5_1 = Fma.MultiplyAdd(a5, b1, c5_1);
            b0 = Vector256.Load(b + 48);
            b1 = Vector256.Load(b + 56);
            a0 = Vector256.Create(a[18]);
            c0_0 = Fma.MultiplyAdd(a0, b0, c0_0);
            c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
            a1 = Vector256.Create(a[19]);
            c1_0 = Fma.MultiplyAdd(a1, b0, c1_0);
            c1_1 = Fma.MultiplyAdd(a1, b1, c1_1);
            a2 = Vector256.Create(a[20]);
            c2_0 = Fma.MultiplyAdd(a2, b0, c2_0);
            c2_1 = Fma.MultiplyAdd(a2, b1, c2_1);
            a3 = Vector256.Create(a[21]);
            c3_0 = Fma.MultiplyAdd(a3, b0, c3_0);
            c3_1 = Fma.MultiplyAdd(a3, b1, c3_1);
            a4 = Vector256.Create(a[22]);
            c4_0 = Fma.MultiplyAdd(a4, b0, c4_0);
            c4_1 = Fma.MultiplyAdd(a4, b1, c4_1);
            a5 = Vector256.Create(a[23]);
            c5_0 = Fma.MultiplyAdd(a5, b0, c5_0);
            c5_1 = Fma.MultiplyAdd(a5, b1, c5_1);
            a += 24;
            b += 64;
        }
        for (; kc > 0; kc--)
        {
            b0 = Vector256.Load(b + 0);
            b1 = Vector256.Load(b + 8);
            a0 = Vector256.Create(a[0]);
            c0_0 = Fma.MultiplyAdd(a0, b0, c0_0);
            c0_1 = Fma.MultiplyAdd(a0, b1, c0_1);
            a1 = Vector256.Create(a[1]);
            c1_0 = Fma.MultiplyAdd(a1, b0, c1_0);
            c1_1 = Fma.MultiplyAdd(a1, b1, c1_1);
            a2 = Vector256.Create(a[2]);
            c2_0 = Fma.MultiplyAdd(a2, b0, c2_0);
            c2_1 = Fma.MultiplyAdd(a2, b1, c2_1);
            a3 = Vector256.Create(a[3]);
            c3_0 = Fma.MultiplyAdd(a3, b0, c3_0);
            c3_1 = Fma.MultiplyAdd(a3, b1, c3_1);
            a4 = Vector256.Create(a[4]);
            c4_0 = Fma.MultiplyAdd(a4, b0, c4_0);
            c4_1 = Fma.MultiplyAdd(a4, b1, c4_1);
            a5 = Vector256.Create(a[5]);
            c5_0 = Fma.MultiplyAdd(a5, b0, c5_0);
            c5_1 = Fma.MultiplyAdd(a5, b1, c5_1);
            a += 6;
            b += 16;
        }
        var va = Vector256.Create(alpha);
        if (beta == 0f)
        {
            (c0_0 * va).Store(c + 0 * ldc + 0);
            (c0_1 * va).Store(c + 0 * ldc + 8);
            (c1_0 * va).Store(c + 1 * ldc + 0);
            (c1_1 * va).Store(c + 1 * ldc + 8);
            (c2_0 * va).Store(c + 2 * ldc + 0);
            (c2_1 * va).Store(c + 2 * ldc + 8);
            (c3_0 * va).Store(c + 3 * ldc + 0);
            (c3_1 * va).Store(c + 3 * ldc + 8);
            (c4_0 * va).Store(c + 4 * ldc + 0);
            (c4_1 * va).Store(c + 4 * ldc + 8);
            (c5_0 * va).Store(c + 5 * ldc + 0);
            (c5_1 * va).Store(c + 5 * ldc + 8);
        }
        else
        {
            var vb = Vector256.Create(beta);
            Fma.MultiplyAdd(c0_0, va, Vector256.Load(c + 0 * ldc + 0) * vb).Store(c + 0 * ldc + 0);
            Fma.MultiplyAdd(c0_1, va, Vector256.Load(c + 0 * ldc + 8) * vb).Store(c + 0 * ldc + 8);
            Fma.MultiplyAdd(c1_0, va, Vector256.Load(c + 1 * ldc + 0) * vb).Store(c + 1 * ldc + 0);
            Fma.MultiplyAdd(c1_1, va, Vector256.Load(c + 1 * ldc + 8) * vb).Store(c + 1 * ldc + 8);
            Fma.MultiplyAdd(c2_0, va, Vector256.Load(c + 2 * ldc + 0) * vb).Store(c + 2 * ldc + 0);
            Fma.MultiplyAdd(c2_1, va, Vector256.Load(c + 2 * ldc + 8) * vb).Store(c + 2 * ldc + 8);
            Fma.MultiplyAdd(c3_0, va, Vector256.Load(c + 3 * ldc + 0) * vb).Store(c + 3 * ldc + 0);
            Fma.MultiplyAdd(c3_1, va, Vector256.Load(c + 3 * ldc + 8) * vb).Store(c + 3 * ldc + 8);
            Fma.MultiplyAdd(c4_0, va, Vector256.Load(c + 4 * ldc + 0) * vb).Store(c + 4 * ldc + 0);
            Fma.MultiplyAdd(c4_1, va, Vector256.Load(c + 4 * ldc + 8) * vb).Store(c + 4 * ldc + 8);
            Fma.MultiplyAdd(c5_0, va, Vector256.Load(c + 5 * ldc + 0) * vb).Store(c + 5 * ldc + 0);
            Fma.MultiplyAdd(c5_1, va, Vector256.Load(c + 5 * ldc + 8) * vb).Store(c + 5 * ldc + 8);
        }
    }
}

/// <summary>Portable micro-kernel on Vector128 (SSE, NEON, or software where neither exists): 4×8 tile.</summary>
internal unsafe struct PortableKernel : IGemmKernel
{
    public static int MR => 4;
    public static int NR => 8;
    public static bool IsSupported => true;

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Run(nint kc, float* a, float* b, float* c, nint ldc, float alpha, float beta)
    {
        Vector128<float> c0_0 = default, c0_1 = default;
        Vector128<float> c1_0 = default, c1_1 = default;
        Vector128<float> c2_0 = default, c2_1 = default;
        Vector128<float> c3_0 = default, c3_1 = default;
        Vector128<float> b0, b1;
        Vector128<float> a0, a1, a2, a3;
        for (; kc > 0; kc--)
        {
            b0 = Vector128.Load(b + 0);
            b1 = Vector128.Load(b + 4);
            a0 = Vector128.Create(a[0]);
            c0_0 = Vector128.MultiplyAddEstimate(a0, b0, c0_0);
            c0_1 = Vector128.MultiplyAddEstimate(a0, b1, c0_1);
            a1 = Vector128.Create(a[1]);
            c1_0 = Vector128.MultiplyAddEstimate(a1, b0, c1_0);
            c1_1 = Vector128.MultiplyAddEstimate(a1, b1, c1_1);
            a2 = Vector128.Create(a[2]);
            c2_0 = Vector128.MultiplyAddEstimate(a2, b0, c2_0);
            c2_1 = Vector128.MultiplyAddEstimate(a2, b1, c2_1);
            a3 = Vector128.Create(a[3]);
            c3_0 = Vector128.MultiplyAddEstimate(a3, b0, c3_0);
            c3_1 = Vector128.MultiplyAddEstimate(a3, b1, c3_1);
            a += 4;
            b += 8;
        }
        var va = Vector128.Create(alpha);
        if (beta == 0f)
        {
            (c0_0 * va).Store(c + 0 * ldc + 0);
            (c0_1 * va).Store(c + 0 * ldc + 4);
            (c1_0 * va).Store(c + 1 * ldc + 0);
            (c1_1 * va).Store(c + 1 * ldc + 4);
            (c2_0 * va).Store(c + 2 * ldc + 0);
            (c2_1 * va).Store(c + 2 * ldc + 4);
            (c3_0 * va).Store(c + 3 * ldc + 0);
            (c3_1 * va).Store(c + 3 * ldc + 4);
        }
        else
        {
            var vb = Vector128.Create(beta);
            Vector128.MultiplyAddEstimate(c0_0, va, Vector128.Load(c + 0 * ldc + 0) * vb).Store(c + 0 * ldc + 0);
            Vector128.MultiplyAddEstimate(c0_1, va, Vector128.Load(c + 0 * ldc + 4) * vb).Store(c + 0 * ldc + 4);
            Vector128.MultiplyAddEstimate(c1_0, va, Vector128.Load(c + 1 * ldc + 0) * vb).Store(c + 1 * ldc + 0);
            Vector128.MultiplyAddEstimate(c1_1, va, Vector128.Load(c + 1 * ldc + 4) * vb).Store(c + 1 * ldc + 4);
            Vector128.MultiplyAddEstimate(c2_0, va, Vector128.Load(c + 2 * ldc + 0) * vb).Store(c + 2 * ldc + 0);
            Vector128.MultiplyAddEstimate(c2_1, va, Vector128.Load(c + 2 * ldc + 4) * vb).Store(c + 2 * ldc + 4);
            Vector128.MultiplyAddEstimate(c3_0, va, Vector128.Load(c + 3 * ldc + 0) * vb).Store(c + 3 * ldc + 0);
            Vector128.MultiplyAddEstimate(c3_1, va, Vector128.Load(c + 3 * ldc + 4) * vb).Store(c + 3 * ldc + 4);
        }
    }
}
