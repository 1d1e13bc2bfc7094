using System.Globalization;

namespace Cortex.Keras.Optimizers.Schedules;

/// <summary>
/// A learning rate that changes with the optimizer's step (Keras's <c>keras.optimizers.schedules.LearningRateSchedule</c>).
/// Set one as <see cref="Optimizer.LearningRateSchedule"/>: every step then uses <c>schedule.Call(optimizer.Iterations)</c>,
/// the number of steps applied before it (Keras's <c>optimizer.iterations</c>).
/// </summary>
/// <remarks>Values are computed in double precision and returned as float32, as Keras casts them to the variable dtype.</remarks>
public abstract class LearningRateSchedule
{
    /// <summary>Stores the schedule's name.</summary>
    protected LearningRateSchedule(string name) => Name = name;

    /// <summary>The schedule's name (Keras's <c>name</c> argument; the class's Keras default when not given).</summary>
    public string Name { get; }

    /// <summary>The learning rate at optimizer step <paramref name="step"/> (0 for the first update).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The step is negative.</exception>
    public float Call(long step)
    {
        if (step < 0) throw new ArgumentOutOfRangeException(nameof(step), $"{GetType().Name}: the step must be non-negative. Received: step={step}");
        return (float)Compute(step);
    }

    /// <summary>The schedule's formula at step <paramref name="step"/>, in double precision.</summary>
    protected abstract double Compute(double step);

    /// <summary>The configuration Keras saves (<c>get_config</c>): the constructor arguments by their Keras names.</summary>
    public abstract Dictionary<string, object?> GetConfig();

    /// <summary>
    /// Keras's <c>keras.saving.serialize_keras_object(schedule)</c>: the form an optimizer's config holds as its
    /// <c>learning_rate</c> when a schedule is set.
    /// </summary>
    public Dictionary<string, object?> Serialize() => new()
    {
        ["module"] = "keras.optimizers.schedules",
        ["class_name"] = GetType().Name,
        ["config"] = GetConfig(),
        ["registered_name"] = null,
    };

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name}(name={Name})";

    /// <summary>Keras's check that a step count is positive: "Argument `decay_steps` must be > 0. Received: decay_steps=0".</summary>
    protected static void CheckPositive(double value, string kerasName, string paramName)
    {
        if (!(value > 0))
            throw new ArgumentOutOfRangeException(paramName, $"Argument `{kerasName}` must be > 0. Received: {kerasName}={value.ToString(CultureInfo.InvariantCulture)}");
    }
}
