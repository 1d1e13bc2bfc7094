using Cortex.Keras.Losses;

namespace Cortex.Keras.Metrics;

/// <summary>
/// How often predictions equal labels exactly (Keras's <c>Accuracy</c> class, name <c>"accuracy"</c>): per sample,
/// <c>mean(y_true == y_pred, axis=−1)</c>, averaged over all samples seen. For classification use
/// <see cref="BinaryAccuracy"/>, <see cref="CategoricalAccuracy"/> or <see cref="SparseCategoricalAccuracy"/> (which
/// the string "accuracy" selects in <c>compile</c>).
/// </summary>
/// <param name="name">The metric's name.</param>
public sealed class Accuracy(string? name = "accuracy") : MeanMetricWrapper(Compute, name ?? "accuracy")
{
    /// <summary>Keras's <c>accuracy</c>: the per-sample fraction of exactly equal values.</summary>
    public static Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        var (t, p) = Loss.SqueezeOrExpandToSameRank(yTrue, yPred);
        RequireSameShape("accuracy", t, p, yTrue, yPred);
        return Ops.Mean(Ops.Equal(t, p), -1);
    }
}
