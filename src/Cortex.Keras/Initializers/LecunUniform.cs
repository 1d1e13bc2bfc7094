namespace Cortex.Keras.Initializers;

/// <summary>
/// The LeCun uniform initializer: U[−limit, limit), limit = √(3 / fan_in).
/// </summary>
/// <remarks>Keras's <c>keras.initializers.LecunUniform</c> (name "lecun_uniform"): <see cref="VarianceScaling"/> with scale 1, mode "fan_in", distribution "uniform".</remarks>
public sealed class LecunUniform : VarianceScaling
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="seed">Seed; null draws from <see cref="RandomGenerator.Global"/>.</param>
    public LecunUniform(long? seed = null) : base(1f, "fan_in", "uniform", seed) { }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = Seed };
}
