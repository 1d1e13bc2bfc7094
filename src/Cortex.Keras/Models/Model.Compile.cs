using Cortex.Keras.Losses;
using Cortex.Keras.Metrics;
using Cortex.Keras.Optimizers;

namespace Cortex.Keras.Models;

/// <summary>Compile for models with several outputs, and the loss Keras 3's <c>compute_loss</c> computes.</summary>
public abstract partial class Model
{
    /// <summary>What Compile configured for one output: its loss (or none), loss weight and metrics.</summary>
    private sealed class OutputSpec(string name, Loss? loss, float weight, List<object> metricSpecs)
    {
        public string Name { get; } = name;
        public Loss? Loss { get; } = loss;
        public float Weight { get; } = weight;
        public List<object> MetricSpecs { get; } = metricSpecs;
        /// <summary>The metrics, resolved from the shapes of the first batch, with their log keys.</summary>
        public List<(string Key, Metric Metric)>? Metrics { get; set; }
    }

    private OutputSpec[]? _outputs;

    /// <summary>
    /// The names of the model's outputs, used for per-output losses and metrics in Compile and for the log keys
    /// ("&lt;name&gt;_loss", "&lt;name&gt;_accuracy"): the layers that produce the outputs (Keras's <c>output_names</c>).
    /// </summary>
    public virtual IReadOnlyList<string> OutputNames => new[] { Layers.Count > 0 ? Layers[^1].Name : Name };

    /// <summary>The names of the model's inputs (the input layers' names), used by the dictionary forms of Fit.</summary>
    public virtual IReadOnlyList<string> InputNames => new[] { Layers.Count > 0 ? Layers[0].Name : Name };

    /// <summary>The loss of each output (null where an output has none), once compiled.</summary>
    public IReadOnlyList<Loss?> OutputLosses => _outputs?.Select(o => o.Loss).ToList() ?? new List<Loss?>();

    /// <summary>The weight of each output's loss in the total, once compiled (1 unless given).</summary>
    public IReadOnlyList<float> LossWeights => _outputs?.Select(o => o.Weight).ToList() ?? new List<float>();

    /// <summary>
    /// Configures training for a model with several outputs (Keras's <c>compile(loss=[...], loss_weights=[...],
    /// metrics=[[...], [...]])</c>). The loss minimised is Σ lossWeights[i] · losses[i](y[i], ŷ[i]).
    /// </summary>
    /// <param name="optimizer">The optimizer.</param>
    /// <param name="losses">One loss per output, in <see cref="OutputNames"/> order: a <see cref="Loss"/>, a Keras loss
    /// name, or null for an output that is not trained. A list of one loss applies it to every output.</param>
    /// <param name="lossWeights">One weight per output; null: all 1.</param>
    /// <param name="metrics">One list of metrics (objects or names) per output, or null.</param>
    /// <exception cref="ArgumentException">A list's length is not the number of outputs, or an entry is not a loss.</exception>
    public void Compile(Optimizer optimizer, IReadOnlyList<object?> losses, IReadOnlyList<float>? lossWeights = null,
        IReadOnlyList<IEnumerable<object>?>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(losses);
        var names = OutputNames;
        if (losses.Count != names.Count && losses.Count != 1)
            throw new ArgumentException($"For a model with multiple outputs, when providing the `loss` argument as a list, it should have as many entries as the model has outputs. Received: loss=[{string.Join(", ", losses)}] of length {losses.Count}, model outputs: [{string.Join(", ", names)}]", nameof(losses));
        if (lossWeights is not null && lossWeights.Count != names.Count)
            throw new ArgumentException($"For a model with multiple outputs, when providing the `loss_weights` argument as a list, it should have as many entries as the model has outputs. Received: loss_weights=[{string.Join(", ", lossWeights)}] of length {lossWeights.Count}, model outputs: {names.Count}", nameof(lossWeights));
        if (metrics is not null && metrics.Count != names.Count)
            throw new ArgumentException($"For a model with multiple outputs, when providing the `metrics` argument as a list of lists, it should have as many entries as the model has outputs. Received: {metrics.Count} lists, model outputs: {names.Count}", nameof(metrics));
        var specs = new OutputSpec[names.Count];
        for (int i = 0; i < specs.Length; i++)
            specs[i] = new OutputSpec(names[i], ResolveLoss(losses.Count == 1 ? losses[0] : losses[i], names[i]), lossWeights?[i] ?? 1f, MetricList(metrics?[i]));
        SetCompiled(optimizer, specs);
    }

    /// <summary>
    /// Configures training with losses, loss weights and metrics given by output name (Keras's
    /// <c>compile(loss={"main_output": ..., "aux_output": ...})</c>). An output missing from
    /// <paramref name="losses"/> is not trained.
    /// </summary>
    /// <exception cref="ArgumentException">A key is not one of <see cref="OutputNames"/>.</exception>
    public void Compile(Optimizer optimizer, IReadOnlyDictionary<string, object> losses, IReadOnlyDictionary<string, float>? lossWeights = null,
        IReadOnlyDictionary<string, IEnumerable<object>>? metrics = null)
    {
        ArgumentNullException.ThrowIfNull(losses);
        var names = OutputNames;
        CheckKeys(losses.Keys, "loss");
        if (lossWeights is not null) CheckKeys(lossWeights.Keys, "loss_weights");
        if (metrics is not null) CheckKeys(metrics.Keys, "metrics");
        var specs = names.Select(n => new OutputSpec(n, losses.TryGetValue(n, out var l) ? ResolveLoss(l, n) : null,
            lossWeights is not null && lossWeights.TryGetValue(n, out var w) ? w : 1f,
            MetricList(metrics is not null && metrics.TryGetValue(n, out var m) ? m : null))).ToArray();
        SetCompiled(optimizer, specs);

        void CheckKeys(IEnumerable<string> keys, string argument)
        {
            foreach (var k in keys)
                if (!names.Contains(k))
                    throw new ArgumentException($"In the dict argument `{argument}`, key '{k}' does not correspond to any model output. Received: {argument} keys [{string.Join(", ", keys)}], model outputs: [{string.Join(", ", names)}]", argument == "loss" ? nameof(losses) : argument == "loss_weights" ? nameof(lossWeights) : nameof(metrics));
        }
    }

    /// <summary>
    /// Configures only the optimizer, for a model whose <see cref="TrainStep"/> computes its own loss (Keras's
    /// <c>compile(optimizer)</c> with a custom <c>train_step</c>). The default step then raises "No loss to compute".
    /// </summary>
    public void Compile(Optimizer optimizer) => SetCompiled(optimizer, OutputNames.Select(n => new OutputSpec(n, null, 1f, new List<object>())).ToArray());

    private void SetCompiled(Optimizer optimizer, OutputSpec[] specs)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        // A metric object keeps state: one instance serving two outputs would mix their values.
        var shared = specs.SelectMany(s => s.MetricSpecs.OfType<Metric>().Distinct().Select(m => (s.Name, m))).GroupBy(p => p.m).FirstOrDefault(g => g.Count() > 1);
        if (shared is not null)
            throw new ArgumentException($"The metric object '{shared.Key.Name}' is given for several outputs ([{string.Join(", ", shared.Select(p => p.Name))}]); a metric keeps state, so pass a name (\"{shared.Key.Name}\") or one object per output.", "metrics");
        Optimizer = optimizer;
        _outputs = specs;
        Loss = specs.Length == 1 ? specs[0].Loss : null;
        _tracker = null;
    }

    private static Loss? ResolveLoss(object? spec, string output) => spec switch
    {
        null => null,
        Loss l => l,
        string s => Cortex.Keras.Losses.Loss.Get(s),
        _ => throw new ArgumentException($"The loss for output \"{output}\" must be a Loss or a loss name; got {spec.GetType().Name}."),
    };

    private static List<object> MetricList(IEnumerable<object>? metrics)
    {
        var list = (metrics ?? Enumerable.Empty<object>()).ToList();
        foreach (var m in list)
            if (m is not string and not Metric) throw new ArgumentException($"metrics must be names or Metric objects; got {m?.GetType().Name ?? "null"}.", nameof(metrics));
        return list;
    }

    private void RequireCompiled(string what)
    {
        if (Optimizer is null || _outputs is null)
            throw new InvalidOperationException($"You must call Compile() before {what}.");
    }

    /// <summary>The compiled outputs, checked against the number of outputs and targets of a batch.</summary>
    private OutputSpec[] OutputSpecs(int outputs, int targets)
    {
        var specs = _outputs ?? throw new InvalidOperationException("You must call Compile() before using the model.");
        if (outputs != specs.Length)
            throw new InvalidOperationException($"Model \"{Name}\" was compiled for {specs.Length} output(s) but produced {outputs}.");
        if (targets != specs.Length)
            throw new ArgumentException($"Model \"{Name}\" has {specs.Length} output(s) ([{string.Join(", ", specs.Select(s => s.Name))}]) but the data has {targets} target tensor(s). Pass one target per output.");
        return specs;
    }

    /// <summary>
    /// The total loss of a batch, as Keras 3's <c>compute_loss</c>: Σ weight_i · loss_i(y_i, ŷ_i, sample_weight, mask_i)
    /// over the outputs that have a loss. A sample weight and an output's mask weight the per-sample (per-step) losses
    /// before the loss's reduction (<see cref="WeightedLoss"/>).
    /// </summary>
    /// <param name="y">Targets, one per output.</param>
    /// <param name="yPred">Predictions, one per output (differentiable).</param>
    /// <param name="sampleWeight">Per-sample weights (batch,), applied to every output; optional.</param>
    /// <param name="masks">The outputs' masks (see <see cref="CallWithMasks"/>); optional.</param>
    /// <exception cref="InvalidOperationException">No output has a loss ("No loss to compute").</exception>
    public Tensor ComputeLoss(IReadOnlyList<Tensor> y, IReadOnlyList<Tensor> yPred, Tensor? sampleWeight = null, IReadOnlyList<Tensor?>? masks = null)
        => ComputeLossCore(y, yPred, masks, sampleWeight, null);

    private Tensor ComputeLossCore(IReadOnlyList<Tensor> y, IReadOnlyList<Tensor> yPred, IReadOnlyList<Tensor?>? masks, Tensor? sampleWeight, float[]? perOutput)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(yPred);
        var specs = OutputSpecs(yPred.Count, y.Count);
        Tensor? total = null;
        for (int i = 0; i < specs.Length; i++)
        {
            if (specs[i].Loss is not { } loss) continue;
            var value = WeightedLoss(loss, y[i], yPred[i], sampleWeight, masks?[i]);
            if (specs[i].Weight != 1f) value = Ops.MultiplyScalar(value, specs[i].Weight);
            if (perOutput is not null) perOutput[i] = value.Item();
            total = total is null ? value : Ops.Add(total, value);
        }
        return total ?? throw new InvalidOperationException("No loss to compute. Provide a `loss` argument in `compile()`.");
    }

    /// <summary>
    /// A loss with per-sample weights and a mask, as Keras 3's <c>Loss.__call__</c> / <c>reduce_weighted_values</c>:
    /// the per-sample values l (the loss's <see cref="Loss.Compute"/>) are multiplied by w, then reduced:
    /// "sum_over_batch_size" and "mean" give Σ w·l / (number of values), "sum" Σ w·l, "mean_with_sample_weight"
    /// Σ w·l / Σ w. A mask (1 keep, 0 drop) enters w scaled by total / (valid + ε), so that a mean reduction averages
    /// over the unmasked values only. A sample weight of lower rank than l (a weight per sample for a per-timestep
    /// loss) applies to all of that sample's values. Without weight or mask this is <see cref="Loss.Call"/>.
    /// </summary>
    public static Tensor WeightedLoss(Loss loss, Tensor yTrue, Tensor yPred, Tensor? sampleWeight = null, Tensor? mask = null)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (sampleWeight is null && mask is null) return loss.Call(yTrue, yPred);
        var values = loss.Compute(yTrue, yPred);
        var w = sampleWeight is null ? null : Broadcastable(sampleWeight, values, "sample_weight");
        if (mask is not null)
        {
            var m = Broadcastable(mask, values, "mask");
            if (loss.Reduction is "sum_over_batch_size" or "mean")
            {
                float total = m.Size, valid = m.Contiguous().Span.ToArray().Sum();
                m = Ops.MultiplyScalar(m, total / (valid + Backend.Epsilon));
            }
            w = w is null ? m : Ops.Multiply(w, m);
        }
        var weighted = Ops.Multiply(values, w!);
        if (weighted.Size != values.Size)
            throw new ArgumentException($"{loss.Name}: sample weights or mask of shape {w!.ShapeString} do not fit per-sample losses of shape {values.ShapeString}.");
        return loss.Reduction switch
        {
            "none" => weighted,
            "sum" => Ops.Sum(weighted),
            "mean_with_sample_weight" => Ops.Divide(Ops.Sum(weighted), Ops.Maximum(Ops.Sum(Ops.BroadcastTo(w!, values.Shape.ToArray())), Tensor.Scalar(Backend.Epsilon))),
            _ => values.Size == 0 ? Ops.MultiplyScalar(Ops.Sum(weighted), 0f) : Ops.Divide(Ops.Sum(weighted), Tensor.Scalar(values.Size)),
        };
    }

    /// <summary>
    /// Keras's <c>squeeze_or_expand_to_same_rank</c> for a weight against per-sample values, plus trailing axes of size 1
    /// for a weight of lower rank, so that it broadcasts over the values' trailing axes.
    /// </summary>
    private static Tensor Broadcastable(Tensor w, Tensor values, string what)
    {
        if (w.Rank == values.Rank + 1 && w.Shape[^1] == 1) w = Ops.Reshape(w, w.Shape.Take(w.Rank - 1).ToArray());
        if (w.Rank > values.Rank || (w.Rank > 0 && values.Rank > 0 && w.Shape[0] != values.Shape[0]))
            throw new ArgumentException($"{what} of shape {w.ShapeString} does not match per-sample losses of shape {values.ShapeString}.");
        if (w.Rank < values.Rank) w = Ops.Reshape(w, w.Shape.Concat(Enumerable.Repeat(1, values.Rank - w.Rank)).ToArray());
        return w;
    }

    /// <summary>
    /// Per-sample weights from class weights, as Keras's <c>class_weight_to_sample_weights</c>: the class of a sample is
    /// the argmax of a one-hot (or probability) row, or the (rounded) integer label; classes missing from
    /// <paramref name="classWeight"/> weigh 1.
    /// </summary>
    /// <param name="y">Targets: (n, classes) one-hot, (n,) or (n, 1) integer labels.</param>
    /// <param name="classWeight">Class index → weight.</param>
    public static Tensor ClassWeightsToSampleWeights(Tensor y, IReadOnlyDictionary<int, float> classWeight)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(classWeight);
        if (y.Rank == 0) throw new ArgumentException("class_weight needs targets with a batch axis; got a scalar.", nameof(y));
        if (y.Rank > 2) throw new ArgumentException($"`class_weight` not supported for 3+ dimensional targets. Received: y.shape={y.ShapeString}", nameof(y));
        int n = y.Shape[0];
        var labels = y.Rank > 1 && y.Shape[^1] != 1 ? Ops.ArgMax(y) : Ops.Reshape(y, n);
        var l = labels.Contiguous().Span;
        var w = new float[n];
        for (int i = 0; i < n; i++) w[i] = classWeight.TryGetValue((int)MathF.Round(l[i]), out var cw) ? cw : 1f;
        return Tensor.Wrap(w, n);
    }
}
