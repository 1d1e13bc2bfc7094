namespace Cortex.Keras.Initializers;

/// <summary>
/// Random values whose scale adapts to the shape of the weight (Keras's <c>keras.initializers.VarianceScaling</c>,
/// name "variance_scaling"); the base of the Glorot, He and LeCun initializers.
/// </summary>
/// <remarks>
/// <para>With n = max(1, fan_in), max(1, fan_out) or max(1, (fan_in + fan_out)/2) for mode "fan_in", "fan_out" or
/// "fan_avg" (see <see cref="ComputeFans"/>):</para>
/// <list type="bullet">
/// <item>"truncated_normal" (alias "normal"): N(0, σ²) truncated at ±2σ, σ = √(scale/n) / 0.87962566103423978 — the
/// constant is the standard deviation of a unit normal truncated at ±2, so the result has standard deviation √(scale/n).</item>
/// <item>"untruncated_normal": N(0, scale/n).</item>
/// <item>"uniform": U[−limit, limit), limit = √(3·scale/n).</item>
/// </list>
/// <para>Defaults (Keras 3): scale 1.0, mode "fan_in", distribution "truncated_normal", seed none.</para>
/// </remarks>
public class VarianceScaling : RandomInitializer
{
    /// <summary>Standard deviation of a unit normal truncated to [−2, 2] (Keras's correction constant).</summary>
    public const double TruncatedNormalStddev = 0.87962566103423978;

    private static readonly string[] Modes = { "fan_in", "fan_out", "fan_avg" };
    private static readonly string[] Distributions = { "uniform", "truncated_normal", "untruncated_normal" };

    /// <summary>Creates the initializer.</summary>
    /// <param name="scale">Positive scaling factor. Defaults to 1.</param>
    /// <param name="mode">"fan_in", "fan_out" or "fan_avg". Defaults to "fan_in".</param>
    /// <param name="distribution">"truncated_normal" (or "normal"), "untruncated_normal" or "uniform". Defaults to "truncated_normal".</param>
    /// <param name="seed">Seed; null draws from <see cref="RandomGenerator.Global"/>.</param>
    /// <exception cref="ArgumentException">A non-positive scale, or an unknown mode or distribution.</exception>
    public VarianceScaling(float scale = 1f, string mode = "fan_in", string distribution = "truncated_normal", long? seed = null) : base(seed)
    {
        ArgumentNullException.ThrowIfNull(mode);
        ArgumentNullException.ThrowIfNull(distribution);
        if (!(scale > 0f))
            throw new ArgumentOutOfRangeException(nameof(scale), $"Argument `scale` must be positive float. Received: scale={scale}");
        if (Array.IndexOf(Modes, mode) < 0)
            throw new ArgumentException($"Invalid `mode` argument: expected one of {string.Join(", ", Modes)}. Received: mode={mode}", nameof(mode));
        var dist = distribution.ToLowerInvariant();
        if (dist == "normal") dist = "truncated_normal";
        if (Array.IndexOf(Distributions, dist) < 0)
            throw new ArgumentException($"Invalid `distribution` argument: expected one of {string.Join(", ", Distributions)}. Received: distribution={distribution}", nameof(distribution));
        Scale = scale;
        Mode = mode;
        Distribution = dist;
    }

    /// <summary>The scaling factor.</summary>
    public float Scale { get; }
    /// <summary>"fan_in", "fan_out" or "fan_avg".</summary>
    public string Mode { get; }
    /// <summary>"truncated_normal", "untruncated_normal" or "uniform".</summary>
    public string Distribution { get; }

    /// <summary>
    /// Keras's <c>compute_fans</c>: rank 0 → (1, 1); rank 1 → (n, n); rank 2 (in, out) → (in, out); rank &gt; 2, a
    /// convolution kernel (..., in, out) → (in·r, out·r) with r the product of all but the last two sizes.
    /// </summary>
    public static (long FanIn, long FanOut) ComputeFans(IReadOnlyList<int> shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        int rank = shape.Count;
        if (rank == 0) return (1, 1);
        if (rank == 1) return (shape[0], shape[0]);
        if (rank == 2) return (shape[0], shape[1]);
        long receptive = 1;
        for (int i = 0; i < rank - 2; i++) receptive *= shape[i];
        return (shape[rank - 2] * receptive, shape[rank - 1] * receptive);
    }

    /// <summary>The variance scale/n this initializer targets for <paramref name="shape"/>.</summary>
    public double TargetVariance(IReadOnlyList<int> shape)
    {
        var (fanIn, fanOut) = ComputeFans(shape);
        double n = Mode switch
        {
            "fan_in" => Math.Max(1.0, fanIn),
            "fan_out" => Math.Max(1.0, fanOut),
            _ => Math.Max(1.0, (fanIn + fanOut) / 2.0),
        };
        return Scale / n;
    }

    /// <inheritdoc/>
    public override Tensor Call(int[] shape)
    {
        var t = NewTensor(shape);
        double variance = TargetVariance(shape);
        var rng = Generator();
        switch (Distribution)
        {
            case "truncated_normal":
                rng.FillTruncatedNormal(t.Span, 0f, (float)(Math.Sqrt(variance) / TruncatedNormalStddev));
                break;
            case "untruncated_normal":
                rng.FillNormal(t.Span, 0f, (float)Math.Sqrt(variance));
                break;
            default:
                float limit = (float)Math.Sqrt(3.0 * variance);
                rng.FillUniform(t.Span, -limit, limit);
                break;
        }
        return t;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["scale"] = Scale;
        c["mode"] = Mode;
        c["distribution"] = Distribution;
        return c;
    }
}
