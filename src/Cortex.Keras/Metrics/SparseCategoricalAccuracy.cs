namespace Cortex.Keras.Metrics;

/// <summary>
/// How often the predicted class matches an integer label (Keras's <c>SparseCategoricalAccuracy</c>, name
/// <c>"sparse_categorical_accuracy"</c>): per sample, <c>y_true == argmax(y_pred)</c> over the last axis (the first index
/// wins a tie), averaged over all samples seen. Labels are class indices shaped (n,) or (n, 1) for y_pred (n, classes);
/// a label that is not a whole number never matches.
/// </summary>
/// <param name="name">The metric's name.</param>
public sealed class SparseCategoricalAccuracy(string? name = "sparse_categorical_accuracy")
    : MeanMetricWrapper(Compute, name ?? "sparse_categorical_accuracy")
{
    /// <summary>Keras's <c>sparse_categorical_accuracy</c>: 1 where the label equals the arg-max of y_pred, else 0.</summary>
    public static Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        var labels = yTrue;
        var originalShape = yTrue.Shape.ToArray();
        bool reshape = false;
        if (labels.Rank == yPred.Rank && labels.Rank > 0 && labels.Shape[^1] == 1) { labels = SqueezeLast(labels); reshape = true; }
        var predClass = Ops.ArgMax(yPred, -1);
        RequireSameShape("sparse_categorical_accuracy", labels, predClass, yTrue, yPred,
            "y_true must hold one class index per row of y_pred");
        var matches = Ops.Equal(labels, predClass);
        if (reshape) matches = Ops.Reshape(matches, originalShape);
        if (matches.Rank > 1 && matches.Shape[^1] == 1) matches = SqueezeLast(matches);
        return matches;
    }
}
