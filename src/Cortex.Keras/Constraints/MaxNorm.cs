namespace Cortex.Keras.Constraints;

/// <summary>
/// Keras's <c>MaxNorm</c> (name <c>"max_norm"</c>): scales each slice whose L2 norm over <c>axis</c> exceeds
/// <c>maxValue</c> back to that norm: <c>w · clip(norm, 0, max_value) / (ε + norm)</c>.
/// </summary>
public sealed class MaxNorm : NormConstraint
{
    /// <summary>Creates the constraint.</summary>
    /// <param name="maxValue">The largest norm allowed (Keras's default 2).</param>
    /// <param name="axis">The axes of the norm (default 0: each column of a Dense kernel; [0, 1, 2] for a Conv2D kernel).</param>
    public MaxNorm(float maxValue = 2f, params int[]? axis) : base(axis)
    {
        if (!(maxValue >= 0f)) throw new ArgumentException($"Invalid value for argument `max_value`: expected a non-negative float. Received: max_value={maxValue}", nameof(maxValue));
        MaxValue = maxValue;
    }

    /// <summary>The largest norm allowed.</summary>
    public float MaxValue { get; }

    /// <inheritdoc/>
    protected override float DesiredNorm(float norm) => Math.Clamp(norm, 0f, MaxValue);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["max_value"] = MaxValue;
        return c;
    }
}
