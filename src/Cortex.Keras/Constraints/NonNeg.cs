namespace Cortex.Keras.Constraints;

/// <summary>Keras's <c>NonNeg</c> (name <c>"non_neg"</c>): negative weights become 0 (<c>w · (w ≥ 0)</c>).</summary>
public sealed class NonNeg : Constraint
{
    /// <inheritdoc/>
    protected override void Project(Span<float> values, int[] shape)
    {
        for (int i = 0; i < values.Length; i++) values[i] *= values[i] >= 0f ? 1f : 0f;   // as w · (w ≥ 0): NaN stays NaN
    }
}
