using System.Diagnostics;

namespace Cortex.Keras.ModelSelection;

/// <summary>
/// The part shared by <see cref="GridSearchCV"/> and <see cref="RandomizedSearchCV"/> (sklearn's <c>BaseSearchCV</c>):
/// for each candidate parameter set, a clone of the estimator with those parameters is cross-validated on the same
/// splits; <see cref="CvResults"/> holds the table, <see cref="BestParams"/> / <see cref="BestScore"/> the winner and,
/// with refit, <see cref="BestEstimator"/> a clone with the best parameters fitted on all the data.
/// </summary>
/// <remarks>
/// Candidates and folds run sequentially on the calling thread, in order; with seeded estimators (e.g. the Keras
/// wrappers' <c>seed</c>) and a deterministic splitter the whole search repeats to the last digit. Every parameter
/// name is checked against the estimator's <see cref="IParameterized.GetParams"/> before anything is fitted.
/// </remarks>
public abstract class SearchCV
{
    private CvResults? _results;
    private IEstimator? _best;

    /// <summary>Stores the settings.</summary>
    protected SearchCV(IEstimator estimator, ICrossValidator? cv, int folds, bool refit, int verbose)
    {
        Estimator = estimator ?? throw new ArgumentNullException(nameof(estimator));
        Cv = cv ?? CrossValidation.DefaultCv(estimator, folds);
        Refit = refit;
        Verbose = verbose;
    }

    /// <summary>The estimator searched over (never fitted itself).</summary>
    public IEstimator Estimator { get; }

    /// <summary>The splitter (sklearn's default for an integer cv: stratified for classifiers).</summary>
    public ICrossValidator Cv { get; }

    /// <summary>Whether <see cref="Fit"/> refits the best candidate on all the data.</summary>
    public bool Refit { get; }

    /// <summary>0 silent; 1 one line per candidate; 2 one line per fold too.</summary>
    public int Verbose { get; }

    /// <summary>The table of every candidate (sklearn's <c>cv_results_</c>).</summary>
    public CvResults CvResults => _results ?? throw NotFitted("CvResults");

    /// <summary>The best candidate's parameters (sklearn's <c>best_params_</c>).</summary>
    public IReadOnlyDictionary<string, object?> BestParams => CvResults[BestIndex].Params;

    /// <summary>The best candidate's mean test score (sklearn's <c>best_score_</c>).</summary>
    public double BestScore => CvResults[BestIndex].MeanTestScore;

    /// <summary>The best candidate's index in <see cref="CvResults"/> (sklearn's <c>best_index_</c>).</summary>
    public int BestIndex => CvResults.BestIndex;

    /// <summary>The best estimator refitted on all the data (sklearn's <c>best_estimator_</c>).</summary>
    /// <exception cref="InvalidOperationException">Not fitted, or refit was false.</exception>
    public IEstimator BestEstimator => _best ?? throw (_results is null ? NotFitted("BestEstimator")
        : new InvalidOperationException("This search was made with refit=false, so it has no BestEstimator; use BestParams."));

    /// <summary>The candidates to try, in order (called once per <see cref="Fit"/>).</summary>
    protected abstract IReadOnlyList<IReadOnlyDictionary<string, object?>> Candidates();

    /// <summary>The parameter names the candidates use, checked against the estimator before fitting.</summary>
    protected abstract IEnumerable<string> ParameterNames { get; }

    /// <summary>Runs the search on (x, y); returns this search.</summary>
    /// <exception cref="ArgumentException">A candidate names a parameter the estimator does not have (the message lists the valid names).</exception>
    public SearchCV Fit(Tensor x, Tensor y)
    {
        int n = CrossValidation.CheckXY(x, y, GetType().Name + ".Fit");
        var valid = Estimator.GetParams().Keys.ToList();
        foreach (var name in ParameterNames) Parameters.CheckKnown(Estimator.GetType().Name, name, valid);
        var splits = Cv.Split(n, y).ToList();
        var candidates = Candidates();
        var rows = new List<(IReadOnlyDictionary<string, object?>, double[], double[])>();
        for (int c = 0; c < candidates.Count; c++)
        {
            var scores = new double[splits.Count];
            var seconds = new double[splits.Count];
            for (int s = 0; s < splits.Count; s++)
            {
                var est = Estimator.Clone();
                est.SetParams(candidates[c]);
                var sw = Stopwatch.StartNew();
                scores[s] = CrossValidation.FitAndScore(est, x, y, splits[s].Train, splits[s].Test);
                seconds[s] = sw.Elapsed.TotalSeconds;
                if (Verbose >= 2) Console.WriteLine($"[CV {s + 1}/{splits.Count}] END {Parameters.Format(candidates[c])}; score={scores[s]:0.000} total time={seconds[s]:0.0}s");
            }
            if (Verbose >= 1) Console.WriteLine($"candidate {c + 1}/{candidates.Count} {Parameters.Format(candidates[c])}: mean {scores.Average():0.0000} (std {CvResult.Std(scores):0.0000})");
            rows.Add((candidates[c], scores, seconds));
        }
        _results = new CvResults(rows);
        _best = null;
        if (Refit)
        {
            var best = Estimator.Clone();
            best.SetParams(BestParams);
            best.Fit(x, y);
            _best = best;
        }
        return this;
    }

    /// <summary>Predictions of <see cref="BestEstimator"/>.</summary>
    public Tensor Predict(Tensor x) => BestEstimator.Predict(x);

    /// <summary>The score of <see cref="BestEstimator"/> on (x, y).</summary>
    public double Score(Tensor x, Tensor y) => BestEstimator.Score(x, y);

    private InvalidOperationException NotFitted(string what) =>
        new($"This {GetType().Name} instance is not fitted yet; call Fit before reading {what}.");
}

/// <summary>
/// Exhaustive search over a parameter grid (scikit-learn's <c>GridSearchCV</c>); candidates in
/// <see cref="ParameterGrid"/> order. See <see cref="SearchCV"/>.
/// </summary>
public sealed class GridSearchCV : SearchCV
{
    /// <summary>Creates the search with a splitter.</summary>
    /// <param name="estimator">The estimator (cloned per fold).</param>
    /// <param name="paramGrid">Name → values to try.</param>
    /// <param name="cv">The splitter.</param>
    /// <param name="refit">Whether to refit the best candidate on all the data.</param>
    /// <param name="verbose">0 silent, 1 per candidate, 2 per fold.</param>
    public GridSearchCV(IEstimator estimator, IReadOnlyDictionary<string, IEnumerable<object?>> paramGrid, ICrossValidator cv, bool refit = true, int verbose = 0)
        : base(estimator, cv ?? throw new ArgumentNullException(nameof(cv)), 0, refit, verbose) => Grid = new ParameterGrid(paramGrid);

    /// <summary>Creates the search with sklearn's integer cv (stratified k-fold for classifiers, else k-fold).</summary>
    /// <param name="estimator">The estimator (cloned per fold).</param>
    /// <param name="paramGrid">Name → values to try.</param>
    /// <param name="cv">Number of folds.</param>
    /// <param name="refit">Whether to refit the best candidate on all the data.</param>
    /// <param name="verbose">0 silent, 1 per candidate, 2 per fold.</param>
    public GridSearchCV(IEstimator estimator, IReadOnlyDictionary<string, IEnumerable<object?>> paramGrid, int cv = 5, bool refit = true, int verbose = 0)
        : base(estimator, null, cv, refit, verbose) => Grid = new ParameterGrid(paramGrid);

    /// <summary>The grid.</summary>
    public ParameterGrid Grid { get; }

    /// <inheritdoc/>
    protected override IReadOnlyList<IReadOnlyDictionary<string, object?>> Candidates() => Grid.Candidates().ToList();

    /// <inheritdoc/>
    protected override IEnumerable<string> ParameterNames => Grid.Names;
}

/// <summary>
/// Search over <see cref="NIter"/> parameter sets drawn at random (scikit-learn's <c>RandomizedSearchCV</c>). Each
/// value of <c>distributions</c> is an <see cref="IParameterDistribution"/> or a sequence of values (drawn uniformly).
/// As in sklearn's <c>ParameterSampler</c>: when every value is a sequence, candidates are drawn without replacement
/// from the full grid (at most its size); otherwise each draw samples every parameter, names in sorted order. Draws
/// come from Cortex's <see cref="RandomGenerator"/> seeded by <c>randomState</c>, so they repeat, but differ from
/// numpy's. See <see cref="SearchCV"/>.
/// </summary>
public sealed class RandomizedSearchCV : SearchCV
{
    private readonly SortedDictionary<string, object> _distributions;

    /// <summary>Creates the search.</summary>
    /// <param name="estimator">The estimator (cloned per fold).</param>
    /// <param name="distributions">Name → <see cref="IParameterDistribution"/> or a sequence of values.</param>
    /// <param name="nIter">Number of candidates (sklearn's default 10).</param>
    /// <param name="cv">Number of folds (used when <paramref name="splitter"/> is null).</param>
    /// <param name="randomState">Seed of the draws; null: <see cref="RandomGenerator.Global"/>.</param>
    /// <param name="refit">Whether to refit the best candidate on all the data.</param>
    /// <param name="verbose">0 silent, 1 per candidate, 2 per fold.</param>
    /// <param name="splitter">A splitter instead of <paramref name="cv"/> folds.</param>
    /// <exception cref="ArgumentException">nIter &lt; 1, or a value that is neither a distribution nor a non-empty sequence.</exception>
    public RandomizedSearchCV(IEstimator estimator, IReadOnlyDictionary<string, object> distributions, int nIter = 10, int cv = 5,
        long? randomState = null, bool refit = true, int verbose = 0, ICrossValidator? splitter = null)
        : base(estimator, splitter, cv, refit, verbose)
    {
        ArgumentNullException.ThrowIfNull(distributions);
        if (nIter < 1) throw new ArgumentException($"n_iter must be a positive integer. Received: n_iter={nIter}", nameof(nIter));
        _distributions = new SortedDictionary<string, object>(StringComparer.Ordinal);
        foreach (var (k, v) in distributions)
        {
            if (v is IParameterDistribution) _distributions[k] = v;
            else if (v is System.Collections.IEnumerable e and not string)
            {
                var list = e.Cast<object?>().ToArray();
                if (list.Length == 0) throw new ArgumentException($"Parameter distribution for '{k}' is an empty sequence.", nameof(distributions));
                _distributions[k] = list;
            }
            else throw new ArgumentException($"Parameter distribution for '{k}' must be an IParameterDistribution or a sequence of values; got {v?.GetType().Name ?? "null"}.", nameof(distributions));
        }
        NIter = nIter;
        RandomState = randomState;
    }

    /// <summary>The number of candidates drawn.</summary>
    public int NIter { get; }

    /// <summary>The seed of the draws.</summary>
    public long? RandomState { get; }

    /// <inheritdoc/>
    protected override IEnumerable<string> ParameterNames => _distributions.Keys;

    /// <inheritdoc/>
    protected override IReadOnlyList<IReadOnlyDictionary<string, object?>> Candidates()
    {
        var rng = RandomState is { } s ? new RandomGenerator(s) : RandomGenerator.Global;
        if (_distributions.Values.All(v => v is object?[]))
        {
            var grid = new ParameterGrid(_distributions.ToDictionary(kv => kv.Key, kv => (IEnumerable<object?>)(object?[])kv.Value));
            var all = grid.Candidates().ToList();
            if (NIter >= all.Count) return all;
            var perm = rng.Permutation(all.Count);
            return perm.Take(NIter).Select(i => all[i]).ToList();
        }
        var result = new List<IReadOnlyDictionary<string, object?>>();
        for (int i = 0; i < NIter; i++)
        {
            var p = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var (k, v) in _distributions)
                p[k] = v is IParameterDistribution d ? d.Sample(rng) : ((object?[])v)[rng.NextInt(((object?[])v).Length)];
            result.Add(p);
        }
        return result;
    }
}
