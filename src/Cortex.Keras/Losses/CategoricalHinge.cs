namespace Cortex.Keras.Losses;

/// <summary>
/// Categorical hinge loss (Keras's <c>CategoricalHinge</c>, name <c>"categorical_hinge"</c>), for one-hot targets:
/// <c>loss = max(neg − pos + 1, 0)</c> with <c>pos = Σ y_true·y_pred</c> and <c>neg = max((1 − y_true)·y_pred)</c>
/// over the last axis. Labels are not converted.
/// </summary>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class CategoricalHinge(string? reduction = "sum_over_batch_size", string? name = "categorical_hinge")
    : Loss(name, reduction, "categorical_hinge")
{
    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = AlignShapes(yTrue, yPred);
        var pos = Ops.Sum(Ops.Multiply(t, p), -1);
        var neg = Ops.Max(Ops.Multiply(Ops.AddScalar(Ops.Negate(t), 1f), p), -1);
        return Ops.Maximum(Ops.AddScalar(Ops.Subtract(neg, pos), 1f), Constant(0f));
    }
}
