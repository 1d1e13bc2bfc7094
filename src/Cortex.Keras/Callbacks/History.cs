namespace Cortex.Keras.Callbacks;

/// <summary>
/// Records each epoch's logs; <c>Fit</c> returns it (Keras's <c>History</c>). <see cref="HistoryData"/> is Keras's
/// <c>history.history</c>: one list of values per metric name.
/// </summary>
public sealed class History : Callback
{
    /// <summary>The epochs recorded (0-based).</summary>
    public List<int> Epoch { get; } = new();

    /// <summary>Per metric name, its value after each epoch.</summary>
    public Dictionary<string, List<float>> HistoryData { get; } = new();

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs) { }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        Epoch.Add(epoch);
        foreach (var (k, v) in logs)
        {
            if (!HistoryData.TryGetValue(k, out var list)) HistoryData[k] = list = new List<float>();
            list.Add(v);
        }
    }

    /// <summary>The values of one metric, e.g. <c>history["val_accuracy"]</c>.</summary>
    public IReadOnlyList<float> this[string metric] => HistoryData.TryGetValue(metric, out var l) ? l
        : throw new KeyNotFoundException($"no metric '{metric}' in the history; recorded: {string.Join(", ", HistoryData.Keys)}");
}
