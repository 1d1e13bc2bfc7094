namespace Cortex.Keras.Initializers;

/// <summary>
/// Uniform values in [minval, maxval) (Keras's <c>keras.initializers.RandomUniform</c>, names "random_uniform", "uniform").
/// </summary>
/// <remarks>Defaults (Keras 3): minval −0.05, maxval 0.05, seed none.</remarks>
public sealed class RandomUniform : RandomInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="minval">Lower bound (inclusive). Defaults to −0.05.</param>
    /// <param name="maxval">Upper bound (exclusive). Defaults to 0.05.</param>
    /// <param name="seed">Seed; null draws from <see cref="RandomGenerator.Global"/>.</param>
    public RandomUniform(float minval = -0.05f, float maxval = 0.05f, long? seed = null) : base(seed)
    {
        if (!(maxval >= minval))
            throw new ArgumentException($"`maxval` must not be smaller than `minval`. Received: minval={minval}, maxval={maxval}");
        Minval = minval;
        Maxval = maxval;
    }

    /// <summary>Lower bound.</summary>
    public float Minval { get; }
    /// <summary>Upper bound.</summary>
    public float Maxval { get; }

    /// <inheritdoc/>
    public override Tensor Call(int[] shape)
    {
        var t = NewTensor(shape);
        Generator().FillUniform(t.Span, Minval, Maxval);
        return t;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["minval"] = Minval;
        c["maxval"] = Maxval;
        return c;
    }
}
