namespace Cortex.Keras.Optimizers.Schedules;

/// <summary>
/// Keras's <c>ExponentialDecay</c>: lr(step) = initial · rate^(step / decaySteps), the exponent floored when
/// <c>staircase</c> (the rate then drops in steps every <c>decaySteps</c> updates).
/// </summary>
public sealed class ExponentialDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The rate at step 0.</param>
    /// <param name="decaySteps">Steps per decay period; must be &gt; 0.</param>
    /// <param name="decayRate">The factor applied per period.</param>
    /// <param name="staircase">Decay at whole periods only.</param>
    /// <param name="name">Defaults to "ExponentialDecay".</param>
    public ExponentialDecay(double initialLearningRate, double decaySteps, double decayRate, bool staircase = false, string? name = null)
        : base(name ?? "ExponentialDecay")
    {
        CheckPositive(decaySteps, "decay_steps", nameof(decaySteps));
        InitialLearningRate = initialLearningRate; DecaySteps = decaySteps; DecayRate = decayRate; Staircase = staircase;
    }

    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; }
    /// <summary>Steps per decay period.</summary>
    public double DecaySteps { get; }
    /// <summary>The factor per period.</summary>
    public double DecayRate { get; }
    /// <summary>Whether the exponent is floored.</summary>
    public bool Staircase { get; }

    /// <inheritdoc/>
    protected override double Compute(double step)
    {
        double p = step / DecaySteps;
        if (Staircase) p = Math.Floor(p);
        return InitialLearningRate * Math.Pow(DecayRate, p);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["initial_learning_rate"] = InitialLearningRate, ["decay_steps"] = DecaySteps, ["decay_rate"] = DecayRate,
        ["staircase"] = Staircase, ["name"] = Name,
    };
}
