namespace Cortex.Keras.Regularizers;

/// <summary>
/// Keras's <c>L1L2</c> regularizer (name <c>"l1_l2"</c>): <c>loss = l1 · Σ|x| + l2 · Σx²</c>; a zero factor's term is
/// left out, so <c>L1L2()</c> (Keras 3's defaults, both 0) penalises nothing.
/// </summary>
/// <param name="l1">The L1 factor, finite and non-negative (default 0).</param>
/// <param name="l2">The L2 factor, finite and non-negative (default 0).</param>
public sealed class L1L2(float l1 = 0f, float l2 = 0f) : Regularizer
{
    /// <summary>The L1 factor.</summary>
    public float L1Factor { get; } = ValidateFactor(l1, "l1");

    /// <summary>The L2 factor.</summary>
    public float L2Factor { get; } = ValidateFactor(l2, "l2");

    /// <inheritdoc/>
    public override Tensor Call(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        Tensor? loss = null;
        if (L1Factor != 0f) loss = L1Penalty(x, L1Factor);
        if (L2Factor != 0f) loss = loss is null ? L2Penalty(x, L2Factor) : Ops.Add(loss, L2Penalty(x, L2Factor));
        return loss ?? Tensor.Scalar(0f);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["l1"] = L1Factor, ["l2"] = L2Factor };
}
