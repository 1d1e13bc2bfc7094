namespace Cortex.Keras.ModelSelection;

/// <summary>
/// Every combination of the listed parameter values (scikit-learn's <c>ParameterGrid</c>): parameter names are sorted
/// and the last one varies fastest, as in sklearn, so the candidates come in sklearn's order. Several grids may be
/// given; their candidates follow one another.
/// </summary>
public sealed class ParameterGrid
{
    private readonly List<SortedDictionary<string, object?[]>> _grids;

    /// <summary>Creates the grid from one or more name → values maps.</summary>
    /// <exception cref="ArgumentException">A parameter has no values.</exception>
    public ParameterGrid(params IReadOnlyDictionary<string, IEnumerable<object?>>[] grids)
    {
        ArgumentNullException.ThrowIfNull(grids);
        _grids = new();
        foreach (var g in grids)
        {
            var sorted = new SortedDictionary<string, object?[]>(StringComparer.Ordinal);
            foreach (var (k, v) in g)
            {
                var values = (v ?? throw new ArgumentException($"Parameter grid for '{k}' is null; it needs a sequence of values.")).ToArray();
                if (values.Length == 0) throw new ArgumentException($"Parameter grid for parameter '{k}' need to be a non-empty sequence, got: [].");
                sorted[k] = values;
            }
            _grids.Add(sorted);
        }
    }

    /// <summary>All parameter names used by the grid.</summary>
    public IEnumerable<string> Names => _grids.SelectMany(g => g.Keys).Distinct();

    /// <summary>The number of candidates.</summary>
    public int Count => _grids.Sum(g => g.Values.Aggregate(1, (n, v) => n * v.Length));

    /// <summary>The candidates, in sklearn's order.</summary>
    public IEnumerable<IReadOnlyDictionary<string, object?>> Candidates()
    {
        foreach (var g in _grids)
        {
            var keys = g.Keys.ToArray();
            var values = g.Values.ToArray();
            var pos = new int[keys.Length];
            while (true)
            {
                var p = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (int i = 0; i < keys.Length; i++) p[keys[i]] = values[i][pos[i]];
                yield return p;
                int j = keys.Length - 1;
                while (j >= 0 && ++pos[j] == values[j].Length) pos[j--] = 0;
                if (j < 0) break;
            }
        }
    }
}

/// <summary>A distribution to draw a parameter value from (scipy.stats' <c>rvs</c>), for <see cref="RandomizedSearchCV"/>.</summary>
public interface IParameterDistribution
{
    /// <summary>Draws one value.</summary>
    object? Sample(RandomGenerator rng);
}

/// <summary>The distributions <see cref="RandomizedSearchCV"/> understands besides plain lists of values.</summary>
public static class Distributions
{
    /// <summary>Uniform on [loc, loc + scale] (scipy's <c>uniform(loc, scale)</c>); draws doubles.</summary>
    public static IParameterDistribution Uniform(double loc = 0, double scale = 1) =>
        scale > 0 ? new Continuous(r => loc + scale * r.NextDouble(), $"uniform(loc={loc}, scale={scale})")
        : throw new ArgumentException($"uniform: scale must be positive. Received: scale={scale}");

    /// <summary>Log-uniform on [a, b] (scipy's <c>loguniform(a, b)</c>), e.g. learning rates; draws doubles.</summary>
    public static IParameterDistribution LogUniform(double a, double b) =>
        a > 0 && b > a ? new Continuous(r => Math.Exp(Math.Log(a) + (Math.Log(b) - Math.Log(a)) * r.NextDouble()), $"loguniform(a={a}, b={b})")
        : throw new ArgumentException($"loguniform needs 0 < a < b. Received: a={a}, b={b}");

    /// <summary>Integers uniform on [low, high) (scipy's <c>randint(low, high)</c>); draws ints.</summary>
    public static IParameterDistribution RandInt(int low, int high) =>
        high > low ? new Continuous(r => low + r.NextInt(high - low), $"randint(low={low}, high={high})")
        : throw new ArgumentException($"randint needs low < high. Received: low={low}, high={high}");

    private sealed class Continuous(Func<RandomGenerator, object?> draw, string text) : IParameterDistribution
    {
        public object? Sample(RandomGenerator rng) => draw(rng);
        public override string ToString() => text;
    }
}
