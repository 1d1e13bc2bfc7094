namespace Cortex.Keras.Optimizers.Schedules;

/// <summary>
/// Keras's <c>CosineDecayRestarts</c> (SGDR, Loshchilov and Hutter): cosine decays over periods of
/// <c>firstDecaySteps</c>, then ×tMul longer each restart, each restart's peak ×mMul lower.
/// </summary>
/// <remarks>
/// With f = step / firstDecaySteps: for tMul = 1, i = ⌊f⌋ and f ← f − i; otherwise
/// i = ⌊log(1 − f(1 − tMul)) / log tMul⌋ and f ← (f − (1 − tMul^i)/(1 − tMul)) / tMul^i. Then
/// lr = initial · ((1 − α) · ½ mMul^i (1 + cos(π f)) + α).
/// </remarks>
public sealed class CosineDecayRestarts : DecaySchedule
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initialLearningRate">The rate at step 0.</param>
    /// <param name="firstDecaySteps">The first period's length; must be &gt; 0.</param>
    /// <param name="tMul">Factor by which each period is longer than the last. Defaults to 2.</param>
    /// <param name="mMul">Factor by which each restart's rate is lower. Defaults to 1.</param>
    /// <param name="alpha">The minimum rate as a fraction of the initial rate. Defaults to 0.</param>
    /// <param name="name">Defaults to "SGDRDecay" (Keras's default).</param>
    public CosineDecayRestarts(double initialLearningRate, double firstDecaySteps, double tMul = 2.0, double mMul = 1.0, double alpha = 0.0, string? name = null)
        : base(initialLearningRate, firstDecaySteps, name ?? "SGDRDecay", "first_decay_steps", nameof(firstDecaySteps))
    {
        CheckPositive(tMul, "t_mul", nameof(tMul));
        TMul = tMul; MMul = mMul; Alpha = alpha;
    }

    /// <summary>The first period's length (Keras's <c>first_decay_steps</c>; the same as <see cref="DecaySchedule.DecaySteps"/>).</summary>
    public double FirstDecaySteps => DecaySteps;
    /// <summary>The period growth factor.</summary>
    public double TMul { get; }
    /// <summary>The restart rate factor.</summary>
    public double MMul { get; }
    /// <summary>The minimum fraction.</summary>
    public double Alpha { get; }

    /// <inheritdoc/>
    protected override double Compute(double step)
    {
        double f = step / FirstDecaySteps, restart;
        if (TMul == 1.0)
        {
            restart = Math.Floor(f);
            f -= restart;
        }
        else
        {
            restart = Math.Floor(Math.Log(1.0 - f * (1.0 - TMul)) / Math.Log(TMul));
            double sum = (1.0 - Math.Pow(TMul, restart)) / (1.0 - TMul);
            f = (f - sum) / Math.Pow(TMul, restart);
        }
        double cosine = 0.5 * Math.Pow(MMul, restart) * (1.0 + Math.Cos(Math.PI * f));
        return InitialLearningRate * ((1 - Alpha) * cosine + Alpha);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["initial_learning_rate"] = InitialLearningRate, ["first_decay_steps"] = FirstDecaySteps, ["t_mul"] = TMul,
        ["m_mul"] = MMul, ["alpha"] = Alpha, ["name"] = Name,
    };
}
