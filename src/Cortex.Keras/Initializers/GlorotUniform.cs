namespace Cortex.Keras.Initializers;

/// <summary>
/// The Glorot (Xavier) uniform initializer: U[−limit, limit), limit = √(6 / (fan_in + fan_out)).
/// </summary>
/// <remarks>Keras's <c>keras.initializers.GlorotUniform</c> (name "glorot_uniform"): <see cref="VarianceScaling"/> with scale 1, mode "fan_avg", distribution "uniform".</remarks>
public sealed class GlorotUniform : VarianceScaling
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="seed">Seed; null draws from <see cref="RandomGenerator.Global"/>.</param>
    public GlorotUniform(long? seed = null) : base(1f, "fan_avg", "uniform", seed) { }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = Seed };
}
