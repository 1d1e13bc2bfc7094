namespace Cortex.Keras.Layers;

/// <summary>
/// Applies multiplicative 1-centered Gaussian noise: during training <c>output = input · N(1, rate / (1 − rate))</c>
/// (standard deviation sqrt(rate / (1 − rate)), the variance of inverted dropout at that rate), drawn afresh for every
/// element; at inference the layer is the identity.
/// </summary>
/// <remarks>
/// Args: rate: the drop probability of the equivalent dropout, in [0, 1); seed: for the layer's own generator
/// (otherwise the global one).<br/>
/// Input shape: arbitrary. Output shape: same as the input.
/// </remarks>
public sealed class GaussianDropout : Layer
{
    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    private readonly RandomGenerator? _rng;

    /// <summary>Creates a GaussianDropout layer.</summary>
    public GaussianDropout(float rate, int? seed = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!(rate >= 0f && rate < 1f))
            throw new ArgumentException($"Layer \"{Name}\": invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate={rate}", nameof(rate));
        Rate = rate;
        Seed = seed;
        if (seed is int s) _rng = new RandomGenerator(s);
    }

    /// <summary>The drop probability of the equivalent dropout.</summary>
    public float Rate { get; }
    /// <summary>The seed of the layer's own generator, if any.</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        if (!training || Rate == 0f) return inputs;
        var noise = Tensor.Allocate(inputs.Shape.ToArray(), clear: false);
        (_rng ?? RandomGenerator.Global).FillNormal(noise.Span, 1f, MathF.Sqrt(Rate / (1f - Rate)));
        return Ops.Multiply(inputs, noise);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["rate"] = Rate; c["seed"] = Seed;
        return c;
    }
}
