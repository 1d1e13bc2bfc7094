using Cortex.Keras.Callbacks;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Saving;

namespace Cortex.Tests.Saving;

/// <summary>Throws at the start of a given epoch, to interrupt Fit.</summary>
internal sealed class InterruptAt(int epoch) : Callback
{
    public override void OnEpochBegin(int e, IReadOnlyDictionary<string, float> logs)
    {
        if (e == epoch) throw new OperationCanceledException($"interrupted at epoch {e}");
    }
}

/// <summary>Feeds fixed logs to a callback, to drive it without training.</summary>
internal static class Drive
{
    public static void Epochs(Callback cb, Model model, params float[] valLoss)
    {
        cb.Model = model;
        cb.OnTrainBegin(new Dictionary<string, float>());
        for (int e = 0; e < valLoss.Length; e++)
        {
            cb.OnEpochBegin(e, new Dictionary<string, float>());
            cb.OnEpochEnd(e, new Dictionary<string, float> { ["loss"] = valLoss[e] + 1f, ["val_loss"] = valLoss[e] });
        }
    }
}

[Collection(nameof(GlobalRandomCollection))]
public class CheckpointCallbackTests
{
    private static Sequential Model()
    {
        var m = new Sequential(new Layer[] { new Dense(6, "tanh", inputShape: new[] { 4 }), new Dense(1) });
        m.Compile(new Adam(0.02f), "mse");
        return m;
    }

    private static (Tensor X, Tensor Y) Data()
    {
        var r = new Random(5);
        var x = Enumerable.Range(0, 48).Select(_ => (float)r.NextDouble()).ToArray();
        var y = Enumerable.Range(0, 12).Select(i => x[i * 4] - x[i * 4 + 2]).ToArray();
        return (Tensor.FromArray(x, 12, 4), Tensor.FromArray(y, 12, 1));
    }

    [Fact]
    public void SaveBestOnlyKeepsOnlyImprovements()
    {
        var dir = SavingTestUtil.TempDir();
        var cb = new ModelCheckpoint(Path.Combine(dir, "m-{epoch:02d}-{val_loss:.2f}.keras"), saveBestOnly: true);
        Drive.Epochs(cb, Model(), 0.9f, 0.5f, 0.7f, 0.4f, 0.4f);
        Assert.Equal(new[] { "m-01-0.90.keras", "m-02-0.50.keras", "m-04-0.40.keras" }, cb.SavedPaths.Select(Path.GetFileName));
        Assert.Equal(new[] { "m-01-0.90.keras", "m-02-0.50.keras", "m-04-0.40.keras" }, Directory.GetFiles(dir).Select(Path.GetFileName).OrderBy(n => n));
        Assert.Equal(0.4f, (float)cb.Best);
        Assert.Equal("min", cb.Mode);
        Assert.Equal("max", new ModelCheckpoint(Path.Combine(dir, "a.keras"), monitor: "val_accuracy").Mode);
    }

    [Fact]
    public void InitialThresholdAndWeightsOnlyDuringFit()
    {
        var dir = SavingTestUtil.TempDir();
        var (x, y) = Data();
        var model = Model();
        var cb = new ModelCheckpoint(Path.Combine(dir, "w{epoch}.weights.h5"), monitor: "loss", saveBestOnly: true, saveWeightsOnly: true, initialValueThreshold: -1f);
        model.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, callbacks: new[] { cb });
        Assert.Empty(cb.SavedPaths); // nothing beats a negative loss
        var every = new ModelCheckpoint(Path.Combine(dir, "b{epoch}-{batch}.weights.h5"), saveWeightsOnly: true, saveFreq: 2);
        model.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, callbacks: new[] { every });
        Assert.Equal(new[] { "b1-2.weights.h5", "b2-1.weights.h5", "b2-3.weights.h5" }, every.SavedPaths.Select(Path.GetFileName));
        var copy = Model();
        copy.LoadWeights(every.SavedPaths[^1]);
        Assert.Equal(model.Predict(x).ToArray(), copy.Predict(x).ToArray());
    }

    [Fact]
    public void BadTemplatesAndMissingMonitorAreReported()
    {
        var dir = SavingTestUtil.TempDir();
        var cb = new ModelCheckpoint(Path.Combine(dir, "m-{val_acc:.2f}.keras"));
        var e = Assert.Throws<KeyNotFoundException>(() => Drive.Epochs(cb, Model(), 0.5f));
        Assert.Contains("'val_acc' is not available; the available keys are: epoch, loss, val_loss.", e.Message);

        var err = new StringWriter();
        var old = Console.Error;
        Console.SetError(err);
        try { Drive.Epochs(new ModelCheckpoint(Path.Combine(dir, "x.keras"), monitor: "val_acc", saveBestOnly: true), Model(), 0.5f); }
        finally { Console.SetError(old); }
        Assert.Contains("Can save best model only with val_acc available, skipping.", err.ToString());
        Assert.Empty(Directory.GetFiles(dir));
        Assert.Throws<ArgumentException>(() => new ModelCheckpoint(Path.Combine(dir, "x.h5")));
        Assert.Throws<ArgumentException>(() => new ModelCheckpoint(Path.Combine(dir, "x.keras"), saveWeightsOnly: true));
        Assert.Equal("007-0.12-1.500e+00", PyFormat.Format("{epoch:03d}-{a:.2f}-{b:.3e}", new Dictionary<string, double> { ["epoch"] = 7, ["a"] = 0.123, ["b"] = 1.5 }));
    }

    [Fact]
    public void InterruptedFitResumesAtTheSavedEpochAndEndsWithTheSameWeights()
    {
        var dir = SavingTestUtil.TempDir();
        var (x, y) = Data();
        RandomGenerator.SetGlobalSeed(11);
        var straight = Model();
        var start = Path.Combine(dir, "start.weights.h5");
        straight.SaveWeights(start);
        straight.Fit(x, y, batchSize: 4, epochs: 5, verbose: 0, shuffle: false);

        var model = Model();
        model.LoadWeights(start);
        var backup = Path.Combine(dir, "backup");
        Assert.Throws<OperationCanceledException>(() =>
            model.Fit(x, y, batchSize: 4, epochs: 5, verbose: 0, shuffle: false, callbacks: new Callback[] { new BackupAndRestore(backup), new InterruptAt(3) }));
        Assert.True(File.Exists(Path.Combine(backup, "latest.weights.h5")));

        // A new process would build and compile a fresh model; the backup brings back weights and optimizer state.
        var resumed = Model();
        var history = resumed.Fit(x, y, batchSize: 4, epochs: 5, verbose: 0, shuffle: false, callbacks: new Callback[] { new BackupAndRestore(backup) });
        Assert.Equal(new[] { 3, 4 }, history.Epoch);
        for (int i = 0; i < straight.Weights.Count; i++) Assert.Equal(straight.Weights[i].ToArray(), resumed.Weights[i].ToArray());
        Assert.Equal(straight.Optimizer!.Iterations, resumed.Optimizer!.Iterations);
        Assert.False(File.Exists(Path.Combine(backup, "latest.weights.h5"))); // deleted once training completed
    }
}
