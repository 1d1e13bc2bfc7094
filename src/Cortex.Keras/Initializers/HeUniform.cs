namespace Cortex.Keras.Initializers;

/// <summary>
/// The He uniform initializer: U[−limit, limit), limit = √(6 / fan_in).
/// </summary>
/// <remarks>Keras's <c>keras.initializers.HeUniform</c> (name "he_uniform"): <see cref="VarianceScaling"/> with scale 2, mode "fan_in", distribution "uniform".</remarks>
public sealed class HeUniform : VarianceScaling
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="seed">Seed; null draws from <see cref="RandomGenerator.Global"/>.</param>
    public HeUniform(long? seed = null) : base(2f, "fan_in", "uniform", seed) { }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = Seed };
}
