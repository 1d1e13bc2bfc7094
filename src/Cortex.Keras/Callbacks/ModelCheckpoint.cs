using System.Globalization;
using Cortex.Keras.Saving;

namespace Cortex.Keras.Callbacks;

/// <summary>
/// Saves the model or its weights during training (Keras's <c>keras.callbacks.ModelCheckpoint</c>): at the end of
/// every epoch, or every <c>saveFreq</c> batches, to a path that may hold Python format fields filled from the epoch
/// number (1-based) and the logs, e.g. <c>"ckpt/model-{epoch:02d}-{val_loss:.2f}.keras"</c>. With
/// <c>saveBestOnly</c> only a model better than every earlier one (by <c>monitor</c>) is saved. Every write is atomic.
/// </summary>
public sealed class ModelCheckpoint : Callback
{
    private readonly Func<double, double, bool> _better;
    private readonly int _saveEveryBatches;
    private int _batchesSinceSave;
    private int _epoch;

    /// <summary>Creates the callback.</summary>
    /// <param name="filepath">Where to save: a <c>.keras</c> path, or a <c>.weights.h5</c> path with <paramref name="saveWeightsOnly"/>; may contain format fields.</param>
    /// <param name="monitor">The logged quantity compared by <paramref name="saveBestOnly"/>.</param>
    /// <param name="verbose">1 prints a line each time the callback saves (or declines to).</param>
    /// <param name="saveBestOnly">Save only when <paramref name="monitor"/> improves on the best so far.</param>
    /// <param name="saveWeightsOnly">Save the weights (<see cref="Models.Model.SaveWeights"/>) instead of the whole model.</param>
    /// <param name="mode">"min", "max", or "auto" (max for accuracies and f-measures, otherwise min).</param>
    /// <param name="saveFreq">"epoch", or a number of batches between saves.</param>
    /// <param name="initialValueThreshold">The best value to beat at the start (with <paramref name="saveBestOnly"/>).</param>
    public ModelCheckpoint(string filepath, string monitor = "val_loss", int verbose = 0, bool saveBestOnly = false, bool saveWeightsOnly = false,
        string mode = "auto", object? saveFreq = null, float? initialValueThreshold = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(filepath);
        Filepath = filepath;
        Monitor = monitor ?? throw new ArgumentNullException(nameof(monitor));
        Verbose = verbose;
        SaveBestOnly = saveBestOnly;
        SaveWeightsOnly = saveWeightsOnly;
        if (saveWeightsOnly && !filepath.EndsWith(".weights.h5", StringComparison.Ordinal))
            throw new ArgumentException($"When using `save_weights_only=True` in `ModelCheckpoint`, the filepath provided must end in `.weights.h5` (Keras weights format). Received: filepath={filepath}", nameof(filepath));
        if (!saveWeightsOnly && !filepath.EndsWith(".keras", StringComparison.Ordinal))
            throw new ArgumentException($"The filepath provided must end in `.keras` (Keras model format). Received: filepath={filepath}", nameof(filepath));
        if (mode is not ("auto" or "min" or "max"))
        {
            Console.Error.WriteLine($"ModelCheckpoint mode '{mode}' is unknown, fallback to auto mode.");
            mode = "auto";
        }
        bool max = mode == "max" || (mode == "auto" && (monitor.Contains("acc", StringComparison.Ordinal) || monitor.StartsWith("fmeasure", StringComparison.Ordinal)));
        Mode = max ? "max" : "min";
        _better = max ? (a, b) => a > b : (a, b) => a < b;
        Best = initialValueThreshold ?? (max ? double.NegativeInfinity : double.PositiveInfinity);
        switch (saveFreq)
        {
            case null or "epoch": _saveEveryBatches = 0; break;
            case int n when n > 0: _saveEveryBatches = n; break;
            default: throw new ArgumentException($"Unrecognized save_freq: {saveFreq}. Expected save_freq are 'epoch' or integer values", nameof(saveFreq));
        }
    }

    /// <summary>The path template.</summary>
    public string Filepath { get; }
    /// <summary>The monitored log key.</summary>
    public string Monitor { get; }
    /// <summary>The verbosity.</summary>
    public int Verbose { get; }
    /// <summary>Whether only improvements are saved.</summary>
    public bool SaveBestOnly { get; }
    /// <summary>Whether only the weights are saved.</summary>
    public bool SaveWeightsOnly { get; }
    /// <summary>The resolved mode, "min" or "max".</summary>
    public string Mode { get; }
    /// <summary>The best monitored value so far.</summary>
    public double Best { get; private set; }
    /// <summary>The paths saved so far, in order.</summary>
    public List<string> SavedPaths { get; } = new();

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs) => _epoch = epoch;

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
    {
        if (_saveEveryBatches == 0) return;
        if (++_batchesSinceSave < _saveEveryBatches) return;
        _batchesSinceSave = 0;
        Save(_epoch, batch, logs);
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (_saveEveryBatches == 0) Save(epoch, null, logs);
    }

    private void Save(int epoch, int? batch, IReadOnlyDictionary<string, float> logs)
    {
        var model = Model ?? throw new InvalidOperationException("ModelCheckpoint has no model: it runs only inside Fit.");
        var path = FilePath(epoch, batch, logs);
        if (SaveBestOnly)
        {
            if (!logs.TryGetValue(Monitor, out float current))
            {
                Console.Error.WriteLine($"Can save best model only with {Monitor} available, skipping.");
                return;
            }
            if (!_better(current, Best))
            {
                if (Verbose > 0) Console.WriteLine($"\nEpoch {epoch + 1}: {Monitor} did not improve from {Fmt(Best)}");
                return;
            }
            if (Verbose > 0) Console.WriteLine($"\nEpoch {epoch + 1}: {Monitor} improved from {Fmt(Best)} to {Fmt(current)}, saving model to {path}");
            Best = current;
        }
        else if (Verbose > 0) Console.WriteLine($"\nEpoch {epoch + 1}: saving model to {path}");
        if (SaveWeightsOnly) model.SaveWeights(path);
        else model.Save(path);
        SavedPaths.Add(path);
    }

    private string FilePath(int epoch, int? batch, IReadOnlyDictionary<string, float> logs)
    {
        var values = logs.ToDictionary(kv => kv.Key, kv => (double)kv.Value);
        values["epoch"] = epoch + 1;
        if (batch is int b) values["batch"] = b + 1;
        return PyFormat.Format(Filepath, values);
    }

    private static string Fmt(double v) => double.IsInfinity(v) ? (v > 0 ? "inf" : "-inf") : v.ToString("F5", CultureInfo.InvariantCulture);
}
