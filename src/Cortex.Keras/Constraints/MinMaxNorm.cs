namespace Cortex.Keras.Constraints;

/// <summary>
/// Keras's <c>MinMaxNorm</c> (name <c>"min_max_norm"</c>): moves each slice's L2 norm over <c>axis</c> towards
/// [minValue, maxValue]: <c>desired = rate · clip(norm, min, max) + (1 − rate) · norm</c>, <c>w · desired / (ε + norm)</c>.
/// </summary>
public sealed class MinMaxNorm : NormConstraint
{
    /// <summary>Creates the constraint.</summary>
    /// <param name="minValue">The smallest norm (default 0).</param>
    /// <param name="maxValue">The largest norm (default 1).</param>
    /// <param name="rate">How far to move per step: 1 (default) enforces the bounds strictly, less moves part of the way.</param>
    /// <param name="axis">The axes of the norm (default 0).</param>
    public MinMaxNorm(float minValue = 0f, float maxValue = 1f, float rate = 1f, params int[]? axis) : base(axis)
    {
        if (!(minValue <= maxValue))
            throw new ArgumentException($"Invalid values for `min_value` and `max_value`: min_value must not exceed max_value. Received: min_value={minValue}, max_value={maxValue}", nameof(minValue));
        if (!float.IsFinite(rate))
            throw new ArgumentException($"Invalid value for argument `rate`: expected a finite float. Received: rate={rate}", nameof(rate));
        MinValue = minValue;
        MaxValue = maxValue;
        Rate = rate;
    }

    /// <summary>The smallest norm.</summary>
    public float MinValue { get; }
    /// <summary>The largest norm.</summary>
    public float MaxValue { get; }
    /// <summary>The rate of the projection.</summary>
    public float Rate { get; }

    /// <inheritdoc/>
    protected override float DesiredNorm(float norm) => Rate * Math.Clamp(norm, MinValue, MaxValue) + (1f - Rate) * norm;

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["min_value"] = MinValue; c["max_value"] = MaxValue; c["rate"] = Rate;
        return c;
    }
}
