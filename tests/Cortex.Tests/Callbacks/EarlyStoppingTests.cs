using Cortex.Keras.Callbacks;
using static Cortex.Tests.Callbacks.CallbackTestUtil;

namespace Cortex.Tests.Callbacks;

[Collection(nameof(GlobalRandomCollection))]
public class EarlyStoppingTests
{
    /// <summary>Feeds one monitored value per epoch; returns the epoch at which StopTraining was set (or -1).</summary>
    private static int Run(EarlyStopping es, float[] values, string key = "val_loss")
    {
        var model = SmallModel();
        es.Model = model;
        es.OnTrainBegin(Logs());
        for (int e = 0; e < values.Length; e++)
        {
            es.OnEpochEnd(e, Logs((key, values[e])));
            if (model.StopTraining) return e;
        }
        return -1;
    }

    [Fact]
    public void PatienceCountsEpochsWithoutImprovement()
    {
        var es = new EarlyStopping(patience: 2);
        Assert.Equal(3, Run(es, new[] { 1.0f, 0.9f, 0.95f, 0.96f, 0.97f }));
        Assert.Equal(3, es.StoppedEpoch);
        Assert.Equal(1, es.BestEpoch);
        Assert.Equal(0.9f, es.Best);
        Assert.Equal(-1, Run(new EarlyStopping(patience: 2), new[] { 1.0f, 0.9f, 0.95f, 0.8f, 0.85f }));
        // patience 0 stops at the first epoch without improvement, never at epoch 0.
        Assert.Equal(1, Run(new EarlyStopping(), new[] { 1.0f, 1.0f }));
    }

    [Fact]
    public void MinDeltaIsTheSmallestImprovement()
    {
        Assert.Equal(1, Run(new EarlyStopping(minDelta: 0.05f, patience: 1), new[] { 1.0f, 0.96f, 0.5f }));
        Assert.Equal(-1, Run(new EarlyStopping(minDelta: -0.05f, patience: 1), new[] { 1.0f, 0.94f, 0.88f })); // |minDelta|
    }

    [Fact]
    public void AutoModeMaximisesAccuracyAndMinimisesLosses()
    {
        Assert.True(new EarlyStopping("val_accuracy").Maximize);
        Assert.True(new EarlyStopping("auc").Maximize);
        Assert.False(new EarlyStopping("val_loss").Maximize);
        Assert.False(new EarlyStopping("mean_absolute_error").Maximize);
        Assert.True(new EarlyStopping("val_loss", mode: "max").Maximize);
        Assert.Equal(2, Run(new EarlyStopping("val_accuracy", patience: 1), new[] { 0.5f, 0.6f, 0.55f }, "val_accuracy"));
        var err = CaptureError(() => Assert.Equal("auto", new EarlyStopping(mode: "sideways").Mode));
        Assert.Contains("EarlyStopping mode sideways is unknown, fallback to auto mode.", err);
    }

    [Fact]
    public void BaselineKeepsTheCounterRunningUntilBeaten()
    {
        // Without a baseline the improvements at epochs 0 and 1 reset the counter; with one they do not.
        Assert.Equal(3, Run(new EarlyStopping(patience: 2), new[] { 1.0f, 0.9f, 0.9f, 0.9f }));
        Assert.Equal(2, Run(new EarlyStopping(patience: 2, baseline: 0.5f), new[] { 1.0f, 0.9f, 0.9f, 0.9f }));
        Assert.Equal(-1, Run(new EarlyStopping(patience: 1, baseline: 0.95f), new[] { 1.0f, 0.9f, 0.8f }));
    }

    [Fact]
    public void StartFromEpochSkipsTheWarmUp()
    {
        Assert.Equal(1, Run(new EarlyStopping(patience: 1), new[] { 5f, 6f, 3f, 3f }));
        Assert.Equal(3, Run(new EarlyStopping(patience: 1, startFromEpoch: 2), new[] { 5f, 6f, 3f, 3f }));
    }

    [Fact]
    public void MissingMonitorWarnsWithTheAvailableMetrics()
    {
        var es = new EarlyStopping();
        es.Model = SmallModel();
        es.OnTrainBegin(Logs());
        var err = CaptureError(() => es.OnEpochEnd(0, Logs(("loss", 1f), ("accuracy", 0.5f))));
        Assert.Contains("Early stopping conditioned on metric `val_loss` which is not available. Available metrics are: loss,accuracy", err);
        Assert.False(es.Model.StopTraining);
    }

    [Fact]
    public void RestoreBestWeightsAtTheEndEvenWithoutStopping()
    {
        var model = SmallModel();
        var es = new EarlyStopping(monitor: "loss", patience: 10, restoreBestWeights: true) { Model = model };
        var w = model.Weights[0];
        es.OnTrainBegin(Logs());
        float[] values = { 3f, 1f, 2f, 2.5f };
        for (int e = 0; e < values.Length; e++)
        {
            w.Value.Span.Fill(e);                       // the weights "after" epoch e
            es.OnEpochEnd(e, Logs(("loss", values[e])));
        }
        Assert.False(model.StopTraining);
        var output = CaptureOut(() => es.OnTrainEnd(Logs()));
        Assert.All(w.ToArray(), v => Assert.Equal(1f, v));
        Assert.Equal(0, es.StoppedEpoch);
        Assert.Equal("", output);                       // verbose 0
    }

    [Fact]
    public void FitStopsAndRestoresTheBestEpoch()
    {
        RandomGenerator.SetGlobalSeed(3);
        var model = SmallModel(lr: 2f);                 // a rate that makes the loss jump around
        var (x, y) = Cortex.Tests.Keras.ModelTests.Blobs(64, 5);
        var snapshots = new List<float[]>();
        var snap = new LambdaCallback(onEpochEnd: (_, _) => snapshots.Add(model.Weights.SelectMany(v => v.ToArray()).ToArray()));
        var es = new EarlyStopping(monitor: "loss", patience: 1, restoreBestWeights: true, verbose: 1);
        History? h = null;
        var output = CaptureOut(() => h = model.Fit(x, y, batchSize: 16, epochs: 30, verbose: 0, callbacks: new Callback[] { snap, es }));
        var losses = h!["loss"];
        int best = Enumerable.Range(0, losses.Count).OrderBy(i => losses[i]).ThenBy(i => i).First();
        Assert.Equal(best, es.BestEpoch);
        Assert.Equal(snapshots[best], model.Weights.SelectMany(v => v.ToArray()).ToArray());
        if (es.StoppedEpoch > 0)
        {
            Assert.Equal(es.StoppedEpoch + 1, losses.Count);
            Assert.Contains($"Epoch {es.StoppedEpoch + 1}: early stopping", output);
        }
        Assert.Contains($"Restoring model weights from the end of the best epoch: {best + 1}.", output);
    }

    [Fact]
    public void BadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(patience: -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EarlyStopping(startFromEpoch: -1));
        Assert.Throws<InvalidOperationException>(() => new EarlyStopping(restoreBestWeights: true).OnEpochEnd(1, Logs(("val_loss", 1f))));
    }
}
