namespace Cortex.Keras.Losses;

/// <summary>
/// Logarithm of the hyperbolic cosine of the error (Keras's <c>LogCosh</c>, name <c>"log_cosh"</c>, alias
/// <c>"logcosh"</c>): with x = y_pred − y_true, <c>loss = mean(log cosh x, axis=−1)</c>, computed stably as
/// x + softplus(−2x) − log 2. About x²/2 for small x and |x| − log 2 for large x.
/// </summary>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class LogCosh(string? reduction = "sum_over_batch_size", string? name = "log_cosh")
    : Loss(name, reduction, "log_cosh")
{
    private static readonly float Log2 = MathF.Log(2f);

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = AlignShapes(yTrue, yPred);
        var x = Ops.Subtract(p, t);
        var logcosh = Ops.AddScalar(Ops.Add(x, Ops.Softplus(Ops.MultiplyScalar(x, -2f))), -Log2);
        return MeanLast(logcosh);
    }
}
