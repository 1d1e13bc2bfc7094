using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Cortex.Kernels;

/// <summary>
/// Packing of GEMM operands into the contiguous micro-panels the micro-kernels read: a panel of width W holds, for each
/// k, W consecutive floats (rows of op(A) for the A side, columns of op(B) for the B side), zero-padded up to W.
/// Every (operand, transpose) pair is one of two shapes: the W values of one k are contiguous in the source
/// (<see cref="PackCopy"/>: op(A) with transA, op(B) without transB) or strided by ld (<see cref="PackTranspose"/>).
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>dst[p·W + j] = src[p·ld + j] for j &lt; cols, 0 for cols ≤ j &lt; W; for p &lt; kc. Requires cols ≤ W.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackCopy(float* src, nint ld, int kc, int cols, float* dst, int width)
    {
        if (cols == width && width == 32 && Vector512.IsHardwareAccelerated)
        {
            for (int p = 0; p < kc; p++, src += ld, dst += 32)
            {
                Vector512.Load(src).Store(dst);
                Vector512.Load(src + 16).Store(dst + 16);
            }
            return;
        }
        if (cols == width && width == 16 && Vector256.IsHardwareAccelerated)
        {
            for (int p = 0; p < kc; p++, src += ld, dst += 16)
            {
                Vector256.Load(src).Store(dst);
                Vector256.Load(src + 8).Store(dst + 8);
            }
            return;
        }
        for (int p = 0; p < kc; p++, src += ld, dst += width)
        {
            int j = 0;
            if (Vector256.IsHardwareAccelerated)
                for (; j <= cols - 8; j += 8) Vector256.Load(src + j).Store(dst + j);
            for (; j <= cols - 4; j += 4) Vector128.Load(src + j).Store(dst + j);
            for (; j < cols; j++) dst[j] = src[j];
            for (; j < width; j++) dst[j] = 0f;
        }
    }

    /// <summary>
    /// Packs a kc × cols block whose rows are contiguous (src[p·ld + j]) into ⌈cols / W⌉ consecutive panels of kc × W
    /// (panel q at dst + q·kc·W), the last one zero-padded. The source is read row by row, i.e. sequentially.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackCopyPanels(float* src, nint ld, int kc, int cols, float* dst, int width)
    {
        int full = cols / width, rest = cols - full * width;
        nint panel = (nint)kc * width;
        if (width == 32 && Vector512.IsHardwareAccelerated)
        {
            for (int p = 0; p < kc; p++)
            {
                float* s = src + p * ld, d = dst + p * 32;
                for (int q = 0; q < full; q++, s += 32, d += panel)
                {
                    Vector512.Load(s).Store(d);
                    Vector512.Load(s + 16).Store(d + 16);
                }
            }
        }
        else if (width % 8 == 0 && Vector256.IsHardwareAccelerated)
        {
            for (int p = 0; p < kc; p++)
            {
                float* s = src + p * ld, d = dst + p * width;
                for (int q = 0; q < full; q++, s += width, d += panel)
                    for (int j = 0; j < width; j += 8) Vector256.Load(s + j).Store(d + j);
            }
        }
        else
        {
            for (int q = 0; q < full; q++) PackCopy(src + q * width, ld, kc, width, dst + q * panel, width);
        }
        if (rest > 0) PackCopy(src + full * width, ld, kc, rest, dst + full * panel, width);
    }

    /// <summary>dst[p·W + r] = src[r·ld + p] for r &lt; rows, 0 for rows ≤ r &lt; W; for p &lt; kc. Requires rows ≤ W.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackTranspose(float* src, nint ld, int rows, int kc, float* dst, int width)
    {
        int r = 0;
        if (Avx.IsSupported)
        {
            for (; r <= rows - 8; r += 8)
            {
                float* s = src + r * ld;
                float* d = dst + r;
                int p = 0;
                for (; p <= kc - 8; p += 8) Transpose8x8(s + p, ld, d + (nint)p * width, width);
                for (; p < kc; p++)
                    for (int q = 0; q < 8; q++) d[(nint)p * width + q] = s[q * ld + p];
            }
        }
        if (Sse.IsSupported)
        {
            for (; r <= rows - 4; r += 4)
            {
                float* s = src + r * ld;
                float* d = dst + r;
                int p = 0;
                for (; p <= kc - 4; p += 4) Transpose4x4(s + p, ld, d + (nint)p * width, width);
                for (; p < kc; p++)
                    for (int q = 0; q < 4; q++) d[(nint)p * width + q] = s[q * ld + p];
            }
        }
        for (; r < rows; r++)
        {
            float* s = src + r * ld;
            for (int p = 0; p < kc; p++) dst[(nint)p * width + r] = s[p];
        }
        if (r < width)
            for (int p = 0; p < kc; p++)
                for (int q = r; q < width; q++) dst[(nint)p * width + q] = 0f;
    }

    /// <summary>Writes the transpose of the 8×8 block at s (rows ld apart) to d (rows dw apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, nint ld, float* d, nint dw)
    {
        var r0 = Avx.LoadVector256(s);
        var r1 = Avx.LoadVector256(s + ld);
        var r2 = Avx.LoadVector256(s + 2 * ld);
        var r3 = Avx.LoadVector256(s + 3 * ld);
        var r4 = Avx.LoadVector256(s + 4 * ld);
        var r5 = Avx.LoadVector256(s + 5 * ld);
        var r6 = Avx.LoadVector256(s + 6 * ld);
        var r7 = Avx.LoadVector256(s + 7 * ld);
        var t0 = Avx.UnpackLow(r0, r1);
        var t1 = Avx.UnpackHigh(r0, r1);
        var t2 = Avx.UnpackLow(r2, r3);
        var t3 = Avx.UnpackHigh(r2, r3);
        var t4 = Avx.UnpackLow(r4, r5);
        var t5 = Avx.UnpackHigh(r4, r5);
        var t6 = Avx.UnpackLow(r6, r7);
        var t7 = Avx.UnpackHigh(r6, r7);
        var u0 = Avx.Shuffle(t0, t2, 0x44);
        var u1 = Avx.Shuffle(t0, t2, 0xEE);
        var u2 = Avx.Shuffle(t1, t3, 0x44);
        var u3 = Avx.Shuffle(t1, t3, 0xEE);
        var u4 = Avx.Shuffle(t4, t6, 0x44);
        var u5 = Avx.Shuffle(t4, t6, 0xEE);
        var u6 = Avx.Shuffle(t5, t7, 0x44);
        var u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + dw, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * dw, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * dw, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * dw, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * dw, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * dw, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * dw, Avx.Permute2x128(u3, u7, 0x31));
    }

    /// <summary>Writes the transpose of the 4×4 block at s (rows ld apart) to d (rows dw apart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x4(float* s, nint ld, float* d, nint dw)
    {
        var r0 = Sse.LoadVector128(s);
        var r1 = Sse.LoadVector128(s + ld);
        var r2 = Sse.LoadVector128(s + 2 * ld);
        var r3 = Sse.LoadVector128(s + 3 * ld);
        var t0 = Sse.UnpackLow(r0, r1);
        var t1 = Sse.UnpackHigh(r0, r1);
        var t2 = Sse.UnpackLow(r2, r3);
        var t3 = Sse.UnpackHigh(r2, r3);
        Sse.Store(d, Sse.MoveLowToHigh(t0, t2));
        Sse.Store(d + dw, Sse.MoveHighToLow(t2, t0));
        Sse.Store(d + 2 * dw, Sse.MoveLowToHigh(t1, t3));
        Sse.Store(d + 3 * dw, Sse.MoveHighToLow(t3, t1));
    }
}
