namespace Cortex.Keras.Utils;

/// <summary>
/// A data set served batch by batch, like Keras's <c>keras.utils.Sequence</c> / <c>PyDataset</c>: <see cref="Count"/>
/// batches, each given by <see cref="GetBatch"/>; <see cref="OnEpochEnd"/> runs after every epoch (e.g. to reshuffle).
/// <c>Model.Fit</c>, <c>Evaluate</c> and <c>Predict</c> accept one.
/// </summary>
/// <remarks>
/// The model reads a batch before it opens the step's tensor scope, so a batch may be a cached tensor or a fresh one;
/// it is not kept after the step. Batches are requested in order 0 … Count − 1 within an epoch, on one thread.
/// </remarks>
public abstract class Sequence
{
    /// <summary>The number of batches in an epoch (Keras's <c>__len__</c> / <c>num_batches</c>).</summary>
    public abstract int Count { get; }

    /// <summary>
    /// Batch <paramref name="index"/> (Keras's <c>__getitem__</c>): inputs with the samples along axis 0, and targets
    /// with the same number of rows, or <see langword="null"/> targets for data meant only for prediction.
    /// </summary>
    /// <param name="index">0 to <see cref="Count"/> − 1.</param>
    public abstract (Tensor X, Tensor? Y) GetBatch(int index);

    /// <summary>Batch <paramref name="index"/>; the same as <see cref="GetBatch"/>.</summary>
    /// <param name="index">0 to <see cref="Count"/> − 1.</param>
    public (Tensor X, Tensor? Y) this[int index]
    {
        get
        {
            if ((uint)index >= (uint)Count)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"batch index must be in [0, {Count}).");
            return GetBatch(index);
        }
    }

    /// <summary>Called at the end of every epoch (Keras's <c>on_epoch_end</c>); does nothing by default.</summary>
    public virtual void OnEpochEnd() { }
}
