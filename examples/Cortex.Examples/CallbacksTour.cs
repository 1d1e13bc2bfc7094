using System.Globalization;
using Cortex.Keras.Callbacks;
using Cortex.Keras.Datasets;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Optimizers.Schedules;

namespace Cortex.Examples;

/// <summary>
/// A tour of the callbacks on MNIST (the 6,000/1,000-image sample unless --data names a full MNIST folder):
/// Deep Learning with Keras ch.2's per-batch LossHistory, EarlyStopping with restore_best_weights,
/// ReduceLROnPlateau, CSVLogger and TensorBoard; then the same net trained with a CosineDecay schedule.
/// </summary>
internal static class CallbacksTour
{
    private static Sequential Net() => new(
        new Dense(128, activation: "relu", inputShape: new[] { 784 }),
        new Dropout(0.2f),
        new Dense(10, activation: "softmax"));

    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        var data = o.Data is null ? Mnist.LoadSample() : Mnist.LoadFolder(o.Data);
        Console.WriteLine($"MNIST from {data.Source}: {data.TrainCount} train, {data.TestCount} test images");
        var (x, y, xTest, yTest) = data.ToFlatTensors();
        int epochs = o.Epochs ?? 30;
        string logDir = RunFolder.Create("callbacks_tour");

        // 1. Plateau-driven training: the rate halves when val_loss stalls, training stops when it stops improving.
        var model = Net();
        model.Compile(new Adam(learningRate: 0.001f), "categorical_crossentropy", new[] { "accuracy" });
        var lossHistory = new LossHistory();
        var early = new EarlyStopping(monitor: "val_loss", patience: 3, restoreBestWeights: true, verbose: 1);
        var plateau = new ReduceLROnPlateau(monitor: "val_loss", factor: 0.5, patience: 1, verbose: 1);
        var csvPath = Path.Combine(logDir, "training.csv");
        var tensorBoard = new TensorBoard(Path.Combine(logDir, "tensorboard"), histogramFreq: 1);
        var history = model.Fit(x, y, batchSize: 128, epochs: epochs, verbose: 2, validationSplit: 0.1f,
            callbacks: new Callback[] { lossHistory, early, plateau, new CSVLogger(csvPath), tensorBoard });

        int ran = history.Epoch.Count;
        Console.WriteLine();
        Console.WriteLine($"Ran {ran} of {epochs} epochs; best val_loss {early.Best:0.0000} at epoch {early.BestEpoch + 1}" +
                          (early.StoppedEpoch > 0 ? $", stopped at epoch {early.StoppedEpoch + 1}." : "."));
        Console.WriteLine($"Learning rate per epoch: {string.Join(", ", history["learning_rate"].Select(v => v.ToString("0.######", CultureInfo.InvariantCulture)))}");
        Console.WriteLine($"LossHistory: {lossHistory.Losses.Count} batch losses, first {lossHistory.Losses[0]:0.0000}, last {lossHistory.Losses[^1]:0.0000}");
        var score = model.Evaluate(xTest, yTest, verbose: 0);
        Console.WriteLine($"Test accuracy with the restored best weights: {score["accuracy"]:0.0000} (loss {score["loss"]:0.0000})");

        // What the logs hold, read back with Cortex's own reader.
        RunFolder.PrintTensorBoardScalars(Path.Combine(logDir, "tensorboard"));
        Console.WriteLine($"CSV log ({File.ReadAllLines(csvPath).Length - 1} rows): {File.ReadLines(csvPath).First()}");

        // 2. A schedule instead of a callback: cosine decay over the whole run, evaluated at every optimizer step.
        RandomGenerator.SetGlobalSeed(o.Seed);
        int scheduleEpochs = Math.Min(epochs, 10), steps = (int)Math.Ceiling(x.Shape[0] * 0.9 / 128.0) * scheduleEpochs;
        var adam = new Adam { LearningRateSchedule = new CosineDecay(0.002, steps, alpha: 0.05) };
        var scheduled = Net();
        scheduled.Compile(adam, "categorical_crossentropy", new[] { "accuracy" });
        var h2 = scheduled.Fit(x, y, batchSize: 128, epochs: scheduleEpochs, verbose: 0, validationSplit: 0.1f,
            callbacks: new Callback[] { new TensorBoard(Path.Combine(logDir, "tensorboard-cosine")) });
        var score2 = scheduled.Evaluate(xTest, yTest, verbose: 0);
        Console.WriteLine();
        Console.WriteLine($"CosineDecay(0.002 over {steps} steps, alpha 0.05), {scheduleEpochs} epochs: final rate {adam.LearningRate:0.000000}, " +
                          $"val_accuracy {h2["val_accuracy"][^1]:0.0000}, test accuracy {score2["accuracy"]:0.0000}");

        Console.WriteLine();
        Console.WriteLine($"Logs are in {logDir}");
        Console.WriteLine($"  view them with: tensorboard --logdir {logDir}");
        return 0;
    }
}
