namespace Cortex.Keras.Initializers;

/// <summary>
/// Normal values N(mean, stddev²) (Keras's <c>keras.initializers.RandomNormal</c>, names "random_normal", "normal").
/// </summary>
/// <remarks>Defaults (Keras 3): mean 0, stddev 0.05, seed none.</remarks>
public sealed class RandomNormal : NormalInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="mean">Mean. Defaults to 0.</param>
    /// <param name="stddev">Standard deviation. Defaults to 0.05.</param>
    /// <param name="seed">Seed; null draws from <see cref="RandomGenerator.Global"/>.</param>
    public RandomNormal(float mean = 0f, float stddev = 0.05f, long? seed = null) : base(mean, stddev, seed) { }

    /// <inheritdoc/>
    protected override void Fill(RandomGenerator rng, Span<float> values) => rng.FillNormal(values, Mean, Stddev);
}
