namespace Cortex.Keras.Losses;

/// <summary>
/// Binary cross-entropy (Keras's <c>BinaryCrossentropy</c>, name <c>"binary_crossentropy"</c>, alias <c>"bce"</c>), for
/// 0/1 targets, averaged over <paramref name="axis"/>:
/// <list type="bullet">
/// <item>probabilities (<c>fromLogits=false</c>): p = clip(y_pred, ε, 1 − ε),
/// <c>loss = mean(−(t·log p + (1 − t)·log(1 − p)), axis)</c>;</item>
/// <item>logits z (<c>fromLogits=true</c>), in the stable form of TensorFlow's <c>sigmoid_cross_entropy_with_logits</c>:
/// <c>loss = mean(max(z, 0) − z·t + log(1 + e^−|z|), axis)</c> (= softplus(z) − z·t), whose gradient is σ(z) − t.</item>
/// </list>
/// With label smoothing s the targets become t·(1 − s) + s/2. ε = <see cref="Backend.Epsilon"/>.
/// </summary>
/// <remarks>
/// As Keras's TensorFlow backend (<c>_get_logits</c>) does, when y_pred was produced by a sigmoid that recorded its input
/// (<c>LogitsActivation == "sigmoid"</c>) the logits form is used on that input, whatever <paramref name="fromLogits"/> says.
/// </remarks>
/// <param name="fromLogits">Whether y_pred holds logits rather than probabilities.</param>
/// <param name="labelSmoothing">In [0, 1]: squeezes the targets towards 0.5.</param>
/// <param name="axis">The axis to average over (the features axis).</param>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class BinaryCrossentropy(bool fromLogits = false, float labelSmoothing = 0f, int axis = -1,
    string? reduction = "sum_over_batch_size", string? name = "binary_crossentropy")
    : Loss(name, reduction, "binary_crossentropy")
{
    /// <summary>Whether y_pred holds logits.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <summary>The label-smoothing factor.</summary>
    public float LabelSmoothing { get; } = CheckSmoothing(labelSmoothing);

    /// <summary>The axis averaged over.</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = AlignShapes(yTrue, yPred);
        if (LabelSmoothing != 0f) t = Ops.AddScalar(Ops.MultiplyScalar(t, 1f - LabelSmoothing), 0.5f * LabelSmoothing);
        var logits = LogitsOf(yPred, "sigmoid");
        if (logits is not null && !ReferenceEquals(p, yPred)) logits = Ops.Reshape(logits, p.Shape.ToArray());
        logits ??= FromLogits ? p : null;
        return Ops.Mean(logits is not null ? FromLogitsForm(t, logits) : FromProbabilities(t, p), Axis);
    }

    /// <summary>Element-wise binary cross-entropy of logits: softplus(z) − z·t = max(z, 0) − z·t + log(1 + e^−|z|).</summary>
    internal static Tensor FromLogitsForm(Tensor t, Tensor z) => Ops.Subtract(Ops.Softplus(z), Ops.Multiply(z, t));

    /// <summary>Element-wise binary cross-entropy of probabilities clipped to [ε, 1 − ε].</summary>
    internal static Tensor FromProbabilities(Tensor t, Tensor p)
    {
        var clipped = Ops.Clip(p, Backend.Epsilon, 1f - Backend.Epsilon);
        var bce = Ops.Add(Ops.Multiply(t, Ops.Log(clipped)),
                          Ops.Multiply(Ops.AddScalar(Ops.Negate(t), 1f), Ops.Log(Ops.AddScalar(Ops.Negate(clipped), 1f))));
        return Ops.Negate(bce);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["from_logits"] = FromLogits; c["label_smoothing"] = LabelSmoothing; c["axis"] = Axis;
        return c;
    }
}
