namespace Cortex.Keras.Optimizers.Schedules;

/// <summary>
/// What the decaying schedules share: the rate at step 0 and the length in steps of the decay (or of its first
/// period), which Keras requires to be positive.
/// </summary>
public abstract class DecaySchedule : LearningRateSchedule
{
    /// <summary>Validates and stores the initial rate and the decay length.</summary>
    /// <param name="initialLearningRate">The rate at step 0.</param>
    /// <param name="decaySteps">The decay's length in steps; must be &gt; 0.</param>
    /// <param name="name">The schedule's name.</param>
    /// <param name="decayStepsArgument">The Keras name of <paramref name="decaySteps"/> in the error message
    /// ("decay_steps"; CosineDecayRestarts's is "first_decay_steps").</param>
    /// <param name="decayStepsParameter">The derived constructor's parameter name, for the exception's ParamName.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="decaySteps"/> is not positive.</exception>
    protected DecaySchedule(double initialLearningRate, double decaySteps, string name,
        string decayStepsArgument = "decay_steps", string decayStepsParameter = "decaySteps")
        : base(name)
    {
        CheckPositive(decaySteps, decayStepsArgument, decayStepsParameter);
        InitialLearningRate = initialLearningRate;
        DecaySteps = decaySteps;
    }

    /// <summary>The rate at step 0.</summary>
    public double InitialLearningRate { get; }

    /// <summary>The decay's length in steps (for <see cref="CosineDecayRestarts"/>, the first period's).</summary>
    public double DecaySteps { get; }
}
