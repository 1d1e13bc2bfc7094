namespace Cortex.Keras.Layers;

/// <summary>
/// The shared part of the spatial dropout layers: inverted dropout with a mask that has size 1 on the spatial axes,
/// so whole feature maps (channels) are dropped together, and the kept ones are scaled by 1/(1 − rate).
/// </summary>
public abstract class SpatialDropoutBase : Layer
{
    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    private readonly RandomGenerator? _rng;

    /// <summary>Validates the rate and seeds the layer's own generator if a seed is given.</summary>
    protected SpatialDropoutBase(float rate, int? seed, int[]? inputShape, string? name) : base(name, inputShape)
    {
        if (!(rate >= 0f && rate < 1f))
            throw new ArgumentException($"Layer \"{Name}\": invalid value received for argument `rate`. Expected a float value between 0 and 1. Received: rate={rate}", nameof(rate));
        Rate = rate;
        Seed = seed;
        if (seed is int s) _rng = new RandomGenerator(s);
    }

    /// <summary>The fraction of channels to drop.</summary>
    public float Rate { get; }
    /// <summary>The seed of the layer's own generator, if any.</summary>
    public int? Seed { get; }

    /// <summary>The rank the inputs must have.</summary>
    protected abstract int InputRank { get; }

    /// <summary>The mask's shape for inputs of <paramref name="shape"/>: 1 on every spatial axis.</summary>
    protected abstract int[] NoiseShape(int[] shape);

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        SpatialAxes.RequireRank(this, inputs.Shape, InputRank);
        if (!training || Rate == 0f) return inputs;
        var mask = Tensor.Allocate(NoiseShape(inputs.Shape.ToArray()), clear: false);
        float keep = 1f - Rate;
        (_rng ?? RandomGenerator.Global).FillScaledBernoulli(mask.Span, keep, 1f / keep);
        return Ops.Multiply(inputs, mask);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        SpatialAxes.RequireRank(this, inputShape, InputRank);
        return inputShape;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["rate"] = Rate; c["seed"] = Seed;
        return c;
    }
}
