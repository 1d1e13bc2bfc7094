using System.Diagnostics;
using Cortex.Keras.Data;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Examples;

/// <summary>
/// The Dataset pipeline's benchmark: an MNIST MLP (784-512-10, RMSprop) trained from
/// <c>Dataset.FromTensorSlices(x, y).Shuffle(...).Batch(128).Map(augment)</c>, where the map shifts every image by a
/// random −2..2 pixels and then stands for a decode costing <c>--variant</c> ms per batch (default 10, a busy wait,
/// so it needs a core as real decoding would). Each epoch runs once without and once with <c>.Prefetch(2)</c>; with
/// prefetching the map runs on a producer thread while the model trains, so the epoch should take about
/// max(train, map) instead of train + map.
/// </summary>
internal static class PrefetchBench
{
    public static int Run(ExampleOptions o)
    {
        double decodeMs = o.Variant is null ? 10 : double.Parse(o.Variant, System.Globalization.CultureInfo.InvariantCulture);
        var d = MnistSet.Load(o.Data);
        int epochs = o.Epochs ?? 2;
        foreach (bool prefetch in new[] { false, true, false, true })
        {
            RandomGenerator.SetGlobalSeed(o.Seed);
            var model = new Sequential(new Dense(512, activation: "relu", inputShape: new[] { 784 }), new Dense(10, activation: "softmax"));
            model.Compile("rmsprop", "categorical_crossentropy", new[] { "accuracy" });
            var rng = new RandomGenerator(o.Seed);
            var ds = Dataset.FromTensorSlices(d.XTrain, d.YTrain).Shuffle(10_000, seed: o.Seed).Batch(128).Map(e => Augment(e, rng, decodeMs));
            if (prefetch) ds = ds.Prefetch(2);
            var sw = Stopwatch.StartNew();
            var h = model.Fit(ds, epochs: epochs, verbose: 0);
            double perEpoch = sw.Elapsed.TotalSeconds / epochs;
            var acc = model.Evaluate(d.XTest, d.YTest, batchSize: 1000, verbose: 0)["accuracy"];
            Console.WriteLine($"{{\"workload\":\"prefetch\",\"prefetch\":{(prefetch ? "true" : "false")},\"decode_ms_per_batch\":{decodeMs},\"batches\":{ds.Cardinality},\"epoch_s\":{perEpoch:0.000},\"train_loss\":{h["loss"][^1]:0.0000},\"test_acc\":{acc:0.0000}}}");
        }
        return 0;
    }

    /// <summary>Shifts each 28×28 image by a random (dy, dx) in −2..2 (zeros enter at the edges), then waits out the decode cost.</summary>
    private static DataElement Augment(DataElement batch, RandomGenerator rng, double decodeMs)
    {
        var sw = Stopwatch.StartNew();
        var x = batch.Input.Contiguous().Span;
        int n = batch.Rows;
        var outData = new float[x.Length];
        for (int i = 0; i < n; i++)
        {
            int dy = rng.NextInt(5) - 2, dx = rng.NextInt(5) - 2;
            for (int r = 0; r < 28; r++)
            {
                int sr = r - dy;
                if ((uint)sr >= 28u) continue;
                for (int c = 0; c < 28; c++)
                {
                    int sc = c - dx;
                    if ((uint)sc < 28u) outData[i * 784 + r * 28 + c] = x[i * 784 + sr * 28 + sc];
                }
            }
        }
        while (sw.Elapsed.TotalMilliseconds < decodeMs) Thread.SpinWait(50);
        return new DataElement(Tensor.Wrap(outData, n, 784), batch.Target);
    }
}
