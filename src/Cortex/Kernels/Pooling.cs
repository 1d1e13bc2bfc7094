using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Cortex.Kernels;

/// <summary>
/// The geometry of a 2-D pooling over channels-last data (N, H, W, C): window, strides, output size and the padding
/// before the first row and column (TensorFlow's rule, see <see cref="Pooling.OutputSize"/>).
/// </summary>
internal readonly record struct PoolShape(
    int N, int H, int W, int C, int PoolH, int PoolW, int StrideH, int StrideW, int OutH, int OutW, int PadTop, int PadLeft);

/// <summary>
/// Max and average pooling, forward and backward, over channels-last tensors (NHWC; NWC is the case H = 1).
/// Plain functions over spans: each output cell's window is reduced along the channels with Vector256 loops, and the
/// work is split over batch × output rows (forward) or batch × channel blocks (backward, where windows overlap)
/// with <see cref="ParallelRange"/> when it is large enough to pay.
/// </summary>
/// <remarks>
/// <para>Padded cells never take part: max pooling ignores them (TensorFlow pads with −∞) and average pooling divides by
/// the number of real cells in the window (TensorFlow's SAME average pool, <c>count_include_pad=False</c>).</para>
/// <para>Max pooling's backward recomputes, from the input and the forward output, which cell of each window held the
/// maximum, and routes the gradient to the first such cell in row-major window order (as TensorFlow does), so it
/// needs no index buffer.</para>
/// </remarks>
internal static unsafe class Pooling
{
    /// <summary>Below this many window reads a call runs on the calling thread alone.</summary>
    private const long ParallelWork = 1L << 15;

    /// <summary>
    /// Output size and padding before the first element along one axis. "valid": out = ⌊(in − pool) / stride⌋ + 1, no
    /// padding. "same" (TensorFlow's rule): out = ⌈in / stride⌉, total padding max((out − 1)·stride + pool − in, 0),
    /// half of it before (rounded down) and the rest after. The output size is 0 or negative when a valid pool is larger
    /// than the input.
    /// </summary>
    public static (int Out, int PadBefore) OutputSize(int input, int pool, int stride, bool same)
    {
        if (!same) return (input >= pool ? (input - pool) / stride + 1 : input - pool + 1, 0);
        int output = (input + stride - 1) / stride;
        int total = Math.Max((output - 1) * stride + pool - input, 0);
        return (output, total / 2);
    }

    /// <summary>The geometry of pooling an (n, h, w, c) tensor.</summary>
    public static PoolShape Plan(int n, int h, int w, int c, int poolH, int poolW, int strideH, int strideW, bool same)
    {
        var (oh, top) = OutputSize(h, poolH, strideH, same);
        var (ow, left) = OutputSize(w, poolW, strideW, same);
        return new PoolShape(n, h, w, c, poolH, poolW, strideH, strideW, oh, ow, top, left);
    }

    private enum Kind { Max, Average }

    private struct Job
    {
        public PoolShape S;
        public Kind Kind;
        public float* X, Y, G, DX;
        public int ChunkC, Chunks;
    }

    /// <summary>y[n, i, j, c] = max of x[n, ·, ·, c] over the real cells of window (i, j).</summary>
    public static void MaxForward(in PoolShape s, ReadOnlySpan<float> x, Span<float> y) => Forward(Kind.Max, s, x, y);

    /// <summary>y[n, i, j, c] = mean of x[n, ·, ·, c] over the real cells of window (i, j).</summary>
    public static void AverageForward(in PoolShape s, ReadOnlySpan<float> x, Span<float> y) => Forward(Kind.Average, s, x, y);

    /// <summary>dx = the gradient dy of each window routed to the first cell holding the window's maximum y.</summary>
    public static void MaxBackward(in PoolShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckLengths(s, x.Length, y.Length);
        if (dy.Length != y.Length) throw new ArgumentException($"dy has {dy.Length} values; the output has {y.Length}.", nameof(dy));
        if (dx.Length != x.Length) throw new ArgumentException($"dx has {dx.Length} values; the input has {x.Length}.", nameof(dx));
        Backward(Kind.Max, s, x, y, dy, dx);
    }

    /// <summary>dx = each window's gradient dy shared equally among the window's real cells.</summary>
    public static void AverageBackward(in PoolShape s, ReadOnlySpan<float> dy, Span<float> dx)
    {
        CheckLengths(s, dx.Length, dy.Length);
        Backward(Kind.Average, s, default, default, dy, dx);
    }

    private static void CheckLengths(in PoolShape s, int inputLength, int outputLength)
    {
        if (s.OutH <= 0 || s.OutW <= 0)
            throw new ArgumentException($"a {s.PoolH}x{s.PoolW} pool does not fit an input of {s.H}x{s.W}.", nameof(s));
        if (inputLength != (long)s.N * s.H * s.W * s.C)
            throw new ArgumentException($"the input has {inputLength} values; ({s.N}, {s.H}, {s.W}, {s.C}) needs {(long)s.N * s.H * s.W * s.C}.");
        if (outputLength != (long)s.N * s.OutH * s.OutW * s.C)
            throw new ArgumentException($"the output has {outputLength} values; ({s.N}, {s.OutH}, {s.OutW}, {s.C}) needs {(long)s.N * s.OutH * s.OutW * s.C}.");
    }

    private static long Work(in PoolShape s) => (long)s.N * s.OutH * s.OutW * s.C * s.PoolH * s.PoolW;

    private static void Forward(Kind kind, in PoolShape s, ReadOnlySpan<float> x, Span<float> y)
    {
        CheckLengths(s, x.Length, y.Length);
        if (y.Length == 0) return;
        fixed (float* px = x, py = y)
        {
            var job = new Job { S = s, Kind = kind, X = px, Y = py };
            int rows = s.N * s.OutH;
            if (Work(s) < ParallelWork || ParallelRange.MaxDegree == 1)
                for (int r = 0; r < rows; r++) ForwardRow(r, &job);
            else
                ParallelRange.For(rows, &ForwardRow, &job);
        }
    }

    /// <summary>One output row (n, i) of the forward pass.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void ForwardRow(int item, void* state)
    {
        var job = (Job*)state;
        var s = job->S;
        int n = item / s.OutH, i = item % s.OutH;
        int h0 = i * s.StrideH - s.PadTop;
        int hs = Math.Max(h0, 0), he = Math.Min(h0 + s.PoolH, s.H);
        int C = s.C, rowStride = s.W * C;
        float* xImage = job->X + (long)n * s.H * rowStride;
        float* yRow = job->Y + ((long)n * s.OutH + i) * s.OutW * C;
        bool max = job->Kind == Kind.Max;
        for (int j = 0; j < s.OutW; j++)
        {
            int w0 = j * s.StrideW - s.PadLeft;
            int ws = Math.Max(w0, 0), we = Math.Min(w0 + s.PoolW, s.W);
            float* dst = yRow + (long)j * C;
            float* first = xImage + (long)hs * rowStride + (long)ws * C;
            int wh = he - hs, ww = we - ws;
            if (max) MaxWindow(first, wh, ww, rowStride, C, dst);
            else SumWindow(first, wh, ww, rowStride, C, 1f / (wh * ww), dst);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxWindow(float* first, int wh, int ww, int rowStride, int C, float* dst)
    {
        int c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c <= C - Vector256<float>.Count; c += Vector256<float>.Count)
            {
                var acc = Vector256.Create(float.NegativeInfinity);
                for (int a = 0; a < wh; a++)
                {
                    float* p = first + (long)a * rowStride + c;
                    for (int b = 0; b < ww; b++, p += C) acc = Vector256.Max(acc, Vector256.Load(p));
                }
                acc.Store(dst + c);
            }
        }
        for (; c < C; c++)
        {
            float acc = float.NegativeInfinity;
            for (int a = 0; a < wh; a++)
            {
                float* p = first + (long)a * rowStride + c;
                for (int b = 0; b < ww; b++, p += C) acc = MathF.Max(acc, *p);
            }
            dst[c] = acc;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SumWindow(float* first, int wh, int ww, int rowStride, int C, float scale, float* dst)
    {
        int c = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c <= C - Vector256<float>.Count; c += Vector256<float>.Count)
            {
                var acc = Vector256<float>.Zero;
                for (int a = 0; a < wh; a++)
                {
                    float* p = first + (long)a * rowStride + c;
                    for (int b = 0; b < ww; b++, p += C) acc += Vector256.Load(p);
                }
                (acc * scale).Store(dst + c);
            }
        }
        for (; c < C; c++)
        {
            float acc = 0f;
            for (int a = 0; a < wh; a++)
            {
                float* p = first + (long)a * rowStride + c;
                for (int b = 0; b < ww; b++, p += C) acc += *p;
            }
            dst[c] = acc * scale;
        }
    }

    private static void Backward(Kind kind, in PoolShape s, ReadOnlySpan<float> x, ReadOnlySpan<float> y, ReadOnlySpan<float> dy, Span<float> dx)
    {
        dx.Clear();
        if (dy.Length == 0) return;
        // Windows overlap when stride < pool, so items must own disjoint parts of dx: one image and a block of channels.
        int threads = ParallelRange.MaxDegree;
        bool parallel = Work(s) >= ParallelWork && threads > 1;
        int chunks = 1;
        if (parallel && s.N < 2 * threads && s.C > Vector256<float>.Count)
            chunks = Math.Min((s.C + Vector256<float>.Count - 1) / Vector256<float>.Count, (2 * threads + s.N - 1) / s.N);
        int chunkC = (s.C + chunks - 1) / chunks;
        if (chunks > 1) chunkC = (chunkC + Vector256<float>.Count - 1) / Vector256<float>.Count * Vector256<float>.Count;
        chunks = (s.C + chunkC - 1) / chunkC;
        fixed (float* px = x, py = y, pg = dy, pdx = dx)
        {
            var job = new Job { S = s, Kind = kind, X = px, Y = py, G = pg, DX = pdx, ChunkC = chunkC, Chunks = chunks };
            int items = s.N * chunks;
            if (!parallel)
                for (int t = 0; t < items; t++) BackwardItem(t, &job);
            else
                ParallelRange.For(items, &BackwardItem, &job);
        }
    }

    /// <summary>The backward pass of one image over one block of channels.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void BackwardItem(int item, void* state)
    {
        var job = (Job*)state;
        var s = job->S;
        int n = item / job->Chunks, chunk = item % job->Chunks;
        int c0 = chunk * job->ChunkC, c1 = Math.Min(c0 + job->ChunkC, s.C);
        int C = s.C, rowStride = s.W * C;
        long imageIn = (long)n * s.H * rowStride, imageOut = (long)n * s.OutH * s.OutW * C;
        bool max = job->Kind == Kind.Max;
        for (int i = 0; i < s.OutH; i++)
        {
            int h0 = i * s.StrideH - s.PadTop;
            int hs = Math.Max(h0, 0), he = Math.Min(h0 + s.PoolH, s.H);
            for (int j = 0; j < s.OutW; j++)
            {
                int w0 = j * s.StrideW - s.PadLeft;
                int ws = Math.Max(w0, 0), we = Math.Min(w0 + s.PoolW, s.W);
                long outAt = imageOut + ((long)i * s.OutW + j) * C;
                long firstAt = imageIn + (long)hs * rowStride + (long)ws * C;
                int wh = he - hs, ww = we - ws;
                if (max)
                    MaxWindowBackward(job->X + firstAt, job->DX + firstAt, job->Y + outAt, job->G + outAt, wh, ww, rowStride, C, c0, c1);
                else
                    SumWindowBackward(job->DX + firstAt, job->G + outAt, 1f / (wh * ww), wh, ww, rowStride, C, c0, c1);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MaxWindowBackward(float* x, float* dx, float* y, float* g, int wh, int ww, int rowStride, int C, int c0, int c1)
    {
        int c = c0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c <= c1 - Vector256<float>.Count; c += Vector256<float>.Count)
            {
                var yv = Vector256.Load(y + c);
                var gv = Vector256.Load(g + c);
                var open = Vector256<int>.AllBitsSet.AsSingle(); // lanes whose maximum is not found yet
                for (int a = 0; a < wh; a++)
                {
                    long row = (long)a * rowStride + c;
                    for (int b = 0; b < ww; b++)
                    {
                        long at = row + (long)b * C;
                        var hit = Vector256.Equals(Vector256.Load(x + at), yv) & open;
                        (Vector256.Load(dx + at) + (gv & hit)).Store(dx + at);
                        open = Vector256.AndNot(open, hit);
                    }
                    if (open.AsInt32() == Vector256<int>.Zero) break;
                }
            }
        }
        for (; c < c1; c++)
        {
            float yc = y[c];
            for (int a = 0; a < wh; a++)
            {
                long row = (long)a * rowStride + c;
                int b = 0;
                for (; b < ww; b++)
                    if (x[row + (long)b * C] == yc) { dx[row + (long)b * C] += g[c]; break; }
                if (b < ww) break;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SumWindowBackward(float* dx, float* g, float scale, int wh, int ww, int rowStride, int C, int c0, int c1)
    {
        int c = c0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; c <= c1 - Vector256<float>.Count; c += Vector256<float>.Count)
            {
                var gv = Vector256.Load(g + c) * scale;
                for (int a = 0; a < wh; a++)
                {
                    float* p = dx + (long)a * rowStride + c;
                    for (int b = 0; b < ww; b++, p += C) (Vector256.Load(p) + gv).Store(p);
                }
            }
        }
        for (; c < c1; c++)
        {
            float gc = g[c] * scale;
            for (int a = 0; a < wh; a++)
            {
                float* p = dx + (long)a * rowStride + c;
                for (int b = 0; b < ww; b++, p += C) *p += gc;
            }
        }
    }
}
