namespace Cortex.Keras.Metrics;

/// <summary>
/// How often the predicted class matches a one-hot label (Keras's <c>CategoricalAccuracy</c>, name
/// <c>"categorical_accuracy"</c>): per sample, <c>argmax(y_true) == argmax(y_pred)</c> over the last axis (the first
/// index wins a tie, as Keras's argmax), averaged over all samples seen. y_pred may be probabilities or logits.
/// </summary>
/// <param name="name">The metric's name.</param>
public sealed class CategoricalAccuracy(string? name = "categorical_accuracy") : MeanMetricWrapper(Compute, name ?? "categorical_accuracy")
{
    /// <summary>Keras's <c>categorical_accuracy</c>: 1 where the arg-maxima of y_true and y_pred agree, else 0.</summary>
    public static Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        var trueClass = Ops.ArgMax(yTrue, -1);
        var originalShape = trueClass.Shape.ToArray();
        bool reshape = false;
        if (trueClass.Rank == yPred.Rank && trueClass.Rank > 0 && trueClass.Shape[^1] == 1) { trueClass = SqueezeLast(trueClass); reshape = true; }
        var predClass = Ops.ArgMax(yPred, -1);
        RequireSameShape("categorical_accuracy", trueClass, predClass, yTrue, yPred, "y_true and y_pred must have the same shape");
        var matches = Ops.Equal(trueClass, predClass);
        return reshape ? Ops.Reshape(matches, originalShape) : matches;
    }
}
