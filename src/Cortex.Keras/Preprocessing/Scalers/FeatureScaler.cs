using Cortex.Keras.ModelSelection;

namespace Cortex.Keras.Preprocessing.Scalers;

/// <summary>
/// The base of the per-feature scalers (<see cref="StandardScaler"/>, <see cref="MinMaxScaler"/>): each feature
/// (the last axis) gets an affine map <c>x' = x · Scale + Offset</c> learned by <see cref="Fit"/>.
/// </summary>
/// <remarks>
/// Inputs are (n, features) as in scikit-learn, or (n, timesteps, features) series: these are flattened over time,
/// i.e. treated as n·timesteps rows of the same features, so every time step of a feature shares one scale (what a
/// recurrent model on standardized series needs). The output has the input's shape. Statistics are accumulated in
/// double precision. NaN values are ignored by <see cref="Fit"/> and stay NaN (as in scikit-learn).
/// </remarks>
public abstract class FeatureScaler : ITransformer
{
    private double[]? _scale, _offset;

    /// <summary>The number of features seen by <see cref="Fit"/> (sklearn's <c>n_features_in_</c>); 0 before.</summary>
    public int FeatureCount { get; private set; }

    /// <summary>The number of rows (samples, or samples × time steps) seen by <see cref="Fit"/> (sklearn's <c>n_samples_seen_</c>).</summary>
    public long SamplesSeen { get; private set; }

    /// <summary>Whether <see cref="Fit"/> has run.</summary>
    public bool IsFitted => _scale is not null;

    /// <summary>The class name used in messages.</summary>
    protected string Owner => GetType().Name;

    /// <inheritdoc/>
    public ITransformer Fit(Tensor x)
    {
        var (rows, features, data) = Rows(x, "Fit", expectFeatures: null);
        var (scale, offset) = ComputeMap(rows, features, data);
        _scale = scale;
        _offset = offset;
        FeatureCount = features;
        SamplesSeen = rows;
        return this;
    }

    /// <inheritdoc/>
    public Tensor Transform(Tensor x) => Apply(x, "Transform", inverse: false);

    /// <inheritdoc/>
    public Tensor FitTransform(Tensor x)
    {
        Fit(x);
        return Transform(x);
    }

    /// <inheritdoc/>
    public Tensor InverseTransform(Tensor x) => Apply(x, "InverseTransform", inverse: true);

    /// <inheritdoc/>
    public abstract IReadOnlyDictionary<string, object?> GetParams();

    /// <inheritdoc/>
    public abstract void SetParams(IReadOnlyDictionary<string, object?> parameters);

    /// <inheritdoc/>
    public abstract ITransformer Clone();

    /// <summary>
    /// Learns the per-feature map from <paramref name="rows"/> rows of <paramref name="features"/> values
    /// (row-major in <paramref name="data"/>): returns (scale, offset), each one value per feature.
    /// </summary>
    protected abstract (double[] Scale, double[] Offset) ComputeMap(long rows, int features, ReadOnlySpan<float> data);

    /// <summary>Post-processing of one transformed value (e.g. clipping); identity by default.</summary>
    protected virtual double AfterTransform(double value) => value;

    /// <summary>Machine epsilon of double (numpy's <c>finfo(float64).eps</c>).</summary>
    protected const double MachineEpsilon = 2.220446049250313e-16;

    /// <summary>sklearn's <c>_handle_zeros_in_scale</c>: a scale below 10·ε (or one flagged constant) becomes 1.</summary>
    /// <param name="scale">A feature's std or range.</param>
    /// <param name="constant">Whether the feature was found constant (sklearn's <c>constant_mask</c>).</param>
    protected static double HandleZero(double scale, bool constant = false) =>
        constant || scale < 10 * MachineEpsilon ? 1.0 : scale;

    /// <summary>The learned per-feature multiplier (x' = x·scale + offset).</summary>
    protected ReadOnlySpan<double> MapScale => _scale ?? throw NotFitted();

    /// <summary>The learned per-feature offset.</summary>
    protected ReadOnlySpan<double> MapOffset => _offset ?? throw NotFitted();

    private Exception NotFitted() => new InvalidOperationException(
        $"This {Owner} instance is not fitted yet. Call 'Fit' with appropriate arguments before using this estimator.");

    private Tensor Apply(Tensor x, string what, bool inverse)
    {
        if (_scale is null || _offset is null) throw NotFitted();
        var (_, features, data) = Rows(x, what, FeatureCount);
        var result = new float[data.Length];
        for (int i = 0; i < data.Length; i++)
        {
            int f = i % features;
            double v = data[i];
            result[i] = inverse
                ? (float)((v - _offset[f]) / _scale[f])
                : (float)AfterTransform(v * _scale[f] + _offset[f]);
        }
        return Tensor.FromArray(result, x.Shape.ToArray());
    }

    private (long Rows, int Features, float[] Data) Rows(Tensor x, string what, int? expectFeatures)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank is not 2 and not 3)
            throw new ArgumentException($"{Owner}.{what} expects a 2D array (n_samples, n_features) or a 3D series (n, timesteps, n_features); got shape {x.ShapeString}.", nameof(x));
        int features = x.Shape[^1];
        if (features == 0 || x.Size == 0)
            throw new ArgumentException($"{Owner}.{what}: found array with 0 samples or 0 features (shape {x.ShapeString}).", nameof(x));
        if (expectFeatures is { } e && e != features)
            throw new ArgumentException($"X has {features} features, but {Owner} is expecting {e} features as input.", nameof(x));
        var data = x.Contiguous().ToArray();
        foreach (float v in data)
            if (float.IsInfinity(v)) throw new ArgumentException($"{Owner}.{what}: input X contains infinity.", nameof(x));
        return (data.Length / features, features, data);
    }
}
