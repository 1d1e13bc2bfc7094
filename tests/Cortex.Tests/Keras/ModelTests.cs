using Cortex.Keras.Callbacks;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Memory;

namespace Cortex.Tests.Keras;

[Collection(nameof(GlobalRandomCollection))]
public class ModelTests
{
    /// <summary>A small, separable 3-class problem: the class is the index of the largest of three features.</summary>
    internal static (Tensor X, Tensor Y) Blobs(int n, int seed)
    {
        var rng = new RandomGenerator(seed);
        var x = rng.Normal(new[] { n, 3 });
        var y = Tensor.Zeros(n, 3);
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int j = 1; j < 3; j++) if (x[i, j] > x[i, best]) best = j;
            y[i, best] = 1f;
        }
        return (x, y);
    }

    private static Sequential SmallNet() => new(
        new Dense(16, activation: "relu", inputShape: new[] { 3 }),
        new Dropout(0.1f),
        new Dense(3, activation: "softmax"));

    [Fact]
    public void FitLearnsASeparableProblem()
    {
        RandomGenerator.SetGlobalSeed(1);
        var (x, y) = Blobs(600, 2);
        var model = SmallNet();
        model.Compile(new Adam(learningRate: 0.01f), "categorical_crossentropy", new[] { "accuracy" });
        var h = model.Fit(x, y, batchSize: 32, epochs: 15, verbose: 0, validationSplit: 0.2f);
        Assert.Equal(15, h.Epoch.Count);
        Assert.True(h["loss"][^1] < h["loss"][0] * 0.5f, $"loss went from {h["loss"][0]} to {h["loss"][^1]}");
        Assert.True(h["val_accuracy"][^1] > 0.9f, $"val_accuracy {h["val_accuracy"][^1]}");
        var score = model.Evaluate(x, y, verbose: 0);
        Assert.True(score["accuracy"] > 0.9f);
        Assert.Equal(new[] { "loss", "accuracy" }, score.Keys.ToArray());
        var p = model.Predict(x, batchSize: 100);
        Assert.Equal(new[] { 600, 3 }, p.Shape.ToArray());
        for (int i = 0; i < 5; i++) Assert.Equal(1f, p[i, 0] + p[i, 1] + p[i, 2], 4);
    }

    [Fact]
    public void SameSeedGivesTheSameTraining()
    {
        float Run()
        {
            RandomGenerator.SetGlobalSeed(7);
            var (x, y) = Blobs(200, 3);
            var m = SmallNet();
            m.Compile("sgd", "categorical_crossentropy");
            return m.Fit(x, y, batchSize: 20, epochs: 3, verbose: 0)["loss"][^1];
        }
        Assert.Equal(Run(), Run());
    }

    [Fact]
    public void WrongInputShapeNamesTheLayerAndBothShapes()
    {
        var model = SmallNet();
        model.Compile("sgd", "categorical_crossentropy");
        var ex = Assert.Throws<ArgumentException>(() => model.Predict(Tensor.Zeros(4, 5)));
        Assert.Contains(model.Layers[0].Name, ex.Message);
        Assert.Contains("(None, 3)", ex.Message);
        Assert.Contains("(4, 5)", ex.Message);
        Assert.Throws<ArgumentException>(() => model.Fit(Tensor.Zeros(4, 5), Tensor.Zeros(4, 3), verbose: 0));
    }

    [Fact]
    public void MismatchedSampleCountsAreReported()
    {
        var model = SmallNet();
        model.Compile("sgd", "categorical_crossentropy");
        var ex = Assert.Throws<ArgumentException>(() => model.Fit(Tensor.Zeros(10, 3), Tensor.Zeros(9, 3), verbose: 0));
        Assert.Contains("x sizes: 10", ex.Message);
        Assert.Contains("y sizes: 9", ex.Message);
    }

    [Fact]
    public void FitBeforeCompileIsAClearError()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => SmallNet().Fit(Tensor.Zeros(2, 3), Tensor.Zeros(2, 3), verbose: 0));
        Assert.Contains("Compile", ex.Message);
    }

    [Fact]
    public void NaNLossStopsTrainingAndNamesTheBatch()
    {
        var model = new Sequential(new Dense(1, inputShape: new[] { 1 }));
        model.Compile(new SGD(learningRate: 1e30f), "mse");
        var x = Tensor.Full(1e10f, 64, 1);
        var err = new StringWriter();
        var saved = Console.Error;
        Console.SetError(err);
        try { model.Fit(x, x, batchSize: 8, epochs: 5, verbose: 0); }
        finally { Console.SetError(saved); }
        Assert.True(model.StopTraining);
        Assert.Matches(@"Epoch 1, batch \d+: invalid loss", err.ToString());
    }

    [Fact]
    public void SummaryPrintsKerasTableWithParameterCounts()
    {
        Layer.ResetNames();
        var model = new Sequential(
            new Dense(512, activation: "relu", inputShape: new[] { 784 }),
            new Dropout(0.2f),
            new Dense(10, activation: "softmax"));
        var text = model.Summary(_ => { });
        Assert.Contains("dense (Dense)                (None, 512)               401920", text);
        Assert.Contains("dropout (Dropout)            (None, 512)               0", text);
        Assert.Contains("dense_1 (Dense)              (None, 10)                5130", text);
        Assert.Contains("Total params: 407,050", text);
        Assert.Contains("Trainable params: 407,050", text);
        Assert.Contains("Non-trainable params: 0", text);
    }

    [Fact]
    public void FrozenLayersAreNotTrained()
    {
        var model = SmallNet();
        model.Layers[0].Trainable = false;
        var before = model.Layers[0].Weights[0].ToArray();
        var other = model.Layers[2].Weights[0].ToArray();
        model.Compile("sgd", "categorical_crossentropy");
        var (x, y) = Blobs(64, 4);
        model.Fit(x, y, batchSize: 16, epochs: 1, verbose: 0);
        Assert.Equal(before, model.Layers[0].Weights[0].ToArray());
        Assert.NotEqual(other, model.Layers[2].Weights[0].ToArray());
        Assert.Contains("Non-trainable params: 64", model.Summary(_ => { }));
    }

    [Fact]
    public void CallbacksSeeEveryHookInOrder()
    {
        var log = new List<string>();
        var cb = new Recorder(log);
        var model = SmallNet();
        model.Compile("sgd", "categorical_crossentropy", new[] { "accuracy" });
        var (x, y) = Blobs(40, 5);
        model.Fit(x, y, batchSize: 20, epochs: 2, verbose: 0, callbacks: new[] { cb }, validationData: (x, y));
        Assert.Equal(new[]
        {
            "train_begin", "epoch_begin 0", "batch_begin 0", "batch_end 0", "batch_begin 1", "batch_end 1", "epoch_end 0 val_accuracy",
            "epoch_begin 1", "batch_begin 0", "batch_end 0", "batch_begin 1", "batch_end 1", "epoch_end 1 val_accuracy", "train_end",
        }, log);
        Assert.Same(model, cb.Model);
    }

    private sealed class Recorder(List<string> log) : Callback
    {
        public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs) => log.Add("train_begin");
        public override void OnTrainEnd(IReadOnlyDictionary<string, float> logs) => log.Add("train_end");
        public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs) => log.Add($"epoch_begin {epoch}");
        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) => log.Add($"epoch_end {epoch} {(logs.ContainsKey("val_accuracy") ? "val_accuracy" : "")}");
        public override void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, float> logs) => log.Add($"batch_begin {batch}");
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) => log.Add($"batch_end {batch}");
    }

    [Fact]
    public void SingleBatchMethodsWork()
    {
        var model = SmallNet();
        model.Compile(new Adam(learningRate: 0.05f), "categorical_crossentropy", new[] { "accuracy" });
        var (x, y) = Blobs(64, 6);
        var first = model.TestOnBatch(x, y)["loss"];
        for (int i = 0; i < 30; i++) model.TrainOnBatch(x, y);
        Assert.True(model.TestOnBatch(x, y)["loss"] < first);
        Assert.Equal(new[] { 64, 3 }, model.PredictOnBatch(x).Shape.ToArray());
    }

    [Fact]
    public void SteadyStateStepsReuseTheirBuffers()
    {
        var model = SmallNet();
        model.Compile("rmsprop", "categorical_crossentropy", new[] { "accuracy" });
        var (x, y) = Blobs(256, 8);
        model.Fit(x, y, batchSize: 64, epochs: 2, verbose: 0);
        long pooled = TensorScope.PooledFloats;
        Assert.True(pooled > 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        model.Fit(x, y, batchSize: 64, epochs: 4, verbose: 0, shuffle: true);
        long perStep = (GC.GetAllocatedBytesForCurrentThread() - before) / 16;
        Assert.Equal(pooled, TensorScope.PooledFloats);
        // Only small headers (tensor objects, shapes, closures) are allocated per step, far below one batch of activations.
        Assert.True(perStep < 64 * 16 * sizeof(float) * 4, $"{perStep} bytes allocated per step");
    }

    [Fact]
    public void TensorsFromAFinishedStepCannotBeUsed()
    {
        Tensor leaked;
        using (TensorScope.Begin()) leaked = Ops.Add(Tensor.Ones(3), Tensor.Ones(3));
        Assert.Throws<ObjectDisposedException>(() => leaked.ToArray());
    }
}
