namespace Cortex.Keras.Regularizers;

/// <summary>
/// Keras's <c>L1</c> regularizer (name <c>"l1"</c>): <c>loss = l1 · Σ|x|</c>.
/// </summary>
/// <param name="l1">The penalty factor, finite and non-negative (Keras's default 0.01).</param>
public sealed class L1(float l1 = 0.01f) : FactorRegularizer(l1, "l1")
{
    /// <inheritdoc/>
    protected override Tensor Penalty(Tensor x) => L1Penalty(x, Factor);
}
