using System.Numerics.Tensors;

namespace Cortex.Kernels;

/// <summary>
/// Up-sampling along one axis of a row-major array viewed as <c>(outer, n, inner)</c>: nearest (each cell repeated)
/// and linear (TensorFlow's <c>half_pixel_centers</c>, PyTorch's <c>align_corners=False</c>), with their adjoints.
/// </summary>
internal static class ResizeKernels
{
    /// <summary>dst (outer, n·times, inner): every cell of src (outer, n, inner) repeated <paramref name="times"/> times.</summary>
    public static void Repeat(ReadOnlySpan<float> src, Span<float> dst, int outer, int n, int inner, int times)
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < n; i++)
            {
                var cell = src.Slice((o * n + i) * inner, inner);
                int at = (o * n + i) * times * inner;
                for (int t = 0; t < times; t++) cell.CopyTo(dst.Slice(at + t * inner, inner));
            }
    }

    /// <summary>The adjoint of <see cref="Repeat"/>: dst (outer, n, inner) = Σ over the repeats of g (outer, n·times, inner).</summary>
    public static void RepeatBackward(ReadOnlySpan<float> g, Span<float> dst, int outer, int n, int inner, int times)
    {
        for (int o = 0; o < outer; o++)
            for (int i = 0; i < n; i++)
            {
                var d = dst.Slice((o * n + i) * inner, inner);
                int at = (o * n + i) * times * inner;
                g.Slice(at, inner).CopyTo(d);
                for (int t = 1; t < times; t++) TensorPrimitives.Add(d, g.Slice(at + t * inner, inner), d);
            }
    }

    /// <summary>
    /// The two source cells and the weight of the upper one for output cell <paramref name="j"/> of a linear resize
    /// from <paramref name="n"/> to <paramref name="m"/> cells with half-pixel centres: x = (j + ½)·n/m − ½, clamped to
    /// the first and last cells (as TensorFlow's <c>resize_bilinear</c> and PyTorch's <c>interpolate</c> do).
    /// </summary>
    public static (int Lo, int Hi, float W) LinearTap(int j, int n, int m)
    {
        double x = Math.Max((j + 0.5) * n / m - 0.5, 0.0);
        int lo = Math.Min((int)x, n - 1);
        int hi = Math.Min(lo + 1, n - 1);
        return (lo, hi, (float)(x - lo));
    }

    /// <summary>dst (outer, m, inner): linear resize of src (outer, n, inner) along the middle axis.</summary>
    public static void Linear(ReadOnlySpan<float> src, Span<float> dst, int outer, int n, int inner, int m)
    {
        for (int j = 0; j < m; j++)
        {
            var (lo, hi, w) = LinearTap(j, n, m);
            for (int o = 0; o < outer; o++)
            {
                var d = dst.Slice((o * m + j) * inner, inner);
                TensorPrimitives.Multiply(src.Slice((o * n + lo) * inner, inner), 1f - w, d);
                if (w != 0f) TensorPrimitives.MultiplyAdd(src.Slice((o * n + hi) * inner, inner), w, d, d);
            }
        }
    }

    /// <summary>The adjoint of <see cref="Linear"/>: dst (outer, n, inner) gathers each output gradient into its two taps.</summary>
    public static void LinearBackward(ReadOnlySpan<float> g, Span<float> dst, int outer, int n, int inner, int m)
    {
        dst.Clear();
        for (int j = 0; j < m; j++)
        {
            var (lo, hi, w) = LinearTap(j, n, m);
            for (int o = 0; o < outer; o++)
            {
                var gj = g.Slice((o * m + j) * inner, inner);
                var dlo = dst.Slice((o * n + lo) * inner, inner);
                TensorPrimitives.MultiplyAdd(gj, 1f - w, dlo, dlo);
                if (w != 0f) { var dhi = dst.Slice((o * n + hi) * inner, inner); TensorPrimitives.MultiplyAdd(gj, w, dhi, dhi); }
            }
        }
    }
}
