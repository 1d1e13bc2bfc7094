namespace Cortex.Keras.Initializers;

/// <summary>
/// The LeCun normal initializer: a truncated normal with standard deviation √(1 / fan_in).
/// </summary>
/// <remarks>Keras's <c>keras.initializers.LecunNormal</c> (name "lecun_normal"): <see cref="VarianceScaling"/> with scale 1, mode "fan_in", distribution "truncated_normal".</remarks>
public sealed class LecunNormal : VarianceScaling
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="seed">Seed; null draws from <see cref="RandomGenerator.Global"/>.</param>
    public LecunNormal(long? seed = null) : base(1f, "fan_in", "truncated_normal", seed) { }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = Seed };
}
