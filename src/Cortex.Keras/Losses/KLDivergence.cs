namespace Cortex.Keras.Losses;

/// <summary>
/// Kullback–Leibler divergence (Keras's <c>KLDivergence</c>, name <c>"kl_divergence"</c>, aliases <c>"kld"</c>,
/// <c>"kullback_leibler_divergence"</c>): with t = clip(y_true, ε, 1) and p = clip(y_pred, ε, 1),
/// <c>loss = Σ t·log(t / p)</c> over the last axis. ε = <see cref="Backend.Epsilon"/>.
/// </summary>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class KLDivergence(string? reduction = "sum_over_batch_size", string? name = "kl_divergence")
    : Loss(name, reduction, "kl_divergence")
{
    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = AlignShapes(yTrue, yPred);
        t = Ops.Clip(t, Backend.Epsilon, 1f);
        p = Ops.Clip(p, Backend.Epsilon, 1f);
        return Ops.Sum(Ops.Multiply(t, Ops.Log(Ops.Divide(t, p))), -1);
    }
}
