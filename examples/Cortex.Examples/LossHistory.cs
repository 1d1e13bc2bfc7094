using Cortex.Keras.Callbacks;

namespace Cortex.Examples;

/// <summary>
/// Deep Learning with Keras ch.2: <c>class LossHistory(keras.callbacks.Callback)</c>, the training loss after every
/// batch (shared by the callbacks_tour and checkpoint_schedule examples).
/// </summary>
internal sealed class LossHistory : Callback
{
    private readonly List<int> _epochStarts = new();

    /// <summary>The loss after each batch, in order, over all epochs.</summary>
    public List<float> Losses { get; } = new();

    /// <summary>The batch losses of epoch <paramref name="epoch"/> (0-based).</summary>
    public IReadOnlyList<float> EpochLosses(int epoch)
    {
        int start = _epochStarts[epoch], end = epoch + 1 < _epochStarts.Count ? _epochStarts[epoch + 1] : Losses.Count;
        return Losses.GetRange(start, end - start);
    }

    /// <summary>The number of epochs seen.</summary>
    public int Epochs => _epochStarts.Count;

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs) { Losses.Clear(); _epochStarts.Clear(); }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs) => _epochStarts.Add(Losses.Count);

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) => Losses.Add(logs["loss"]);
}
