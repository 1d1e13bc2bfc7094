using Cortex.Keras.Models;

namespace Cortex.Keras.Callbacks;

/// <summary>
/// The base of callbacks (Keras's <c>keras.callbacks.Callback</c>): hooks called at the start and end of training,
/// epochs, batches, evaluation and prediction. <c>logs</c> map metric names ("loss", "accuracy", "val_loss", ...) to values.
/// </summary>
public abstract class Callback
{
    /// <summary>The model being trained, set by <c>Fit</c>/<c>Evaluate</c>/<c>Predict</c>.</summary>
    public Model? Model { get; set; }

    /// <summary>Training parameters: "epochs", "steps", "verbose".</summary>
    public IReadOnlyDictionary<string, object> Params { get; set; } = new Dictionary<string, object>();

    /// <summary>Called when training starts.</summary>
    public virtual void OnTrainBegin(IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Called when training ends.</summary>
    public virtual void OnTrainEnd(IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Called at the start of an epoch (0-based).</summary>
    public virtual void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Called at the end of an epoch with the epoch's training and validation metrics.</summary>
    public virtual void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Called before a training batch.</summary>
    public virtual void OnTrainBatchBegin(int batch, IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Called after a training batch with the running averages of the epoch so far.</summary>
    public virtual void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Called when evaluation starts.</summary>
    public virtual void OnTestBegin(IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Called when evaluation ends.</summary>
    public virtual void OnTestEnd(IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Called before an evaluation batch.</summary>
    public virtual void OnTestBatchBegin(int batch, IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Called after an evaluation batch.</summary>
    public virtual void OnTestBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Called when prediction starts.</summary>
    public virtual void OnPredictBegin(IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Called when prediction ends.</summary>
    public virtual void OnPredictEnd(IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Called before a prediction batch.</summary>
    public virtual void OnPredictBatchBegin(int batch, IReadOnlyDictionary<string, float> logs) { }
    /// <summary>Called after a prediction batch.</summary>
    public virtual void OnPredictBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) { }
}
