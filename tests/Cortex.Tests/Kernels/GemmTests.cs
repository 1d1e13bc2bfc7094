using Cortex.Kernels;

namespace Cortex.Tests.Kernels;

public class GemmTests
{
    // Micro-kernel paths by name (GemmPath is internal, so it cannot appear in a public test signature).
    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string>();
        if (Avx512Kernel.IsSupported) data.Add(nameof(GemmPath.Avx512));
        if (Avx2Kernel.IsSupported) data.Add(nameof(GemmPath.Avx2));
        data.Add(nameof(GemmPath.Portable));
        return data;
    }

    // (m, n, k): tiny, odd, edges of the register tiles (4/6/12 rows, 8/16/32 columns), of the k block (400) and of
    // the task width (512), degenerate sizes.
    private static readonly (int M, int N, int K)[] Shapes =
    {
        (1, 1, 1), (7, 13, 5), (33, 65, 17), (1, 40, 9), (19, 1, 23), (12, 32, 8), (13, 33, 3),
        (6, 16, 4), (5, 15, 7), (24, 64, 401), (25, 31, 801), (11, 513, 33), (70, 530, 2), (3, 7, 0),
        (4103, 5, 3), (3, 4133, 4), // more than one outer block of 4096 rows or columns
    };

    private static float[] Random(int count, int seed)
    {
        var rng = new Random(seed);
        var x = new float[count];
        for (int i = 0; i < count; i++) x[i] = (float)(rng.NextDouble() * 2 - 1);
        return x;
    }

    /// <summary>The reference in double: C = alpha·op(A)·op(B) + beta·C.</summary>
    private static double[] Reference(bool ta, bool tb, int m, int n, int k, float alpha, float[] a, int lda,
        float[] b, int ldb, float beta, float[] c, int ldc)
    {
        var r = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double s = 0;
                for (int p = 0; p < k; p++)
                    s += (double)(ta ? a[p * lda + i] : a[i * lda + p]) * (tb ? b[j * ldb + p] : b[p * ldb + j]);
                r[i * n + j] = alpha * s + (beta == 0 ? 0 : beta * (double)c[i * ldc + j]);
            }
        return r;
    }

    private static void Check(GemmPath path, bool ta, bool tb, int m, int n, int k, float alpha, float beta,
        int padA = 0, int padB = 0, int padC = 0, int maxThreads = 0, int seed = 1)
    {
        int lda = (ta ? m : k) + padA, ldb = (tb ? k : n) + padB, ldc = n + padC;
        int rowsA = ta ? k : m, rowsB = tb ? n : k;
        var a = Random(Math.Max(1, rowsA * lda), seed);
        var b = Random(Math.Max(1, rowsB * ldb), seed + 1);
        var c = Random(Math.Max(1, m * ldc), seed + 2);
        if (beta == 0f) Array.Fill(c, float.NaN);
        for (int i = 0; i < m; i++) // the padding of C must survive
            for (int j = n; j < ldc; j++) c[i * ldc + j] = 1234f;
        var expected = Reference(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        Gemm.Sgemm(path, maxThreads, ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);

        double tol = 1e-4 * Math.Sqrt(Math.Max(k, 1));
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double e = expected[i * n + j], got = c[i * ldc + j];
                if (!(Math.Abs(got - e) <= tol * Math.Max(1, Math.Abs(e))))
                    Assert.Fail($"{path} ta={ta} tb={tb} m={m} n={n} k={k} alpha={alpha} beta={beta} lda={lda} ldb={ldb} ldc={ldc}: " +
                        $"C[{i},{j}] = {got}, expected {e}");
            }
            for (int j = n; j < ldc; j++) Assert.Equal(1234f, c[i * ldc + j]);
        }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void MatchesReferenceOnManyShapes(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        foreach (var (m, n, k) in Shapes)
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                    Check(path, ta, tb, m, n, k, 1f, 0f);
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void AlphaBetaAndLeadingDimensions(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        foreach (var (alpha, beta) in new[] { (1f, 1f), (1f, 0.5f), (-0.75f, 0f), (2f, -1.5f), (0f, 0.5f), (0f, 0f) })
            foreach (bool ta in new[] { false, true })
                foreach (bool tb in new[] { false, true })
                {
                    Check(path, ta, tb, 29, 45, 37, alpha, beta);
                    Check(path, ta, tb, 29, 45, 37, alpha, beta, padA: 3, padB: 5, padC: 2);
                }
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public void LargeMultiThreadedShapes(string pathName)
    {
        var path = Enum.Parse<GemmPath>(pathName);
        // Several tasks per thread, two k blocks, edge tiles on both sides, every transpose combination.
        foreach (bool ta in new[] { false, true })
            foreach (bool tb in new[] { false, true })
                Check(path, ta, tb, 131, 161, 450, 1f, 0.5f, padA: 1, padB: 2, padC: 3);
    }

    [Fact]
    public void SeveralPackingStepsAndOuterBlocks()
    {
        // 4100 rows: two outer blocks; 801-deep: three k blocks, packed in more than one step.
        Check(GemmPath.Auto, false, false, 4100, 33, 801, 1f, 0.5f);
        Check(GemmPath.Auto, true, true, 4100, 33, 801, 1f, 0f);
    }

    [Fact]
    public void DeepLearningShapes()
    {
        // Forward x·W, then dW = xᵀ·dY and dX = dY·Wᵀ of a 784→512 Dense layer on a batch of 128.
        Check(GemmPath.Auto, false, false, 128, 512, 784, 1f, 0f);
        Check(GemmPath.Auto, true, false, 784, 512, 128, 1f, 0f);
        Check(GemmPath.Auto, false, true, 128, 784, 512, 1f, 0f);
    }

    [Fact]
    public void ZeroSizesAndZeroDepth()
    {
        var c = new[] { 1f, 2f, 3f, 4f, 5f, 6f };
        Gemm.Sgemm(false, false, 2, 3, 0, 1f, Array.Empty<float>(), 0, Array.Empty<float>(), 3, 0.5f, c, 3);
        Assert.Equal(new[] { 0.5f, 1f, 1.5f, 2f, 2.5f, 3f }, c);
        Array.Fill(c, float.NaN);
        Gemm.Sgemm(true, true, 2, 3, 0, 1f, Array.Empty<float>(), 2, Array.Empty<float>(), 0, 0f, c, 3);
        Assert.All(c, x => Assert.Equal(0f, x));
        Gemm.Sgemm(false, false, 0, 0, 5, 1f, Array.Empty<float>(), 5, Array.Empty<float>(), 0, 0f, Span<float>.Empty, 0);
    }

    [Fact]
    public void AlphaZeroDoesNotReadAOrB()
    {
        var a = new float[6]; Array.Fill(a, float.NaN);
        var b = new float[6]; Array.Fill(b, float.PositiveInfinity);
        var c = new[] { 1f, 2f, 3f, 4f };
        Gemm.Sgemm(false, false, 2, 2, 3, 0f, a, 3, b, 2, 2f, c, 2);
        Assert.Equal(new[] { 2f, 4f, 6f, 8f }, c);
    }

    [Fact]
    public void ResultsAreBitIdenticalAcrossRunsAndThreadCounts()
    {
        const int m = 300, n = 700, k = 650;
        var a = Random(m * k, 7);
        var b = Random(k * n, 8);
        var one = new float[m * n];
        var all = new float[m * n];
        var again = new float[m * n];
        Gemm.Sgemm(GemmPath.Auto, 1, false, true, m, n, k, 1f, a, k, b, k, 0f, one, n);
        Gemm.Sgemm(GemmPath.Auto, 0, false, true, m, n, k, 1f, a, k, b, k, 0f, all, n);
        Gemm.Sgemm(GemmPath.Auto, 0, false, true, m, n, k, 1f, a, k, b, k, 0f, again, n);
        Assert.True(one.AsSpan().SequenceEqual(all));
        Assert.True(all.AsSpan().SequenceEqual(again));
    }

    [Fact]
    public void ConcurrentCallersGetCorrectResults()
    {
        const int m = 96, n = 200, k = 150;
        var a = Random(m * k, 3);
        var b = Random(k * n, 4);
        var expected = new float[m * n];
        Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, expected, n);
        Parallel.For(0, 8, _ =>
        {
            var c = new float[m * n];
            for (int rep = 0; rep < 5; rep++)
            {
                Gemm.Sgemm(false, false, m, n, k, 1f, a, k, b, n, 0f, c, n);
                Assert.True(c.AsSpan().SequenceEqual(expected));
            }
        });
    }

    private static unsafe void MarkItem(int i, void* state) => Interlocked.Increment(ref ((int*)state)[i]);

    private static unsafe void ThrowOnSeven(int i, void* state)
    {
        if (i == 7) throw new InvalidOperationException("item 7");
    }

    [Fact]
    public unsafe void ParallelRangeRunsEveryItemOnceAndRethrows()
    {
        var hits = new int[1000];
        for (int rep = 0; rep < 20; rep++)
            fixed (int* p = hits)
                ParallelRange.For(hits.Length, &MarkItem, p);
        Assert.All(hits, h => Assert.Equal(20, h));
        var e = Assert.Throws<InvalidOperationException>(() => ParallelRange.For(64, &ThrowOnSeven, null));
        Assert.Equal("item 7", e.Message);
        fixed (int* p = hits) // still usable afterwards
            ParallelRange.For(hits.Length, &MarkItem, p);
        Assert.All(hits, h => Assert.Equal(21, h));
    }

    [Fact]
    public void PackersTransposeAndPad()
    {
        // Exercise the 8×8, 4×4 and scalar parts of the transposing packer and the zero padding of both packers.
        foreach (int rows in new[] { 1, 3, 4, 7, 8, 12, 13, 32 })
            foreach (int kc in new[] { 1, 5, 8, 19 })
            {
                int width = Math.Max(rows, 12) + 3, ld = kc + 2;
                var src = Random(rows * ld, rows * 31 + kc);
                var dst = new float[kc * width];
                Array.Fill(dst, float.NaN);
                unsafe
                {
                    fixed (float* s = src)
                    fixed (float* d = dst)
                        GemmPacking.PackTranspose(s, ld, rows, kc, d, width);
                }
                for (int p = 0; p < kc; p++)
                    for (int r = 0; r < width; r++)
                        Assert.Equal(r < rows ? src[r * ld + p] : 0f, dst[p * width + r]);

                var dst2 = new float[kc * width];
                Array.Fill(dst2, float.NaN);
                int cols = rows, ld2 = cols + 1;
                var src2 = Random(kc * ld2, kc * 7 + rows);
                unsafe
                {
                    fixed (float* s = src2)
                    fixed (float* d = dst2)
                        GemmPacking.PackCopy(s, ld2, kc, cols, d, width);
                }
                for (int p = 0; p < kc; p++)
                    for (int j = 0; j < width; j++)
                        Assert.Equal(j < cols ? src2[p * ld2 + j] : 0f, dst2[p * width + j]);
            }
    }

    [Fact]
    public void RejectsBadArguments()
    {
        var a = new float[12];
        var b = new float[12];
        var c = new float[12];
        void Expect(string param, Action call)
        {
            var e = Assert.Throws<ArgumentException>(call);
            Assert.Equal(param, e.ParamName);
        }
        Expect("m", () => Gemm.Sgemm(false, false, -1, 3, 4, 1f, a, 4, b, 3, 0f, c, 3));
        Expect("n", () => Gemm.Sgemm(false, false, 3, -2, 4, 1f, a, 4, b, 3, 0f, c, 3));
        Expect("k", () => Gemm.Sgemm(false, false, 3, 3, -4, 1f, a, 4, b, 3, 0f, c, 3));
        Expect("lda", () => Gemm.Sgemm(false, false, 3, 3, 4, 1f, a, 3, b, 3, 0f, c, 3));
        Expect("lda", () => Gemm.Sgemm(true, false, 3, 3, 4, 1f, a, 2, b, 3, 0f, c, 3));
        Expect("ldb", () => Gemm.Sgemm(false, false, 3, 3, 4, 1f, a, 4, b, 2, 0f, c, 3));
        Expect("ldb", () => Gemm.Sgemm(false, true, 3, 3, 4, 1f, a, 4, b, 3, 0f, c, 3));
        Expect("ldc", () => Gemm.Sgemm(false, false, 3, 3, 4, 1f, a, 4, b, 3, 0f, c, 2));
        Expect("a", () => Gemm.Sgemm(false, false, 3, 3, 4, 1f, a.AsSpan(0, 11), 4, b, 3, 0f, c, 3));
        Expect("b", () => Gemm.Sgemm(false, true, 3, 3, 4, 1f, a, 4, b.AsSpan(0, 11), 4, 0f, c, 3));
        Expect("c", () => Gemm.Sgemm(false, false, 3, 3, 4, 1f, a, 4, b, 3, 0f, c.AsSpan(0, 8), 3));
        var message = Assert.Throws<ArgumentException>(() => Gemm.Sgemm(false, false, 3, 3, 4, 1f, a, 4, b, 3, 0f, c, 2)).Message;
        Assert.Contains("got 2", message);
    }
}
