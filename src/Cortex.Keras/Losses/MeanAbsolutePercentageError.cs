namespace Cortex.Keras.Losses;

/// <summary>
/// Mean absolute percentage error (Keras's <c>MeanAbsolutePercentageError</c>, name
/// <c>"mean_absolute_percentage_error"</c>, alias <c>"mape"</c>):
/// <c>loss = 100 · mean(|(y_true − y_pred) / max(|y_true|, ε)|, axis=−1)</c> with ε = <see cref="Backend.Epsilon"/>.
/// </summary>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class MeanAbsolutePercentageError(string? reduction = "sum_over_batch_size", string? name = "mean_absolute_percentage_error")
    : Loss(name, reduction, "mean_absolute_percentage_error")
{
    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = AlignShapes(yTrue, yPred);
        var denom = Ops.Clip(Ops.Abs(t), Backend.Epsilon, float.PositiveInfinity);
        var diff = Ops.Abs(Ops.Divide(Ops.Subtract(t, p), denom));
        return Ops.MultiplyScalar(MeanLast(diff), 100f);
    }
}
