namespace Cortex.Keras.Initializers;

/// <summary>
/// The Glorot (Xavier) normal initializer: a truncated normal with standard deviation √(2 / (fan_in + fan_out)).
/// </summary>
/// <remarks>Keras's <c>keras.initializers.GlorotNormal</c> (name "glorot_normal"): <see cref="VarianceScaling"/> with scale 1, mode "fan_avg", distribution "truncated_normal".</remarks>
public sealed class GlorotNormal : VarianceScaling
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="seed">Seed; null draws from <see cref="RandomGenerator.Global"/>.</param>
    public GlorotNormal(long? seed = null) : base(1f, "fan_avg", "truncated_normal", seed) { }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = Seed };
}
