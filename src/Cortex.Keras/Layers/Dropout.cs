namespace Cortex.Keras.Layers;

/// <summary>
/// Inverted dropout: during training each input is zeroed with probability <c>rate</c> and the rest are scaled by
/// 1/(1 − rate), so inference needs no scaling; at inference the layer is the identity.
/// </summary>
/// <remarks>
/// Args: rate in [0, 1); noise_shape (optional; 1 on an axis shares the mask along it); seed.<br/>
/// Input and output shapes are equal.
/// </remarks>
public sealed class Dropout : Layer
{
    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    private readonly RandomGenerator? _rng;

    /// <summary>Creates a Dropout layer.</summary>
    public Dropout(float rate, int[]? noiseShape = null, int? seed = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!(rate >= 0f && rate < 1f))
            throw new ArgumentException($"Invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate={rate}", nameof(rate));
        Rate = rate;
        NoiseShape = noiseShape;
        Seed = seed;
        if (seed is int s) _rng = new RandomGenerator(s);
    }

    /// <summary>The fraction of inputs to drop.</summary>
    public float Rate { get; }
    /// <summary>The shape of the mask (batch axis first; −1 takes the input's size).</summary>
    public int[]? NoiseShape { get; }
    /// <summary>The seed of the layer's own generator, if any.</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        if (!training || Rate == 0f) return inputs;
        var shape = inputs.Shape.ToArray();
        if (NoiseShape is not null)
        {
            if (NoiseShape.Length != shape.Length)
                throw new ArgumentException($"layer \"{Name}\": noise_shape {TensorShape.Format(NoiseShape)} does not match inputs of shape {inputs.ShapeString}.");
            for (int i = 0; i < shape.Length; i++) if (NoiseShape[i] != -1) shape[i] = NoiseShape[i];
        }
        var mask = Tensor.Allocate(shape, clear: false);
        var rng = _rng ?? RandomGenerator.Global;
        float keep = 1f - Rate, scale = 1f / keep;
        rng.FillScaledBernoulli(mask.Span, keep, scale);
        return Ops.Multiply(inputs, mask);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["rate"] = Rate; c["noise_shape"] = NoiseShape; c["seed"] = Seed;
        return c;
    }
}
