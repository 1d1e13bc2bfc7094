using System.Diagnostics;
using Cortex.Keras.Datasets;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Preprocessing.Sequence;
using Cortex.Keras.Utils;
using Cortex.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Cortex.Examples;

/// <summary>
/// ONNX export: trains a small MLP and a small conv-net (batch-norm, pooling, "same" padding) on the MNIST sample for
/// one epoch, exports both with <see cref="OnnxExporter"/>, runs them in ONNX Runtime on the test images and compares
/// with Cortex's Predict (max |difference|, agreement of the predicted classes); then the same for a sentiment LSTM
/// (Embedding → LSTM → Dense) trained 3 epochs on the IMDB sample. Also draws the conv-net with
/// <see cref="ModelPlot"/>. Files go to the temp folder: cortex-onnx_export/{mlp,cnn,lstm}.onnx, cnn.svg, cnn.dot.
/// </summary>
internal static class OnnxExport
{
    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        var d = o.Data is null ? Sample() : MnistSet.Load(o.Data);
        var (images, testImages) = d.Images();
        var outDir = Path.Combine(Path.GetTempPath(), "cortex-onnx_export");
        Directory.CreateDirectory(outDir);
        int epochs = o.Epochs ?? 1;

        var mlp = new Sequential(
            new Dense(128, activation: "relu", inputShape: new[] { 784 }, name: "hidden"),
            new Dropout(0.2f),
            new Dense(10, activation: "softmax", name: "probabilities"));
        var cnn = new Sequential(
            new Conv2D(16, 3, padding: "same", inputShape: new[] { 28, 28, 1 }, name: "conv1"),
            new BatchNormalization(name: "bn1"),
            new ReLU(name: "relu1"),
            new MaxPooling2D(2, name: "pool1"),
            new Conv2D(32, 3, strides: 2, padding: "same", activation: "relu", name: "conv2"),
            new AveragePooling2D(2, padding: "same", name: "pool2"),
            new Flatten(name: "flatten"),
            new Dropout(0.25f),
            new Dense(10, activation: "softmax", name: "probabilities"));

        Console.WriteLine($"Results in {outDir}");
        foreach (var (name, model, x, xTest) in new[] { ("mlp", mlp, d.XTrain, d.XTest), ("cnn", cnn, images, testImages) })
        {
            model.Compile("adam", "categorical_crossentropy", new[] { "accuracy" });
            model.Fit(x, d.YTrain, batchSize: 64, epochs: epochs, verbose: 0);
            var accuracy = model.Evaluate(xTest, d.YTest, verbose: 0)["accuracy"];
            ExportAndCompare(name, model, xTest, accuracy, epochs, outDir, "test images");
        }

        // A sentiment LSTM on the IMDB sample (500 train / 500 test reviews): Embedding → LSTM → Dense(sigmoid), the
        // recurrent layer exported as one ONNX LSTM node between two Transposes.
        var imdb = Imdb.LoadData(numWords: ImdbWords, data: Imdb.LoadSample());
        var reviews = SequenceUtils.PadSequences(imdb.XTrain, maxlen: ImdbLength);
        var testReviews = SequenceUtils.PadSequences(imdb.XTest, maxlen: ImdbLength);
        var sentiment = new Sequential(
            new Embedding(ImdbWords, 32, inputShape: new[] { ImdbLength }, name: "embedding"),
            new LSTM(32, name: "lstm"),
            new Dense(1, activation: "sigmoid", name: "positive"));
        int lstmEpochs = o.Epochs ?? 3;
        sentiment.Compile("adam", "binary_crossentropy", new[] { "accuracy" });
        sentiment.Fit(reviews, Labels(imdb.YTrain), batchSize: 32, epochs: lstmEpochs, verbose: 0);
        var sentimentAccuracy = sentiment.Evaluate(testReviews, Labels(imdb.YTest), verbose: 0)["accuracy"];
        ExportAndCompare("lstm", sentiment, testReviews, sentimentAccuracy, lstmEpochs, outDir, "test reviews");

        ModelPlot.PlotModel(cnn, Path.Combine(outDir, "cnn.svg"), showShapes: true, showLayerActivations: true);
        File.WriteAllText(Path.Combine(outDir, "cnn.dot"), ModelPlot.ModelToDot(cnn, showShapes: true));
        Console.WriteLine($"Plot: {Path.Combine(outDir, "cnn.svg")}");
        return 0;
    }

    private const int ImdbWords = 2000, ImdbLength = 100;

    /// <summary>Exports <paramref name="model"/>, runs it in ONNX Runtime on <paramref name="x"/> and prints how it compares with Predict.</summary>
    private static void ExportAndCompare(string name, Model model, Tensor x, float accuracy, int epochs, string outDir, string what)
    {
        var path = Path.Combine(outDir, $"{name}.onnx");
        OnnxExporter.Export(model, path);

        var sw = Stopwatch.StartNew();
        var expected = model.Predict(x, batchSize: 256).ToArray();
        var cortexMs = sw.Elapsed.TotalMilliseconds;
        using var session = new InferenceSession(path);
        var input = new DenseTensor<float>(x.Contiguous().ToArray(), x.Shape.ToArray());
        sw.Restart();
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(session.InputNames[0], input) });
        var ortMs = sw.Elapsed.TotalMilliseconds;
        var actual = results.First().AsTensor<float>().ToArray();

        float maxDiff = 0; int agree = 0, n = x.Shape[0], classes = expected.Length / n;
        for (int i = 0; i < expected.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(expected[i] - actual[i]));
        for (int s = 0; s < n; s++) agree += Predicted(expected, s, classes) == Predicted(actual, s, classes) ? 1 : 0;
        var nodes = OnnxExporter.ToOnnxModel(model).Graph.Nodes;
        Console.WriteLine($"{name}: {model.CountParams():N0} parameters, test accuracy {accuracy:0.0000} after {epochs} epoch(s); " +
            $"{new FileInfo(path).Length:N0} bytes, {nodes.Count} ONNX nodes ({string.Join(", ", nodes.GroupBy(v => v.OpType).Select(g => g.Count() > 1 ? $"{g.Key}×{g.Count()}" : g.Key))})");
        Console.WriteLine($"{name}: ONNX Runtime vs Cortex on {n} {what}: max |diff| = {maxDiff:0.###e+0}, same class for {agree}/{n}; " +
            $"predict {cortexMs:0} ms (Cortex), {ortMs:0} ms (ONNX Runtime, first run)");
    }

    private static Tensor Labels(int[] y) => Tensor.FromArray(y.Select(v => (float)v).ToArray(), y.Length, 1);

    private static MnistSet Sample()
    {
        var d = Mnist.LoadSample();
        Console.WriteLine($"MNIST sample from {d.Source}: {d.TrainCount} train, {d.TestCount} test images");
        var (x, y, xt, yt) = d.ToFlatTensors();
        return new MnistSet(x, y, xt, yt);
    }

    /// <summary>The predicted class of a row: the arg-max of <paramref name="classes"/> scores, or score &gt; 0.5 for one sigmoid output.</summary>
    private static int Predicted(float[] rows, int row, int classes)
    {
        if (classes == 1) return rows[row] > 0.5f ? 1 : 0;
        int best = 0;
        for (int c = 1; c < classes; c++) if (rows[row * classes + c] > rows[row * classes + best]) best = c;
        return best;
    }
}
