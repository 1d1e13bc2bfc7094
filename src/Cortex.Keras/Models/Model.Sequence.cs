using Cortex.Autodiff;
using Cortex.Keras.Callbacks;
using Cortex.Keras.Data;
using Cortex.Keras.Utils;
using Cortex.Memory;

namespace Cortex.Keras.Models;

/// <summary>Training, evaluation and prediction from a <see cref="Sequence"/> (e.g. <c>ImageDataGenerator.Flow</c>).</summary>
public abstract partial class Model
{
    /// <summary>
    /// Trains on the batches of a <see cref="Sequence"/> (Keras's <c>fit(x=PyDataset, ...)</c>): each epoch runs
    /// <paramref name="stepsPerEpoch"/> batches (default: all of them, in order) and then calls
    /// <see cref="Sequence.OnEpochEnd"/>. The model is built from the shape of batch 0 if needed.
    /// </summary>
    /// <param name="data">The training batches; every batch needs targets.</param>
    /// <param name="epochs">Number of epochs.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line per epoch.</param>
    /// <param name="callbacks">Extra callbacks; a <see cref="History"/> and the progress bar are always added.</param>
    /// <param name="validationData">Batches to evaluate at the end of each epoch; <see langword="null"/>: none.</param>
    /// <param name="stepsPerEpoch">Batches per epoch, at most <see cref="Sequence.Count"/>; <see langword="null"/>: all.</param>
    /// <param name="initialEpoch">Epoch at which to start (for resuming).</param>
    /// <returns>The history of the epochs' metrics.</returns>
    public History Fit(Sequence data, int epochs = 1, int verbose = 1, IEnumerable<Callback>? callbacks = null,
        Sequence? validationData = null, int? stepsPerEpoch = null, int initialEpoch = 0)
    {
        Func<CallbackList, Dictionary<string, float>>? validate = validationData is null ? null : cbs => EvaluateSequence(validationData, "validation_data", cbs);
        return FitSequence(data, epochs, verbose, callbacks, validate, stepsPerEpoch, initialEpoch);
    }

    /// <summary>
    /// Trains on the batches of a <see cref="Sequence"/>, validating on arrays at the end of each epoch; otherwise as
    /// <see cref="Fit(Sequence, int, int, IEnumerable{Callback}?, Sequence?, int?, int)"/>.
    /// </summary>
    /// <param name="data">The training batches.</param>
    /// <param name="validationData">Inputs and targets to evaluate at the end of each epoch (in batches of 32).</param>
    /// <param name="epochs">Number of epochs.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line per epoch.</param>
    /// <param name="callbacks">Extra callbacks.</param>
    /// <param name="stepsPerEpoch">Batches per epoch; <see langword="null"/>: all.</param>
    /// <param name="initialEpoch">Epoch at which to start.</param>
    public History Fit(Sequence data, (Tensor X, Tensor Y) validationData, int epochs = 1, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, int? stepsPerEpoch = null, int initialEpoch = 0)
    {
        CheckData(validationData.X, validationData.Y, "validation_data");
        return FitSequence(data, epochs, verbose, callbacks, cbs => EvaluateArrays(new[] { validationData.X }, new[] { validationData.Y }, null, 32, cbs), stepsPerEpoch, initialEpoch);
    }

    private History FitSequence(Sequence data, int epochs, int verbose, IEnumerable<Callback>? callbacks,
        Func<CallbackList, Dictionary<string, float>>? validate, int? stepsPerEpoch, int initialEpoch)
    {
        RequireCompiled("training the model");
        ArgumentNullException.ThrowIfNull(data);
        if (epochs < 0) throw new ArgumentException($"epochs must be non-negative. Received: epochs={epochs}", nameof(epochs));
        int available = data.Count;
        if (available <= 0) throw new ArgumentException($"The Sequence has no batches (Count = {available}); there is nothing to train on.", nameof(data));
        int steps = stepsPerEpoch ?? available;
        if (steps <= 0 || steps > available)
            throw new ArgumentException($"steps_per_epoch must be between 1 and the number of batches ({available}). Received: steps_per_epoch={steps}", nameof(stepsPerEpoch));
        if (!Built)
        {
            var (x0, _) = TrainingBatch(data, 0);
            EnsureBuilt(x0.Shape.ToArray());
        }
        return FitLoop(epochs, initialEpoch, verbose, callbacks, steps,
            onEpochBegin: null,
            nextBatch: step => { var (xb, yb) = TrainingBatch(data, step); return new DataElement(xb, yb); },
            fetchInScope: false, validate: validate, onEpochEnd: data.OnEpochEnd);
    }

    /// <summary>Batch <paramref name="index"/> of a sequence, checked to have targets with as many rows as inputs.</summary>
    private (Tensor X, Tensor Y) TrainingBatch(Sequence data, int index, string what = "the Sequence")
    {
        var (x, y) = data[index];
        if (x is null) throw new InvalidOperationException($"Batch {index} of {what} has no inputs.");
        if (y is null) throw new InvalidOperationException($"Batch {index} of {what} has no targets; training and evaluation need (x, y) batches.");
        CheckData(x, y, $"batch {index} of {what}");
        return (x, y);
    }

    /// <summary>Loss and metrics over every batch of a <see cref="Sequence"/> (Keras's <c>evaluate(PyDataset)</c>).</summary>
    /// <param name="data">The batches (with targets).</param>
    /// <param name="verbose">0 silent, otherwise a final progress line.</param>
    /// <param name="callbacks">Callbacks for the test events.</param>
    public IReadOnlyDictionary<string, float> Evaluate(Sequence data, int verbose = 1, IEnumerable<Callback>? callbacks = null)
    {
        RequireCompiled("evaluating the model");
        ArgumentNullException.ThrowIfNull(data);
        var result = EvaluateSequence(data, "the Sequence", callbacks);
        if (verbose > 0) new Progbar(data.Count, verbose: verbose).Update(data.Count, result, finalize: true);
        return result;
    }

    private Dictionary<string, float> EvaluateSequence(Sequence data, string what, IEnumerable<Callback>? callbacks)
    {
        if (data.Count <= 0) throw new ArgumentException($"{what} has no batches (Count = {data.Count}).");
        if (!Built) EnsureBuilt(TrainingBatch(data, 0, what).X.Shape.ToArray());
        return EvaluateSteps(data.Count, step => { var (xb, yb) = TrainingBatch(data, step, what); return new DataElement(xb, yb); }, fetchInScope: false, callbacks);
    }

    /// <summary>Outputs for every batch of a <see cref="Sequence"/>, concatenated along axis 0 (targets, if any, are ignored).</summary>
    /// <param name="data">The batches.</param>
    /// <param name="verbose">0 silent, 1 progress bar.</param>
    public Tensor Predict(Sequence data, int verbose = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        return PredictBatches(Enumerable.Range(0, data.Count).Select(i => (IReadOnlyList<Tensor>)new[] { data[i].X }), data.Count, verbose);
    }
}
