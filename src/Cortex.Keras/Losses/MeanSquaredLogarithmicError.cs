namespace Cortex.Keras.Losses;

/// <summary>
/// Mean squared logarithmic error (Keras's <c>MeanSquaredLogarithmicError</c>, name
/// <c>"mean_squared_logarithmic_error"</c>, alias <c>"msle"</c>):
/// <c>loss = mean((log(max(y_pred, ε) + 1) − log(max(y_true, ε) + 1))², axis=−1)</c> with ε = <see cref="Backend.Epsilon"/>
/// (values at or below 0 count as ε).
/// </summary>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class MeanSquaredLogarithmicError(string? reduction = "sum_over_batch_size", string? name = "mean_squared_logarithmic_error")
    : Loss(name, reduction, "mean_squared_logarithmic_error")
{
    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = AlignShapes(yTrue, yPred);
        var firstLog = Ops.Log(Ops.AddScalar(Ops.Clip(p, Backend.Epsilon, float.PositiveInfinity), 1f));
        var secondLog = Ops.Log(Ops.AddScalar(Ops.Clip(t, Backend.Epsilon, float.PositiveInfinity), 1f));
        return MeanLast(Ops.Square(Ops.Subtract(firstLog, secondLog)));
    }
}
