using Cortex.Autodiff;
using Cortex.Keras.Callbacks;
using Cortex.Keras.Layers;
using Cortex.Keras.Losses;
using Cortex.Keras.Metrics;
using Cortex.Keras.Optimizers;
using Cortex.Memory;

namespace Cortex.Keras.Models;

/// <summary>
/// A trainable stack of layers with Keras's training API: <see cref="Compile(Optimizer, Loss, IEnumerable{object}?)"/>,
/// <c>Fit</c>, <c>Evaluate</c>, <c>Predict</c> (on tensors or a <see cref="Utils.Sequence"/>) and the single-batch variants.
/// </summary>
/// <remarks>
/// <para>Each training step runs inside a <see cref="TensorScope"/>: its intermediate tensors come from a buffer pool
/// and go back when the step ends, so after the first step a step allocates no large buffers.</para>
/// <para>A loss that becomes NaN or infinite stops training at once (Keras's <c>TerminateOnNaN</c>, built in) with a
/// message naming the epoch and batch; <see cref="StopTraining"/> is then true and the history ends at that epoch.</para>
/// </remarks>
public abstract partial class Model : Layer
{
    private List<object> _metricSpecs = new();
    private List<Metric>? _metrics;

    /// <summary>Stores the model's name.</summary>
    protected Model(string? name) : base(name) { }

    /// <summary>The layers, in order.</summary>
    public abstract IReadOnlyList<Layer> Layers { get; }

    /// <summary>The optimizer given to Compile.</summary>
    public Optimizer? Optimizer { get; private set; }

    /// <summary>The loss given to Compile.</summary>
    public Loss? Loss { get; private set; }

    /// <summary>Set by a callback (or by a NaN loss) to end <c>Fit</c> after the current batch.</summary>
    public bool StopTraining { get; set; }

    /// <summary>The compiled metrics, resolved at the first batch (their names are the log keys).</summary>
    public IReadOnlyList<Metric> Metrics => _metrics ?? new List<Metric>();

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

    /// <summary>Configures training with objects.</summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="metrics">Metric objects or Keras metric names ("accuracy", "mae", ...).</param>
    public void Compile(Optimizer optimizer, Loss loss, IEnumerable<object>? metrics = null)
    {
        Optimizer = optimizer ?? throw new ArgumentNullException(nameof(optimizer));
        Loss = loss ?? throw new ArgumentNullException(nameof(loss));
        _metricSpecs = (metrics ?? Enumerable.Empty<object>()).ToList();
        foreach (var m in _metricSpecs)
            if (m is not string and not Metric) throw new ArgumentException($"metrics must be names or Metric objects; got {m?.GetType().Name ?? "null"}.", nameof(metrics));
        _metrics = null;
    }

    /// <summary>Configures training with Keras names, e.g. <c>Compile("rmsprop", "categorical_crossentropy", new[] { "accuracy" })</c>.</summary>
    public void Compile(string optimizer, string loss, IEnumerable<string>? metrics = null)
        => Compile(Optimizers.Optimizer.Get(optimizer), Losses.Loss.Get(loss), metrics?.Cast<object>());

    /// <summary>Configures training with an optimizer object and a loss name.</summary>
    public void Compile(Optimizer optimizer, string loss, IEnumerable<string>? metrics = null)
        => Compile(optimizer, Losses.Loss.Get(loss), metrics?.Cast<object>());

    private void RequireCompiled(string what)
    {
        if (Optimizer is null || Loss is null)
            throw new InvalidOperationException($"You must call Compile() before {what}.");
    }

    private List<Metric> ResolveMetrics(Tensor y, Tensor yPred)
    {
        if (_metrics is not null) return _metrics;
        _metrics = _metricSpecs.Select(m => m is Metric metric ? metric : Metric.Get((string)m, y.Shape, yPred.Shape, Loss)).ToList();
        return _metrics;
    }

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
    /// <returns>The history of the epochs' metrics.</returns>
    public History Fit(Tensor x, Tensor y, int batchSize = 32, int epochs = 1, int verbose = 1,
        IEnumerable<Callback>? callbacks = null, float validationSplit = 0f, (Tensor X, Tensor Y)? validationData = null,
        bool shuffle = true, int initialEpoch = 0)
    {
        RequireCompiled("training the model");
        CheckData(x, y);
        if (batchSize <= 0) throw new ArgumentException($"batch_size must be a positive integer. Received: batch_size={batchSize}", nameof(batchSize));
        if (epochs < 0) throw new ArgumentException($"epochs must be non-negative. Received: epochs={epochs}", nameof(epochs));
        if (!(validationSplit >= 0f && validationSplit < 1f)) throw new ArgumentException($"validation_split must be in [0, 1). Received: validation_split={validationSplit}", nameof(validationSplit));

        Tensor xTrain = x, yTrain = y;
        (Tensor X, Tensor Y)? val = validationData;
        if (val is null && validationSplit > 0f)
        {
            int n = x.Shape[0], split = (int)(n * (1f - validationSplit));
            if (split == 0 || split == n) throw new ArgumentException($"validation_split={validationSplit} leaves no training or no validation samples out of {n}.");
            xTrain = Ops.SliceRows(x, 0, split); yTrain = Ops.SliceRows(y, 0, split);
            val = (Ops.SliceRows(x, split, n - split), Ops.SliceRows(y, split, n - split));
        }
        if (val is { } v) CheckData(v.X, v.Y, "validation_data");
        EnsureBuilt(xTrain.Shape.ToArray());

        int samples = xTrain.Shape[0];
        int steps = (samples + batchSize - 1) / batchSize;
        var order = new int[samples];
        for (int i = 0; i < samples; i++) order[i] = i;
        var rng = RandomGenerator.Global;
        Func<Dictionary<string, float>>? validate = val is { } vd ? () => EvaluateCore(vd.X, vd.Y, batchSize, null) : null;
        return FitLoop(epochs, initialEpoch, verbose, callbacks, steps,
            onEpochBegin: _ => { if (shuffle) rng.Shuffle(order.AsSpan()); },
            trainStep: (step, tracker, trainable) =>
            {
                int start = step * batchSize, count = Math.Min(batchSize, samples - start);
                return TrainBatch(xTrain, yTrain, order.AsSpan(start, count), tracker, trainable);
            },
            validate: validate, onEpochEnd: null);
    }

    /// <summary>
    /// The epoch/batch machinery shared by every <c>Fit</c>: callbacks, History and progress bar, the NaN stop, the
    /// per-epoch validation. <paramref name="trainStep"/> trains on batch <c>step</c> and returns its loss.
    /// </summary>
    private History FitLoop(int epochs, int initialEpoch, int verbose, IEnumerable<Callback>? callbacks, int steps,
        Action<int>? onEpochBegin, Func<int, EpochTracker, TrainableSet, float> trainStep,
        Func<Dictionary<string, float>>? validate, Action? onEpochEnd)
    {
        var history = new History();
        var all = new List<Callback> { history };
        if (verbose > 0) all.Add(new ProgbarLogger());
        if (callbacks is not null) all.AddRange(callbacks);
        var cbs = new CallbackList(all, this, new Dictionary<string, object> { ["epochs"] = epochs, ["steps"] = steps, ["verbose"] = verbose });
        var empty = new Dictionary<string, float>();
        var trainable = new TrainableSet(TrainableWeights);
        StopTraining = false;

        cbs.Each(c => c.OnTrainBegin(empty));
        if (TakeResumeEpoch() is int resumeAt) initialEpoch = resumeAt; // set by BackupAndRestore (Keras's _initial_epoch)
        var logs = new Dictionary<string, float>();
        for (int epoch = initialEpoch; epoch < epochs && !StopTraining; epoch++)
        {
            cbs.Each(c => c.OnEpochBegin(epoch, empty));
            onEpochBegin?.Invoke(epoch);
            var tracker = new EpochTracker(this);
            for (int step = 0; step < steps && !StopTraining; step++)
            {
                cbs.Each(c => c.OnTrainBatchBegin(step, empty));
                float loss = trainStep(step, tracker, trainable);
                if (float.IsNaN(loss) || float.IsInfinity(loss))
                {
                    Console.Error.WriteLine($"Epoch {epoch + 1}, batch {step}: invalid loss ({loss}), terminating training.");
                    StopTraining = true;
                }
                logs = tracker.Logs();
                cbs.Each(c => c.OnTrainBatchEnd(step, logs));
            }
            logs = tracker.Logs();
            if (validate is not null && !StopTraining)
                foreach (var (k, value) in validate()) logs["val_" + k] = value;
            onEpochEnd?.Invoke();
            var epochLogs = logs;
            cbs.Each(c => c.OnEpochEnd(epoch, epochLogs));
        }
        cbs.Each(c => c.OnTrainEnd(logs));
        return history;
    }

    /// <summary>One gradient step on the rows <paramref name="rows"/> of x and y; returns the batch loss.</summary>
    private float TrainBatch(Tensor x, Tensor y, ReadOnlySpan<int> rows, EpochTracker tracker, TrainableSet trainable)
    {
        using var scope = TensorScope.Begin();
        var xb = Ops.TakeRows(x, rows);
        var yb = Ops.TakeRows(y, rows);
        return TrainOnBatchCore(xb, yb, tracker, trainable);
    }

    /// <summary>The trainable variables and their value tensors, gathered once per <c>Fit</c>.</summary>
    private sealed class TrainableSet(IReadOnlyList<Variable> variables)
    {
        public IReadOnlyList<Variable> Variables { get; } = variables;
        public Tensor[] Sources { get; } = variables.Select(v => v.Value).ToArray();
    }

    private float TrainOnBatchCore(Tensor xb, Tensor yb, EpochTracker tracker, TrainableSet trainable)
    {
        float lossValue;
        using (var tape = GradientTape.Begin())
        {
            var yPred = Call(xb, training: true);
            var loss = Loss!.Call(yb, yPred);
            lossValue = loss.Item();
            var grads = tape.Gradient(loss, trainable.Sources);
            Optimizer!.Apply(grads, trainable.Variables);
            using (GradientTape.NoGradient()) tracker.Update(lossValue, xb.Shape[0], yb, yPred);
        }
        return lossValue;
    }

    // ------------------------------------------------------------------ evaluate / predict

    /// <summary>Loss and metrics on the given data (Keras's <c>evaluate(..., return_dict=True)</c>).</summary>
    public IReadOnlyDictionary<string, float> Evaluate(Tensor x, Tensor y, int batchSize = 32, int verbose = 1, IEnumerable<Callback>? callbacks = null)
    {
        RequireCompiled("evaluating the model");
        CheckData(x, y);
        EnsureBuilt(x.Shape.ToArray());
        var result = EvaluateCore(x, y, batchSize, callbacks);
        if (verbose > 0)
        {
            int steps = (x.Shape[0] + batchSize - 1) / batchSize;
            new Progbar(steps, verbose: verbose).Update(steps, result, finalize: true);
        }
        return result;
    }

    private Dictionary<string, float> EvaluateCore(Tensor x, Tensor y, int batchSize, IEnumerable<Callback>? callbacks)
    {
        int samples = x.Shape[0], steps = (samples + batchSize - 1) / batchSize;
        return EvaluateSteps(steps, step =>
        {
            int start = step * batchSize, count = Math.Min(batchSize, samples - start);
            return (Ops.SliceRows(x, start, count), Ops.SliceRows(y, start, count));
        }, fetchInScope: true, callbacks);
    }

    /// <summary>
    /// Loss and metrics over <paramref name="steps"/> batches from <paramref name="getBatch"/>, in inference mode.
    /// <paramref name="fetchInScope"/>: fetch each batch inside the step's tensor scope (slices of the caller's tensors)
    /// or before it (batches a <see cref="Utils.Sequence"/> makes, which may be cached by it).
    /// </summary>
    private Dictionary<string, float> EvaluateSteps(int steps, Func<int, (Tensor X, Tensor Y)> getBatch, bool fetchInScope, IEnumerable<Callback>? callbacks)
    {
        var cbs = new CallbackList(callbacks ?? Enumerable.Empty<Callback>(), this, new Dictionary<string, object> { ["steps"] = steps, ["verbose"] = 0 });
        var empty = new Dictionary<string, float>();
        cbs.Each(c => c.OnTestBegin(empty));
        var tracker = new EpochTracker(this);
        using (GradientTape.NoGradient())
        {
            for (int step = 0; step < steps; step++)
            {
                cbs.Each(c => c.OnTestBatchBegin(step, empty));
                var fetched = fetchInScope ? default : getBatch(step);
                using (TensorScope.Begin())
                {
                    var (xb, yb) = fetchInScope ? getBatch(step) : fetched;
                    var yPred = Call(xb, training: false);
                    tracker.Update(Loss!.Call(yb, yPred).Item(), xb.Shape[0], yb, yPred);
                }
                var l = tracker.Logs();
                cbs.Each(c => c.OnTestBatchEnd(step, l));
            }
        }
        var logs = tracker.Logs();
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
    public IReadOnlyDictionary<string, float> TrainOnBatch(Tensor x, Tensor y)
    {
        RequireCompiled("training the model");
        CheckData(x, y);
        EnsureBuilt(x.Shape.ToArray());
        var tracker = new EpochTracker(this);
        using (TensorScope.Begin()) TrainOnBatchCore(x, y, tracker, new TrainableSet(TrainableWeights));
        return tracker.Logs();
    }

    /// <summary>Loss and metrics on one batch without updating (Keras's <c>test_on_batch</c>).</summary>
    public IReadOnlyDictionary<string, float> TestOnBatch(Tensor x, Tensor y)
    {
        RequireCompiled("evaluating the model");
        CheckData(x, y);
        EnsureBuilt(x.Shape.ToArray());
        return EvaluateCore(x, y, Math.Max(x.Shape[0], 1), null);
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

    private void CheckData(Tensor x, Tensor y, string what = "x and y")
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank == 0 || y.Rank == 0) throw new ArgumentException($"{what} need a batch axis; got shapes {x.ShapeString} and {y.ShapeString}.");
        if (x.Shape[0] != y.Shape[0])
            throw new ArgumentException($"Data cardinality is ambiguous ({what}): x sizes: {x.Shape[0]}, y sizes: {y.Shape[0]}. Make sure all arrays contain the same number of samples.");
    }

    /// <summary>Running loss and metric values over an epoch (or an evaluation), weighted by batch size.</summary>
    private sealed class EpochTracker
    {
        private readonly Model _model;
        private double _lossSum;
        private long _count;
        private List<Metric>? _metrics;

        public EpochTracker(Model model) => _model = model;

        public void Update(float loss, int count, Tensor y, Tensor yPred)
        {
            if (_metrics is null)
            {
                _metrics = _model.ResolveMetrics(y, yPred);
                foreach (var m in _metrics) m.ResetState();
            }
            _lossSum += (double)loss * count;
            _count += count;
            foreach (var m in _metrics) m.UpdateState(y, yPred);
        }

        public Dictionary<string, float> Logs()
        {
            var d = new Dictionary<string, float> { ["loss"] = _count == 0 ? 0f : (float)(_lossSum / _count) };
            if (_metrics is not null) foreach (var m in _metrics) d[m.Name] = m.Result();
            return d;
        }
    }
}
