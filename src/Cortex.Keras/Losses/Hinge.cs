namespace Cortex.Keras.Losses;

/// <summary>
/// Hinge loss (Keras's <c>Hinge</c>, name <c>"hinge"</c>): <c>loss = mean(max(1 − y_true·y_pred, 0), axis=−1)</c>.
/// Targets are expected in {−1, 1}; when every target is 0 or 1 they are first mapped to {−1, 1} by 2t − 1, as Keras does.
/// </summary>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class Hinge(string? reduction = "sum_over_batch_size", string? name = "hinge")
    : Loss(name, reduction, "hinge")
{
    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = AlignShapes(yTrue, yPred);
        return MeanLast(Margin(ToHingeLabels(t), p));
    }

    /// <summary>max(1 − t·p, 0), the gradient passing to 1 − t·p at the tie (as TensorFlow's maximum).</summary>
    internal static Tensor Margin(Tensor t, Tensor p)
        => Ops.Maximum(Ops.AddScalar(Ops.Negate(Ops.Multiply(t, p)), 1f), Constant(0f));

    /// <summary>
    /// Keras's <c>convert_binary_labels_to_hinge</c>: 2t − 1 when every label is 0 or 1, otherwise the labels unchanged.
    /// </summary>
    public static Tensor ToHingeLabels(Tensor yTrue)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        foreach (var v in yTrue.ToArray())
            if (v != 0f && v != 1f) return yTrue;
        return Ops.AddScalar(Ops.MultiplyScalar(yTrue, 2f), -1f);
    }
}
