using Cortex.Keras.Saving;
using System.Globalization;

namespace Cortex.Keras.Callbacks;

/// <summary>
/// Reduces the learning rate when a metric has stopped improving (Keras 3's <c>keras.callbacks.ReduceLROnPlateau</c>).
/// </summary>
/// <remarks>
/// <para>At each epoch end the current rate is added to the logs as "learning_rate" (so History records it). An
/// improvement is current &lt; best − minDelta (mode min) or current &gt; best + minDelta (mode max; "auto" is max
/// when the monitor's name contains "acc", as in Keras). After <see cref="Patience"/> epochs without one, the rate
/// becomes max(lr · factor, minLr) if it is above minLr, and <see cref="Cooldown"/> epochs follow in which the wait
/// counter stays at 0.</para>
/// <para>factor, minDelta and minLr are doubles, as Keras's Python floats: the new rate max(lr · factor, minLr) is
/// computed in double from the float32 rate and printed as Keras prints it, then stored as float32.</para>
/// <para>The optimizer must have a plain learning rate: with a schedule set, training fails at its start.</para>
/// </remarks>
public sealed class ReduceLROnPlateau : Callback
{
    private bool _max;
    private double _best;
    private int _cooldownCounter;

    /// <summary>Creates the callback.</summary>
    /// <param name="monitor">The quantity to monitor. Defaults to "val_loss".</param>
    /// <param name="factor">The factor by which the rate is reduced; must be &lt; 1. Defaults to 0.1.</param>
    /// <param name="patience">Epochs without improvement before a reduction. Defaults to 10.</param>
    /// <param name="verbose">0 silent; 1 prints each reduction.</param>
    /// <param name="mode">"auto", "min" or "max".</param>
    /// <param name="minDelta">The threshold for a new best. Defaults to 1e-4.</param>
    /// <param name="cooldown">Epochs after a reduction before counting resumes. Defaults to 0.</param>
    /// <param name="minLr">The lower bound on the rate. Defaults to 0.</param>
    /// <exception cref="ArgumentException">factor ≥ 1 (Keras's error), or negative patience/cooldown.</exception>
    public ReduceLROnPlateau(string monitor = "val_loss", double factor = 0.1, int patience = 10, int verbose = 0, string mode = "auto",
        double minDelta = 1e-4, int cooldown = 0, double minLr = 0.0)
    {
        ArgumentException.ThrowIfNullOrEmpty(monitor);
        if (factor >= 1.0) throw new ArgumentException($"ReduceLROnPlateau does not support a factor >= 1.0. Received factor={PyFormat.Float(factor)}", nameof(factor));
        if (patience < 0) throw new ArgumentOutOfRangeException(nameof(patience), $"ReduceLROnPlateau: patience must be non-negative. Received: patience={patience}");
        if (cooldown < 0) throw new ArgumentOutOfRangeException(nameof(cooldown), $"ReduceLROnPlateau: cooldown must be non-negative. Received: cooldown={cooldown}");
        Monitor = monitor; Factor = factor; Patience = patience; Verbose = verbose; MinDelta = minDelta; Cooldown = cooldown; MinLr = minLr;
        Mode = mode;
    }

    /// <summary>The monitored quantity.</summary>
    public string Monitor { get; }
    /// <summary>The reduction factor.</summary>
    public double Factor { get; }
    /// <summary>Epochs to wait.</summary>
    public int Patience { get; }
    /// <summary>Verbosity.</summary>
    public int Verbose { get; }
    /// <summary>"auto", "min" or "max" (checked at the start of training; an unknown one becomes "auto").</summary>
    public string Mode { get; private set; }
    /// <summary>The improvement threshold.</summary>
    public double MinDelta { get; }
    /// <summary>Cooldown epochs.</summary>
    public int Cooldown { get; }
    /// <summary>The lowest rate.</summary>
    public double MinLr { get; }
    /// <summary>Epochs since the last improvement.</summary>
    public int Wait { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs)
    {
        LearningRateCallbacks.SettableOptimizer(this);
        Mode = MonitorMode.Check(Mode, "Learning rate reduction");
        _max = !(Mode == "min" || (Mode == "auto" && !Monitor.Contains("acc")));
        _best = _max ? double.NegativeInfinity : double.PositiveInfinity;
        _cooldownCounter = 0;
        Wait = 0;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        var opt = LearningRateCallbacks.SettableOptimizer(this);
        MonitorMode.AddLog(logs, "learning_rate", opt.LearningRate);
        if (!logs.TryGetValue(Monitor, out float current))
        {
            Console.Error.WriteLine($"UserWarning: Learning rate reduction is conditioned on metric `{Monitor}` which is not available. Available metrics are: {MonitorMode.Available(logs)}.");
            return;
        }
        if (_cooldownCounter > 0) { _cooldownCounter--; Wait = 0; }
        if (_max ? current > _best + MinDelta : current < _best - MinDelta)
        {
            _best = current;
            Wait = 0;
        }
        else if (_cooldownCounter <= 0)
        {
            Wait++;
            if (Wait >= Patience)
            {
                double oldLr = opt.LearningRate;
                if (oldLr > (float)MinLr) // compared in float32, as Keras (np.float32(min_lr))
                {
                    double newLr = Math.Max(oldLr * Factor, MinLr);
                    opt.LearningRate = (float)newLr;
                    if (Verbose > 0) Console.WriteLine($"\nEpoch {epoch + 1}: ReduceLROnPlateau reducing learning rate to {PyFormat.Float(newLr)}.");
                    _cooldownCounter = Cooldown;
                    Wait = 0;
                }
            }
        }
    }
}
