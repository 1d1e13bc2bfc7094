namespace Cortex.Keras.Regularizers;

/// <summary>
/// Keras's <c>L2</c> regularizer (name <c>"l2"</c>): <c>loss = l2 · Σx²</c> (no ½: its gradient is <c>2·l2·x</c>).
/// </summary>
/// <param name="l2">The penalty factor, finite and non-negative (Keras's default 0.01).</param>
public sealed class L2(float l2 = 0.01f) : FactorRegularizer(l2, "l2")
{
    /// <inheritdoc/>
    protected override Tensor Penalty(Tensor x) => L2Penalty(x, Factor);
}
