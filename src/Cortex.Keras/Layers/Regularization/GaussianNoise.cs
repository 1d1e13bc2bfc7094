namespace Cortex.Keras.Layers;

/// <summary>
/// Applies additive zero-centered Gaussian noise: during training <c>output = input + N(0, stddev²)</c>, drawn afresh
/// for every element; at inference the layer is the identity. A regularization layer, useful against overfitting
/// (a form of random data augmentation).
/// </summary>
/// <remarks>
/// Args: stddev: the standard deviation of the noise, in [0, 1] as Keras 3 requires; seed: for the layer's own
/// generator (otherwise the global one).<br/>
/// Input shape: arbitrary. Output shape: same as the input.
/// </remarks>
public sealed class GaussianNoise : Layer
{
    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    private readonly RandomGenerator? _rng;

    /// <summary>Creates a GaussianNoise layer.</summary>
    public GaussianNoise(float stddev, int? seed = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!(stddev >= 0f && stddev <= 1f))
            throw new ArgumentException($"Layer \"{Name}\": invalid value received for argument `stddev`. Expected a float value between 0 and 1. Received: stddev={stddev}", nameof(stddev));
        Stddev = stddev;
        Seed = seed;
        if (seed is int s) _rng = new RandomGenerator(s);
    }

    /// <summary>The standard deviation of the noise.</summary>
    public float Stddev { get; }
    /// <summary>The seed of the layer's own generator, if any.</summary>
    public int? Seed { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        if (!training || Stddev == 0f) return inputs;
        var noise = Tensor.Allocate(inputs.Shape.ToArray(), clear: false);
        (_rng ?? RandomGenerator.Global).FillNormal(noise.Span, 0f, Stddev);
        return Ops.Add(inputs, noise);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["stddev"] = Stddev; c["seed"] = Seed;
        return c;
    }
}
