using System.Diagnostics;
using Cortex.Keras.Datasets;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Utils;
using Cortex.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Cortex.Examples;

/// <summary>
/// ONNX export: trains a small MLP and a small conv-net (batch-norm, pooling, "same" padding) on the MNIST sample for
/// one epoch, exports both with <see cref="OnnxExporter"/>, runs them in ONNX Runtime on the test images and compares
/// with Cortex's Predict (max |difference|, agreement of the predicted classes). Also draws the conv-net with
/// <see cref="ModelPlot"/>. Files go to the temp folder: cortex-onnx_export/{mlp,cnn}.onnx, cnn.svg, cnn.dot.
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
            var path = Path.Combine(outDir, $"{name}.onnx");
            OnnxExporter.Export(model, path);

            var sw = Stopwatch.StartNew();
            var expected = model.Predict(xTest, batchSize: 256).ToArray();
            var cortexMs = sw.Elapsed.TotalMilliseconds;
            using var session = new InferenceSession(path);
            var input = new DenseTensor<float>(xTest.Contiguous().ToArray(), xTest.Shape.ToArray());
            sw.Restart();
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(session.InputNames[0], input) });
            var ortMs = sw.Elapsed.TotalMilliseconds;
            var actual = results.First().AsTensor<float>().ToArray();

            float maxDiff = 0; int agree = 0, n = xTest.Shape[0];
            for (int i = 0; i < expected.Length; i++) maxDiff = Math.Max(maxDiff, Math.Abs(expected[i] - actual[i]));
            for (int s = 0; s < n; s++) agree += ArgMax(expected, s) == ArgMax(actual, s) ? 1 : 0;
            var nodes = OnnxExporter.ToOnnxModel(model).Graph.Nodes;
            Console.WriteLine($"{name}: {model.CountParams():N0} parameters, test accuracy {accuracy:0.0000} after {epochs} epoch(s); " +
                $"{new FileInfo(path).Length:N0} bytes, {nodes.Count} ONNX nodes ({string.Join(", ", nodes.GroupBy(x => x.OpType).Select(g => g.Count() > 1 ? $"{g.Key}×{g.Count()}" : g.Key))})");
            Console.WriteLine($"{name}: ONNX Runtime vs Cortex on {n} test images: max |diff| = {maxDiff:0.###e+0}, same class for {agree}/{n}; " +
                $"predict {cortexMs:0} ms (Cortex), {ortMs:0} ms (ONNX Runtime, first run)");
        }
        ModelPlot.PlotModel(cnn, Path.Combine(outDir, "cnn.svg"), showShapes: true, showLayerActivations: true);
        File.WriteAllText(Path.Combine(outDir, "cnn.dot"), ModelPlot.ModelToDot(cnn, showShapes: true));
        Console.WriteLine($"Plot: {Path.Combine(outDir, "cnn.svg")}");
        return 0;
    }

    private static MnistSet Sample()
    {
        var d = Mnist.LoadSample();
        Console.WriteLine($"MNIST sample from {d.Source}: {d.TrainCount} train, {d.TestCount} test images");
        var (x, y, xt, yt) = d.ToFlatTensors();
        return new MnistSet(x, y, xt, yt);
    }

    private static int ArgMax(float[] rows, int row)
    {
        int best = 0;
        for (int c = 1; c < 10; c++) if (rows[row * 10 + c] > rows[row * 10 + best]) best = c;
        return best;
    }
}
