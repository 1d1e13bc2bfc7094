using Cortex.Keras.ModelSelection;

namespace Cortex.Keras.Preprocessing.Scalers;

/// <summary>
/// Standardizes each feature to zero mean and unit variance (scikit-learn's <c>StandardScaler</c>):
/// <c>z = (x − mean) / scale</c>, with the population standard deviation (ddof = 0) as scale; a feature with zero
/// variance gets scale 1, as in scikit-learn. (n, t, f) series are standardized per feature over all time steps
/// (see <see cref="FeatureScaler"/>).
/// </summary>
/// <param name="withMean">Whether to subtract the mean (sklearn's <c>with_mean</c>).</param>
/// <param name="withStd">Whether to divide by the standard deviation (sklearn's <c>with_std</c>).</param>
public sealed class StandardScaler(bool withMean = true, bool withStd = true) : FeatureScaler
{
    private double[]? _mean, _var;

    /// <summary>Whether the mean is subtracted.</summary>
    public bool WithMean { get; private set; } = withMean;

    /// <summary>Whether values are divided by the standard deviation.</summary>
    public bool WithStd { get; private set; } = withStd;

    /// <summary>Per-feature mean seen by Fit (sklearn's <c>mean_</c>; computed even when <see cref="WithMean"/> is false).</summary>
    public IReadOnlyList<double> Mean => _mean ?? throw new InvalidOperationException("This StandardScaler instance is not fitted yet.");

    /// <summary>Per-feature population variance (sklearn's <c>var_</c>).</summary>
    public IReadOnlyList<double> Variance => _var ?? throw new InvalidOperationException("This StandardScaler instance is not fitted yet.");

    /// <summary>Per-feature divisor (sklearn's <c>scale_</c>): the std, 1 where it is zero, all 1 when <see cref="WithStd"/> is false.</summary>
    public IReadOnlyList<double> Scale => MapScale.ToArray().Select(s => 1.0 / s).ToArray();

    /// <inheritdoc/>
    protected override (double[] Scale, double[] Offset) ComputeMap(long rows, int features, ReadOnlySpan<float> data)
    {
        var mean = new double[features];
        var count = new long[features];
        for (int i = 0; i < data.Length; i++)
            if (!float.IsNaN(data[i])) { mean[i % features] += data[i]; count[i % features]++; }
        for (int f = 0; f < features; f++) mean[f] = count[f] > 0 ? mean[f] / count[f] : double.NaN;
        var variance = new double[features];
        for (int i = 0; i < data.Length; i++)
            if (!float.IsNaN(data[i])) { double d = data[i] - mean[i % features]; variance[i % features] += d * d; }
        var scale = new double[features];
        var offset = new double[features];
        for (int f = 0; f < features; f++)
        {
            variance[f] = count[f] > 0 ? variance[f] / count[f] : double.NaN;
            // sklearn's constant-feature test: var <= n·ε·var + (n·mean·ε)², so rounding noise is not taken as variance.
            double n = count[f], bound = n * MachineEpsilon * variance[f] + Math.Pow(n * mean[f] * MachineEpsilon, 2);
            double std = WithStd ? HandleZero(Math.Sqrt(variance[f]), variance[f] <= bound) : 1.0;
            scale[f] = 1.0 / std;
            offset[f] = WithMean ? -mean[f] / std : 0.0;
        }
        _mean = mean;
        _var = variance;
        return (scale, offset);
    }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetParams() =>
        new Dictionary<string, object?> { ["with_mean"] = WithMean, ["with_std"] = WithStd };

    /// <inheritdoc/>
    public override void SetParams(IReadOnlyDictionary<string, object?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (k, v) in parameters)
        {
            Parameters.CheckKnown(Owner, k, GetParams().Keys);
            if (k == "with_mean") WithMean = Parameters.ToBool(k, v);
            else WithStd = Parameters.ToBool(k, v);
        }
    }

    /// <inheritdoc/>
    public override ITransformer Clone() => new StandardScaler(WithMean, WithStd);

    /// <inheritdoc/>
    public override string ToString() => $"StandardScaler(with_mean={WithMean}, with_std={WithStd})";
}
