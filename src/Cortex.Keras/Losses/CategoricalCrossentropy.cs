namespace Cortex.Keras.Losses;

/// <summary>
/// Categorical cross-entropy for one-hot (or soft) targets (Keras's <c>CategoricalCrossentropy</c>, name
/// <c>"categorical_crossentropy"</c>), reduced over the class <paramref name="axis"/>:
/// <list type="bullet">
/// <item>probabilities (<c>fromLogits=false</c>): renormalised so each row sums to 1, then clipped,
/// p = clip(y_pred / Σ y_pred, ε, 1 − ε), <c>loss = −Σ t·log p</c>;</item>
/// <item>logits z (<c>fromLogits=true</c>): <c>loss = −Σ t·log softmax(z)</c>, computed by the fused
/// <see cref="Ops.SoftmaxCrossEntropy"/> on the last axis.</item>
/// </list>
/// With label smoothing s the targets become t·(1 − s) + s / num_classes. ε = <see cref="Backend.Epsilon"/>.
/// </summary>
/// <remarks>
/// Fused path (Keras's TensorFlow backend, <c>_get_logits</c>): when y_pred was produced by <see cref="Ops.Softmax"/>, the
/// loss is computed from the softmax's input with the fused, stable op, whatever <paramref name="fromLogits"/> says, so
/// it neither saturates at ε nor loses the gradient when a probability underflows; the gradient then flows to the
/// logits. The result is the same as the clipped form wherever no probability is clipped.
/// </remarks>
/// <param name="fromLogits">Whether y_pred holds logits rather than probabilities.</param>
/// <param name="labelSmoothing">In [0, 1]: mixes the targets with the uniform distribution.</param>
/// <param name="axis">The class axis.</param>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class CategoricalCrossentropy(bool fromLogits = false, float labelSmoothing = 0f, int axis = -1,
    string? reduction = "sum_over_batch_size", string? name = "categorical_crossentropy")
    : Loss(name, reduction, "categorical_crossentropy")
{
    /// <summary>Whether y_pred holds logits.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <summary>The label-smoothing factor.</summary>
    public float LabelSmoothing { get; } = CheckSmoothing(labelSmoothing);

    /// <summary>The class axis.</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        // Keras's backend requires equal shapes here (no squeezing or expanding of a trailing axis makes sense for classes).
        if (yPred.Rank == 0) throw new ArgumentException($"{Name}: y_pred must have at least one axis. Received: y_pred.shape={yPred.ShapeString}");
        RequireSameShape(yTrue, yPred, yTrue, yPred);
        int a = TensorShape.NormalizeAxis(Axis, yPred.Rank);
        var t = yTrue;
        if (LabelSmoothing != 0f)
            t = Ops.AddScalar(Ops.MultiplyScalar(t, 1f - LabelSmoothing), LabelSmoothing / yPred.Shape[a]);

        var logits = LogitsOf(yPred, "softmax") ?? (FromLogits ? yPred : null);
        if (logits is not null)
        {
            if (a == yPred.Rank - 1) return Ops.SoftmaxCrossEntropy(logits, t);
            return Ops.Negate(Ops.Sum(Ops.Multiply(t, Ops.LogSoftmax(logits, a)), a));
        }

        var p = Ops.Divide(yPred, Ops.Sum(yPred, a, keepDims: true));
        p = Ops.Clip(p, Backend.Epsilon, 1f - Backend.Epsilon);
        return Ops.Negate(Ops.Sum(Ops.Multiply(t, Ops.Log(p)), a));
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["from_logits"] = FromLogits; c["label_smoothing"] = LabelSmoothing; c["axis"] = Axis;
        return c;
    }
}
