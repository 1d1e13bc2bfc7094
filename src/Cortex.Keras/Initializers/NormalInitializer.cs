namespace Cortex.Keras.Initializers;

/// <summary>
/// The shared part of <see cref="RandomNormal"/> and <see cref="TruncatedNormal"/>: a mean, a standard deviation
/// (validated as Keras does) and their config; a subclass says how the values are drawn.
/// </summary>
public abstract class NormalInitializer : RandomInitializer
{
    /// <summary>Stores and validates the parameters.</summary>
    protected NormalInitializer(float mean, float stddev, long? seed) : base(seed)
    {
        if (!(stddev >= 0f)) throw new ArgumentOutOfRangeException(nameof(stddev), $"`stddev` must be non-negative. Received: stddev={stddev}");
        Mean = mean;
        Stddev = stddev;
    }

    /// <summary>Mean.</summary>
    public float Mean { get; }
    /// <summary>Standard deviation (before any truncation).</summary>
    public float Stddev { get; }

    /// <summary>Fills <paramref name="values"/> with draws from <paramref name="rng"/>.</summary>
    protected abstract void Fill(RandomGenerator rng, Span<float> values);

    /// <inheritdoc/>
    public override Tensor Call(int[] shape)
    {
        var t = NewTensor(shape);
        Fill(Generator(), t.Span);
        return t;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["mean"] = Mean;
        c["stddev"] = Stddev;
        return c;
    }
}
