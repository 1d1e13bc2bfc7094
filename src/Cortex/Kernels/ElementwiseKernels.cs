using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Cortex.Kernels;

/// <summary>Element-wise kernels that <see cref="TensorPrimitives"/> does not have in one call.</summary>
internal static class ElementwiseKernels
{
    /// <summary>y = max(x, 0).</summary>
    public static void Relu(ReadOnlySpan<float> x, Span<float> y) => TensorPrimitives.Max(x, 0f, y);

    /// <summary>dx = y &gt; 0 ? g : 0, where y is the relu output (vectorised with a compare-and-mask).</summary>
    public static void ReluBackward(ReadOnlySpan<float> y, ReadOnlySpan<float> g, Span<float> dx)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= y.Length - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                var yv = Vector256.Create(y.Slice(i));
                var gv = Vector256.Create(g.Slice(i));
                Vector256.BitwiseAnd(gv, Vector256.GreaterThan(yv, Vector256<float>.Zero)).CopyTo(dx.Slice(i));
            }
        }
        for (; i < y.Length; i++) dx[i] = y[i] > 0f ? g[i] : 0f;
    }

    /// <summary>d = x ≥ 0 ? 1 : 0.</summary>
    public static void Step(ReadOnlySpan<float> x, Span<float> d)
    {
        for (int i = 0; i < x.Length; i++) d[i] = x[i] >= 0f ? 1f : 0f;
    }

    /// <summary>d = sign(x) (0 at 0).</summary>
    public static void Sign(ReadOnlySpan<float> x, Span<float> d)
    {
        for (int i = 0; i < x.Length; i++) d[i] = MathF.Sign(x[i]);
    }

    /// <summary>d = clamp(x, lo, hi).</summary>
    public static void Clip(ReadOnlySpan<float> x, float lo, float hi, Span<float> d)
    {
        TensorPrimitives.Max(x, lo, d);
        TensorPrimitives.Min(d, hi, d);
    }

    /// <summary>d = lo ≤ x ≤ hi ? g : 0.</summary>
    public static void ClipBackward(ReadOnlySpan<float> x, float lo, float hi, ReadOnlySpan<float> g, Span<float> d)
    {
        for (int i = 0; i < x.Length; i++) d[i] = x[i] >= lo && x[i] <= hi ? g[i] : 0f;
    }
}
