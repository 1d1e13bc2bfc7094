using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Cortex.Kernels;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Cli;

/// <summary>Benchmark workloads printing the JSON lines of ../shared/bench/PROTOCOL.md.</summary>
internal static class BenchCommand
{
    public static int Run(string workload, Options o)
    {
        switch (workload)
        {
            case "mnist_mlp": MnistWorkload("mnist_mlp", o); return 0;
            case "mnist_cnn": MnistWorkload("mnist_cnn", o); return 0;
            case "gemm": GemmWorkload(); return 0;
            case "char_lstm": CharLstmWorkload(o); return 0;
            default: throw new UsageException($"unknown workload '{workload}' (known: mnist_mlp, mnist_cnn, char_lstm, gemm).");
        }
    }

    private static void Emit(object o) => Console.WriteLine(JsonSerializer.Serialize(o));

    /// <summary>
    /// mnist_mlp (RMSprop 0.001) or mnist_cnn (Adadelta 1.0, images as (28, 28, 1)), batch 128, one line per epoch:
    /// the training pass's time, then the test accuracy and the time to predict the test set in batches of 1,000.
    /// </summary>
    private static void MnistWorkload(string name, Options o)
    {
        int epochs = o.GetInt("epochs", 1);
        RandomGenerator.SetGlobalSeed(0);
        var data = MnistTensors.Load(o.Get("data"));
        Emit(new Dictionary<string, object> { ["project"] = "cortex", ["workload"] = name, ["threads"] = Environment.ProcessorCount, ["train_samples"] = data.XTrain.Shape[0] });
        var (x, xTest) = (data.XTrain, data.XTest);
        Sequential model;
        if (name == "mnist_cnn")
        {
            x = Ops.Reshape(x, x.Shape[0], 28, 28, 1);
            xTest = Ops.Reshape(xTest, xTest.Shape[0], 28, 28, 1);
            model = TrainCommand.BuildCnn();
            model.Compile(new Adadelta(learningRate: 1f, rho: 0.95f, epsilon: 1e-7f), "categorical_crossentropy", new[] { "accuracy" });
        }
        else
        {
            model = TrainCommand.BuildMlp();
            model.Compile(new RMSprop(learningRate: 0.001f, rho: 0.9f, epsilon: 1e-7f), "categorical_crossentropy", new[] { "accuracy" });
        }
        var labels = Ops.ArgMax(data.YTest, -1).ToArray();
        for (int e = 1; e <= epochs; e++)
        {
            var sw = Stopwatch.StartNew();
            model.Fit(x, data.YTrain, batchSize: 128, epochs: 1, verbose: 0);
            double train = sw.Elapsed.TotalSeconds;
            sw.Restart();
            var pred = model.Predict(xTest, batchSize: 1000);
            double infer = sw.Elapsed.TotalSeconds;
            var p = Ops.ArgMax(pred, -1).ToArray();
            int correct = 0;
            for (int i = 0; i < p.Length; i++) if (p[i] == labels[i]) correct++;
            Emit(new Dictionary<string, object>
            {
                ["epoch"] = e, ["train_s"] = Math.Round(train, 3), ["samples_per_s"] = Math.Round(x.Shape[0] / train),
                ["test_acc"] = Math.Round((double)correct / p.Length, 4), ["predict_10k_s"] = Math.Round(infer * 10000.0 / p.Length, 3),
                ["peak_working_set_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
            });
        }
    }

    /// <summary>
    /// char_lstm as torch_workloads.py runs it: the lower-cased text (plain or .gz), 40-character windows every 3
    /// characters one-hot encoded, LSTM 128 then Dense vocab softmax, RMSprop lr 0.01, batch 128, no shuffling; one
    /// line per epoch with the training pass's time and mean loss. --limit N keeps the first N windows.
    /// </summary>
    private static void CharLstmWorkload(Options o)
    {
        int epochs = o.GetInt("epochs", 1), limit = o.GetInt("limit", int.MaxValue);
        const int MaxLen = 40, Step = 3;
        RandomGenerator.SetGlobalSeed(0);
        var path = o.Get("data") ?? throw new UsageException("char_lstm needs --data FILE (a plain-text or .gz book).");
        using var file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        var text = new StreamReader(stream, System.Text.Encoding.UTF8).ReadToEnd().ToLowerInvariant();
        var chars = text.Distinct().OrderBy(c => c).ToArray();
        var index = new Dictionary<char, int>();
        for (int i = 0; i < chars.Length; i++) index[chars[i]] = i;
        int n = (int)Math.Min(limit, Math.Max(0, (text.Length - MaxLen + Step - 1) / Step)), v = chars.Length;
        var x = new float[(long)n * MaxLen * v]; var y = new float[(long)n * v];
        for (int s = 0; s < n; s++)
        {
            int start = s * Step;
            for (int t = 0; t < MaxLen; t++) x[((long)s * MaxLen + t) * v + index[text[start + t]]] = 1f;
            y[(long)s * v + index[text[start + MaxLen]]] = 1f;
        }
        var xt = Tensor.Wrap(x, n, MaxLen, v); var yt = Tensor.Wrap(y, n, v);
        Emit(new Dictionary<string, object> { ["project"] = "cortex", ["workload"] = "char_lstm", ["threads"] = Environment.ProcessorCount, ["sequences"] = n, ["vocab"] = v });
        var model = new Sequential();
        model.Add(new Cortex.Keras.Layers.LSTM(128, inputShape: new[] { MaxLen, v }));
        model.Add(new Cortex.Keras.Layers.Dense(v, "softmax"));
        model.Compile(new RMSprop(learningRate: 0.01f), "categorical_crossentropy");
        for (int e = 1; e <= epochs; e++)
        {
            var sw = Stopwatch.StartNew();
            var h = model.Fit(xt, yt, batchSize: 128, epochs: 1, verbose: 0, shuffle: false);
            double train = sw.Elapsed.TotalSeconds;
            Emit(new Dictionary<string, object>
            {
                ["epoch"] = e, ["sequences"] = n, ["vocab"] = v, ["train_s"] = Math.Round(train, 3), ["seq_per_s"] = Math.Round(n / train),
                ["loss"] = Math.Round(h["loss"][^1], 4),
                ["peak_working_set_mb"] = Math.Round(Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0, 1),
            });
        }
    }

    private static void GemmWorkload()
    {
        Emit(new Dictionary<string, object> { ["project"] = "cortex", ["workload"] = "gemm", ["threads"] = Environment.ProcessorCount });
        var rng = new RandomGenerator(0);
        foreach (int n in new[] { 128, 512, 1024, 2048 })
        {
            var a = new float[n * n]; var b = new float[n * n]; var c = new float[n * n];
            rng.FillNormal(a); rng.FillNormal(b);
            Gemm.Sgemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
            int r = Math.Max(3, (int)(2e10 / ((double)n * n * n)));
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < r; i++) Gemm.Sgemm(false, false, n, n, n, 1f, a, n, b, n, 0f, c, n);
            double dt = sw.Elapsed.TotalSeconds / r;
            Emit(new Dictionary<string, object> { ["gemm_n"] = n, ["gflops"] = Math.Round(2.0 * n * n * n / dt / 1e9, 1) });
        }
    }
}
