namespace Cortex.Keras.Initializers;

/// <summary>
/// The base of the random initializers: an optional seed. With a seed every call draws the same values (Keras's
/// integer seed); without one each call draws fresh values from <see cref="RandomGenerator.Global"/>, so
/// <see cref="RandomGenerator.SetGlobalSeed"/> makes a whole run repeatable.
/// </summary>
public abstract class RandomInitializer : Initializer
{
    /// <summary>Stores the seed.</summary>
    protected RandomInitializer(long? seed) => Seed = seed;

    /// <summary>The seed, or null to draw from <see cref="RandomGenerator.Global"/>.</summary>
    public long? Seed { get; }

    /// <summary>The generator one call draws from: a fresh one from <see cref="Seed"/>, else the global one.</summary>
    protected RandomGenerator Generator() => Seed is { } s ? new RandomGenerator(s) : RandomGenerator.Global;

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["seed"] = Seed };
}
