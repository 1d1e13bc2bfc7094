namespace Cortex.Keras.Losses;

/// <summary>
/// Squared hinge loss (Keras's <c>SquaredHinge</c>, name <c>"squared_hinge"</c>):
/// <c>loss = mean(max(1 − y_true·y_pred, 0)², axis=−1)</c>. Targets are expected in {−1, 1}; when every target is 0 or 1
/// they are first mapped to {−1, 1} by 2t − 1, as Keras does.
/// </summary>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class SquaredHinge(string? reduction = "sum_over_batch_size", string? name = "squared_hinge")
    : Loss(name, reduction, "squared_hinge")
{
    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = AlignShapes(yTrue, yPred);
        return MeanLast(Ops.Square(Hinge.Margin(Hinge.ToHingeLabels(t), p)));
    }
}
