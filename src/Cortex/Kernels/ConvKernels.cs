using System.Runtime.CompilerServices;

namespace Cortex.Kernels;

/// <summary>
/// 2-D convolution over channels-last data as matrix products on <see cref="Gemm"/>: the forward pass and the
/// gradients with respect to the input and to the kernel, for any stride, dilation and zero padding (see
/// <see cref="ConvGeometry"/>).
/// </summary>
/// <remarks>
/// <para><b>Scheme.</b> A group of images is unfolded (im2col) into a matrix with one row per output position and one
/// column per kernel tap and channel (KH·KW·C, in the kernel's own order, so the HWIO kernel is already the right
/// matrix). Then forward = cols · W, the kernel gradient = colsᵀ · dY summed over groups, and the input gradient
/// = fold(dY · Wᵀ) (col2im, a scatter-add). A 1×1 kernel with stride 1 and no padding skips the unfold: the image
/// already is the matrix, and one multi-threaded product does the whole batch.</para>
/// <para><b>Threads and caches.</b> Each thread takes whole groups of images (about <see cref="TaskFloats"/> unfolded
/// floats, so the unfolded matrix and its packed copy stay in the core's L2) and runs the unfold and a
/// single-threaded product itself: nothing is shared, nothing waits, and no matrix makes a round trip through memory
/// between the unfold and the product. (One multi-threaded product over a big unfolded batch was measured at about
/// half the speed: with only F columns, packing the tall matrix is as costly as multiplying it.) The kernel gradient
/// gives each of a fixed number of threads its own partial sum over a fixed range of images and adds the partials in
/// order, so results repeat bit for bit run to run on a machine.</para>
/// <para><b>Memory.</b> The unfold buffers are per thread and reused, the partial sums are rented once per call
/// size: steady-state calls allocate nothing.</para>
/// </remarks>
public static unsafe class ConvKernels
{
    /// <summary>Target size of one group of unfolded patches, in floats (512 KiB).</summary>
    internal const int TaskFloats = 1 << 17;

    [ThreadStatic] private static float[]? _cols;
    private static float[]? _partials;
    private static readonly object PartialsLock = new();

    /// <summary>y (N, OH, OW, F) = conv(x (N, H, W, C), w (KH, KW, C, F)).</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, Span<float> y, in ConvGeometry g)
        => Forward(x, w, ReadOnlySpan<float>.Empty, y, g);

    /// <summary>y (N, OH, OW, F) = conv(x, w) + bias, the bias (F values, or empty for none) added while each group's rows are in cache.</summary>
    public static void Forward(ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> bias, Span<float> y, in ConvGeometry g)
    {
        Check(x.Length, w.Length, y.Length, g);
        if (!bias.IsEmpty && bias.Length != g.F) throw new ArgumentException($"bias has {bias.Length} values; the geometry has {g.F} filters.", nameof(bias));
        int p = g.PatchSize, f = g.F;
        if (g.IsPointwise)
        {
            Gemm.Sgemm(false, false, g.N * g.OutPixels, f, p, 1f, x, p, w, f, 0f, y, f);
            if (!bias.IsEmpty) AddRows(y, bias);
            return;
        }
        Run(Mode.Forward, x, w, y, g, bias);
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
        Run(Mode.BackwardData, dx, w, dy, g);
    }

    /// <summary>dw (KH, KW, C, F) = the gradient of the convolution with respect to its kernel, given x and dy.</summary>
    public static void BackwardFilter(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, in ConvGeometry g)
        => BackwardFilter(x, dy, dw, Span<float>.Empty, g);

    /// <summary>
    /// The kernel gradient and, unless <paramref name="dbias"/> is empty, the bias gradient (dy summed over every
    /// output position, F values), both summed while each group's rows are in cache.
    /// </summary>
    public static void BackwardFilter(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dw, Span<float> dbias, in ConvGeometry g)
    {
        Check(x.Length, dw.Length, dy.Length, g);
        if (!dbias.IsEmpty && dbias.Length != g.F) throw new ArgumentException($"bias gradient has {dbias.Length} values; the geometry has {g.F} filters.", nameof(dbias));
        int p = g.PatchSize, f = g.F;
        if (g.IsPointwise)
        {
            Gemm.Sgemm(true, false, p, f, g.N * g.OutPixels, 1f, x, p, dy, f, 0f, dw, f);
            if (!dbias.IsEmpty) SumRows(dy, dbias);
            return;
        }
        if (g.N == 0) { dw.Clear(); dbias.Clear(); return; }
        Run(Mode.BackwardFilter, x, dw, dy, g, dbias);
    }

    /// <summary>The bias gradient alone: dy (rows × F) summed over its rows.</summary>
    public static void BackwardBias(ReadOnlySpan<float> dy, Span<float> dbias) => SumRows(dy, dbias);

    private static void AddRows(Span<float> y, ReadOnlySpan<float> bias)
    {
        for (int r = 0; r < y.Length; r += bias.Length)
        {
            var row = y.Slice(r, bias.Length);
            System.Numerics.Tensors.TensorPrimitives.Add(row, bias, row);
        }
    }

    private static void SumRows(ReadOnlySpan<float> dy, Span<float> sum)
    {
        sum.Clear();
        for (int r = 0; r < dy.Length; r += sum.Length)
            System.Numerics.Tensors.TensorPrimitives.Add(sum, dy.Slice(r, sum.Length), sum);
    }

    private enum Mode { Forward, BackwardData, BackwardFilter }

    private struct ConvJob
    {
        public float* X, W, Y;     // image side, kernel side, output side (whichever is read or written)
        public float* Partials;     // BackwardFilter: one P×F partial kernel gradient per slice, then (with a bias) F more
        public float* Bias;         // Forward: the bias to add (null for none)
        public bool WithBias;
        public ConvGeometry G;
        public Mode Mode;
        public int ImagesPerGroup, Groups, Slices;
    }

    /// <summary>Images per group: as many as fit in <see cref="TaskFloats"/> unfolded floats, at least one.</summary>
    internal static int GroupImages(in ConvGeometry g)
    {
        long perImage = (long)g.OutPixels * g.PatchSize;
        return (int)Math.Clamp(TaskFloats / Math.Max(perImage, 1), 1, Math.Max(g.N, 1));
    }

    private static void Run(Mode mode, ReadOnlySpan<float> x, ReadOnlySpan<float> w, ReadOnlySpan<float> y, in ConvGeometry g,
        ReadOnlySpan<float> bias = default)
    {
        int perGroup = GroupImages(g);
        int groups = (g.N + perGroup - 1) / perGroup;
        // Enough groups for every thread: split finer when the batch is small.
        int threads = ParallelRange.MaxDegree;
        if (groups < threads && perGroup > 1) { perGroup = Math.Max(1, g.N / threads); groups = (g.N + perGroup - 1) / perGroup; }
        long work = (long)g.N * g.OutPixels * g.PatchSize * g.F;
        int maxThreads = work < 1 << 18 ? 1 : 0;
        fixed (float* px = x) fixed (float* pw = w) fixed (float* py = y) fixed (float* pb = bias)
        {
            var job = new ConvJob { X = px, W = pw, Y = py, G = g, Mode = mode, ImagesPerGroup = perGroup, Groups = groups,
                Bias = bias.IsEmpty ? null : pb, WithBias = !bias.IsEmpty };
            if (mode != Mode.BackwardFilter)
            {
                ParallelRange.For(groups, &RunGroup, &job, maxThreads);
                return;
            }
            // Kernel gradient: a fixed number of slices (ranges of groups, independent of the thread count), each summed
            // into its own partial and claimed by whichever thread is free, then the partials added in slice order: the
            // same sums whichever thread ran which slice. A few slices per thread keep a thread that the OS delays from
            // holding up the others; the partials' memory bounds their number for big kernels.
            int pf = g.PatchSize * g.F, stride = pf + (job.WithBias ? g.F : 0);
            int slices = maxThreads == 1 ? 1 : (int)Math.Clamp(Math.Min(4L * threads, (8L << 20) / stride), 1, groups);
            job.Slices = slices;
            lock (PartialsLock)
            {
                if (_partials is null || _partials.Length < (long)slices * stride) _partials = new float[slices * stride];
                fixed (float* partials = _partials)
                {
                    job.Partials = partials;
                    ParallelRange.For(slices, &RunSlice, &job, maxThreads);
                    var sum = new Span<float>(partials, stride);
                    for (int s = 1; s < slices; s++)
                        System.Numerics.Tensors.TensorPrimitives.Add(sum, new ReadOnlySpan<float>(partials + (long)s * stride, stride), sum);
                    sum[..pf].CopyTo(new Span<float>(pw, pf));                   // w side: the kernel gradient
                    if (job.WithBias) sum[pf..].CopyTo(new Span<float>(pb, g.F)); // bias side: the bias gradient
                }
            }
        }
    }

    /// <summary>Forward or input gradient of one group of images, on the calling thread.</summary>
    private static void RunGroup(int group, void* state)
    {
        ref var job = ref Unsafe.AsRef<ConvJob>(state);
        ref readonly var g = ref job.G;
        int n0 = group * job.ImagesPerGroup, count = Math.Min(job.ImagesPerGroup, g.N - n0);
        int p = g.PatchSize, f = g.F, rows = count * g.OutPixels;
        var cols = Scratch(rows * p);
        var w = new ReadOnlySpan<float>(job.W, p * f);
        long imageFloats = (long)g.H * g.W * g.C;
        if (job.Mode == Mode.Forward)
        {
            Im2Col(job.X + n0 * imageFloats, g, count, cols);
            var y = new Span<float>(job.Y + (long)n0 * g.OutPixels * f, rows * f);
            Gemm.Sgemm(GemmPath.Auto, 1, false, false, rows, f, p, 1f, cols, p, w, f, 0f, y, f);
            if (job.WithBias) AddRows(y, new ReadOnlySpan<float>(job.Bias, f));
        }
        else
        {
            Gemm.Sgemm(GemmPath.Auto, 1, false, true, rows, p, f, 1f, new ReadOnlySpan<float>(job.Y + (long)n0 * g.OutPixels * f, rows * f), f, w, f, 0f, cols, p);
            new Span<float>(job.X + n0 * imageFloats, (int)(count * imageFloats)).Clear();
            Col2Im(cols, g, count, job.X + n0 * imageFloats);
        }
    }

    /// <summary>The kernel gradient over one slice of the groups, summed into the slice's partial.</summary>
    private static void RunSlice(int slice, void* state)
    {
        ref var job = ref Unsafe.AsRef<ConvJob>(state);
        ref readonly var g = ref job.G;
        int p = g.PatchSize, f = g.F;
        int first = (int)((long)job.Groups * slice / job.Slices), last = (int)((long)job.Groups * (slice + 1) / job.Slices);
        int stride = p * f + (job.WithBias ? f : 0);
        var partial = new Span<float>(job.Partials + (long)slice * stride, p * f);
        var partialBias = job.WithBias ? new Span<float>(job.Partials + (long)slice * stride + p * f, f) : Span<float>.Empty;
        partialBias.Clear();
        long imageFloats = (long)g.H * g.W * g.C;
        for (int group = first; group < last; group++)
        {
            int n0 = group * job.ImagesPerGroup, count = Math.Min(job.ImagesPerGroup, g.N - n0), rows = count * g.OutPixels;
            var cols = Scratch(rows * p);
            Im2Col(job.X + n0 * imageFloats, g, count, cols);
            var dy = new ReadOnlySpan<float>(job.Y + (long)n0 * g.OutPixels * f, rows * f);
            Gemm.Sgemm(GemmPath.Auto, 1, true, false, p, f, rows, 1f, cols, p, dy, f, group == first ? 0f : 1f, partial, f);
            if (job.WithBias)
                for (int r = 0; r < dy.Length; r += f) System.Numerics.Tensors.TensorPrimitives.Add(partialBias, dy.Slice(r, f), partialBias);
        }
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

    /// <summary>Unfolds <paramref name="count"/> images starting at <paramref name="images"/> into cols (count·OH·OW rows of KH·KW·C values).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Im2Col(float* images, in ConvGeometry g, int count, Span<float> cols)
    {
        int c = g.C, p = g.PatchSize, kwc = g.KW * c;
        fixed (float* pc = cols)
        {
            float* dst = pc;
            for (int local = 0; local < count; local++)
            {
                float* image = images + (long)local * g.H * g.W * c;
                for (int oh = 0; oh < g.OH; oh++)
                {
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
            }
        }
    }

    /// <summary>Adds the patch rows in cols back into <paramref name="count"/> images starting at <paramref name="images"/> (the transpose of the unfold).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Col2Im(ReadOnlySpan<float> cols, in ConvGeometry g, int count, float* images)
    {
        int c = g.C, p = g.PatchSize, kwc = g.KW * c;
        fixed (float* pc = cols)
        {
            float* src = pc;
            for (int local = 0; local < count; local++)
            {
                float* image = images + (long)local * g.H * g.W * c;
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
    }
}
