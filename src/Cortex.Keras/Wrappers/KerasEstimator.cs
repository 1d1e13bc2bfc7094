using System.Collections;
using System.Diagnostics.CodeAnalysis;
using Cortex.Keras.Callbacks;
using Cortex.Keras.ModelSelection;
using Cortex.Keras.Models;

namespace Cortex.Keras.Wrappers;

/// <summary>
/// The part shared by <see cref="KerasClassifier"/> and <see cref="KerasRegressor"/> (Keras's former
/// <c>keras.wrappers.scikit_learn</c> / SciKeras): a build function that returns a compiled <see cref="Model"/> from
/// named build parameters, and the fit parameters <c>epochs</c>, <c>batch_size</c>, <c>verbose</c>, <c>shuffle</c>
/// and <c>seed</c>. <see cref="GetParams"/> lists both kinds; a grid search may set any of them.
/// </summary>
/// <remarks>
/// <para>Reproducibility: each <see cref="Fit"/> first reseeds <see cref="RandomGenerator.Global"/> with <c>seed</c>
/// (Keras's <c>set_random_seed</c>), then calls the build function and trains, so the initial weights, dropout masks
/// and the per-epoch shuffling repeat exactly for the same seed and data. This resets the process-wide generator:
/// do not fit two wrappers on different threads at once.</para>
/// <para>The build function receives only the build parameters (those given to the constructor); reading a name
/// that is not one of them fails with a message listing them.</para>
/// </remarks>
public abstract class KerasEstimator : IEstimator
{
    /// <summary>The names of the fit parameters every wrapper has.</summary>
    public static IReadOnlyList<string> FitParameterNames { get; } = ["epochs", "batch_size", "verbose", "shuffle", "seed"];

    private readonly Dictionary<string, object?> _buildParams;

    /// <summary>Stores the build function and the parameters.</summary>
    /// <param name="buildFn">Returns a new compiled model for the build parameters; called once per <see cref="Fit"/>.</param>
    /// <param name="epochs">Training epochs (Keras's fit default 1).</param>
    /// <param name="batchSize">Samples per gradient step (Keras's default 32).</param>
    /// <param name="verbose">Fit's verbosity: 0 silent (the default here, as cross-validation fits many models), 1, 2.</param>
    /// <param name="seed">The seed each fit starts from.</param>
    /// <param name="shuffle">Whether fit shuffles the rows each epoch.</param>
    /// <param name="buildParams">The build function's parameters and their defaults, e.g. <c>{ ["layers"] = 2, ["optimizer"] = "adam" }</c>.</param>
    /// <exception cref="ArgumentException">A build parameter is named like a fit parameter.</exception>
    protected KerasEstimator(Func<IReadOnlyDictionary<string, object?>, Model> buildFn, int epochs, int batchSize, int verbose,
        long seed, bool shuffle, IReadOnlyDictionary<string, object?>? buildParams)
    {
        BuildFn = buildFn ?? throw new ArgumentNullException(nameof(buildFn));
        _buildParams = new Dictionary<string, object?>(buildParams ?? new Dictionary<string, object?>(), StringComparer.Ordinal);
        foreach (var k in _buildParams.Keys)
            if (FitParameterNames.Contains(k))
                throw new ArgumentException($"Build parameter '{k}' has the name of a fit parameter of {GetType().Name}; fit parameters are {string.Join(", ", FitParameterNames)}.", nameof(buildParams));
        SetParams(new Dictionary<string, object?> { ["epochs"] = epochs, ["batch_size"] = batchSize, ["verbose"] = verbose, ["seed"] = seed, ["shuffle"] = shuffle });
    }

    /// <summary>The build function.</summary>
    public Func<IReadOnlyDictionary<string, object?>, Model> BuildFn { get; }

    /// <summary>Training epochs per fit.</summary>
    public int Epochs { get; private set; }

    /// <summary>Samples per gradient step.</summary>
    public int BatchSize { get; private set; }

    /// <summary>Fit's verbosity.</summary>
    public int Verbose { get; private set; }

    /// <summary>The seed each fit starts from.</summary>
    public long Seed { get; private set; }

    /// <summary>Whether fit shuffles each epoch.</summary>
    public bool Shuffle { get; private set; }

    /// <summary>The build parameters (names and current values).</summary>
    public IReadOnlyDictionary<string, object?> BuildParams => _buildParams;

    /// <summary>The model trained by the last <see cref="Fit"/> (SciKeras's <c>model_</c>), or null.</summary>
    public Model? Model { get; private set; }

    /// <summary>The history of the last <see cref="Fit"/> (SciKeras's <c>history_</c>), or null.</summary>
    public History? History { get; private set; }

    /// <summary>Whether <see cref="Fit"/> has run.</summary>
    [MemberNotNullWhen(true, nameof(Model))]
    public bool IsFitted => Model is not null;

    /// <inheritdoc/>
    public IReadOnlyDictionary<string, object?> GetParams()
    {
        var p = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            ["epochs"] = Epochs, ["batch_size"] = BatchSize, ["verbose"] = Verbose, ["shuffle"] = Shuffle, ["seed"] = Seed,
        };
        foreach (var (k, v) in _buildParams) p[k] = v;
        return p;
    }

    /// <inheritdoc/>
    public void SetParams(IReadOnlyDictionary<string, object?> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var valid = FitParameterNames.Concat(_buildParams.Keys).ToList();
        foreach (var (k, v) in parameters)
        {
            Parameters.CheckKnown(GetType().Name, k, valid);
            switch (k)
            {
                case "epochs":
                    Epochs = Parameters.ToInt(k, v);
                    if (Epochs < 0) throw new ArgumentException($"epochs must be non-negative. Received: epochs={Epochs}");
                    break;
                case "batch_size":
                    BatchSize = Parameters.ToInt(k, v);
                    if (BatchSize <= 0) throw new ArgumentException($"batch_size must be a positive integer. Received: batch_size={BatchSize}");
                    break;
                case "verbose": Verbose = Parameters.ToInt(k, v); break;
                case "seed": Seed = Parameters.ToLong(k, v); break;
                case "shuffle": Shuffle = Parameters.ToBool(k, v); break;
                default: _buildParams[k] = v; break;
            }
        }
    }

    /// <summary>
    /// Trains a new model: reseeds <see cref="RandomGenerator.Global"/> with <see cref="Seed"/>, builds the model,
    /// converts the targets (<see cref="PrepareTargets"/>) and calls <c>Model.Fit</c>.
    /// </summary>
    /// <param name="x">Samples along axis 0.</param>
    /// <param name="y">Targets along axis 0.</param>
    /// <returns>This estimator.</returns>
    /// <exception cref="InvalidOperationException">The build function returned null or a model that is not compiled.</exception>
    public IEstimator Fit(Tensor x, Tensor y)
    {
        CrossValidation.CheckXY(x, y, $"{GetType().Name}.Fit");
        RandomGenerator.SetGlobalSeed(Seed);
        var model = BuildFn(new BuildParameters(_buildParams, GetType().Name))
            ?? throw new InvalidOperationException($"The build function of {GetType().Name} returned null; it must return a compiled model.");
        if (model.Loss is null)
            throw new InvalidOperationException($"The build function of {GetType().Name} returned a model that is not compiled; call model.Compile(...) in it.");
        model.EnsureBuilt(x.Shape.ToArray());
        var yFit = PrepareTargets(y, model, model.ComputeOutputShape(x.Shape.ToArray()));
        History = model.Fit(x, yFit, BatchSize, Epochs, Verbose, shuffle: Shuffle);
        Model = model;
        return this;
    }

    /// <summary>The fitted model's raw outputs for x.</summary>
    /// <exception cref="InvalidOperationException">Not fitted.</exception>
    protected Tensor PredictRaw(Tensor x)
    {
        if (!IsFitted) throw new InvalidOperationException($"This {GetType().Name} instance is not fitted yet. Call 'Fit' with appropriate arguments before using this estimator.");
        ArgumentNullException.ThrowIfNull(x);
        return Model.Predict(x, BatchSize, verbose: 0);
    }

    /// <summary>The targets as the model trains on them (class encoding for classifiers); learns what Predict needs.</summary>
    /// <param name="y">The targets given to Fit.</param>
    /// <param name="model">The built, compiled model.</param>
    /// <param name="outputShape">The model's output shape for the training inputs.</param>
    protected abstract Tensor PrepareTargets(Tensor y, Model model, int[] outputShape);

    /// <inheritdoc/>
    public abstract Tensor Predict(Tensor x);

    /// <inheritdoc/>
    public abstract double Score(Tensor x, Tensor y);

    /// <inheritdoc/>
    public abstract IEstimator Clone();

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name}({string.Join(", ", GetParams().OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Parameters.Format(p.Value)}"))})";

    /// <summary>The read-only view the build function gets: a missing name fails with the list of build parameters.</summary>
    private sealed class BuildParameters(Dictionary<string, object?> values, string owner) : IReadOnlyDictionary<string, object?>
    {
        private readonly Dictionary<string, object?> _values = new(values, StringComparer.Ordinal);

        public object? this[string key] => _values.TryGetValue(key, out var v) ? v
            : throw new KeyNotFoundException($"The build function asked for parameter '{key}', which {owner} does not have. Build parameters are: [{string.Join(", ", _values.Keys.Select(k => $"'{k}'"))}]; pass it in buildParams.");

        public IEnumerable<string> Keys => _values.Keys;
        public IEnumerable<object?> Values => _values.Values;
        public int Count => _values.Count;
        public bool ContainsKey(string key) => _values.ContainsKey(key);
        public bool TryGetValue(string key, out object? value) => _values.TryGetValue(key, out value);
        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => _values.GetEnumerator();
        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
