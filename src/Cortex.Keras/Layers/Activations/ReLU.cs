namespace Cortex.Keras.Layers;

/// <summary>
/// Rectified Linear Unit activation: <c>f(x) = max_value</c> for x ≥ max_value, <c>f(x) = x</c> for
/// threshold &lt; x &lt; max_value, <c>f(x) = negative_slope · (x − threshold)</c> otherwise.
/// </summary>
/// <remarks>
/// Args: max_value: non-negative float, the maximum activation (null: unbounded); negative_slope: non-negative float,
/// the slope below the threshold, default 0; threshold: non-negative float, default 0.<br/>
/// Input shape: arbitrary. Output shape: same as the input.
/// </remarks>
public sealed class ReLU : Layer
{
    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    /// <summary>Creates a ReLU layer.</summary>
    public ReLU(float? maxValue = null, float negativeSlope = 0f, float threshold = 0f, int[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        if (maxValue is float m && !(m >= 0f))
            throw new ArgumentException($"Layer \"{Name}\": max_value of a ReLU layer cannot be a negative value. Received: max_value={m}", nameof(maxValue));
        if (!(negativeSlope >= 0f))
            throw new ArgumentException($"Layer \"{Name}\": negative_slope of a ReLU layer cannot be a negative value. Received: negative_slope={negativeSlope}", nameof(negativeSlope));
        if (!(threshold >= 0f))
            throw new ArgumentException($"Layer \"{Name}\": threshold of a ReLU layer cannot be a negative value. Received: threshold={threshold}", nameof(threshold));
        MaxValue = maxValue; NegativeSlope = negativeSlope; Threshold = threshold;
    }

    /// <summary>The largest output, or null for none.</summary>
    public float? MaxValue { get; }
    /// <summary>The slope below the threshold.</summary>
    public float NegativeSlope { get; }
    /// <summary>The threshold below which values are damped.</summary>
    public float Threshold { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
        => MaxValue is null && NegativeSlope == 0f && Threshold == 0f ? Ops.Relu(inputs) : Ops.Relu(inputs, NegativeSlope, MaxValue, Threshold);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["max_value"] = MaxValue; c["negative_slope"] = NegativeSlope; c["threshold"] = Threshold;
        return c;
    }
}
