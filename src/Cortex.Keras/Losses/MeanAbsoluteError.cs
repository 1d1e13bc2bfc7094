namespace Cortex.Keras.Losses;

/// <summary>
/// Mean of absolute errors (Keras's <c>MeanAbsoluteError</c>, name <c>"mean_absolute_error"</c>, alias <c>"mae"</c>):
/// <c>loss = mean(|y_true − y_pred|, axis=−1)</c>. The gradient at a zero error is 0.
/// </summary>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class MeanAbsoluteError(string? reduction = "sum_over_batch_size", string? name = "mean_absolute_error")
    : Loss(name, reduction, "mean_absolute_error")
{
    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = AlignShapes(yTrue, yPred);
        return MeanLast(Ops.Abs(Ops.Subtract(t, p)));
    }
}
