namespace Cortex.Keras.Metrics;

/// <summary>
/// How often the integer label is among the <c>k</c> highest predictions (Keras's <c>SparseTopKCategoricalAccuracy</c>,
/// name <c>"sparse_top_k_categorical_accuracy"</c>), averaged over all samples seen. Labels are class indices shaped
/// (n,) or (n, 1) for y_pred (n, classes); as TensorFlow's <c>in_top_k</c>, predictions tied with the k-th largest all
/// count as in.
/// </summary>
/// <param name="k">How many of the highest predictions to look at; positive.</param>
/// <param name="name">The metric's name.</param>
public sealed class SparseTopKCategoricalAccuracy(int k = 5, string? name = "sparse_top_k_categorical_accuracy")
    : MeanMetricWrapper((t, p) => Compute(t, p, k), name ?? "sparse_top_k_categorical_accuracy")
{
    /// <summary>How many of the highest predictions count.</summary>
    public int K { get; } = k > 0 ? k : throw new ArgumentException($"k must be a positive integer. Received: k={k}", nameof(k));

    /// <summary>Keras's <c>sparse_top_k_categorical_accuracy</c>: 1 where the label is in the top k of y_pred, else 0.</summary>
    public static Tensor Compute(Tensor yTrue, Tensor yPred, int k = 5)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        return TopK("sparse_top_k_categorical_accuracy", yTrue, yPred, k, yTrue);
    }

    /// <summary>
    /// The shared body of the two top-k metrics: <paramref name="targets"/> (class indices) are flattened, y_pred is read
    /// as rows of its last axis, and the matches come back in the targets' shape.
    /// </summary>
    internal static Tensor TopK(string function, Tensor targets, Tensor yPred, int k, Tensor yTrue)
    {
        if (yPred.Rank == 0)
            throw new ArgumentException($"{function}: y_pred must have a class axis. Received: y_true.shape={yTrue.ShapeString}, y_pred.shape={yPred.ShapeString}");
        int classes = yPred.Shape[^1];
        int rows = classes == 0 ? 0 : yPred.Size / classes;
        if (targets.Size != rows)
            throw new ArgumentException($"{function}: y_true must give one class per row of y_pred. Received: y_true.shape={yTrue.ShapeString}, y_pred.shape={yPred.ShapeString}");
        var matches = Metric.InTopK(targets.ToArray(), yPred.Contiguous().Span, classes, k);
        return Tensor.FromArray(matches, targets.Shape.ToArray());
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["k"] = K;
        return c;
    }
}
