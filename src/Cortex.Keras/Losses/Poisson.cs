namespace Cortex.Keras.Losses;

/// <summary>
/// Poisson loss (Keras's <c>Poisson</c>, name <c>"poisson"</c>):
/// <c>loss = mean(y_pred − y_true·log(y_pred + ε), axis=−1)</c> with ε = <see cref="Backend.Epsilon"/>.
/// </summary>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class Poisson(string? reduction = "sum_over_batch_size", string? name = "poisson")
    : Loss(name, reduction, "poisson")
{
    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = AlignShapes(yTrue, yPred);
        return MeanLast(Ops.Subtract(p, Ops.Multiply(t, Ops.Log(Ops.AddScalar(p, Backend.Epsilon)))));
    }
}
