namespace Cortex.Keras.ModelSelection;

/// <summary>
/// A chain of transformers ending in an estimator (scikit-learn's <c>Pipeline</c>): <see cref="Fit"/> fits each
/// transformer on the data it receives (FitTransform) and the estimator on the result; <see cref="Predict"/> and
/// <see cref="Score"/> transform with the fitted transformers, then ask the estimator. In cross-validation and the
/// searches each fold fits a <see cref="Clone"/>, so a scaler learns its statistics from that fold's training rows only.
/// </summary>
/// <remarks>
/// Parameters are the steps' parameters prefixed by the step name and two underscores, as in sklearn
/// (<c>scaler__with_mean</c>, <c>model__epochs</c>, <c>model__layers</c>).
/// </remarks>
public sealed class Pipeline : IEstimator
{
    private readonly (string Name, object Step)[] _steps;

    /// <summary>Creates the pipeline.</summary>
    /// <param name="steps">(name, step) pairs: every step but the last an <see cref="ITransformer"/>, the last an <see cref="IEstimator"/>.</param>
    /// <exception cref="ArgumentException">No steps, a duplicate or badly formed name, or a step of the wrong kind (the message names it).</exception>
    public Pipeline(params (string Name, object Step)[] steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        if (steps.Length == 0) throw new ArgumentException("A Pipeline needs at least one step (the final estimator).", nameof(steps));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < steps.Length; i++)
        {
            var (name, step) = steps[i];
            if (string.IsNullOrWhiteSpace(name) || name.Contains("__", StringComparison.Ordinal))
                throw new ArgumentException($"Pipeline step {i} has the name '{name}'; step names must be non-empty and must not contain \"__\".", nameof(steps));
            if (!seen.Add(name)) throw new ArgumentException($"Names provided are not unique: step name '{name}' appears twice.", nameof(steps));
            bool last = i == steps.Length - 1;
            if (last && step is not IEstimator)
                throw new ArgumentException($"The last step of a Pipeline must be an estimator (IEstimator); step '{name}' is {step?.GetType().Name ?? "null"}.", nameof(steps));
            if (!last && step is not ITransformer)
                throw new ArgumentException($"All intermediate steps should be transformers (ITransformer); step '{name}' is {step?.GetType().Name ?? "null"}.", nameof(steps));
        }
        _steps = steps.ToArray();
    }

    /// <summary>The steps, in order.</summary>
    public IReadOnlyList<(string Name, object Step)> Steps => _steps;

    /// <summary>The final estimator.</summary>
    public IEstimator FinalEstimator => (IEstimator)_steps[^1].Step;

    /// <summary>The step named <paramref name="name"/> (sklearn's <c>named_steps</c>).</summary>
    /// <exception cref="KeyNotFoundException">No such step; the message lists the names.</exception>
    public object this[string name] => _steps.FirstOrDefault(s => s.Name == name).Step
        ?? throw new KeyNotFoundException($"Pipeline has no step '{name}'; steps are: {string.Join(", ", _steps.Select(s => s.Name))}.");

    private IEnumerable<(string Name, ITransformer T)> Transformers => _steps[..^1].Select(s => (s.Name, (ITransformer)s.Step));

    /// <inheritdoc/>
    public IEstimator Fit(Tensor x, Tensor y)
    {
        foreach (var (_, t) in Transformers) x = t.FitTransform(x);
        FinalEstimator.Fit(x, y);
        return this;
    }

    /// <summary>The data after every transformer (what the final estimator sees).</summary>
    public Tensor Transform(Tensor x)
    {
        foreach (var (_, t) in Transformers) x = t.Transform(x);
        return x;
    }

    /// <inheritdoc/>
    public Tensor Predict(Tensor x) => FinalEstimator.Predict(Transform(x));

    /// <summary>The final classifier's probabilities on the transformed data.</summary>
    /// <exception cref="InvalidOperationException">The final estimator is not a classifier.</exception>
    public Tensor PredictProba(Tensor x) => FinalEstimator is IClassifier c ? c.PredictProba(Transform(x))
        : throw new InvalidOperationException($"The final step '{_steps[^1].Name}' ({FinalEstimator.GetType().Name}) is not a classifier; it has no PredictProba.");

    /// <inheritdoc/>
    public double Score(Tensor x, Tensor y) => FinalEstimator.Score(Transform(x), y);

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?> GetParams()
    {
        var p = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (name, step) in _steps)
            foreach (var (k, v) in ((IParameterized)step).GetParams()) p[$"{name}__{k}"] = v;
        return p;
    }

    /// <inheritdoc/>
    public void SetParams(IReadOnlyDictionary<string, object?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var valid = GetParams().Keys.ToList();
        foreach (var group in parameters.GroupBy(kv => kv.Key.Split("__", 2)[0], StringComparer.Ordinal))
        {
            foreach (var kv in group) Parameters.CheckKnown("Pipeline", kv.Key, valid);
            var step = (IParameterized)this[group.Key];
            step.SetParams(group.ToDictionary(kv => kv.Key[(group.Key.Length + 2)..], kv => kv.Value, StringComparer.Ordinal));
        }
    }

    /// <inheritdoc/>
    public IEstimator Clone() => new Pipeline(_steps.Select(s => (s.Name, s.Step switch
    {
        ITransformer t => (object)t.Clone(),
        IEstimator e => e.Clone(),
        _ => throw new InvalidOperationException("unreachable"),
    })).ToArray());

    /// <inheritdoc/>
    public override string ToString() => $"Pipeline(steps=[{string.Join(", ", _steps.Select(s => $"('{s.Name}', {s.Step})"))}])";
}
