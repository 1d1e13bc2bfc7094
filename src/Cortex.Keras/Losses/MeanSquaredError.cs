namespace Cortex.Keras.Losses;

/// <summary>
/// Mean of squared errors (Keras's <c>MeanSquaredError</c>, name <c>"mean_squared_error"</c>, alias <c>"mse"</c>):
/// <c>loss = mean((y_true − y_pred)², axis=−1)</c>.
/// </summary>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class MeanSquaredError(string? reduction = "sum_over_batch_size", string? name = "mean_squared_error")
    : Loss(name, reduction, "mean_squared_error")
{
    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = AlignShapes(yTrue, yPred);
        return MeanLast(Ops.Square(Ops.Subtract(t, p)));
    }
}
