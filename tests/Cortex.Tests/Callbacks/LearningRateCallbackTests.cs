using Cortex.Keras.Callbacks;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Optimizers.Schedules;
using static Cortex.Tests.Callbacks.CallbackTestUtil;

namespace Cortex.Tests.Callbacks;

[Collection(nameof(GlobalRandomCollection))]
public class LearningRateCallbackTests
{
    [Fact]
    public void ReduceLROnPlateauFollowsKerasPatienceCooldownAndMinLr()
    {
        var model = SmallModel(lr: 0.1f);
        var cb = new ReduceLROnPlateau(factor: 0.5, patience: 1, cooldown: 1, minLr: 0.02, verbose: 1) { Model = model };
        cb.OnTrainBegin(Logs());
        var logged = new List<float>();
        var rates = new List<float>();
        var output = CaptureOut(() =>
        {
            for (int e = 0; e < 5; e++)
            {
                var logs = Logs(("val_loss", 1f));
                cb.OnEpochEnd(e, logs);
                logged.Add(logs["learning_rate"]);
                rates.Add(model.Optimizer!.LearningRate);
            }
        });
        Assert.Equal(new[] { 0.1f, 0.1f, 0.05f, 0.025f, 0.02f }, logged);
        Assert.Equal(new[] { 0.1f, 0.05f, 0.025f, 0.02f, 0.02f }, rates);
        Assert.Contains("Epoch 2: ReduceLROnPlateau reducing learning rate to 0.05000000074505806.", output);
        Assert.Contains("Epoch 4: ReduceLROnPlateau reducing learning rate to 0.02.", output);   // clipped at min_lr
        Assert.DoesNotContain("Epoch 5:", output);
    }

    [Fact]
    public void ReduceLROnPlateauWaitsOutItsCooldown()
    {
        var model = SmallModel(lr: 1f);
        var cb = new ReduceLROnPlateau(monitor: "loss", factor: 0.5f, patience: 1, cooldown: 2) { Model = model };
        cb.OnTrainBegin(Logs());
        var rates = new List<float>();
        for (int e = 0; e < 6; e++) { cb.OnEpochEnd(e, Logs(("loss", 1f))); rates.Add(model.Optimizer!.LearningRate); }
        // reduce at epoch 1; epoch 2 is in cooldown; epoch 3 counts again and reduces; epoch 4 in cooldown; 5 reduces.
        Assert.Equal(new[] { 1f, 0.5f, 0.5f, 0.25f, 0.25f, 0.125f }, rates);
    }

    [Fact]
    public void ReduceLROnPlateauMaximisesAccuracyInAutoMode()
    {
        var model = SmallModel(lr: 1f);
        var cb = new ReduceLROnPlateau(monitor: "val_accuracy", patience: 1) { Model = model };
        cb.OnTrainBegin(Logs());
        cb.OnEpochEnd(0, Logs(("val_accuracy", 0.5f)));
        cb.OnEpochEnd(1, Logs(("val_accuracy", 0.7f)));
        Assert.Equal(1f, model.Optimizer!.LearningRate);
        cb.OnEpochEnd(2, Logs(("val_accuracy", 0.6f)));
        Assert.Equal(0.1f, model.Optimizer!.LearningRate);
        var err = CaptureError(() => cb.OnEpochEnd(3, Logs(("loss", 1f))));
        Assert.Contains("Learning rate reduction is conditioned on metric `val_accuracy` which is not available. Available metrics are: loss,learning_rate.", err);
    }

    [Fact]
    public void ErrorsForBadFactorAndForSchedules()
    {
        var e = Assert.Throws<ArgumentException>(() => new ReduceLROnPlateau(factor: 1f));
        Assert.Contains("ReduceLROnPlateau does not support a factor >= 1.0. Received factor=1.0", e.Message);
        var model = SmallModel();
        model.Compile(new SGD { LearningRateSchedule = new ExponentialDecay(0.1, 10, 0.5) }, "mse");
        var (x, y) = Cortex.Tests.Keras.ModelTests.Blobs(4, 1);
        var ex = Assert.Throws<InvalidOperationException>(() => model.Fit(x, y, verbose: 0, callbacks: new[] { new ReduceLROnPlateau() }));
        Assert.Contains("ReduceLROnPlateau cannot set the learning rate", ex.Message);
        Assert.Contains("ExponentialDecay", ex.Message);
        ex = Assert.Throws<InvalidOperationException>(() => model.Fit(x, y, verbose: 0, callbacks: new[] { new LearningRateScheduler(e2 => 0.1f) }));
        Assert.Contains("LearningRateScheduler cannot set the learning rate", ex.Message);
    }

    [Fact]
    public void LearningRateSchedulerSetsTheRateBeforeEachEpoch()
    {
        var model = SmallModel(lr: 0.5f);
        var (x, y) = Cortex.Tests.Keras.ModelTests.Blobs(8, 1);
        var seen = new List<float>();
        var probe = new LambdaCallback(onBatchBegin: (_, _) => seen.Add(model.Optimizer!.LearningRate));
        string output = CaptureOut(() => model.Fit(x, y, batchSize: 8, epochs: 3, verbose: 0,
            callbacks: new Callback[] { new LearningRateScheduler(epoch => 0.1f * (epoch + 1), verbose: 1), probe }));
        Assert.Equal(new[] { 0.1f, 0.2f, 0.3f }, seen);
        Assert.Contains("Epoch 1: LearningRateScheduler setting learning rate to 0.10000000149011612.", output);
        var bad = new LearningRateScheduler((_, _) => float.NaN) { Model = model };
        var ex = Assert.Throws<InvalidOperationException>(() => bad.OnEpochBegin(0, Logs()));
        Assert.Contains("should be a finite float", ex.Message);
    }
}
