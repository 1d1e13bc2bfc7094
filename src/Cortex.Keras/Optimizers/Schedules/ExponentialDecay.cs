namespace Cortex.Keras.Optimizers.Schedules;

/// <summary>
/// Keras's <c>ExponentialDecay</c>: lr(step) = initial · rate^(step / decaySteps), the exponent floored when
/// <c>staircase</c> (the rate then drops in steps every <c>decaySteps</c> updates).
/// </summary>
public sealed class ExponentialDecay : RateDecaySchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The rate at step 0.</param>
    /// <param name="decaySteps">Steps per decay period; must be &gt; 0.</param>
    /// <param name="decayRate">The factor applied per period.</param>
    /// <param name="staircase">Decay at whole periods only.</param>
    /// <param name="name">Defaults to "ExponentialDecay".</param>
    public ExponentialDecay(double initialLearningRate, double decaySteps, double decayRate, bool staircase = false, string? name = null)
        : base(initialLearningRate, decaySteps, decayRate, staircase, name ?? "ExponentialDecay") { }

    /// <inheritdoc/>
    protected override double Compute(double step) => InitialLearningRate * Math.Pow(DecayRate, Periods(step));
}
