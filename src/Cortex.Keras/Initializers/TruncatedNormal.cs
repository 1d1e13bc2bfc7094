namespace Cortex.Keras.Initializers;

/// <summary>
/// Normal values N(mean, stddev²) redrawn until within two standard deviations of the mean (Keras's
/// <c>keras.initializers.TruncatedNormal</c>, name "truncated_normal"). The spread of the result is about 0.88·stddev.
/// </summary>
/// <remarks>Defaults (Keras 3): mean 0, stddev 0.05, seed none.</remarks>
public sealed class TruncatedNormal : NormalInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="mean">Mean. Defaults to 0.</param>
    /// <param name="stddev">Standard deviation before truncation. Defaults to 0.05.</param>
    /// <param name="seed">Seed; null draws from <see cref="RandomGenerator.Global"/>.</param>
    public TruncatedNormal(float mean = 0f, float stddev = 0.05f, long? seed = null) : base(mean, stddev, seed) { }

    /// <inheritdoc/>
    protected override void Fill(RandomGenerator rng, Span<float> values) => rng.FillTruncatedNormal(values, Mean, Stddev);
}
