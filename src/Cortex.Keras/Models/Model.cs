using Cortex.Autodiff;
using Cortex.Keras.Callbacks;
using Cortex.Keras.Data;
using Cortex.Keras.Layers;
using Cortex.Keras.Losses;
using Cortex.Keras.Metrics;
using Cortex.Keras.Optimizers;
using Cortex.Memory;

namespace Cortex.Keras.Models;

/// <summary>
/// A trainable stack of layers with Keras's training API: <see cref="Compile(Optimizer, Loss, IEnumerable{object}?)"/>,
/// <c>Fit</c>, <c>Evaluate</c>, <c>Predict</c> (on tensors, lists of tensors for several inputs and outputs, a
/// <see cref="Dataset"/>, a generator of batches or a <see cref="Utils.Sequence"/>) and the single-batch variants.
/// </summary>
/// <remarks>
/// <para>Each training step runs inside a <see cref="TensorScope"/>: its intermediate tensors come from a buffer pool
/// and go back when the step ends, so after the first step a step allocates no large buffers.</para>
/// <para>A step is <see cref="TrainStep"/> (Keras 3's <c>train_step(data)</c>), which a subclass may override to train
/// its own way (two optimizers, a custom loss); evaluation steps are <see cref="TestStep"/>.</para>
/// <para>A loss that becomes NaN or infinite stops training at once: <c>Fit</c> always runs a
/// <see cref="TerminateOnNaN"/> (added unless given), which writes a message naming the epoch and batch;
/// <see cref="StopTraining"/> is then true and the history ends at that epoch.</para>
/// <para>Callbacks run in Keras 3's order: the user's, then TerminateOnNaN, History and ProgbarLogger (each added
/// unless given). Validation inside <c>Fit</c> calls the on_test_* hooks of the same callbacks.</para>
/// </remarks>
public abstract partial class Model : Layer
{
    private EpochTracker? _tracker;
    private TrainableSet? _fitTrainable;

    /// <summary>Stores the model's name.</summary>
    protected Model(string? name) : base(name) { }

    /// <summary>The layers, in order.</summary>
    public abstract IReadOnlyList<Layer> Layers { get; }

    /// <summary>The optimizer given to Compile.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss given to Compile when the model has one output (see <see cref="OutputLosses"/> for several).</summary>
    public Loss? Loss { get; private set; }

    /// <summary>Set by a callback (or by a NaN loss) to end <c>Fit</c> after the current batch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>The compiled metrics of every output, resolved at the first batch.</summary>
    public IReadOnlyList<Metric> Metrics => _outputs?.SelectMany(o => o.Metrics?.Select(m => m.Metric) ?? Enumerable.Empty<Metric>()).ToList() ?? new List<Metric>();

    /// <inheritdoc/>
    public override IReadOnlyList<Variable> Weights => Layers.SelectMany(l => l.Weights).ToList();
    /// <summary>
    /// Whether the model's weights are trained. Setting it sets every layer's flag, as Keras does
    /// (<c>base_model.trainable = False</c> freezes all its layers, also where they are reused in another model;
    /// setting it back to true unfreezes them all).
    /// </summary>
    public override bool Trainable
    {
        get => base.Trainable;
        set
        {
            base.Trainable = value;
            foreach (var l in Layers) l.Trainable = value;
        }
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Variable> TrainableWeights => Trainable ? Layers.SelectMany(l => l.TrainableWeights).ToList() : new List<Variable>();
    /// <inheritdoc/>
    public override IReadOnlyList<Variable> NonTrainableWeights => Trainable ? Layers.SelectMany(l => l.NonTrainableWeights).ToList() : Weights;

    // ------------------------------------------------------------------ compile

    /// <summary>Configures training with objects (one loss; for a model with several outputs it applies to each).</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="metrics">Metric objects or Keras metric names ("accuracy", "mae", ...), for every output.</param>
    public void Compile(Optimizer optimizer, Loss loss, IEnumerable<object>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        var list = MetricList(metrics);
        SetCompiled(optimizer, OutputNames.Select(n => new OutputSpec(n, loss, 1f, list)).ToArray());
    }

    /// <summary>Configures training with Keras names, e.g. <c>Compile("rmsprop", "categorical_crossentropy", new[] { "accuracy" })</c>.</summary>
    public void Compile(string optimizer, string loss, IEnumerable<string>? metrics = null)
        => Compile(Optimizers.Optimizer.Get(optimizer), Cortex.Keras.Losses.Loss.Get(loss), metrics?.Cast<object>());

    /// <summary>Configures training with an optimizer object and a loss name.</summary>
    public void Compile(Optimizer optimizer, string loss, IEnumerable<string>? metrics = null)
        => Compile(optimizer, Cortex.Keras.Losses.Loss.Get(loss), metrics?.Cast<object>());

    // ------------------------------------------------------------------ the model call with masks

    /// <summary>
    /// Runs the model on a batch and returns every output with its mask (null where an output carries none), so that
    /// the loss can skip masked timesteps. By default a model with one input calls <see cref="Layer.Call(Tensor, bool)"/>
    /// and reports no mask; <see cref="Sequential"/> and <see cref="Functional"/> propagate the layers' masks.
    /// </summary>
    protected internal virtual (IReadOnlyList<Tensor> Outputs, IReadOnlyList<Tensor?> Masks) CallWithMasks(IReadOnlyList<Tensor> inputs, bool training)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var outs = inputs.Count == 1 ? new[] { Call(inputs[0], training) } : CallOutputs(inputs, training);
        return (outs, new Tensor?[outs.Count]);
    }

    // ------------------------------------------------------------------ steps

    /// <summary>
    /// One training step on a batch (Keras 3's <c>train_step(data)</c>); <c>Fit</c> and <c>TrainOnBatch</c>
    /// call it inside the step's tensor scope and pass its logs to the callbacks.
    /// The default: forward pass with <c>training: true</c>, <see cref="ComputeLoss"/>, gradients of the trainable
    /// weights, one <see cref="Optimizer"/> update, and the running loss and metrics of the epoch.
    /// </summary>
    /// <remarks>
    /// Override it for a custom step; take gradients with <see cref="GradientTape"/>
    /// (<c>using var tape = GradientTape.Begin(); ... tape.Gradient(loss, weights.Select(w =&gt; w.Value).ToArray())</c>)
    /// and apply them with <c>optimizer.Apply(grads, weights)</c>. Return the logs ("loss" is checked for NaN); keep
    /// running averages in your own metrics and reset them in <see cref="ResetMetrics"/>.
    /// </remarks>
    /// <param name="data">The batch: inputs, targets, optional sample weights.</param>
    /// <returns>The logs after this step (running values over the epoch so far).</returns>
    public virtual IReadOnlyDictionary<string, float> TrainStep(DataElement data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var y = data.Y ?? throw new ArgumentException("Training needs targets: the batch has no y.", nameof(data));
        var trainable = _fitTrainable ?? new TrainableSet(TrainableWeights);
        var tracker = Tracker;
        using (var tape = GradientTape.Begin())
        {
            var (yPred, masks) = CallWithMasks(data.X, training: true);
            var perOutput = new float[yPred.Count];
            var loss = TotalLoss(ComputeLossCore(y, yPred, masks, data.SampleWeight, perOutput));
            float lossValue = loss.Item();
            var grads = tape.Gradient(loss, trainable.Sources);
            Optimizer!.Apply(grads, trainable.Variables);
            ApplyConstraints(trainable.Variables);
            using (GradientTape.NoGradient()) tracker.Update(lossValue, perOutput, data.Rows, y, yPred);
        }
        return tracker.Logs();
    }

    /// <summary>
    /// One evaluation step on a batch (Keras 3's <c>test_step(data)</c>), in inference mode: the loss (with sample
    /// weights and masks) and the metrics, accumulated over the evaluation.
    /// </summary>
    public virtual IReadOnlyDictionary<string, float> TestStep(DataElement data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var y = data.Y ?? throw new ArgumentException("Evaluation needs targets: the batch has no y.", nameof(data));
        using (GradientTape.NoGradient())
        {
            var (yPred, masks) = CallWithMasks(data.X, training: false);
            var perOutput = new float[yPred.Count];
            float loss = TotalLoss(ComputeLossCore(y, yPred, masks, data.SampleWeight, perOutput)).Item();
            Tracker.Update(loss, perOutput, data.Rows, y, yPred);
        }
        return Tracker.Logs();
    }

    /// <summary>
    /// Clears the running loss and metrics (Keras's <c>reset_metrics</c>); called at the start of every epoch and of
    /// every evaluation. A subclass with its own metrics overrides it to reset them too.
    /// </summary>
    public virtual void ResetMetrics() => _tracker = new EpochTracker(this);

    private EpochTracker Tracker => _tracker ??= new EpochTracker(this);

    // ------------------------------------------------------------------ fit

    /// <summary>
    /// Trains for a fixed number of epochs (Keras's <c>fit</c>).
    /// </summary>
    /// <param name="x">Inputs, samples along axis 0.</param>
    /// <param name="y">Targets, samples along axis 0 (one-hot rows, class indices, or values).</param>
    /// <param name="batchSize">Samples per gradient update (Keras's default 32).</param>
    /// <param name="epochs">Number of passes over the data.</param>
    /// <param name="verbose">0 silent, 1 progress bar, 2 one line per epoch.</param>
    /// <param name="callbacks">Extra callbacks; a <see cref="History"/> and the progress bar are always added.</param>
    /// <param name="validationSplit">Fraction of the data, taken from the end before shuffling, held out for validation.</param>
    /// <param name="validationData">Data to evaluate at the end of each epoch (overrides validationSplit).</param>
    /// <param name="shuffle">Whether to shuffle the training data before each epoch.</param>
    /// <param name="initialEpoch">Epoch at which to start (for resuming).</param>
    /// <param name="sampleWeight">Per-sample weights (n,) for the loss (see <see cref="WeightedLoss"/>); optional.</param>
    /// <param name="classWeight">Class index → loss weight, turned into sample weights from the targets' classes
    /// (<see cref="ClassWeightsToSampleWeights"/>); single-output models only; not with <paramref name="sampleWeight"/>.</param>
    /// <returns>The history of the epochs' metrics.</returns>
    public History Fit(Tensor x, Tensor y, int batchSize = 32, int epochs = 1, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, float validationSplit = 0f, (Tensor X, Tensor Y)? validationData = null,
        bool shuffle = true, int initialEpoch = 0, Tensor? sampleWeight = null, IReadOnlyDictionary<int, float>? classWeight = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return FitArrays(new[] { x }, new[] { y }, batchSize, epochs, verbose, callbacks, validationSplit,
            validationData is { } v ? (new[] { v.X }, new[] { v.Y }) : null, shuffle, initialEpoch, sampleWeight, classWeight);
    }

    /// <summary>
    /// Trains a model with several inputs and/or outputs (Keras's <c>fit([x1, x2], [y1, y2])</c>): one tensor per model
    /// input (in <see cref="InputNames"/> order) and one target per output (<see cref="OutputNames"/> order). Logs hold
    /// "loss" (the weighted total), "&lt;output&gt;_loss" (each output's weighted loss, as Keras 3) and
    /// "&lt;output&gt;_&lt;metric&gt;"; validation adds the same keys with "val_". Otherwise as
    /// <see cref="Fit(Tensor, Tensor, int, int, int, IEnumerable{Callback}?, float, ValueTuple{Tensor, Tensor}?, bool, int, Tensor?, IReadOnlyDictionary{int, float}?)"/>.
    /// </summary>
    public History Fit(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> y, int batchSize = 32, int epochs = 1, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, float validationSplit = 0f, (IReadOnlyList<Tensor> X, IReadOnlyList<Tensor> Y)? validationData = null,
        bool shuffle = true, int initialEpoch = 0, Tensor? sampleWeight = null, IReadOnlyDictionary<int, float>? classWeight = null)
        => FitArrays(x, y, batchSize, epochs, verbose, callbacks, validationSplit, validationData, shuffle, initialEpoch, sampleWeight, classWeight);

    /// <summary>Trains on inputs and targets given by input and output name (Keras's <c>fit({"a": xa}, {"out": y})</c>).</summary>
    public History Fit(IReadOnlyDictionary<string, Tensor> x, IReadOnlyDictionary<string, Tensor> y, int batchSize = 32, int epochs = 1, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, float validationSplit = 0f, bool shuffle = true, int initialEpoch = 0, Tensor? sampleWeight = null)
        => FitArrays(ByName(x, InputNames, "x", "input"), ByName(y, OutputNames, "y", "output"), batchSize, epochs, verbose, callbacks,
            validationSplit, null, shuffle, initialEpoch, sampleWeight, null);

    private static Tensor[] ByName(IReadOnlyDictionary<string, Tensor> data, IReadOnlyList<string> names, string argument, string kind)
    {
        ArgumentNullException.ThrowIfNull(data);
        foreach (var k in data.Keys)
            if (!names.Contains(k))
                throw new ArgumentException($"In the dict argument `{argument}`, key '{k}' does not correspond to any model {kind}. Model {kind}s: [{string.Join(", ", names)}]", argument);
        return names.Select(n => data.TryGetValue(n, out var t) ? t
            : throw new ArgumentException($"The dict argument `{argument}` has no entry for the model {kind} '{n}'.", argument)).ToArray();
    }

    private History FitArrays(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> y, int batchSize, int epochs, int verbose,
        IEnumerable<Callback>? callbacks, float validationSplit, (IReadOnlyList<Tensor> X, IReadOnlyList<Tensor> Y)? validationData,
        bool shuffle, int initialEpoch, Tensor? sampleWeight, IReadOnlyDictionary<int, float>? classWeight)
    {
        RequireCompiled("training the model");
        int n = CheckData(x, y, sampleWeight);
        if (batchSize <= 0) throw new ArgumentException($"batch_size must be a positive integer. Received: batch_size={batchSize}", nameof(batchSize));
        if (epochs < 0) throw new ArgumentException($"epochs must be non-negative. Received: epochs={epochs}", nameof(epochs));
        if (!(validationSplit >= 0f && validationSplit < 1f)) throw new ArgumentException($"validation_split must be in [0, 1). Received: validation_split={validationSplit}", nameof(validationSplit));
        if (classWeight is not null)
        {
            if (sampleWeight is not null) throw new ArgumentException("You cannot use `class_weight` and `sample_weight` at the same time.", nameof(classWeight));
            if (y.Count != 1) throw new ArgumentException("`class_weight` is only supported for Models with a single output.", nameof(classWeight));
            sampleWeight = ClassWeightsToSampleWeights(y[0], classWeight);
        }

        IReadOnlyList<Tensor> xTrain = x, yTrain = y;
        Tensor? wTrain = sampleWeight;
        (IReadOnlyList<Tensor> X, IReadOnlyList<Tensor> Y, Tensor? W)? val = validationData is { } vd ? (vd.X, vd.Y, null) : null;
        if (val is null && validationSplit > 0f)
        {
            int split = (int)(n * (1f - validationSplit));
            if (split == 0 || split == n) throw new ArgumentException($"validation_split={validationSplit} leaves no training or no validation samples out of {n}.");
            xTrain = x.Select(t => Ops.SliceRows(t, 0, split)).ToArray(); yTrain = y.Select(t => Ops.SliceRows(t, 0, split)).ToArray();
            wTrain = sampleWeight is null ? null : Ops.SliceRows(sampleWeight, 0, split);
            val = (x.Select(t => Ops.SliceRows(t, split, n - split)).ToArray(), y.Select(t => Ops.SliceRows(t, split, n - split)).ToArray(),
                sampleWeight is null ? null : Ops.SliceRows(sampleWeight, split, n - split));
        }
        if (val is { } v) CheckData(v.X, v.Y, v.W, "validation_data");
        EnsureBuiltFor(xTrain);

        int samples = xTrain[0].Shape[0];
        int steps = (samples + batchSize - 1) / batchSize;
        var order = new int[samples];
        for (int i = 0; i < samples; i++) order[i] = i;
        var rng = RandomGenerator.Global;
        Func<CallbackList, Dictionary<string, float>>? validate = val is { } vv ? cbs => EvaluateArrays(vv.X, vv.Y, vv.W, batchSize, cbs) : null;
        return FitLoop(epochs, initialEpoch, verbose, callbacks, steps,
            onEpochBegin: _ => { if (shuffle) rng.Shuffle(order.AsSpan()); },
            nextBatch: step =>
            {
                int start = step * batchSize, count = Math.Min(batchSize, samples - start);
                var rows = order.AsSpan(start, count);
                var xs = new Tensor[xTrain.Count];
                for (int i = 0; i < xs.Length; i++) xs[i] = Ops.TakeRows(xTrain[i], rows);
                var ys = new Tensor[yTrain.Count];
                for (int i = 0; i < ys.Length; i++) ys[i] = Ops.TakeRows(yTrain[i], rows);
                return new DataElement(xs, ys, wTrain is null ? null : Ops.TakeRows(wTrain, rows));
            },
            fetchInScope: true, validate: validate, onEpochEnd: null);
    }

    /// <summary>
    /// The epoch/batch machinery shared by every <c>Fit</c>: callbacks, History and progress bar, the NaN stop, the
    /// per-epoch validation. Each step takes a batch from <paramref name="nextBatch"/> (null: the data ran out) and runs
    /// <see cref="TrainStep"/> on it inside a tensor scope; <paramref name="fetchInScope"/>: fetch inside the scope
    /// (slices of the caller's tensors) or before it (batches a pipeline made, which it may keep).
    /// </summary>
    private History FitLoop(int epochs, int initialEpoch, int verbose, IEnumerable<Callback>? callbacks, int steps,
        Action<int>? onEpochBegin, Func<int, DataElement?> nextBatch, bool fetchInScope,
        Func<CallbackList, Dictionary<string, float>>? validate, Action? onEpochEnd)
    {
        var (all, history) = CallbackList.ForFit(callbacks, verbose);
        var cbs = new CallbackList(all, this, new Dictionary<string, object> { ["epochs"] = epochs, ["steps"] = steps, ["verbose"] = verbose });
        var empty = new Dictionary<string, float>();
        StopTraining = false;
        _fitTrainable = new TrainableSet(TrainableWeights);
        try
        {
            cbs.Each(c => c.OnTrainBegin(empty));
            if (TakeResumeEpoch() is int resumeAt) initialEpoch = resumeAt; // set by BackupAndRestore (Keras's _initial_epoch)
            var logs = new Dictionary<string, float>();
            for (int epoch = initialEpoch; epoch < epochs && !StopTraining; epoch++)
            {
                cbs.Each(c => c.OnEpochBegin(epoch, empty));
                onEpochBegin?.Invoke(epoch);
                ResetMetrics();
                for (int step = 0; step < steps && !StopTraining; step++)
                {
                    DataElement? batch = fetchInScope ? null : FetchBatch(nextBatch, step);
                    if (!fetchInScope && batch is null) break;
                    cbs.Each(c => c.OnTrainBatchBegin(step, empty));
                    using (TensorScope.Begin())
                    {
                        batch ??= nextBatch(step) ?? throw new InvalidOperationException($"No batch {step}.");
                        logs = new Dictionary<string, float>(TrainStep(batch));
                    }
                    var batchLogs = logs;
                    cbs.Each(c => c.OnTrainBatchEnd(step, batchLogs));
                }
                if (validate is not null && !StopTraining)
                    foreach (var (k, value) in validate(cbs)) logs["val_" + k] = value;
                onEpochEnd?.Invoke();
                var epochLogs = logs;
                cbs.Each(c => c.OnEpochEnd(epoch, epochLogs));
            }
            cbs.Each(c => c.OnTrainEnd(logs));
        }
        finally { _fitTrainable = null; }
        return history;
    }

    /// <summary>Pulls a batch from a pipeline outside any tensor scope and gradient tape, so that it may outlive the step.</summary>
    private static DataElement? FetchBatch(Func<int, DataElement?> nextBatch, int step)
    {
        using (TensorScope.Persistent())
        using (GradientTape.NoGradient())
            return nextBatch(step);
    }

    /// <summary>The trainable variables and their value tensors, gathered once per <c>Fit</c>.</summary>
    private sealed class TrainableSet(IReadOnlyList<Variable> variables)
    {
        public IReadOnlyList<Variable> Variables { get; } = variables;
        public Tensor[] Sources { get; } = variables.Select(v => v.Value).ToArray();
    }

    // ------------------------------------------------------------------ evaluate / predict

    /// <summary>Loss and metrics on the given data (Keras's <c>evaluate(..., return_dict=True)</c>).</summary>
    /// <param name="x">Inputs.</param>
    /// <param name="y">Targets.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="verbose">0 silent, otherwise a final progress line.</param>
    /// <param name="callbacks">Callbacks for the test events.</param>
    /// <param name="sampleWeight">Per-sample weights for the loss; optional.</param>
    public IReadOnlyDictionary<string, float> Evaluate(Tensor x, Tensor y, int batchSize = 32, int verbose = 1, IEnumerable<Callback>? callbacks = null, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        return Evaluate(new[] { x }, new[] { y }, batchSize, verbose, callbacks, sampleWeight);
    }

    /// <summary>Loss and metrics of a model with several inputs and/or outputs (one tensor per input, one target per output).</summary>
    public IReadOnlyDictionary<string, float> Evaluate(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> y, int batchSize = 32, int verbose = 1, IEnumerable<Callback>? callbacks = null, Tensor? sampleWeight = null)
    {
        RequireCompiled("evaluating the model");
        int n = CheckData(x, y, sampleWeight);
        if (batchSize <= 0) throw new ArgumentException($"batch_size must be a positive integer. Received: batch_size={batchSize}", nameof(batchSize));
        EnsureBuiltFor(x);
        var result = EvaluateArrays(x, y, sampleWeight, batchSize, callbacks);
        if (verbose > 0)
        {
            int steps = (n + batchSize - 1) / batchSize;
            new Progbar(steps, verbose: verbose).Update(steps, result, finalize: true);
        }
        return result;
    }

    private Dictionary<string, float> EvaluateArrays(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> y, Tensor? w, int batchSize, IEnumerable<Callback>? callbacks)
    {
        int samples = x[0].Shape[0], steps = (samples + batchSize - 1) / batchSize;
        return EvaluateSteps(steps, step =>
        {
            int start = step * batchSize, count = Math.Min(batchSize, samples - start);
            return new DataElement(x.Select(t => Ops.SliceRows(t, start, count)).ToArray(), y.Select(t => Ops.SliceRows(t, start, count)).ToArray(),
                w is null ? null : Ops.SliceRows(w, start, count));
        }, fetchInScope: true, callbacks);
    }

    /// <summary>
    /// Loss and metrics over up to <paramref name="steps"/> batches from <paramref name="getBatch"/> (null: the data
    /// ran out), each run by <see cref="TestStep"/>. <paramref name="fetchInScope"/>: fetch each batch inside the step's
    /// tensor scope (slices of the caller's tensors) or before it (batches a pipeline makes, which it may keep).
    /// </summary>
    private Dictionary<string, float> EvaluateSteps(int steps, Func<int, DataElement?> getBatch, bool fetchInScope, IEnumerable<Callback>? callbacks)
    {
        // Fit's own list (validation) keeps Fit's params; callbacks given to Evaluate get the evaluation's.
        var cbs = callbacks as CallbackList ?? new CallbackList(callbacks ?? Enumerable.Empty<Callback>(), this, new Dictionary<string, object> { ["steps"] = steps, ["verbose"] = 0 });
        var empty = new Dictionary<string, float>();
        cbs.Each(c => c.OnTestBegin(empty));
        ResetMetrics();
        var logs = new Dictionary<string, float>();
        for (int step = 0; step < steps; step++)
        {
            var fetched = fetchInScope ? null : FetchBatch(getBatch, step);
            if (!fetchInScope && fetched is null) break;
            cbs.Each(c => c.OnTestBatchBegin(step, empty));
            using (TensorScope.Begin())
            {
                var batch = fetched ?? getBatch(step) ?? throw new InvalidOperationException($"No batch {step}.");
                logs = new Dictionary<string, float>(TestStep(batch));
            }
            var l = logs;
            cbs.Each(c => c.OnTestBatchEnd(step, l));
        }
        if (logs.Count == 0) logs = Tracker.Logs();
        cbs.Each(c => c.OnTestEnd(logs));
        return logs;
    }

    /// <summary>Outputs for the inputs, computed in batches in inference mode (Keras's <c>predict</c>).</summary>
    public Tensor Predict(Tensor x, int batchSize = 32, int verbose = 0, IEnumerable<Callback>? callbacks = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank == 0) throw new ArgumentException("Predict needs inputs with a batch axis; got a scalar.", nameof(x));
        EnsureBuilt(x.Shape.ToArray());
        int samples = x.Shape[0], steps = (samples + batchSize - 1) / batchSize;
        var cbs = new CallbackList(callbacks ?? Enumerable.Empty<Callback>(), this, new Dictionary<string, object> { ["steps"] = steps, ["verbose"] = verbose });
        var empty = new Dictionary<string, float>();
        var bar = verbose > 0 ? new Progbar(steps, verbose: verbose) : null;
        cbs.Each(c => c.OnPredictBegin(empty));
        Tensor? result = null;
        using (GradientTape.NoGradient())
        {
            for (int step = 0; step < steps; step++)
            {
                cbs.Each(c => c.OnPredictBatchBegin(step, empty));
                using (TensorScope.Begin())
                {
                    int start = step * batchSize, count = Math.Min(batchSize, samples - start);
                    var yb = Call(Ops.SliceRows(x, start, count), training: false).Contiguous();
                    ClearLosses();   // activity losses of inference batches are not kept
                    if (result is null)
                        using (TensorScope.Persistent()) result = Tensor.Zeros(new[] { samples }.Concat(yb.Shape.Skip(1)).ToArray());
                    int row = yb.Size / Math.Max(count, 1);
                    yb.Span.CopyTo(result.Span.Slice(start * row, count * row));
                }
                cbs.Each(c => c.OnPredictBatchEnd(step, empty));
                bar?.Update(step + 1, empty);
            }
        }
        cbs.Each(c => c.OnPredictEnd(empty));
        return result ?? Tensor.Zeros(0);
    }

    /// <summary>One gradient update on one batch; returns the loss and metrics of that batch (Keras's <c>train_on_batch</c>).</summary>
    public IReadOnlyDictionary<string, float> TrainOnBatch(Tensor x, Tensor y, Tensor? sampleWeight = null)
        => TrainOnBatch(new[] { x ?? throw new ArgumentNullException(nameof(x)) }, new[] { y ?? throw new ArgumentNullException(nameof(y)) }, sampleWeight);

    /// <summary>One gradient update on one batch of a model with several inputs and/or outputs.</summary>
    public IReadOnlyDictionary<string, float> TrainOnBatch(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> y, Tensor? sampleWeight = null)
    {
        RequireCompiled("training the model");
        CheckData(x, y, sampleWeight);
        EnsureBuiltFor(x);
        ResetMetrics();
        using (TensorScope.Begin()) return new Dictionary<string, float>(TrainStep(new DataElement(x, y, sampleWeight)));
    }

    /// <summary>Loss and metrics on one batch without updating (Keras's <c>test_on_batch</c>).</summary>
    public IReadOnlyDictionary<string, float> TestOnBatch(Tensor x, Tensor y, Tensor? sampleWeight = null)
    {
        RequireCompiled("evaluating the model");
        CheckData(new[] { x }, new[] { y }, sampleWeight);
        EnsureBuilt(x.Shape.ToArray());
        return EvaluateArrays(new[] { x }, new[] { y }, sampleWeight, Math.Max(x.Shape[0], 1), null);
    }

    /// <summary>Outputs for one batch (Keras's <c>predict_on_batch</c>).</summary>
    public Tensor PredictOnBatch(Tensor x) => Predict(x, batchSize: Math.Max(x.Shape[0], 1));

    /// <summary>The model as a function: builds if needed, checks shapes and runs the forward pass.</summary>
    public Tensor Forward(Tensor x, bool training = false) => Apply(x, training);

    /// <summary>Prints (or passes to <paramref name="printFn"/>) Keras's summary table and returns it.</summary>
    public string Summary(Action<string>? printFn = null)
    {
        var text = Models.Summary.Format(this, Layers);
        (printFn ?? Console.WriteLine)(text);
        return text;
    }

    /// <summary>Builds a model with one input from the first batch's shape; a model with several inputs is built by construction.</summary>
    private void EnsureBuiltFor(IReadOnlyList<Tensor> x)
    {
        if (x.Count == 1) EnsureBuilt(x[0].Shape.ToArray());
        else if (!Built) throw new InvalidOperationException($"Model \"{Name}\" received {x.Count} inputs but is not built for several inputs.");
    }

    private static void CheckData(Tensor x, Tensor y, string what = "x and y") => CheckData(new[] { x }, new[] { y }, null, what);

    /// <summary>Checks that every tensor has a batch axis of the same size; returns that size.</summary>
    private static int CheckData(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor> y, Tensor? sampleWeight, string what = "x and y")
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count == 0) throw new ArgumentException($"{what}: no input tensors.");
        foreach (var t in x.Concat(y)) ArgumentNullException.ThrowIfNull(t, what);
        var all = x.Concat(y).Concat(sampleWeight is null ? Array.Empty<Tensor>() : new[] { sampleWeight }).ToList();
        if (all.Any(t => t.Rank == 0))
            throw new ArgumentException($"{what} need a batch axis; got shapes x: [{string.Join(", ", x.Select(t => t.ShapeString))}], y: [{string.Join(", ", y.Select(t => t.ShapeString))}].");
        int n = x[0].Shape[0];
        if (all.Any(t => t.Shape[0] != n))
            throw new ArgumentException($"Data cardinality is ambiguous ({what}): x sizes: {string.Join(", ", x.Select(t => t.Shape[0]))}, y sizes: {string.Join(", ", y.Select(t => t.Shape[0]))}" +
                (sampleWeight is null ? "" : $", sample_weight sizes: {sampleWeight.Shape[0]}") + ". Make sure all arrays contain the same number of samples.");
        return n;
    }

    /// <summary>
    /// Running loss, per-output losses and metric values over an epoch (or an evaluation), each batch weighted by its
    /// size (Keras's loss tracker).
    /// </summary>
    private sealed class EpochTracker
    {
        private readonly Model _model;
        private double _lossSum;
        private double[]? _outputLossSums;
        private long _count;
        private bool _metricsReset;

        public EpochTracker(Model model) => _model = model;

        public void Update(float loss, float[] perOutput, int count, IReadOnlyList<Tensor> y, IReadOnlyList<Tensor> yPred)
        {
            var specs = _model.OutputSpecs(yPred.Count, y.Count);
            if (!_metricsReset)
            {
                for (int i = 0; i < specs.Length; i++)
                {
                    var s = specs[i];
                    s.Metrics ??= s.MetricSpecs.Select(m => m is Metric metric ? metric : Metric.Get((string)m, y[i].Shape, yPred[i].Shape, s.Loss))
                        .Select(m => (specs.Length == 1 ? m.Name : $"{s.Name}_{m.Name}", m)).ToList();
                    foreach (var (_, m) in s.Metrics) m.ResetState();
                }
                _metricsReset = true;
            }
            _lossSum += (double)loss * count;
            _outputLossSums ??= new double[specs.Length];
            for (int i = 0; i < perOutput.Length; i++) _outputLossSums[i] += (double)perOutput[i] * count;
            _count += count;
            for (int i = 0; i < specs.Length; i++)
                foreach (var (_, m) in specs[i].Metrics!) m.UpdateState(y[i], yPred[i]);
        }

        public Dictionary<string, float> Logs()
        {
            var d = new Dictionary<string, float> { ["loss"] = _count == 0 ? 0f : (float)(_lossSum / _count) };
            var specs = _model._outputs;
            if (specs is null) return d;
            if (specs.Length > 1)
                for (int i = 0; i < specs.Length; i++)
                    if (specs[i].Loss is not null) d[$"{specs[i].Name}_loss"] = _count == 0 || _outputLossSums is null ? 0f : (float)(_outputLossSums[i] / _count);
            if (_metricsReset)
                foreach (var s in specs)
                    foreach (var (key, m) in s.Metrics!) d[key] = m.Result();
            return d;
        }
    }
}
