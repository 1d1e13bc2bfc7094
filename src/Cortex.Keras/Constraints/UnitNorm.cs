namespace Cortex.Keras.Constraints;

/// <summary>
/// Keras's <c>UnitNorm</c> (name <c>"unit_norm"</c>): scales each slice to unit L2 norm over <c>axis</c>:
/// <c>w / (ε + norm)</c>.
/// </summary>
/// <param name="axis">The axes of the norm (default 0).</param>
public sealed class UnitNorm(params int[]? axis) : NormConstraint(axis)
{
    /// <inheritdoc/>
    protected override float DesiredNorm(float norm) => 1f;
}
