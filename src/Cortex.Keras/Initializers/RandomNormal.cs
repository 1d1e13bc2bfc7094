namespace Cortex.Keras.Initializers;

/// <summary>
/// Normal values N(mean, stddev²) (Keras's <c>keras.initializers.RandomNormal</c>, names "random_normal", "normal").
/// </summary>
/// <remarks>Defaults (Keras 3): mean 0, stddev 0.05, seed none.</remarks>
public sealed class RandomNormal : RandomInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="mean">Mean. Defaults to 0.</param>
    /// <param name="stddev">Standard deviation. Defaults to 0.05.</param>
    /// <param name="seed">Seed; null draws from <see cref="RandomGenerator.Global"/>.</param>
    public RandomNormal(float mean = 0f, float stddev = 0.05f, long? seed = null) : base(seed)
    {
        if (!(stddev >= 0f)) throw new ArgumentOutOfRangeException(nameof(stddev), $"`stddev` must be non-negative. Received: stddev={stddev}");
        Mean = mean;
        Stddev = stddev;
    }

    /// <summary>Mean.</summary>
    public float Mean { get; }
    /// <summary>Standard deviation.</summary>
    public float Stddev { get; }

    /// <inheritdoc/>
    public override Tensor Call(int[] shape)
    {
        var t = NewTensor(shape);
        Generator().FillNormal(t.Span, Mean, Stddev);
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
