using Cortex.Autodiff;
using Cortex.Keras.Callbacks;
using Cortex.Keras.Data;
using Cortex.Memory;

namespace Cortex.Keras.Models;

/// <summary>Training, evaluation and prediction from a <see cref="Dataset"/> or a generator of batches.</summary>
public abstract partial class Model
{
    /// <summary>
    /// Trains on the batches of a <see cref="Dataset"/> (Keras's <c>fit(tf.data.Dataset, ...)</c>). Without
    /// <paramref name="stepsPerEpoch"/> an epoch is one full pass over the dataset (a new enumeration each epoch).
    /// With it, one enumeration is consumed step by step across epochs, so an infinite (repeated) dataset or
    /// generator gives <paramref name="stepsPerEpoch"/> fresh batches per epoch; if the data runs out first, training
    /// stops with a warning, as Keras's "Your input ran out of data".
    /// </summary>
    /// <param name="data">Batched elements with targets (and optional sample weights).</param>
    /// <param name="epochs">Number of epochs.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line per epoch.</param>
    /// <param name="callbacks">Extra callbacks.</param>
    /// <param name="validationData">Batches to evaluate at the end of each epoch; optional.</param>
    /// <param name="stepsPerEpoch">Batches per epoch; required for an infinite dataset.</param>
    /// <param name="validationSteps">Validation batches per evaluation; null: a full pass (required for an infinite one).</param>
    /// <param name="initialEpoch">Epoch at which to start.</param>
    /// <param name="classWeight">Class index → loss weight, applied to each batch's targets (single output only).</param>
    /// <exception cref="ArgumentException">An infinite dataset without steps, or non-positive steps.</exception>
    public History Fit(Dataset data, int epochs = 1, int verbose = 1, IEnumerable<Callback>? callbacks = null,
        Dataset? validationData = null, int? stepsPerEpoch = null, int? validationSteps = null, int initialEpoch = 0,
        IReadOnlyDictionary<int, float>? classWeight = null)
    {
        RequireCompiled("training the model");
        ArgumentNullException.ThrowIfNull(data);
        if (epochs < 0) throw new ArgumentException($"epochs must be non-negative. Received: epochs={epochs}", nameof(epochs));
        int steps = PipelineSteps(data, stepsPerEpoch, "steps_per_epoch", "x");
        if (validationData is not null) PipelineSteps(validationData, validationSteps, "validation_steps", "validation_data");
        Func<CallbackList, Dictionary<string, float>>? validate = validationData is null ? null
            : cbs => EvaluatePipeline(validationData, validationSteps, "validation_data", cbs);
        IEnumerator<DataElement>? current = null;
        try
        {
            return FitLoop(epochs, initialEpoch, verbose, callbacks, steps,
                onEpochBegin: _ =>
                {
                    if (stepsPerEpoch is null) { current?.Dispose(); current = null; }
                    current ??= data.GetEnumerator();
                },
                nextBatch: step =>
                {
                    if (!current!.MoveNext())
                    {
                        if (stepsPerEpoch is not null)
                        {
                            Console.Error.WriteLine("Your input ran out of data; interrupting training. Make sure that your dataset or generator can generate at least `steps_per_epoch * epochs` batches.");
                            StopTraining = true;
                        }
                        return null;
                    }
                    var batch = CheckedBatch(current.Current, step, "the training data");
                    if (classWeight is not null)
                    {
                        if (batch.Y!.Count != 1) throw new ArgumentException("`class_weight` is only supported for Models with a single output.", nameof(classWeight));
                        if (batch.SampleWeight is not null) throw new ArgumentException("You cannot use `class_weight` and `sample_weight` at the same time.", nameof(classWeight));
                        batch = new DataElement(batch.X, batch.Y, ClassWeightsToSampleWeights(batch.Y[0], classWeight));
                    }
                    return batch;
                },
                fetchInScope: false, validate: validate, onEpochEnd: null);
        }
        finally { current?.Dispose(); }
    }

    /// <summary>
    /// Trains on (x, y) batches from any enumerable, e.g. a C# iterator (Keras's <c>fit(generator, ...)</c>); the
    /// rules of <see cref="Fit(Dataset, int, int, IEnumerable{Callback}?, Dataset?, int?, int?, int, IReadOnlyDictionary{int, float}?)"/>
    /// apply: with <paramref name="stepsPerEpoch"/> one enumeration is consumed across epochs, without it each epoch
    /// enumerates <paramref name="batches"/> again to its end.
    /// </summary>
    public History Fit(IEnumerable<(Tensor X, Tensor Y)> batches, int epochs = 1, int verbose = 1, IEnumerable<Callback>? callbacks = null,
        IEnumerable<(Tensor X, Tensor Y)>? validationData = null, int? stepsPerEpoch = null, int? validationSteps = null, int initialEpoch = 0)
        => Fit(Dataset.FromEnumerable(batches ?? throw new ArgumentNullException(nameof(batches))), epochs, verbose, callbacks,
            validationData is null ? null : Dataset.FromEnumerable(validationData), stepsPerEpoch, validationSteps, initialEpoch);

    /// <summary>Loss and metrics over the batches of a dataset: a full pass, or <paramref name="steps"/> batches.</summary>
    public IReadOnlyDictionary<string, float> Evaluate(Dataset data, int? steps = null, int verbose = 1, IEnumerable<Callback>? callbacks = null)
    {
        RequireCompiled("evaluating the model");
        ArgumentNullException.ThrowIfNull(data);
        int n = PipelineSteps(data, steps, "steps", "x");
        var result = EvaluatePipeline(data, steps, "the data", callbacks);
        if (verbose > 0) new Progbar(n == int.MaxValue ? 1 : n, verbose: verbose).Update(n == int.MaxValue ? 1 : n, result, finalize: true);
        return result;
    }

    /// <summary>Loss and metrics over (x, y) batches from an enumerable.</summary>
    public IReadOnlyDictionary<string, float> Evaluate(IEnumerable<(Tensor X, Tensor Y)> batches, int? steps = null, int verbose = 1, IEnumerable<Callback>? callbacks = null)
        => Evaluate(Dataset.FromEnumerable(batches ?? throw new ArgumentNullException(nameof(batches))), steps, verbose, callbacks);

    /// <summary>Outputs for the batches of a dataset (single-output models), concatenated along axis 0; targets are ignored.</summary>
    public Tensor Predict(Dataset data, int? steps = null, int verbose = 0)
    {
        ArgumentNullException.ThrowIfNull(data);
        int n = PipelineSteps(data, steps, "steps", "x");
        return PredictBatches(data.Take(n).Select(e => e.X), n == int.MaxValue ? 0 : n, verbose);
    }

    private Dictionary<string, float> EvaluatePipeline(Dataset data, int? steps, string what, IEnumerable<Callback>? callbacks)
    {
        using var it = data.GetEnumerator();
        return EvaluateSteps(PipelineSteps(data, steps, "steps", what),
            step => it.MoveNext() ? CheckedBatch(it.Current, step, what) : null, fetchInScope: false, callbacks);
    }

    /// <summary>The steps of an epoch: the given ones, else the dataset's cardinality, else "until it ends".</summary>
    private static int PipelineSteps(Dataset data, int? steps, string argument, string what)
    {
        if (steps is { } s)
            return s > 0 ? s : throw new ArgumentException($"{argument} must be a positive integer. Received: {argument}={s}", argument);
        long card = data.Cardinality;
        if (card == Dataset.InfiniteCardinality)
            throw new ArgumentException($"When passing an infinitely repeating dataset as `{what}`, you must specify the `{argument}` argument.", argument);
        return card >= 0 ? (int)Math.Min(card, int.MaxValue) : int.MaxValue;
    }

    /// <summary>A batch from a pipeline, checked for targets and equal row counts; builds the model on the first one.</summary>
    private DataElement CheckedBatch(DataElement batch, int step, string what)
    {
        if (batch.Y is null) throw new InvalidOperationException($"Batch {step} of {what} has no targets; training and evaluation need (x, y) batches.");
        CheckData(batch.X, batch.Y, batch.SampleWeight, $"batch {step} of {what}");
        EnsureBuiltFor(batch.X);
        return batch;
    }

    /// <summary>Outputs of a single-output model for a run of input batches, concatenated along axis 0.</summary>
    private Tensor PredictBatches(IEnumerable<IReadOnlyList<Tensor>> batches, int steps, int verbose)
    {
        var bar = verbose > 0 && steps > 0 ? new Progbar(steps, verbose: verbose) : null;
        var parts = new List<float[]>();
        int[]? rowShape = null;
        int rows = 0, step = 0;
        var empty = new Dictionary<string, float>();
        using var it = batches.GetEnumerator();
        while (true)
        {
            IReadOnlyList<Tensor> xb;
            using (TensorScope.Persistent())
            using (GradientTape.NoGradient())
            {
                if (!it.MoveNext()) break;
                xb = it.Current;
            }
            EnsureBuiltFor(xb);
            using (GradientTape.NoGradient())
            using (TensorScope.Begin())
            {
                var outs = CallWithMasks(xb, training: false).Outputs;
                if (outs.Count != 1) throw new InvalidOperationException($"Model \"{Name}\" has {outs.Count} outputs; predict on tensors with Predict(IReadOnlyList<Tensor>) to get them all.");
                var yb = outs[0].Contiguous();
                ClearLosses();   // activity losses of inference batches are not kept
                rowShape ??= yb.Shape.Skip(1).ToArray();
                parts.Add(yb.ToArray());
                rows += yb.Shape[0];
            }
            bar?.Update(++step, empty);
        }
        var all = new float[parts.Sum(p => p.Length)];
        int at = 0;
        foreach (var p in parts) { p.CopyTo(all, at); at += p.Length; }
        return Tensor.Wrap(all, [rows, .. rowShape ?? []]);
    }
}
