namespace Cortex.Keras.Initializers;

/// <summary>
/// The He normal initializer: a truncated normal with standard deviation √(2 / fan_in).
/// </summary>
/// <remarks>Keras's <c>keras.initializers.HeNormal</c> (name "he_normal"): <see cref="VarianceScaling"/> with scale 2, mode "fan_in", distribution "truncated_normal".</remarks>
public sealed class HeNormal : VarianceScaling
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="seed">Seed; null draws from <see cref="RandomGenerator.Global"/>.</param>
    public HeNormal(long? seed = null) : base(2f, "fan_in", "truncated_normal", seed) { }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = Seed };
}
