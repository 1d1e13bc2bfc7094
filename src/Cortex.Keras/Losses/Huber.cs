namespace Cortex.Keras.Losses;

/// <summary>
/// Huber loss (Keras's <c>Huber</c>, name <c>"huber_loss"</c>, registered as <c>"huber"</c> and <c>"huber_loss"</c>): with
/// x = y_pred − y_true, each element is ½x² where |x| ≤ δ and δ·|x| − ½δ² elsewhere; <c>loss = mean(…, axis=−1)</c>.
/// </summary>
/// <param name="delta">δ, where the loss turns from quadratic to linear; positive.</param>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class Huber(float delta = 1f, string? reduction = "sum_over_batch_size", string? name = "huber_loss")
    : Loss(name, reduction, "huber_loss")
{
    /// <summary>δ, where the loss turns from quadratic to linear.</summary>
    public float Delta { get; } = delta > 0f && float.IsFinite(delta) ? delta
        : throw new ArgumentException($"delta must be a positive number. Received: delta={delta}", nameof(delta));

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = AlignShapes(yTrue, yPred);
        var error = Ops.Subtract(p, t);
        var absError = Ops.Abs(error);
        var quadratic = Ops.MultiplyScalar(Ops.Square(error), 0.5f);
        var linear = Ops.AddScalar(Ops.MultiplyScalar(absError, Delta), -0.5f * Delta * Delta);
        var isSmall = Ops.GreaterEqual(Constant(Delta), absError);
        return MeanLast(Ops.Where(isSmall, quadratic, linear));
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["delta"] = Delta;
        return c;
    }
}
