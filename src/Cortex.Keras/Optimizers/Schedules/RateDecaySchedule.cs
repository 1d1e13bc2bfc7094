namespace Cortex.Keras.Optimizers.Schedules;

/// <summary>
/// The schedules configured by Keras's <c>(initial_learning_rate, decay_steps, decay_rate, staircase)</c>:
/// <see cref="ExponentialDecay"/> and <see cref="InverseTimeDecay"/>. Both decay by a function of the number of
/// periods elapsed, <c>step / decaySteps</c>, floored when <see cref="Staircase"/>.
/// </summary>
public abstract class RateDecaySchedule : DecaySchedule
{
    /// <summary>Validates and stores the configuration.</summary>
    /// <param name="initialLearningRate">The rate at step 0.</param>
    /// <param name="decaySteps">Steps per decay period; must be &gt; 0.</param>
    /// <param name="decayRate">The decay rate.</param>
    /// <param name="staircase">Decay at whole periods only.</param>
    /// <param name="name">The schedule's name.</param>
    protected RateDecaySchedule(double initialLearningRate, double decaySteps, double decayRate, bool staircase, string name)
        : base(initialLearningRate, decaySteps, name)
    {
        DecayRate = decayRate;
        Staircase = staircase;
    }

    /// <summary>The decay rate.</summary>
    public double DecayRate { get; }

    /// <summary>Whether the number of periods is floored (the rate then drops in steps every <see cref="DecaySchedule.DecaySteps"/> updates).</summary>
    public bool Staircase { get; }

    /// <summary>The periods elapsed at <paramref name="step"/>: <c>step / decaySteps</c>, floored when <see cref="Staircase"/>.</summary>
    protected double Periods(double step)
    {
        double p = step / DecaySteps;
        return Staircase ? Math.Floor(p) : p;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["initial_learning_rate"] = InitialLearningRate, ["decay_steps"] = DecaySteps, ["decay_rate"] = DecayRate,
        ["staircase"] = Staircase, ["name"] = Name,
    };
}
