namespace Cortex.Keras.Initializers;

/// <summary>
/// Normal values N(mean, stddev²) redrawn until within two standard deviations of the mean (Keras's
/// <c>keras.initializers.TruncatedNormal</c>, name "truncated_normal"). The spread of the result is about 0.88·stddev.
/// </summary>
/// <remarks>Defaults (Keras 3): mean 0, stddev 0.05, seed none.</remarks>
public sealed class TruncatedNormal : RandomInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="mean">Mean. Defaults to 0.</param>
    /// <param name="stddev">Standard deviation before truncation. Defaults to 0.05.</param>
    /// <param name="seed">Seed; null draws from <see cref="RandomGenerator.Global"/>.</param>
    public TruncatedNormal(float mean = 0f, float stddev = 0.05f, long? seed = null) : base(seed)
    {
        if (!(stddev >= 0f)) throw new ArgumentOutOfRangeException(nameof(stddev), $"`stddev` must be non-negative. Received: stddev={stddev}");
        Mean = mean;
        Stddev = stddev;
    }

    /// <summary>Mean.</summary>
    public float Mean { get; }
    /// <summary>Standard deviation before truncation.</summary>
    public float Stddev { get; }

    /// <inheritdoc/>
    public override Tensor Call(int[] shape)
    {
        var t = NewTensor(shape);
        Generator().FillTruncatedNormal(t.Span, Mean, Stddev);
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
