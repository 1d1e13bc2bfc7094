using Cortex.Keras.Callbacks;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Tests.Callbacks;

/// <summary>Small models and helpers shared by the callback tests.</summary>
internal static class CallbackTestUtil
{
    /// <summary>A built 3 → 4 → 3 classifier, compiled with SGD(lr) and accuracy.</summary>
    public static Sequential SmallModel(float lr = 0.1f)
    {
        var m = new Sequential(new Dense(4, activation: "relu", inputShape: new[] { 3 }), new Dense(3, activation: "softmax"));
        m.Compile(new Cortex.Keras.Optimizers.SGD(learningRate: lr), "categorical_crossentropy", new[] { "accuracy" });
        m.EnsureBuilt(new[] { -1, 3 });
        return m;
    }

    public static Dictionary<string, float> Logs(params (string Key, float Value)[] kv) => kv.ToDictionary(p => p.Key, p => p.Value);

    /// <summary>Runs <paramref name="action"/> with standard error (or output) captured.</summary>
    public static string CaptureError(Action action)
    {
        var w = new StringWriter();
        var saved = Console.Error;
        Console.SetError(w);
        try { action(); } finally { Console.SetError(saved); }
        return w.ToString();
    }

    public static string CaptureOut(Action action)
    {
        var w = new StringWriter();
        var saved = Console.Out;
        Console.SetOut(w);
        try { action(); } finally { Console.SetOut(saved); }
        return w.ToString();
    }

    /// <summary>A temporary folder removed when disposed.</summary>
    public sealed class TempDir : IDisposable
    {
        public string Path { get; } = Directory.CreateTempSubdirectory("cortex-cb-").FullName;
        public void Dispose() { try { Directory.Delete(Path, true); } catch (IOException) { } }
    }
}

/// <summary>Records every hook, with its index and the Params seen, to check Keras's call order.</summary>
internal sealed class RecordingCallback : Callback
{
    public List<string> Calls { get; } = new();
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs) => Calls.Add("train_begin");
    public override void OnTrainEnd(IReadOnlyDictionary<string, float> logs) => Calls.Add($"train_end[{string.Join(",", logs.Keys)}]");
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs) => Calls.Add($"epoch_begin {epoch}");
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) => Calls.Add($"epoch_end {epoch}[{string.Join(",", logs.Keys)}]");
    public override void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, float> logs) => Calls.Add($"train_batch_begin {batch}");
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) => Calls.Add($"train_batch_end {batch}[{string.Join(",", logs.Keys)}]");
    public override void OnTestBegin(IReadOnlyDictionary<string, float> logs) => Calls.Add($"test_begin epochs={(Params.TryGetValue("epochs", out var e) ? e : "-")}");
    public override void OnTestEnd(IReadOnlyDictionary<string, float> logs) => Calls.Add($"test_end[{string.Join(",", logs.Keys)}]");
    public override void OnTestBatchBegin(int batch, IReadOnlyDictionary<string, float> logs) => Calls.Add($"test_batch_begin {batch}");
    public override void OnTestBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) => Calls.Add($"test_batch_end {batch}");
    public override void OnPredictBegin(IReadOnlyDictionary<string, float> logs) => Calls.Add("predict_begin");
    public override void OnPredictEnd(IReadOnlyDictionary<string, float> logs) => Calls.Add("predict_end");
    public override void OnPredictBatchBegin(int batch, IReadOnlyDictionary<string, float> logs) => Calls.Add($"predict_batch_begin {batch}");
    public override void OnPredictBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) => Calls.Add($"predict_batch_end {batch}");
}
