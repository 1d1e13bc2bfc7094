using Cortex.Keras.Saving;
namespace Cortex.Keras.Callbacks;

/// <summary>
/// Sets the learning rate at the start of each epoch from a function of the epoch (0-based) and the current rate
/// (Keras's <c>keras.callbacks.LearningRateScheduler</c>); the rate in use is added to each epoch's logs as
/// "learning_rate".
/// </summary>
/// <remarks>The optimizer must have a plain learning rate: with a schedule set, training fails at its start.</remarks>
public sealed class LearningRateScheduler : Callback
{
    private readonly Func<int, float, float> _schedule;

    /// <summary>Creates the callback from <c>schedule(epoch, lr)</c>.</summary>
    /// <param name="schedule">Returns the rate for an epoch given the epoch and the current rate.</param>
    /// <param name="verbose">0 silent; 1 prints the rate set each epoch.</param>
    public LearningRateScheduler(Func<int, float, float> schedule, int verbose = 0)
    {
        _schedule = schedule ?? throw new ArgumentNullException(nameof(schedule));
        Verbose = verbose;
    }

    /// <summary>Creates the callback from <c>schedule(epoch)</c> (Keras's older one-argument form).</summary>
    public LearningRateScheduler(Func<int, float> schedule, int verbose = 0)
        : this(WrapOld(schedule), verbose) { }

    /// <summary>Verbosity.</summary>
    public int Verbose { get; }

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs) => LearningRateCallbacks.SettableOptimizer(this);

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        var opt = LearningRateCallbacks.SettableOptimizer(this);
        float lr = _schedule(epoch, opt.LearningRate);
        if (!float.IsFinite(lr))
            throw new InvalidOperationException($"The output of the `schedule` function should be a finite float. Got: {PyFormat.Float(lr)} (epoch {epoch}).");
        opt.LearningRate = lr;
        if (Verbose > 0) Console.WriteLine($"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to {PyFormat.Float(lr)}.");
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (Model?.Optimizer is { } opt) MonitorMode.AddLog(logs, "learning_rate", opt.LearningRate);
    }

    private static Func<int, float, float> WrapOld(Func<int, float> schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return (epoch, _) => schedule(epoch);
    }
}
