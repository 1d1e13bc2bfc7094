namespace Cortex.Keras.Layers;

/// <summary>
/// Leaky version of a Rectified Linear Unit: <c>f(x) = negative_slope · x</c> if x &lt; 0, <c>f(x) = x</c> if x ≥ 0.
/// </summary>
/// <remarks>
/// Args: negative_slope: non-negative float, the slope below zero, default 0.3 (Keras 3's name; Keras 2 called it
/// <c>alpha</c>, with the same default).<br/>
/// Input shape: arbitrary. Output shape: same as the input.
/// </remarks>
public sealed class LeakyReLU : Layer
{
    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    /// <summary>Creates a LeakyReLU layer.</summary>
    public LeakyReLU(float negativeSlope = 0.3f, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!(negativeSlope >= 0f))
            throw new ArgumentException($"Layer \"{Name}\": the negative_slope value of a Leaky ReLU layer cannot be None or negative value. Expected a float. Received: negative_slope={negativeSlope}", nameof(negativeSlope));
        NegativeSlope = negativeSlope;
    }

    /// <summary>The slope for negative inputs.</summary>
    public float NegativeSlope { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training) => Ops.LeakyRelu(inputs, NegativeSlope);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["negative_slope"] = NegativeSlope; return c; }
}
