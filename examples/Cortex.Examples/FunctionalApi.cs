using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Examples;

/// <summary>
/// "Deep Learning with Keras" ch.7, the functional API: (1) the same net built Sequential and Functional — same
/// parameter count and, from the same seed, the same predictions; (2) a two-input, two-output model trained with a
/// loss per output and loss weights; (3) a Lambda computing the euclidean distance of two shared embeddings
/// (siamese-style); (4) a custom local-response-normalisation layer checked with the book's shape harness.
/// Synthetic data throughout (the chapter's point is the API, not a data set); all of it is seeded.
/// </summary>
internal static class FunctionalApi
{
    public static int Run(ExampleOptions o)
    {
        int epochs = o.Epochs ?? 30;
        SameNetBothWays(o.Seed);
        TwoInTwoOut(o.Seed, epochs);
        Siamese(o.Seed, epochs);
        LrnHarness();
        return 0;
    }

    private static void SameNetBothWays(int seed)
    {
        Console.WriteLine("== 1. the same net, Sequential and Functional");
        RandomGenerator.SetGlobalSeed(seed);
        var seq = new Sequential(new Dense(32, activation: "relu", inputShape: new[] { 784 }), new Dense(10, activation: "softmax"));
        RandomGenerator.SetGlobalSeed(seed);
        var input = new Input(new[] { 784 });
        var output = new Dense(10, activation: "softmax").Apply(new Dense(32, activation: "relu").Apply(input));
        var fun = new Functional(input, output);
        var x = new RandomGenerator(seed + 1).Uniform(new[] { 16, 784 });
        var a = seq.Predict(x).ToArray(); var b = fun.Predict(x).ToArray();
        float maxDiff = a.Zip(b).Max(p => Math.Abs(p.First - p.Second));
        Console.WriteLine($"parameters: Sequential {seq.CountParams():N0}, Functional {fun.CountParams():N0}; max |difference| of 16 predictions: {maxDiff}");
    }

    private static void TwoInTwoOut(int seed, int epochs)
    {
        Console.WriteLine("== 2. two inputs, two outputs, a loss per output with loss weights");
        RandomGenerator.SetGlobalSeed(seed);
        var rng = new RandomGenerator(seed + 2);
        int n = 2000;
        var xa = rng.Normal(new[] { n, 8 }); var xb = rng.Normal(new[] { n, 4 });
        // Targets: a value (sum of a's first 4 features times b's first) and a class (is a's mean above b's?).
        var ya = new float[n]; var yb = new float[n];
        var sa = xa.ToArray(); var sb = xb.ToArray();
        for (int i = 0; i < n; i++)
        {
            ya[i] = (sa[i * 8] + sa[i * 8 + 1] + sa[i * 8 + 2] + sa[i * 8 + 3]) * 0.5f + sb[i * 4];
            yb[i] = sa.AsSpan(i * 8, 8).ToArray().Average() > sb.AsSpan(i * 4, 4).ToArray().Average() ? 1f : 0f;
        }
        var inA = new Input(new[] { 8 }, name: "features_a"); var inB = new Input(new[] { 4 }, name: "features_b");
        var h = new Dense(32, activation: "relu").Apply(new Concatenate().Apply(inA, inB));
        var value = new Dense(1, name: "value").Apply(h);
        var label = new Dense(1, activation: "sigmoid", name: "label").Apply(new Dense(16, activation: "relu").Apply(h));
        var model = new Functional(new[] { inA, inB }, new[] { value, label }, name: "two_in_two_out");
        model.Summary();
        model.Compile(new Adam(0.005f), new object?[] { "mse", "binary_crossentropy" }, lossWeights: new[] { 1f, 0.2f },
            metrics: new IEnumerable<object>?[] { new object[] { "mae" }, new object[] { "accuracy" } });
        var hist = model.Fit(new[] { xa, xb }, new[] { Tensor.Wrap(ya, n, 1), Tensor.Wrap(yb, n, 1) }, batchSize: 64, epochs: epochs, verbose: 0, validationSplit: 0.2f);
        Console.WriteLine($"after {hist.Epoch.Count} epochs: " + string.Join(", ", hist.HistoryData.Select(kv => $"{kv.Key} {kv.Value[^1]:0.0000}")));
    }

    private static void Siamese(int seed, int epochs)
    {
        Console.WriteLine("== 3. Lambda: euclidean distance of two shared embeddings (siamese)");
        RandomGenerator.SetGlobalSeed(seed);
        var rng = new RandomGenerator(seed + 3);
        const int classes = 5, dim = 10, n = 3000;
        var centres = rng.Normal(new[] { classes, dim }, stddev: 1.5f).ToArray();
        (Tensor A, Tensor B, Tensor Y) Pairs(int count)
        {
            var a = new float[count * dim]; var b = new float[count * dim]; var y = new float[count];
            for (int i = 0; i < count; i++)
            {
                int ca = rng.NextInt(classes), cb = i % 2 == 0 ? ca : (ca + 1 + rng.NextInt(classes - 1)) % classes;
                y[i] = ca == cb ? 0f : 1f;
                for (int j = 0; j < dim; j++) { a[i * dim + j] = centres[ca * dim + j] + (float)rng.NextNormal(); b[i * dim + j] = centres[cb * dim + j] + (float)rng.NextNormal(); }
            }
            return (Tensor.Wrap(a, count, dim), Tensor.Wrap(b, count, dim), Tensor.Wrap(y, count, 1));
        }
        var inA = new Input(new[] { dim }); var inB = new Input(new[] { dim });
        var embed = new Sequential(new Dense(16, activation: "relu", inputShape: new[] { dim }), new Dense(8));
        var distance = new Lambda(xs => Backend.Sqrt(Backend.Maximum(Backend.Sum(Backend.Square(Ops.Subtract(xs[0], xs[1])), axis: 1, keepDims: true), Backend.Epsilon)),
            outputShape: new[] { 1 }, name: "euclidean_distance").Apply(embed.Apply(inA), embed.Apply(inB));
        // Distance → probability of "different" through one learned scale and offset.
        var p = new Dense(1, activation: "sigmoid").Apply(distance);
        var model = new Functional(new[] { inA, inB }, p, name: "siamese");
        model.Compile(new Adam(0.005f), "binary_crossentropy", new[] { "accuracy" });
        var (ta, tb, ty) = Pairs(n); var (va, vb, vy) = Pairs(1000);
        model.Fit(new[] { ta, tb }, new[] { ty }, batchSize: 64, epochs: Math.Max(1, epochs / 3), verbose: 0);
        var e = model.Evaluate(new[] { va, vb }, new[] { vy }, verbose: 0);
        Console.WriteLine($"held-out pairs: loss {e["loss"]:0.0000}, accuracy {e["accuracy"]:0.0000} (same/different cluster)");
    }

    /// <summary>The book's local response normalisation: b = a / (k + α Σ_{n neighbouring channels} a²)^β, channels last.</summary>
    internal sealed class LocalResponseNormalization(int n = 5, float alpha = 0.0005f, float beta = 0.75f, float k = 2f, string? name = null) : Layer(name)
    {
        public override void Build(int[] inputShape)
        {
            if (inputShape.Length != 4) throw new ArgumentException($"LocalResponseNormalization \"{Name}\" expects (batch, rows, cols, channels) inputs. Received: input_shape={TensorShape.Format(inputShape)}");
            Built = true;
        }

        public override Tensor Call(Tensor x, bool training)
        {
            int c = x.Shape[3], half = n / 2;
            var sq = Ops.Pad(Ops.Square(x), new[] { 0, 0, 0, half }, new[] { 0, 0, 0, half });
            Tensor? sum = null;
            for (int i = 0; i < n; i++)
            {
                var window = Ops.Slice(sq, new[] { 0, 0, 0, i }, new[] { x.Shape[0], x.Shape[1], x.Shape[2], c });
                sum = sum is null ? window : Ops.Add(sum, window);
            }
            return Ops.Divide(x, Ops.Pow(Ops.AddScalar(Ops.MultiplyScalar(sum!, alpha), k), beta));
        }

        public override int[] ComputeOutputShape(int[] inputShape) => inputShape;

        public override Dictionary<string, object?> GetConfig()
        {
            var cfg = base.GetConfig();
            cfg["n"] = n; cfg["alpha"] = alpha; cfg["beta"] = beta; cfg["k"] = k;
            return cfg;
        }
    }

    /// <summary>The book's test harness: run the layer in a model on random data and compare shapes with ComputeOutputShape.</summary>
    private static void LrnHarness()
    {
        Console.WriteLine("== 4. a custom layer (local response normalisation) through the shape-checking harness");
        foreach (var shape in new[] { new[] { 2, 8, 8, 3 }, new[] { 1, 5, 7, 16 } })
        {
            var layer = new LocalResponseNormalization();
            var x = new RandomGenerator(1).Normal(shape);
            var model = new Sequential(layer);
            var y = model.Predict(x);
            var expected = layer.ComputeOutputShape(shape);
            bool ok = y.Shape.SequenceEqual(expected);
            Console.WriteLine($"input {TensorShape.Format(shape)} -> output {y.ShapeString}, ComputeOutputShape {TensorShape.Format(expected)}: {(ok ? "ok" : "MISMATCH")}; config {string.Join(", ", layer.GetConfig().Select(kv => $"{kv.Key}={kv.Value}"))}");
            if (!ok) throw new InvalidOperationException("shape harness failed");
        }
    }
}
