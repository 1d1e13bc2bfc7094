namespace Cortex.Keras.Callbacks;

/// <summary>
/// Stops training when a monitored quantity has stopped improving (Keras 3's <c>keras.callbacks.EarlyStopping</c>).
/// </summary>
/// <remarks>
/// <para>At the end of each epoch from <see cref="StartFromEpoch"/> on, the wait counter goes up by one; an
/// improvement on the best value so far (by more than <see cref="MinDelta"/>) records the new best and resets the
/// counter, but only when it also beats <see cref="Baseline"/> (if set). Once the counter reaches
/// <see cref="Patience"/> (and the epoch is not the first) the model's <c>StopTraining</c> is set and
/// <see cref="StoppedEpoch"/> records the epoch.</para>
/// <para>With <see cref="RestoreBestWeights"/>, the weights of the best epoch (or of the first monitored epoch, if
/// none improved) are copied at that epoch's end and put back when training ends, whether or not it stopped early,
/// as Keras 3 does.</para>
/// <para>A monitor missing from the logs prints Keras's warning to standard error, listing the available metrics, and
/// the epoch is skipped.</para>
/// </remarks>
public sealed class EarlyStopping : Callback
{
    private readonly bool _max;
    private readonly double _delta; // signed: positive for max, negative for min (Keras's min_delta *= -1)
    private float[][]? _bestWeights;
    private double? _best;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The quantity to monitor. Defaults to "val_loss".</param>
    /// <param name="minDelta">The smallest change that counts as an improvement (its absolute value is used).</param>
    /// <param name="patience">Epochs without improvement after which training stops. Defaults to 0.</param>
    /// <param name="verbose">0 silent; 1 prints when stopping and restoring.</param>
    /// <param name="mode">"auto" (from the metric's name), "min" or "max".</param>
    /// <param name="baseline">A value the quantity must beat for the wait counter to reset; null: none.</param>
    /// <param name="restoreBestWeights">Whether to restore the best epoch's weights at the end of training.</param>
    /// <param name="startFromEpoch">Epochs to wait before monitoring (a warm-up).</param>
    /// <exception cref="ArgumentOutOfRangeException">patience or startFromEpoch is negative.</exception>
    public EarlyStopping(string monitor = "val_loss", float minDelta = 0f, int patience = 0, int verbose = 0, string mode = "auto",
        float? baseline = null, bool restoreBestWeights = false, int startFromEpoch = 0)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), $"EarlyStopping: patience must be non-negative. Received: patience={patience}");
        if (startFromEpoch < 0) throw new ArgumentOutOfRangeException(nameof(startFromEpoch), $"EarlyStopping: start_from_epoch must be non-negative. Received: start_from_epoch={startFromEpoch}");
        Monitor = monitor; MinDelta = Math.Abs(minDelta); Patience = patience; Verbose = verbose; Baseline = baseline;
        RestoreBestWeights = restoreBestWeights; StartFromEpoch = startFromEpoch;
        Mode = MonitorMode.Check(mode, "EarlyStopping");
        _max = Mode == "max" || (Mode == "auto" && MonitorMode.AutoIsMax(monitor));
        _delta = _max ? MinDelta : -MinDelta;
    }

    /// <summary>The monitored quantity.</summary>
    public string Monitor { get; }
    /// <summary>The minimum improvement (non-negative).</summary>
    public float MinDelta { get; }
    /// <summary>Epochs to wait.</summary>
    public int Patience { get; }
    /// <summary>Verbosity.</summary>
    public int Verbose { get; }
    /// <summary>"auto", "min" or "max" (an unknown mode becomes "auto").</summary>
    public string Mode { get; }
    /// <summary>Whether larger values are better.</summary>
    public bool Maximize => _max;
    /// <summary>The baseline, or null.</summary>
    public float? Baseline { get; }
    /// <summary>Whether the best weights are restored at the end.</summary>
    public bool RestoreBestWeights { get; }
    /// <summary>The warm-up length in epochs.</summary>
    public int StartFromEpoch { get; }

    /// <summary>Epochs since the last improvement (Keras's <c>wait</c>).</summary>
    public int Wait { get; private set; }
    /// <summary>The epoch (0-based) at which training was stopped; 0 when it was not.</summary>
    public int StoppedEpoch { get; private set; }
    /// <summary>The epoch (0-based) of the best value.</summary>
    public int BestEpoch { get; private set; }
    /// <summary>The best value seen, or null before the first monitored epoch.</summary>
    public float? Best => _best is { } b ? (float)b : null;

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs)
    {
        Wait = 0; StoppedEpoch = 0; BestEpoch = 0; _best = null; _bestWeights = null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (!logs.TryGetValue(Monitor, out float current))
        {
            Console.Error.WriteLine($"UserWarning: Early stopping conditioned on metric `{Monitor}` which is not available. Available metrics are: {MonitorMode.Available(logs)}");
            return;
        }
        if (epoch < StartFromEpoch) return;
        if (RestoreBestWeights && _bestWeights is null)
        {
            // No best weights yet: the current ones are the best.
            _bestWeights = CopyWeights();
            BestEpoch = epoch;
        }
        Wait++;
        if (IsImprovement(current, _best))
        {
            _best = current;
            BestEpoch = epoch;
            if (RestoreBestWeights) _bestWeights = CopyWeights();
            // The counter restarts only when the value beats both the previous best and the baseline.
            if (Baseline is not { } b || IsImprovement(current, b)) Wait = 0;
            return;
        }
        if (Wait >= Patience && epoch > 0)
        {
            StoppedEpoch = epoch;
            RequireModel().StopTraining = true;
        }
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(IReadOnlyDictionary<string, float> logs)
    {
        if (StoppedEpoch > 0 && Verbose > 0) Console.WriteLine($"Epoch {StoppedEpoch + 1}: early stopping");
        if (RestoreBestWeights && _bestWeights is not null)
        {
            if (Verbose > 0) Console.WriteLine($"Restoring model weights from the end of the best epoch: {BestEpoch + 1}.");
            var weights = RequireModel().Weights;
            for (int i = 0; i < weights.Count; i++) _bestWeights[i].CopyTo(weights[i].Value.Span);
        }
    }

    private bool IsImprovement(double value, double? reference)
    {
        if (reference is not { } r) return true;
        return _max ? value - _delta > r : value - _delta < r;
    }

    private float[][] CopyWeights() => RequireModel().Weights.Select(w => w.Value.ToArray()).ToArray();

    private Models.Model RequireModel() => Model ?? throw new InvalidOperationException("EarlyStopping is not attached to a model; pass it to Fit.");
}
