using Cortex.Keras.ModelSelection;

namespace Cortex.Keras.Preprocessing.Scalers;

/// <summary>
/// Scales each feature to a range (scikit-learn's <c>MinMaxScaler</c>): <c>x' = (x − min) / (max − min) · (hi − lo) + lo</c>
/// with (lo, hi) = <see cref="FeatureRange"/>; a constant feature (max = min) gets range 1, as in scikit-learn, so it maps
/// to <c>lo</c>. With <see cref="Clip"/>, transformed values outside the range (new data beyond the fitted min/max) are
/// clipped. (n, t, f) series share one min/max per feature over all time steps (see <see cref="FeatureScaler"/>).
/// </summary>
public sealed class MinMaxScaler : FeatureScaler
{
    private double[]? _min, _max;

    /// <summary>Creates a scaler.</summary>
    /// <param name="featureRange">The target range (lo, hi), lo &lt; hi; default (0, 1).</param>
    /// <param name="clip">Whether transformed values are clipped to the range.</param>
    /// <exception cref="ArgumentException">lo ≥ hi.</exception>
    public MinMaxScaler((double Min, double Max)? featureRange = null, bool clip = false)
    {
        FeatureRange = CheckRange(featureRange ?? (0, 1));
        Clip = clip;
    }

    /// <summary>The target range (lo, hi).</summary>
    public (double Min, double Max) FeatureRange { get; private set; }

    /// <summary>Whether transformed values are clipped to <see cref="FeatureRange"/>.</summary>
    public bool Clip { get; private set; }

    /// <summary>Per-feature minimum seen by Fit (sklearn's <c>data_min_</c>).</summary>
    public IReadOnlyList<double> DataMin => _min ?? throw new InvalidOperationException("This MinMaxScaler instance is not fitted yet.");

    /// <summary>Per-feature maximum seen by Fit (sklearn's <c>data_max_</c>).</summary>
    public IReadOnlyList<double> DataMax => _max ?? throw new InvalidOperationException("This MinMaxScaler instance is not fitted yet.");

    private static (double, double) CheckRange((double Min, double Max) r) => r.Min < r.Max ? r
        : throw new ArgumentException($"Minimum of desired feature range must be smaller than maximum. Got ({Parameters.Format(r.Min)}, {Parameters.Format(r.Max)}).");

    /// <inheritdoc/>
    protected override (double[] Scale, double[] Offset) ComputeMap(long rows, int features, ReadOnlySpan<float> data)
    {
        var min = Enumerable.Repeat(double.PositiveInfinity, features).ToArray();
        var max = Enumerable.Repeat(double.NegativeInfinity, features).ToArray();
        for (int i = 0; i < data.Length; i++)
        {
            if (float.IsNaN(data[i])) continue;
            int f = i % features;
            if (data[i] < min[f]) min[f] = data[i];
            if (data[i] > max[f]) max[f] = data[i];
        }
        var scale = new double[features];
        var offset = new double[features];
        var (lo, hi) = FeatureRange;
        for (int f = 0; f < features; f++)
        {
            if (double.IsInfinity(min[f])) { min[f] = max[f] = double.NaN; }
            scale[f] = (hi - lo) / HandleZero(max[f] - min[f]);
            offset[f] = lo - min[f] * scale[f];
        }
        _min = min;
        _max = max;
        return (scale, offset);
    }

    /// <inheritdoc/>
    protected override double AfterTransform(double value) =>
        Clip && !double.IsNaN(value) ? Math.Clamp(value, FeatureRange.Min, FeatureRange.Max) : value;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, object?> GetParams() =>
        new Dictionary<string, object?> { ["feature_range"] = FeatureRange, ["clip"] = Clip };

    /// <inheritdoc/>
    public override void SetParams(IReadOnlyDictionary<string, object?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        foreach (var (k, v) in parameters)
        {
            Parameters.CheckKnown(Owner, k, GetParams().Keys);
            if (k == "clip") Clip = Parameters.ToBool(k, v);
            else FeatureRange = v is ValueTuple<double, double> r ? CheckRange(r)
                : throw new ArgumentException($"Parameter 'feature_range' must be a (min, max) tuple of doubles. Received: feature_range={Parameters.Format(v)}");
        }
    }

    /// <inheritdoc/>
    public override ITransformer Clone() => new MinMaxScaler(FeatureRange, Clip);

    /// <inheritdoc/>
    public override string ToString() => $"MinMaxScaler(feature_range=({FeatureRange.Min}, {FeatureRange.Max}), clip={Clip})";
}
