using Cortex.Keras.Callbacks;
using static Cortex.Tests.Callbacks.CallbackTestUtil;

namespace Cortex.Tests.Callbacks;

[Collection(nameof(GlobalRandomCollection))]
public class HookOrderTests
{
    [Fact]
    public void FitCallsEveryHookInKerasOrderWithValidationInside()
    {
        var model = SmallModel();
        var (x, y) = Cortex.Tests.Keras.ModelTests.Blobs(6, 1);
        var rec = new RecordingCallback();
        model.Fit(x, y, batchSize: 2, epochs: 1, verbose: 0, validationData: (x, y), callbacks: new[] { rec });
        Assert.Equal(new[]
        {
            "train_begin", "epoch_begin 0",
            "train_batch_begin 0", "train_batch_end 0[loss,accuracy]",
            "train_batch_begin 1", "train_batch_end 1[loss,accuracy]",
            "train_batch_begin 2", "train_batch_end 2[loss,accuracy]",
            "test_begin epochs=1", "test_batch_begin 0", "test_batch_end 0", "test_batch_begin 1", "test_batch_end 1",
            "test_batch_begin 2", "test_batch_end 2", "test_end[loss,accuracy]",
            "epoch_end 0[loss,accuracy,val_loss,val_accuracy]",
            "train_end[loss,accuracy,val_loss,val_accuracy]",
        }, rec.Calls);
    }

    private sealed class Batches(Tensor x, Tensor y, int size) : Cortex.Keras.Utils.Sequence
    {
        public override int Count => (x.Shape[0] + size - 1) / size;
        public override (Tensor X, Tensor? Y) GetBatch(int index)
        {
            int n = Math.Min(size, x.Shape[0] - index * size);
            return (Ops.SliceRows(x, index * size, n), Ops.SliceRows(y, index * size, n));
        }
    }

    [Fact]
    public void FitOnASequenceAlsoRunsValidationHooks()
    {
        var model = SmallModel();
        var (x, y) = Cortex.Tests.Keras.ModelTests.Blobs(4, 1);
        var rec = new RecordingCallback();
        model.Fit(new Batches(x, y, 2), epochs: 1, verbose: 0, validationData: new Batches(x, y, 4), callbacks: new[] { rec });
        Assert.Equal(new[]
        {
            "train_begin", "epoch_begin 0", "train_batch_begin 0", "train_batch_end 0[loss,accuracy]",
            "train_batch_begin 1", "train_batch_end 1[loss,accuracy]",
            "test_begin epochs=1", "test_batch_begin 0", "test_batch_end 0", "test_end[loss,accuracy]",
            "epoch_end 0[loss,accuracy,val_loss,val_accuracy]", "train_end[loss,accuracy,val_loss,val_accuracy]",
        }, rec.Calls);
    }

    [Fact]
    public void EvaluateAndPredictCallTheirHooks()
    {
        var model = SmallModel();
        var (x, y) = Cortex.Tests.Keras.ModelTests.Blobs(4, 1);
        var rec = new RecordingCallback();
        model.Evaluate(x, y, batchSize: 2, verbose: 0, callbacks: new[] { rec });
        model.Predict(x, batchSize: 3, callbacks: new[] { rec });
        Assert.Equal(new[]
        {
            "test_begin epochs=-", "test_batch_begin 0", "test_batch_end 0", "test_batch_begin 1", "test_batch_end 1", "test_end[loss,accuracy]",
            "predict_begin", "predict_batch_begin 0", "predict_batch_end 0", "predict_batch_begin 1", "predict_batch_end 1", "predict_end",
        }, rec.Calls);
    }

    [Fact]
    public void UserCallbacksRunBeforeHistorySoWhatTheyAddToTheLogsIsRecorded()
    {
        var model = SmallModel(lr: 0.1f);
        var (x, y) = Cortex.Tests.Keras.ModelTests.Blobs(8, 2);
        var h = model.Fit(x, y, batchSize: 4, epochs: 3, verbose: 0,
            callbacks: new[] { new LearningRateScheduler((epoch, lr) => epoch == 0 ? lr : lr * 0.5f) });
        Assert.Equal(new[] { 0.1f, 0.05f, 0.025f }, h["learning_rate"]);
        Assert.Equal(0.025f, model.Optimizer!.LearningRate);
    }

    [Fact]
    public void AGivenHistoryIsTheOneFilledAndReturned()
    {
        var model = SmallModel();
        var (x, y) = Cortex.Tests.Keras.ModelTests.Blobs(8, 2);
        var mine = new History();
        var h = model.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, callbacks: new[] { mine });
        Assert.Same(mine, h);
        Assert.Equal(2, mine["loss"].Count);
    }

    [Fact]
    public void LambdaCallbackCallsEachFunction()
    {
        var model = SmallModel();
        var (x, y) = Cortex.Tests.Keras.ModelTests.Blobs(6, 3);
        int trainBegin = 0, trainEnd = 0, batchBegin = 0;
        var epochsBegun = new List<int>();
        var batchLosses = new List<float>();
        var epochLosses = new List<float>();
        var cb = new LambdaCallback(
            onEpochBegin: (e, _) => epochsBegun.Add(e),
            onEpochEnd: (_, logs) => epochLosses.Add(logs["loss"]),
            onBatchBegin: (_, _) => batchBegin++,
            onBatchEnd: (_, logs) => batchLosses.Add(logs["loss"]),
            onTrainBegin: _ => trainBegin++,
            onTrainEnd: _ => trainEnd++);
        var h = model.Fit(x, y, batchSize: 2, epochs: 2, verbose: 0, callbacks: new[] { cb });
        Assert.Equal((1, 1, 6), (trainBegin, trainEnd, batchBegin));
        Assert.Equal(new[] { 0, 1 }, epochsBegun);
        Assert.Equal(6, batchLosses.Count);
        Assert.Equal(h["loss"], epochLosses);
        Assert.Equal(epochLosses[0], batchLosses[2]);       // the running mean at the last batch is the epoch's loss
        new LambdaCallback().OnEpochEnd(0, new Dictionary<string, float>()); // all null: no-ops
    }

    [Fact]
    public void AGivenTerminateOnNaNIsTheOneThatStopsTraining()
    {
        var model = new Cortex.Keras.Models.Sequential(new Cortex.Keras.Layers.Dense(1, inputShape: new[] { 1 }));
        model.Compile(new Cortex.Keras.Optimizers.SGD(learningRate: 1e30f), "mse");
        var x = Tensor.Full(1e10f, 64, 1);
        var nan = new TerminateOnNaN();
        var err = CaptureError(() => model.Fit(x, x, batchSize: 8, epochs: 5, verbose: 0, callbacks: new[] { nan }));
        Assert.True(model.StopTraining);
        Assert.NotNull(nan.StoppedAt);
        Assert.Equal(0, nan.StoppedAt!.Value.Epoch);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(err, "invalid loss"));
        Assert.Contains($"Epoch 1, batch {nan.StoppedAt.Value.Batch}: invalid loss", err);
    }

    [Fact]
    public void VerboseTwoPrintsOneLinePerEpoch()
    {
        var model = SmallModel();
        var (x, y) = Cortex.Tests.Keras.ModelTests.Blobs(8, 2);
        var w = new StringWriter();
        model.Fit(x, y, batchSize: 2, epochs: 2, verbose: 2, callbacks: new[] { new ProgbarLogger(w) });
        var lines = w.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal(4, lines.Length);
        Assert.Equal("Epoch 1/2", lines[0]);
        Assert.Matches(@"^4/4 - \d+s - loss: \d\.\d{4} - accuracy: \d\.\d{4} - \d+(us|ms|s)/epoch - \d+(us|ms)/step$", lines[1]);
        Assert.Equal("Epoch 2/2", lines[2]);
    }
}
