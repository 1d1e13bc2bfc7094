namespace Cortex.Keras.Callbacks;

/// <summary>
/// Which way a monitored quantity improves, shared by <see cref="EarlyStopping"/> and <see cref="ReduceLROnPlateau"/>:
/// "min", "max", or "auto" (decided from the metric's name).
/// </summary>
internal static class MonitorMode
{
    /// <summary>
    /// Checks <paramref name="mode"/>; an unknown one falls back to "auto" with Keras's warning
    /// ("<paramref name="what"/> mode X is unknown, fallback to auto mode.") on standard error.
    /// </summary>
    public static string Check(string mode, string what)
    {
        if (mode is "auto" or "min" or "max") return mode;
        Console.Error.WriteLine($"UserWarning: {what} mode {mode} is unknown, fallback to auto mode.");
        return "auto";
    }

    /// <summary>
    /// Whether larger is better for <paramref name="monitor"/> in EarlyStopping's "auto" mode. Keras 3 asks the
    /// metric for its direction; Cortex's metrics all carry Keras's names, so the name decides: after "val_", the
    /// loss and error metrics (loss, mse, mae, *error*, *crossentropy*, *hinge*) decrease, the accuracy, AUC, precision
    /// and recall metrics (names containing "acc", "auc", "precision", "recall") increase, and any other name is
    /// treated as a loss, as Keras 2 did.
    /// </summary>
    public static bool AutoIsMax(string monitor)
    {
        string name = monitor.StartsWith("val_", StringComparison.Ordinal) ? monitor[4..] : monitor;
        if (name == "loss" || name.Contains("error") || name.Contains("crossentropy") || name.Contains("hinge")) return false;
        return name.Contains("acc") || name.Contains("auc") || name.Contains("precision") || name.Contains("recall");
    }

    /// <summary>Adds <paramref name="key"/> to an epoch's logs when they can be written (Fit passes its own dictionary), as Keras's callbacks do.</summary>
    public static void AddLog(IReadOnlyDictionary<string, float> logs, string key, float value)
    {
        if (logs is IDictionary<string, float> { IsReadOnly: false } d) d[key] = value;
    }

    /// <summary>The "Available metrics are: a,b,c" tail of Keras's missing-monitor warnings.</summary>
    public static string Available(IReadOnlyDictionary<string, float> logs) => string.Join(",", logs.Keys);
}
