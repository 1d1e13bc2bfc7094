using Cortex.Keras.Losses;

namespace Cortex.Keras.Metrics;

/// <summary>
/// How often predictions match binary labels (Keras's <c>BinaryAccuracy</c>, name <c>"binary_accuracy"</c>): a
/// prediction counts as 1 when it is strictly greater than <c>threshold</c>, else 0, and matches when that equals the
/// label; per sample, <c>mean(match, axis=−1)</c>, averaged over all samples seen.
/// </summary>
/// <param name="name">The metric's name.</param>
/// <param name="threshold">In (0, 1): the probability above which a prediction is 1.</param>
public sealed class BinaryAccuracy(string? name = "binary_accuracy", float threshold = 0.5f)
    : MeanMetricWrapper((t, p) => Compute(t, p, threshold), name ?? "binary_accuracy")
{
    /// <summary>The probability above which a prediction counts as 1.</summary>
    public float Threshold { get; } = threshold > 0f && threshold < 1f ? threshold
        : throw new ArgumentException($"Invalid value for argument `threshold`. Expected a value in interval (0, 1). Received: threshold={threshold}", nameof(threshold));

    /// <summary>Keras's <c>binary_accuracy</c>: per-sample fraction of labels matched by <c>y_pred &gt; threshold</c>.</summary>
    public static Tensor Compute(Tensor yTrue, Tensor yPred, float threshold = 0.5f)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        var (t, p) = Loss.SqueezeOrExpandToSameRank(yTrue, yPred);
        RequireSameShape("binary_accuracy", t, p, yTrue, yPred);
        var predicted = Ops.Greater(p, Tensor.Scalar(threshold));
        return Ops.Mean(Ops.Equal(t, predicted), -1);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["threshold"] = Threshold;
        return c;
    }
}
