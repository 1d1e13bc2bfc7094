using Cortex.Keras.Metrics;
using Cortex.Keras.Saving;

namespace Cortex.Keras.Models;

public abstract partial class Model
{
    /// <summary>
    /// Saves the model to a <c>.keras</c> file (Keras 3's format: a zip of metadata.json, config.json and
    /// model.weights.h5) with its architecture, weights, compile configuration and optimizer state, so that
    /// <see cref="KerasIO.LoadModel"/> (or Keras itself) restores it and <c>Fit</c> continues where it stopped.
    /// The write is atomic: a failed save leaves no partial file.
    /// </summary>
    /// <param name="path">A path ending in <c>.keras</c>.</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    /// <param name="includeOptimizer">Whether to save the optimizer's state (iteration count and slots).</param>
    public void Save(string path, bool overwrite = true, bool includeOptimizer = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.EndsWith(".keras", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException(path.EndsWith(".h5", StringComparison.OrdinalIgnoreCase)
                ? $"Cortex writes the native Keras format only; save to a path ending in `.keras` (legacy .h5 files can be loaded). Received: filepath={path}"
                : $"Invalid filepath extension for saving. Please add a `.keras` extension for the native Keras format. Received: filepath={path}", nameof(path));
        CheckOverwrite(path, overwrite);
        KerasIO.SaveModel(this, path, includeOptimizer);
    }

    /// <summary>Saves the weights to a <c>.weights.h5</c> file in Keras 3's layout (<c>layers/NAME/vars/0..n</c>), atomically.</summary>
    /// <param name="path">A path ending in <c>.weights.h5</c>.</param>
    /// <param name="overwrite">Whether an existing file may be replaced.</param>
    public void SaveWeights(string path, bool overwrite = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.EndsWith(".weights.h5", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"The filename must end in `.weights.h5`. Received: filepath={path}", nameof(path));
        CheckOverwrite(path, overwrite);
        KerasIO.SaveWeights(this, path);
    }

    /// <summary>
    /// Loads weights saved by <see cref="SaveWeights"/> or Keras (a <c>.weights.h5</c>, a legacy Keras 2 HDF5 file, or
    /// a <c>.keras</c> file). Every weight's shape is checked; a missing weight is an error naming it, and nothing is
    /// assigned unless all weights are found.
    /// </summary>
    public void LoadWeights(string path) => KerasIO.LoadWeights(this, path);

    /// <summary>The architecture as JSON (Keras's <c>to_json</c>), readable by <see cref="KerasIO.ModelFromJson"/> and Keras's <c>model_from_json</c>.</summary>
    public string ToJson() => KerasIO.ModelJson(this, withCompile: false);

    /// <summary>Keras 3's <c>compile_config</c>: the optimizer, loss and metrics given to Compile.</summary>
    internal Dictionary<string, object?> CompileConfig() => new()
    {
        ["optimizer"] = KerasObjects.Serialize(Optimizer!),
        ["loss"] = _outputs is { Length: > 1 } many ? many.Select(o => (object?)o.Loss?.Name).ToList() : Loss!.Name,
        ["loss_weights"] = _outputs is { Length: > 1 } ? LossWeights.Select(w => (object?)w).ToList() : null,
        ["metrics"] = _outputs is { Length: > 1 } several
            ? several.Select(o => (object?)MetricNames(o.MetricSpecs)).ToList()
            : MetricNames(_outputs?[0].MetricSpecs ?? new List<object>()),
        ["weighted_metrics"] = null,
        ["run_eagerly"] = false,
        ["steps_per_execution"] = 1,
        ["jit_compile"] = false,
    };

    private static List<object?> MetricNames(List<object> specs) => specs.Select(m => (object?)(m is Metric metric ? metric.Name : (string)m)).ToList();

    private int? _resumeEpoch;

    /// <summary>
    /// Makes the <c>Fit</c> now starting begin at <paramref name="epoch"/> (0-based) instead of its initialEpoch; set
    /// from <see cref="Callbacks.Callback.OnTrainBegin"/> by <see cref="Callbacks.BackupAndRestore"/> after restoring a backup.
    /// </summary>
    internal void ResumeAtEpoch(int epoch) => _resumeEpoch = epoch;

    private int? TakeResumeEpoch()
    {
        var e = _resumeEpoch;
        _resumeEpoch = null;
        return e;
    }

    private static void CheckOverwrite(string path, bool overwrite)
    {
        if (!overwrite && File.Exists(path))
            throw new IOException($"File {path} already exists and overwrite=false.");
    }
}
