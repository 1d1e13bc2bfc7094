namespace Cortex.Keras.Optimizers.Schedules;

/// <summary>
/// Keras's <c>PolynomialDecay</c>: lr(step) = (initial − end) · (1 − step / decaySteps)^power + end, with the step
/// held at decaySteps after it (the rate stays at <c>endLearningRate</c>), or, when <c>cycle</c>, decaySteps
/// multiplied by ⌈step / decaySteps⌉ (1 at step 0) so the decay restarts from a lower rate each period.
/// </summary>
public sealed class PolynomialDecay : DecaySchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The rate at step 0.</param>
    /// <param name="decaySteps">Steps to reach the end rate; must be &gt; 0.</param>
    /// <param name="endLearningRate">The final rate. Defaults to 1e-4.</param>
    /// <param name="power">The polynomial's power. Defaults to 1 (linear).</param>
    /// <param name="cycle">Whether to restart past decaySteps.</param>
    /// <param name="name">Defaults to "PolynomialDecay".</param>
    public PolynomialDecay(double initialLearningRate, double decaySteps, double endLearningRate = 1e-4, double power = 1.0, bool cycle = false, string? name = null)
        : base(initialLearningRate, decaySteps, name ?? "PolynomialDecay")
    {
        EndLearningRate = endLearningRate; Power = power; Cycle = cycle;
    }

    /// <summary>The final rate.</summary>
    public double EndLearningRate { get; }
    /// <summary>The power.</summary>
    public double Power { get; }
    /// <summary>Whether the decay restarts.</summary>
    public bool Cycle { get; }

    /// <inheritdoc/>
    protected override double Compute(double step)
    {
        double steps = DecaySteps;
        if (Cycle) steps *= step == 0 ? 1.0 : Math.Ceiling(step / DecaySteps);
        else step = Math.Min(step, DecaySteps);
        double p = step / steps;
        return (InitialLearningRate - EndLearningRate) * Math.Pow(1 - p, Power) + EndLearningRate;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["initial_learning_rate"] = InitialLearningRate, ["decay_steps"] = DecaySteps, ["end_learning_rate"] = EndLearningRate,
        ["power"] = Power, ["cycle"] = Cycle, ["name"] = Name,
    };
}
