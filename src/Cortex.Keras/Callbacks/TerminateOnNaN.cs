namespace Cortex.Keras.Callbacks;

/// <summary>
/// Stops training when the loss becomes NaN or infinite (Keras's <c>keras.callbacks.TerminateOnNaN</c>). <c>Fit</c>
/// always runs one (it adds this callback unless one is given), so a diverging model stops at the batch where the
/// running loss stops being finite.
/// </summary>
/// <remarks>
/// Keras prints "Batch 3: Invalid loss, terminating training"; Cortex writes
/// "Epoch 2, batch 3: invalid loss (NaN), terminating training." to standard error, naming the epoch too.
/// </remarks>
public sealed class TerminateOnNaN : Callback
{
    private int _epoch;

    /// <summary>The epoch (0-based) and batch at which training was stopped, or null.</summary>
    public (int Epoch, int Batch)? StoppedAt { get; private set; }

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs) => StoppedAt = null;

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs) => _epoch = epoch;

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
    {
        if (!logs.TryGetValue("loss", out float loss) || float.IsFinite(loss)) return;
        Console.Error.WriteLine($"Epoch {_epoch + 1}, batch {batch}: invalid loss ({loss}), terminating training.");
        StoppedAt = (_epoch, batch);
        if (Model is not null) Model.StopTraining = true;
    }
}
