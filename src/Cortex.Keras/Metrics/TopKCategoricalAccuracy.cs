namespace Cortex.Keras.Metrics;

/// <summary>
/// How often the one-hot label's class is among the <c>k</c> highest predictions (Keras's
/// <c>TopKCategoricalAccuracy</c>, name <c>"top_k_categorical_accuracy"</c>), averaged over all samples seen. The target
/// class is argmax(y_true); as TensorFlow's <c>in_top_k</c>, predictions tied with the k-th largest all count as in.
/// </summary>
/// <param name="k">How many of the highest predictions to look at; positive.</param>
/// <param name="name">The metric's name.</param>
public sealed class TopKCategoricalAccuracy(int k = 5, string? name = "top_k_categorical_accuracy")
    : MeanMetricWrapper((t, p) => Compute(t, p, k), name ?? "top_k_categorical_accuracy")
{
    /// <summary>How many of the highest predictions count.</summary>
    public int K { get; } = k > 0 ? k : throw new ArgumentException($"k must be a positive integer. Received: k={k}", nameof(k));

    /// <summary>Keras's <c>top_k_categorical_accuracy</c>: 1 where argmax(y_true) is in the top k of y_pred, else 0.</summary>
    public static Tensor Compute(Tensor yTrue, Tensor yPred, int k = 5)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        var trueClass = Ops.ArgMax(yTrue, -1);
        return SparseTopKCategoricalAccuracy.TopK("top_k_categorical_accuracy", trueClass, yPred, k, yTrue);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["k"] = K;
        return c;
    }
}
