namespace Cortex.Keras.Optimizers.Schedules;

/// <summary>
/// Keras's <c>InverseTimeDecay</c>: lr(step) = initial / (1 + rate · step / decaySteps), the ratio floored when
/// <c>staircase</c>.
/// </summary>
public sealed class InverseTimeDecay : RateDecaySchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The rate at step 0.</param>
    /// <param name="decaySteps">How often to apply the decay; must be &gt; 0.</param>
    /// <param name="decayRate">The decay rate.</param>
    /// <param name="staircase">Apply the decay at whole periods only.</param>
    /// <param name="name">Defaults to "InverseTimeDecay".</param>
    public InverseTimeDecay(double initialLearningRate, double decaySteps, double decayRate, bool staircase = false, string? name = null)
        : base(initialLearningRate, decaySteps, decayRate, staircase, name ?? "InverseTimeDecay") { }

    /// <inheritdoc/>
    protected override double Compute(double step) => InitialLearningRate / (1 + DecayRate * Periods(step));
}
