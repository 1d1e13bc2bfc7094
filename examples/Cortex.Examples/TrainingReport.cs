using Cortex.Keras.Callbacks;
using Cortex.Keras.Datasets;
using Cortex.Keras.Layers;
using Cortex.Keras.Metrics;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Examples;

/// <summary>
/// A training run and its report on Fashion-MNIST (the shipped 6,000/1,000 sample, or the full set with --data): a
/// 784-256-128-10 MLP (ReLU, dropout 0.2, Adam, batch 128, 10% validation split, 15 epochs by default) with a
/// TensorBoard log (read back with <see cref="EventFileReader"/>), a history plot (history.png), a confusion-matrix
/// plot of the test set (confusion_matrix.png) and sklearn's classification report (classification_report.txt).
/// Everything goes to <c>logs/training_report/&lt;date-time&gt;/</c>.
/// </summary>
internal static class TrainingReport
{
    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        var data = o.Data is null ? FashionMnist.LoadSample() : FashionMnist.LoadFolder(o.Data);
        Console.WriteLine($"{data.DatasetName} from {data.Source}: {data.TrainCount} train, {data.TestCount} test images");
        var (x, y, xTest, yTest) = data.ToFlatTensors();
        string dir = RunFolder.Create("training_report");

        var model = new Sequential(
            new Dense(256, activation: "relu", inputShape: new[] { 784 }),
            new Dropout(0.2f),
            new Dense(128, activation: "relu"),
            new Dropout(0.2f),
            new Dense(10, activation: "softmax"));
        model.Compile(new Adam(), "categorical_crossentropy", new[] { "accuracy" });
        string tbDir = Path.Combine(dir, "tensorboard");
        var history = model.Fit(x, y, batchSize: 128, epochs: o.Epochs ?? 15, verbose: 2, validationSplit: 0.1f,
            callbacks: new Callback[] { new TensorBoard(tbDir) });

        Console.WriteLine();
        RunFolder.PrintTensorBoardScalars(tbDir);

        var names = FashionMnist.ClassNames;
        var pred = model.Predict(xTest, batchSize: 512);
        string historyPng = Path.Combine(dir, "history.png"), confusionPng = Path.Combine(dir, "confusion_matrix.png");
        Cortex.Plots.Plots.PlotHistory(historyPng, history, title: $"{data.DatasetName} MLP");
        Cortex.Plots.Plots.PlotConfusionMatrix(confusionPng, yTest, pred, names, title: $"{data.DatasetName} test set ({data.TestCount} images)");

        string report = ClassificationReport.Format(yTest, pred, names, digits: 4);
        RunFolder.WriteText(Path.Combine(dir, "classification_report.txt"), report);
        Console.WriteLine();
        Console.WriteLine(report);

        // The largest off-diagonal cells: which classes the net mistakes for which.
        var cm = ConfusionMatrix.Compute(yTest, pred, names.Count);
        var confusions = Enumerable.Range(0, names.Count).SelectMany(i => Enumerable.Range(0, names.Count).Where(j => j != i).Select(j => (True: i, Pred: j, Count: cm[i, j])))
            .OrderByDescending(c => c.Count).Take(5);
        Console.WriteLine("Most frequent confusions (true → predicted):");
        foreach (var c in confusions) Console.WriteLine($"  {names[c.True],-12} → {names[c.Pred],-12} {c.Count,5}");

        Console.WriteLine();
        Console.WriteLine($"Plots: {historyPng}");
        Console.WriteLine($"       {confusionPng}");
        Console.WriteLine($"TensorBoard: tensorboard --logdir {tbDir}");
        return 0;
    }
}
