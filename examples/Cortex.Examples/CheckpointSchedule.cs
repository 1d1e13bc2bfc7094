using System.Globalization;
using Cortex.Keras.Callbacks;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Saving;

namespace Cortex.Examples;

/// <summary>
/// Checkpoints with a learning-rate schedule and early stopping, as two books show them on MNIST (full MNIST with
/// --data or where found, else the shipped 6,000/1,000 sample):
/// <list type="number">
/// <item>"Deep Learning: From Basics to Practice" ch.23: the 784-784-10 dense net (Adam, batch 256, 10% validation
/// split) with <c>ModelCheckpoint("model-{epoch:02d}-{val_loss:.4f}.keras", save_best_only)</c>, a step-decay
/// <c>LearningRateScheduler</c> (the rate halves every 10 epochs) and <c>EarlyStopping(val_loss, patience 10)</c>;
/// then the best checkpoint is reloaded with <see cref="KerasIO.LoadModel"/> and evaluated.</item>
/// <item>"Deep Learning with Keras" ch.2: the 784-128-128-10 net with a per-batch <see cref="LossHistory"/> and a
/// checkpoint every epoch (<c>weights.{epoch:02d}.weights.h5</c>); the files written are listed, and the first and
/// last are loaded back into a fresh net.</item>
/// </list>
/// Everything goes to <c>logs/checkpoint_schedule/&lt;date-time&gt;/</c>. <c>--epochs</c> caps part 1 (default 100;
/// early stopping ends it sooner) and part 2 (default 5).
/// </summary>
internal static class CheckpointSchedule
{
    private const float ValidationSplit = 0.1f;

    /// <summary>The step decay of part 1: 0.001, halved every 10 epochs (epoch 0-based).</summary>
    internal static float StepDecay(int epoch) => 0.001f * MathF.Pow(0.5f, epoch / 10);

    public static int Run(ExampleOptions o)
    {
        var d = MnistSet.Load(o.Data);
        string dir = RunFolder.Create("checkpoint_schedule");
        BestCheckpoint(d, o, Path.Combine(dir, "best"));
        EveryEpoch(d, o, Path.Combine(dir, "every-epoch"));
        Console.WriteLine();
        Console.WriteLine($"Files are in {dir}");
        return 0;
    }

    private static void BestCheckpoint(MnistSet d, ExampleOptions o, string dir)
    {
        Console.WriteLine("== Deep Learning: From Basics to Practice ch.23: best-only checkpoint, step decay, early stopping ==");
        RandomGenerator.SetGlobalSeed(o.Seed);
        int maxEpochs = o.Epochs ?? 100;
        var model = DeepDense.Net();
        model.Compile(new Adam(learningRate: StepDecay(0)), "categorical_crossentropy", new[] { "accuracy" });
        var checkpoint = new ModelCheckpoint(Path.Combine(dir, "model-{epoch:02d}-{val_loss:.4f}.keras"), monitor: "val_loss", saveBestOnly: true, verbose: 1);
        var early = new EarlyStopping(monitor: "val_loss", patience: 10, verbose: 1);
        var history = model.Fit(d.XTrain, d.YTrain, batchSize: 256, epochs: maxEpochs, verbose: 2, validationSplit: ValidationSplit,
            callbacks: new Callback[] { checkpoint, new LearningRateScheduler(StepDecay), early });

        Console.WriteLine();
        var lrs = history["learning_rate"];
        Console.WriteLine($"Ran {history.Epoch.Count} of {maxEpochs} epochs" +
                          (early.StoppedEpoch > 0 ? $": stopped after epoch {early.StoppedEpoch + 1}, {early.Patience} epochs without a val_loss below {early.Best:0.0000} (epoch {early.BestEpoch + 1})." : "."));
        Console.WriteLine($"Learning rate: {string.Join(" → ", lrs.Distinct().Select(v => v.ToString("0.######", CultureInfo.InvariantCulture)))} (halved every 10 epochs)");
        Console.WriteLine($"Checkpoints written ({checkpoint.SavedPaths.Count}: one file per val_loss improvement):");
        foreach (var p in checkpoint.SavedPaths) Console.WriteLine($"  {Path.GetFileName(p)}");

        // The best model, reloaded as a user would: from the last file ModelCheckpoint wrote.
        string best = checkpoint.SavedPaths[^1];
        var loaded = KerasIO.LoadModel(best);
        int n = d.XTrain.Shape[0], split = (int)(n * (1f - ValidationSplit));
        var xVal = Ops.SliceRows(d.XTrain, split, n - split);
        var yVal = Ops.SliceRows(d.YTrain, split, n - split);
        var valScore = loaded.Evaluate(xVal, yVal, verbose: 0);
        var bestTest = loaded.Evaluate(d.XTest, d.YTest, verbose: 0);
        var lastTest = model.Evaluate(d.XTest, d.YTest, verbose: 0);
        Console.WriteLine($"Reloaded {Path.GetFileName(best)}: val_loss {valScore["loss"]:0.0000} on the held-out 10% (the file name's value), " +
                          $"test accuracy {bestTest["accuracy"]:0.0000} (loss {bestTest["loss"]:0.0000})");
        Console.WriteLine($"The model as training left it (epoch {history.Epoch.Count}): test accuracy {lastTest["accuracy"]:0.0000} (loss {lastTest["loss"]:0.0000})");
    }

    private static void EveryEpoch(MnistSet d, ExampleOptions o, string dir)
    {
        Console.WriteLine();
        Console.WriteLine("== Deep Learning with Keras ch.2: per-batch loss history, a checkpoint every epoch ==");
        RandomGenerator.SetGlobalSeed(o.Seed);
        int epochs = Math.Min(o.Epochs ?? 5, 5);
        var model = MnistLadder.Hidden(0.3f);
        model.Compile(new RMSprop(), "categorical_crossentropy", new[] { "accuracy" });
        var losses = new LossHistory();
        var checkpoint = new ModelCheckpoint(Path.Combine(dir, "weights.{epoch:02d}.weights.h5"), saveWeightsOnly: true);
        model.Fit(d.XTrain, d.YTrain, batchSize: 128, epochs: epochs, verbose: 2, validationSplit: 0.2f,
            callbacks: new Callback[] { losses, checkpoint });

        Console.WriteLine();
        Console.WriteLine($"LossHistory: {losses.Losses.Count} batch losses over {losses.Epochs} epochs (each the running mean of the epoch so far, as Keras 3 logs it)");
        for (int e = 0; e < losses.Epochs; e++)
        {
            var l = losses.EpochLosses(e);
            Console.WriteLine($"  epoch {e + 1}: {l.Count} batches, first {l[0]:0.0000}, min {l.Min():0.0000}, max {l.Max():0.0000}, last {l[^1]:0.0000}");
        }
        Console.WriteLine($"Files written in {dir}:");
        foreach (var f in Directory.GetFiles(dir).Order(StringComparer.Ordinal))
            Console.WriteLine($"  {Path.GetFileName(f)}  {new FileInfo(f).Length / 1024.0:0.0} KB");

        // Any epoch's weights can be put back into the same architecture.
        foreach (var p in new[] { checkpoint.SavedPaths[0], checkpoint.SavedPaths[^1] })
        {
            var fresh = MnistLadder.Hidden(0.3f);
            fresh.Compile(new RMSprop(), "categorical_crossentropy", new[] { "accuracy" });
            fresh.LoadWeights(p);
            Console.WriteLine($"{Path.GetFileName(p)} loaded into a fresh net: test accuracy {fresh.Evaluate(d.XTest, d.YTest, verbose: 0)["accuracy"]:0.0000}");
        }
    }
}
