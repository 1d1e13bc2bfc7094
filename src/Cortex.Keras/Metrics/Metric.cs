using Cortex.Keras.Losses;
using Cortex.Keras.Utils;

namespace Cortex.Keras.Metrics;

/// <summary>
/// The base class of Keras's metrics (<c>keras.metrics.Metric</c>): a stateful value accumulated batch after batch
/// (<see cref="UpdateState"/>), read with <see cref="Result"/> and cleared with <see cref="ResetState"/>.
/// </summary>
/// <remarks>
/// Metrics never record on the gradient tape (they compute inside <see cref="Autodiff.GradientTape.NoGradient"/>) and
/// accumulate in double precision. <see cref="Get"/> resolves the names given to <c>Model.Compile</c>, including
/// "accuracy", which Keras 3 turns into the binary, sparse categorical or categorical accuracy from the shapes of the
/// targets and predictions.
/// </remarks>
public abstract class Metric
{
    /// <summary>Builds a metric from its Keras name and the shapes of the first batch.</summary>
    private delegate Metric Factory(string name, IReadOnlyList<int> yTrueShape, IReadOnlyList<int> yPredShape);

    private static readonly NameRegistry<Factory> Registry = new NameRegistry<Factory>("metric")
        .Add(() => ResolveAccuracy, "accuracy", "acc")
        .Add(() => (n, _, _) => new BinaryAccuracy(n), "binary_accuracy", "BinaryAccuracy")
        .Add(() => (n, _, _) => new CategoricalAccuracy(n), "categorical_accuracy", "CategoricalAccuracy")
        .Add(() => (n, _, _) => new SparseCategoricalAccuracy(n), "sparse_categorical_accuracy", "SparseCategoricalAccuracy")
        .Add(() => (n, _, _) => new TopKCategoricalAccuracy(name: n), "top_k_categorical_accuracy", "TopKCategoricalAccuracy")
        .Add(() => (n, _, _) => new SparseTopKCategoricalAccuracy(name: n), "sparse_top_k_categorical_accuracy", "SparseTopKCategoricalAccuracy")
        .Add(() => (n, _, _) => new MeanSquaredError(n), "mean_squared_error", "mse", "MeanSquaredError")
        .Add(() => (n, _, _) => new MeanAbsoluteError(n), "mean_absolute_error", "mae", "MeanAbsoluteError")
        .Add(() => (n, _, _) => new Precision(name: n), "precision", "Precision")
        .Add(() => (n, _, _) => new Recall(name: n), "recall", "Recall")
        .Add(() => (n, _, _) => new AUC(name: n), "auc", "AUC")
        .Add(() => (n, _, _) => new F1Score(name: n), "f1_score", "F1Score")
        .Add(() => (n, _, _) => new FBetaScore(name: n), "fbeta_score", "f_beta_score", "FBetaScore")
        .Add(() => (n, _, _) => new TruePositives(name: n), "true_positives", "TruePositives")
        .Add(() => (n, _, _) => new FalsePositives(name: n), "false_positives", "FalsePositives")
        .Add(() => (n, _, _) => new TrueNegatives(name: n), "true_negatives", "TrueNegatives")
        .Add(() => (n, _, _) => new FalseNegatives(name: n), "false_negatives", "FalseNegatives")
        // Keras's probabilistic, hinge and regression metrics are its loss functions averaged over the samples seen.
        .Add(() => LossMetric(() => new BinaryCrossentropy()), "binary_crossentropy", "bce", "BinaryCrossentropy")
        .Add(() => LossMetric(() => new CategoricalCrossentropy()), "categorical_crossentropy", "CategoricalCrossentropy")
        .Add(() => LossMetric(() => new SparseCategoricalCrossentropy()), "sparse_categorical_crossentropy", "SparseCategoricalCrossentropy")
        .Add(() => LossMetric(() => new KLDivergence()), "kl_divergence", "KLDivergence")
        .Add(() => LossMetric(() => new Poisson()), "poisson", "Poisson")
        .Add(() => LossMetric(() => new Hinge()), "hinge", "Hinge")
        .Add(() => LossMetric(() => new SquaredHinge()), "squared_hinge", "SquaredHinge")
        .Add(() => LossMetric(() => new CategoricalHinge()), "categorical_hinge", "CategoricalHinge")
        .Add(() => LossMetric(() => new MeanAbsolutePercentageError()), "mean_absolute_percentage_error", "mape", "MeanAbsolutePercentageError")
        .Add(() => LossMetric(() => new MeanSquaredLogarithmicError()), "mean_squared_logarithmic_error", "msle", "MeanSquaredLogarithmicError");

    /// <summary>Stores the name.</summary>
    /// <param name="name">The metric's name (<paramref name="defaultName"/> when null or empty).</param>
    /// <param name="defaultName">Keras's name for the class.</param>
    protected Metric(string? name, string defaultName) => Name = string.IsNullOrEmpty(name) ? defaultName : name;

    /// <summary>The metric's name: the key of its value in the training logs (e.g. <c>"accuracy"</c>, <c>"val_accuracy"</c>).</summary>
    public string Name { get; }

    /// <summary>Accumulates the metric over one batch.</summary>
    /// <param name="yTrue">The batch's targets.</param>
    /// <param name="yPred">The batch's predictions.</param>
    public abstract void UpdateState(Tensor yTrue, Tensor yPred);

    /// <summary>
    /// Accumulates the metric over one batch, each sample (or element) weighted by <paramref name="sampleWeight"/>
    /// (Keras's <c>update_state(y_true, y_pred, sample_weight)</c>); null weighs every sample 1.
    /// </summary>
    /// <param name="yTrue">The batch's targets.</param>
    /// <param name="yPred">The batch's predictions.</param>
    /// <param name="sampleWeight">A scalar, one weight per sample (shape (batch,) or (batch, 1)), or, where the metric
    /// says so, one per element; null for none.</param>
    /// <exception cref="NotSupportedException">A weight was given to a metric that does not take weights.</exception>
    public virtual void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        if (sampleWeight is not null)
            throw new NotSupportedException($"Metric '{Name}' ({GetType().Name}) does not take a sample_weight.");
        UpdateState(yTrue, yPred);
    }

    /// <summary>The metric's value over everything accumulated since the last reset (0 before any update).</summary>
    /// <exception cref="InvalidOperationException">The metric has several values (e.g. one per threshold or per class):
    /// read <see cref="ResultVector"/>.</exception>
    public abstract float Result();

    /// <summary>
    /// Every value of the metric: one per threshold (Precision/Recall/TruePositives... with several thresholds), one per
    /// class (F1Score without averaging), or the single <see cref="Result"/>.
    /// </summary>
    public virtual float[] ResultVector() => new[] { Result() };

    /// <summary>The error <see cref="Result"/> raises for a metric with <paramref name="count"/> values.</summary>
    protected InvalidOperationException SeveralValues(int count, string why)
        => new($"Metric '{Name}' has {count} values ({why}); read ResultVector(), or configure it to give one value.");

    /// <summary>Forgets everything accumulated.</summary>
    public abstract void ResetState();

    /// <summary>Keras's configuration: the name, dtype and constructor arguments.</summary>
    public virtual Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["dtype"] = "float32" };

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name}(name={Name})";

    /// <summary>The names <see cref="Get"/> knows.</summary>
    public static IReadOnlyList<string> Names => Registry.Names;

    /// <summary>
    /// A new metric for a name given to <c>compile</c>, as Keras 3's <c>compile_utils.get_metric</c> resolves it, named as
    /// written (so <c>"acc"</c> logs as "acc", <c>"mse"</c> as "mse").
    /// </summary>
    /// <remarks>
    /// <c>"accuracy"</c> and <c>"acc"</c> (any case) become, from the shapes of the targets and predictions:
    /// <see cref="BinaryAccuracy"/> when y_pred's last dimension is 1; else <see cref="SparseCategoricalAccuracy"/> when
    /// y_true has a lower rank than y_pred, or y_true's last dimension is 1 while y_pred's is greater; else
    /// <see cref="CategoricalAccuracy"/>.
    /// </remarks>
    /// <param name="name">A Keras metric name or alias (case-insensitive).</param>
    /// <param name="yTrueShape">The shape of a batch of targets.</param>
    /// <param name="yPredShape">The shape of a batch of predictions.</param>
    /// <param name="loss">The compiled loss. Keras 3 resolves metrics from the shapes alone, so it does not change the
    /// result; it is accepted so that callers can pass what Keras 2 used.</param>
    /// <exception cref="ArgumentException">Unknown name (the message lists the valid ones), or shapes that cannot be resolved.</exception>
    public static Metric Get(string name, IReadOnlyList<int> yTrueShape, IReadOnlyList<int> yPredShape, Loss? loss = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(yTrueShape);
        ArgumentNullException.ThrowIfNull(yPredShape);
        _ = loss;
        return Registry.Get(name)(name, yTrueShape, yPredShape);
    }

    /// <summary>Keras 3's <c>is_binary_or_sparse_categorical</c> and the accuracy it selects.</summary>
    private static Metric ResolveAccuracy(string name, IReadOnlyList<int> yTrueShape, IReadOnlyList<int> yPredShape)
    {
        if (yTrueShape.Count == 0 || yPredShape.Count == 0)
            throw new ArgumentException(
                $"Cannot resolve metric '{name}' for scalar targets or predictions. Received: y_true.shape={TensorShape.Format(yTrueShape.ToArray())}, y_pred.shape={TensorShape.Format(yPredShape.ToArray())}");
        int trueLast = yTrueShape[^1], predLast = yPredShape[^1];
        bool isBinary = predLast == 1;
        bool isSparse = yTrueShape.Count < yPredShape.Count || (trueLast == 1 && predLast > 1);
        if (isBinary) return new BinaryAccuracy(name);
        if (isSparse) return new SparseCategoricalAccuracy(name);
        return new CategoricalAccuracy(name);
    }

    private static Factory LossMetric(Func<Loss> create) => (n, _, _) => new MeanMetricWrapper(create().Compute, n);

    // ---------------------------------------------------------------- helpers for the metric functions

    /// <summary>Drops the last axis (of size 1).</summary>
    internal static Tensor SqueezeLast(Tensor x) => Ops.Reshape(x, x.Shape.Take(x.Rank - 1).ToArray());

    /// <summary>Throws an <see cref="ArgumentException"/> naming the function and the original shapes unless a and b have one shape.</summary>
    internal static void RequireSameShape(string function, Tensor a, Tensor b, Tensor yTrue, Tensor yPred, string what = "y_true and y_pred must have compatible shapes")
    {
        if (!a.Shape.SequenceEqual(b.Shape))
            throw new ArgumentException($"{function}: {what}. Received: y_true.shape={yTrue.ShapeString}, y_pred.shape={yPred.ShapeString}");
    }

    /// <summary>
    /// TensorFlow's <c>in_top_k</c>: whether each row's target class is among the k largest predictions of that row, ties
    /// at the boundary counting as in (fewer than k predictions strictly greater than the target's). A target out of
    /// range or a non-finite target prediction counts as out.
    /// </summary>
    internal static float[] InTopK(float[] targets, ReadOnlySpan<float> predictions, int classes, int k)
    {
        var result = new float[targets.Length];
        for (int r = 0; r < targets.Length; r++)
        {
            int c = (int)targets[r];   // Keras casts the targets to int32
            if (float.IsNaN(targets[r]) || c < 0 || c >= classes) continue;
            var row = predictions.Slice(r * classes, classes);
            float target = row[c];
            if (!float.IsFinite(target)) continue;
            int greater = 0;
            foreach (var v in row) if (v > target) greater++;
            result[r] = greater < k ? 1f : 0f;
        }
        return result;
    }
}
