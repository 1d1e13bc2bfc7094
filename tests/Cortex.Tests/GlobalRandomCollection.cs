namespace Cortex.Tests;

/// <summary>
/// Tests that seed or draw from the process-wide <see cref="RandomGenerator.Global"/> (unseeded initializers, dropout,
/// shuffling in Fit) and expect repeatable numbers run in this collection, alone, so no other test draws meanwhile.
/// </summary>
[CollectionDefinition(nameof(GlobalRandomCollection), DisableParallelization = true)]
public sealed class GlobalRandomCollection { }
