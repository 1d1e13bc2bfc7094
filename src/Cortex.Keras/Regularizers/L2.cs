namespace Cortex.Keras.Regularizers;

/// <summary>
/// Keras's <c>L2</c> regularizer (name <c>"l2"</c>): <c>loss = l2 · Σx²</c> (no ½: its gradient is <c>2·l2·x</c>).
/// </summary>
/// <param name="l2">The penalty factor, finite and non-negative (Keras's default 0.01).</param>
public sealed class L2(float l2 = 0.01f) : Regularizer
{
    /// <summary>The penalty factor.</summary>
    public float Factor { get; } = ValidateFactor(l2, "l2");

    /// <inheritdoc/>
    public override Tensor Call(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return L2Penalty(x, Factor);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["l2"] = Factor };
}
