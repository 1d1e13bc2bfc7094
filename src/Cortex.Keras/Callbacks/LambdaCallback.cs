namespace Cortex.Keras.Callbacks;

/// <summary>
/// A callback made of functions (Keras's <c>keras.callbacks.LambdaCallback</c>); any of them may be null.
/// <c>onBatchBegin</c>/<c>onBatchEnd</c> are the training-batch hooks (Keras's <c>on_batch_*</c>, i.e.
/// <c>on_train_batch_*</c>).
/// </summary>
public sealed class LambdaCallback : Callback
{
    private readonly Action<int, IReadOnlyDictionary<string, float>>? _epochBegin, _epochEnd, _batchBegin, _batchEnd;
    private readonly Action<IReadOnlyDictionary<string, float>>? _trainBegin, _trainEnd;

    /// <summary>Creates the callback.</summary>
    /// <param name="onEpochBegin">(epoch, logs) at the start of each epoch.</param>
    /// <param name="onEpochEnd">(epoch, logs) at the end of each epoch.</param>
    /// <param name="onBatchBegin">(batch, logs) before each training batch.</param>
    /// <param name="onBatchEnd">(batch, logs) after each training batch.</param>
    /// <param name="onTrainBegin">(logs) when training starts.</param>
    /// <param name="onTrainEnd">(logs) when training ends.</param>
    public LambdaCallback(
        Action<int, IReadOnlyDictionary<string, float>>? onEpochBegin = null,
        Action<int, IReadOnlyDictionary<string, float>>? onEpochEnd = null,
        Action<int, IReadOnlyDictionary<string, float>>? onBatchBegin = null,
        Action<int, IReadOnlyDictionary<string, float>>? onBatchEnd = null,
        Action<IReadOnlyDictionary<string, float>>? onTrainBegin = null,
        Action<IReadOnlyDictionary<string, float>>? onTrainEnd = null)
    {
        _epochBegin = onEpochBegin; _epochEnd = onEpochEnd; _batchBegin = onBatchBegin; _batchEnd = onBatchEnd;
        _trainBegin = onTrainBegin; _trainEnd = onTrainEnd;
    }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs) => _epochBegin?.Invoke(epoch, logs);
    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) => _epochEnd?.Invoke(epoch, logs);
    /// <inheritdoc/>
    public override void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, float> logs) => _batchBegin?.Invoke(batch, logs);
    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) => _batchEnd?.Invoke(batch, logs);
    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs) => _trainBegin?.Invoke(logs);
    /// <inheritdoc/>
    public override void OnTrainEnd(IReadOnlyDictionary<string, float> logs) => _trainEnd?.Invoke(logs);
}
