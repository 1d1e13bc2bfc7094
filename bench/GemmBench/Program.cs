// GEMM throughput of Cortex, printed as JSON lines in the schema of the peer (torch_workloads.py gemm):
//   {"project":"cortex","workload":"gemm","threads":T}
//   {"gemm_n": n, "gflops": X}            for square n = 128, 512, 1024, 2048
// With --dl, also the deep-learning shapes m=128, k=784, n=512 in all four transpose combinations, and the two
// backward products of that Dense layer:
//   {"gemm_dl": "NN", "m": 128, "k": 784, "n": 512, "gflops": X}
// Each measurement: one warm-up product, then r = max(3, int(2e10 / (m·n·k))) timed repetitions; gflops = 2·m·n·k / t.
using System.Diagnostics;
using System.Globalization;
using Cortex.Kernels;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
Thread.CurrentThread.CurrentCulture = CultureInfo.InvariantCulture;
bool dl = args.Contains("--dl");
Console.WriteLine($"{{\"project\":\"cortex\",\"workload\":\"gemm\",\"threads\":{Environment.ProcessorCount}}}");

var rng = new Random(0);
foreach (int n in new[] { 128, 512, 1024, 2048 })
{
    double gflops = Measure(false, false, n, n, n, rng);
    Console.WriteLine($"{{\"gemm_n\": {n}, \"gflops\": {gflops:0.0}}}");
}
if (dl)
{
    // A 784→512 Dense layer on a batch of 128: its forward shape under every transpose combination, then the two
    // backward products as the layer runs them (dW = Xᵀ·dY and dX = dY·Wᵀ).
    var shapes = new (string Name, bool Ta, bool Tb, int M, int K, int N)[]
    {
        ("NN", false, false, 128, 784, 512), ("TN", true, false, 128, 784, 512),
        ("NT", false, true, 128, 784, 512), ("TT", true, true, 128, 784, 512),
        ("dW=XtdY", true, false, 784, 128, 512), ("dX=dYWt", false, true, 128, 512, 784),
    };
    foreach (var (name, ta, tb, m, k, nn) in shapes)
    {
        double gflops = Measure(ta, tb, m, nn, k, rng);
        Console.WriteLine($"{{\"gemm_dl\": \"{name}\", \"m\": {m}, \"k\": {k}, \"n\": {nn}, \"gflops\": {gflops:0.0}}}");
    }
}

static double Measure(bool ta, bool tb, int m, int n, int k, Random rng)
{
    var a = Randn(m * k, rng);
    var b = Randn(k * n, rng);
    var c = new float[m * n];
    int lda = ta ? m : k, ldb = tb ? k : n;
    Gemm.Sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
    double work = (double)m * n * k;
    int r = Math.Max(3, (int)(2e10 / work));
    long t0 = Stopwatch.GetTimestamp();
    for (int i = 0; i < r; i++) Gemm.Sgemm(ta, tb, m, n, k, 1f, a, lda, b, ldb, 0f, c, n);
    double dt = Stopwatch.GetElapsedTime(t0).TotalSeconds / r;
    return 2 * work / dt / 1e9;
}

static float[] Randn(int count, Random rng)
{
    var x = new float[count];
    for (int i = 0; i < count; i++)
        x[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
    return x;
}
