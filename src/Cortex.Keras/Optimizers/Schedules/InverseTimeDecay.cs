namespace Cortex.Keras.Optimizers.Schedules;

/// <summary>
/// Keras's <c>InverseTimeDecay</c>: lr(step) = initial / (1 + rate · step / decaySteps), the ratio floored when
/// <c>staircase</c>.
/// </summary>
public sealed class InverseTimeDecay : LearningRateSchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The rate at step 0.</param>
    /// <param name="decaySteps">How often to apply the decay; must be &gt; 0.</param>
    /// <param name="decayRate">The decay rate.</param>
    /// <param name="staircase">Apply the decay at whole periods only.</param>
    /// <param name="name">Defaults to "InverseTimeDecay".</param>
    public InverseTimeDecay(double initialLearningRate, double decaySteps, double decayRate, bool staircase = false, string? name = null)
        : base(name ?? "InverseTimeDecay")
    {
        CheckPositive(decaySteps, "decay_steps", nameof(decaySteps));
        InitialLearningRate = initialLearningRate; DecaySteps = decaySteps; DecayRate = decayRate; Staircase = staircase;
    }

    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; }
    /// <summary>Steps per decay period.</summary>
    public double DecaySteps { get; }
    /// <summary>The decay rate.</summary>
    public double DecayRate { get; }
    /// <summary>Whether the ratio is floored.</summary>
    public bool Staircase { get; }

    /// <inheritdoc/>
    protected override double Compute(double step)
    {
        double p = step / DecaySteps;
        if (Staircase) p = Math.Floor(p);
        return InitialLearningRate / (1 + DecayRate * p);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["initial_learning_rate"] = InitialLearningRate, ["decay_steps"] = DecaySteps, ["decay_rate"] = DecayRate,
        ["staircase"] = Staircase, ["name"] = Name,
    };
}
