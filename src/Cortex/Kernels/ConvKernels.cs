using System.Runtime.CompilerServices;

namespace Cortex.Kernels;

/// <summary>
/// 2-D convolution over channels-last data as matrix products on <see cref="Gemm"/>: the forward pass and the
/// gradients with respect to the input and to the kernel, for any stride, dilation and zero padding (see
/// <see cref="ConvGeometry"/>).
/// </summary>
/// <remarks>
/// <para><b>Scheme.</b> A chunk of images is unfolded (im2col) into a matrix with one row per output position and one
/// column per kernel tap and channel (KH·KW·C, in the kernel's own order, so the HWIO kernel is already the right
/// matrix). Then forward = cols · W, the kernel gradient = colsᵀ · dY summed over chunks, and the input gradient
/// = fold(dY · Wᵀ) (col2im, a scatter-add). Chunks hold about <see cref="ChunkFloats"/> floats of unfolded data, so
/// the matrix stays in the outer caches between the unfold and the product and memory does not grow with the batch.
/// A 1×1 kernel with stride 1 and no padding skips the unfold: the image already is the matrix.</para>
/// <para><b>Threads.</b> The products run on all cores (the GEMM's own split); the unfold runs in parallel over output
/// rows, the fold over images of the chunk. Every output element is summed in a fixed order, so results repeat
/// bit for bit run to run on a machine; the kernel gradient sums chunk by chunk in chunk order.</para>
/// <para><b>Memory.</b> The unfold buffer is per thread and reused: steady-state calls allocate nothing.</para>
/// </remarks>
public static unsafe class ConvKernels
{
    /// <summary>Target size of one chunk of unfolded patches, in floats (8 MiB).</summary>
    internal const int ChunkFloats = 1 << 21;

    [ThreadStatic] private static float[]? _cols;

    /// <summary>y (N, OH, OW, F) = conv(x (N, H, W, C), w (KH, KW, C, F)).</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, in ConvGeometry g)
    {
        Check(x.Length, w.Length, y.Length, g);
        int p = g.PatchSize, f = g.F;
        if (g.IsPointwise)
        {
            Gemm.Sgemm(false, false, g.N * g.OutPixels, f, p, 1f, x, p, w, f, 0f, y, f);
            return;
        }
        int chunk = ChunkImages(g);
        var cols = Scratch(chunk * g.OutPixels * p);
        for (int n0 = 0; n0 < g.N; n0 += chunk)
        {
            int count = Math.Min(chunk, g.N - n0), rows = count * g.OutPixels;
            Im2Col(x, g, n0, count, cols);
            Gemm.Sgemm(false, false, rows, f, p, 1f, cols, p, w, f, 0f, y.Slice(n0 * g.OutPixels * f, rows * f), f);
        }
    }

    /// <summary>dx (N, H, W, C) = the gradient of the convolution with respect to its input, given dy (N, OH, OW, F).</summary>
    public static void BackwardData(ReadOnlySpan<float> dy, ReadOnlySpan<float> w, Span<float> dx, in ConvGeometry g)
    {
        Check(dx.Length, w.Length, dy.Length, g);
        int p = g.PatchSize, f = g.F;
        if (g.IsPointwise)
        {
            Gemm.Sgemm(false, true, g.N * g.OutPixels, p, f, 1f, dy, f, w, f, 0f, dx, p);
            return;
        }
        dx.Clear();
        int chunk = ChunkImages(g);
        var cols = Scratch(chunk * g.OutPixels * p);
        for (int n0 = 0; n0 < g.N; n0 += chunk)
        {
            int count = Math.Min(chunk, g.N - n0), rows = count * g.OutPixels;
            Gemm.Sgemm(false, true, rows, p, f, 1f, dy.Slice(n0 * g.OutPixels * f, rows * f), f, w, f, 0f, cols, p);
            Col2Im(cols, g, n0, count, dx);
        }
    }

    /// <summary>dw (KH, KW, C, F) = the gradient of the convolution with respect to its kernel, given x and dy.</summary>
    public static void BackwardFilter(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, in ConvGeometry g)
    {
        Check(x.Length, dw.Length, dy.Length, g);
        int p = g.PatchSize, f = g.F;
        if (g.IsPointwise)
        {
            Gemm.Sgemm(true, false, p, f, g.N * g.OutPixels, 1f, x, p, dy, f, 0f, dw, f);
            return;
        }
        if (g.N == 0) { dw.Clear(); return; }
        int chunk = ChunkImages(g);
        var cols = Scratch(chunk * g.OutPixels * p);
        for (int n0 = 0; n0 < g.N; n0 += chunk)
        {
            int count = Math.Min(chunk, g.N - n0), rows = count * g.OutPixels;
            Im2Col(x, g, n0, count, cols);
            Gemm.Sgemm(true, false, p, f, rows, 1f, cols, p, dy.Slice(n0 * g.OutPixels * f, rows * f), f, n0 == 0 ? 0f : 1f, dw, f);
        }
    }

    /// <summary>Images per chunk: as many as fit in <see cref="ChunkFloats"/> unfolded floats, at least one.</summary>
    internal static int ChunkImages(in ConvGeometry g)
    {
        long perImage = (long)g.OutPixels * g.PatchSize;
        return (int)Math.Clamp(ChunkFloats / Math.Max(perImage, 1), 1, Math.Max(g.N, 1));
    }

    private static Span<float> Scratch(int length)
    {
        var buf = _cols;
        if (buf is null || buf.Length < length) _cols = buf = new float[length];
        return buf.AsSpan(0, length);
    }

    private static void Check(int xLength, int wLength, int yLength, in ConvGeometry g)
    {
        if (xLength != (long)g.N * g.H * g.W * g.C) throw new ArgumentException($"input has {xLength} values; the geometry needs {(long)g.N * g.H * g.W * g.C}.");
        if (wLength != (long)g.PatchSize * g.F) throw new ArgumentException($"kernel has {wLength} values; the geometry needs {(long)g.PatchSize * g.F}.");
        if (yLength != (long)g.N * g.OutPixels * g.F) throw new ArgumentException($"output has {yLength} values; the geometry needs {(long)g.N * g.OutPixels * g.F}.");
    }

    // ------------------------------------------------------------------ unfold / fold

    private struct FoldJob
    {
        public float* X, Cols;
        public ConvGeometry G;
        public int N0;
    }

    /// <summary>Unfolds images [n0, n0 + count) of x into cols (count·OH·OW rows of KH·KW·C values).</summary>
    internal static void Im2Col(ReadOnlySpan<float> x, in ConvGeometry g, int n0, int count, Span<float> cols)
    {
        fixed (float* px = x)
        fixed (float* pc = cols)
        {
            var job = new FoldJob { X = px, Cols = pc, G = g, N0 = n0 };
            int items = count * g.OH;
            long work = (long)items * g.OW * g.PatchSize;
            ParallelRange.For(items, &Im2ColRow, &job, work < 1 << 15 ? 1 : 0);
        }
    }

    /// <summary>Adds the patch rows in cols back into images [n0, n0 + count) of dx (the transpose of the unfold).</summary>
    internal static void Col2Im(ReadOnlySpan<float> cols, in ConvGeometry g, int n0, int count, Span<float> dx)
    {
        fixed (float* px = dx)
        fixed (float* pc = cols)
        {
            var job = new FoldJob { X = px, Cols = pc, G = g, N0 = n0 };
            long work = (long)count * g.OutPixels * g.PatchSize;
            ParallelRange.For(count, &Col2ImImage, &job, work < 1 << 15 ? 1 : 0);
        }
    }

    /// <summary>Unfolds one output row (image, oh) of the chunk.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Im2ColRow(int item, void* state)
    {
        ref var job = ref Unsafe.AsRef<FoldJob>(state);
        ref readonly var g = ref job.G;
        int local = item / g.OH, oh = item % g.OH;
        int n = job.N0 + local, c = g.C, p = g.PatchSize, kwc = g.KW * c;
        float* image = job.X + (long)n * g.H * g.W * c;
        float* dst = job.Cols + ((long)local * g.OutPixels + (long)oh * g.OW) * p;
        int ihBase = oh * g.SH - g.PadTop;
        for (int ow = 0; ow < g.OW; ow++, dst += p)
        {
            int iwBase = ow * g.SW - g.PadLeft;
            bool rowInside = iwBase >= 0 && iwBase + (g.KW - 1) * g.DW < g.W;
            for (int kh = 0; kh < g.KH; kh++)
            {
                int ih = ihBase + kh * g.DH;
                float* d = dst + kh * kwc;
                if ((uint)ih >= (uint)g.H) { new Span<float>(d, kwc).Clear(); continue; }
                float* src = image + ((long)ih * g.W) * c;
                if (rowInside && g.DW == 1)
                {
                    new ReadOnlySpan<float>(src + (long)iwBase * c, kwc).CopyTo(new Span<float>(d, kwc));
                    continue;
                }
                for (int kw = 0; kw < g.KW; kw++)
                {
                    int iw = iwBase + kw * g.DW;
                    var to = new Span<float>(d + kw * c, c);
                    if ((uint)iw >= (uint)g.W) to.Clear();
                    else new ReadOnlySpan<float>(src + (long)iw * c, c).CopyTo(to);
                }
            }
        }
    }

    /// <summary>Folds the patch rows of one image of the chunk back into its gradient.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Col2ImImage(int local, void* state)
    {
        ref var job = ref Unsafe.AsRef<FoldJob>(state);
        ref readonly var g = ref job.G;
        int n = job.N0 + local, c = g.C, p = g.PatchSize, kwc = g.KW * c;
        float* image = job.X + (long)n * g.H * g.W * c;
        float* src = job.Cols + (long)local * g.OutPixels * p;
        for (int oh = 0; oh < g.OH; oh++)
        {
            int ihBase = oh * g.SH - g.PadTop;
            for (int ow = 0; ow < g.OW; ow++, src += p)
            {
                int iwBase = ow * g.SW - g.PadLeft;
                bool rowInside = iwBase >= 0 && iwBase + (g.KW - 1) * g.DW < g.W;
                for (int kh = 0; kh < g.KH; kh++)
                {
                    int ih = ihBase + kh * g.DH;
                    if ((uint)ih >= (uint)g.H) continue;
                    float* s = src + kh * kwc;
                    float* row = image + ((long)ih * g.W) * c;
                    if (rowInside && g.DW == 1)
                    {
                        var to = new Span<float>(row + (long)iwBase * c, kwc);
                        System.Numerics.Tensors.TensorPrimitives.Add(to, new ReadOnlySpan<float>(s, kwc), to);
                        continue;
                    }
                    for (int kw = 0; kw < g.KW; kw++)
                    {
                        int iw = iwBase + kw * g.DW;
                        if ((uint)iw >= (uint)g.W) continue;
                        var to = new Span<float>(row + (long)iw * c, c);
                        System.Numerics.Tensors.TensorPrimitives.Add(to, new ReadOnlySpan<float>(s + kw * c, c), to);
                    }
                }
            }
        }
    }
}
