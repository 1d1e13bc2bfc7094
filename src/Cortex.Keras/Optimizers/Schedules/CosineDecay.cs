namespace Cortex.Keras.Optimizers.Schedules;

/// <summary>
/// Keras 3's <c>CosineDecay</c> (SGDR without restarts, Loshchilov and Hutter), with an optional linear warmup.
/// </summary>
/// <remarks>
/// <para>Without warmup (<c>warmupTarget</c> null): s = min(step, decaySteps),
/// lr = initial · ((1 − α) · ½(1 + cos(π s / decaySteps)) + α).</para>
/// <para>With warmup: s = min(step, decaySteps + warmupSteps); while s &lt; warmupSteps the rate rises linearly,
/// lr = initial + (warmupTarget − initial) · s / warmupSteps; afterwards it decays from warmupTarget as above over
/// s − warmupSteps.</para>
/// </remarks>
public sealed class CosineDecay : DecaySchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The rate at step 0 (the start of the warmup, if any).</param>
    /// <param name="decaySteps">Steps to decay over; must be &gt; 0.</param>
    /// <param name="alpha">The minimum rate as a fraction of the decay's start rate. Defaults to 0.</param>
    /// <param name="warmupTarget">The rate reached at the end of the warmup; null: no warmup.</param>
    /// <param name="warmupSteps">The warmup's length in steps. Defaults to 0.</param>
    /// <param name="name">Defaults to "CosineDecay".</param>
    public CosineDecay(double initialLearningRate, double decaySteps, double alpha = 0.0, double? warmupTarget = null, double warmupSteps = 0, string? name = null)
        : base(initialLearningRate, decaySteps, name ?? "CosineDecay")
    {
        if (warmupTarget is not null && !(warmupSteps > 0))
            throw new ArgumentOutOfRangeException(nameof(warmupSteps), $"CosineDecay: a warmup_target needs warmup_steps > 0. Received: warmup_steps={warmupSteps}");
        Alpha = alpha; WarmupTarget = warmupTarget; WarmupSteps = warmupSteps;
    }

    /// <summary>The minimum fraction.</summary>
    public double Alpha { get; }
    /// <summary>The warmup's end rate, or null.</summary>
    public double? WarmupTarget { get; }
    /// <summary>The warmup's length.</summary>
    public double WarmupSteps { get; }

    /// <inheritdoc/>
    protected override double Compute(double step)
    {
        if (WarmupTarget is not { } target) return Decayed(Math.Min(step, DecaySteps), InitialLearningRate);
        step = Math.Min(step, DecaySteps + WarmupSteps);
        return step < WarmupSteps
            ? (target - InitialLearningRate) * (step / WarmupSteps) + InitialLearningRate
            : Decayed(step - WarmupSteps, target);
    }

    private double Decayed(double step, double from)
    {
        double cosine = 0.5 * (1.0 + Math.Cos(Math.PI * step / DecaySteps));
        return from * ((1 - Alpha) * cosine + Alpha);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["initial_learning_rate"] = InitialLearningRate, ["decay_steps"] = DecaySteps, ["alpha"] = Alpha, ["name"] = Name,
        ["warmup_target"] = WarmupTarget, ["warmup_steps"] = WarmupSteps,
    };
}
