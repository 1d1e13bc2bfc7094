using System.Globalization;
using System.Text;

namespace Cortex.Keras.ModelSelection;

/// <summary>One candidate of a search: its parameters, per-split test scores and summary (a row of sklearn's <c>cv_results_</c>).</summary>
/// <param name="Params">The candidate's parameters.</param>
/// <param name="SplitTestScores">The test score of each split, in split order.</param>
/// <param name="FitSeconds">Seconds each split's fit + score took.</param>
/// <param name="Rank">Rank by mean test score, 1 = best; ties share the lowest rank (sklearn's <c>rank_test_score</c>).</param>
public sealed record CvResult(IReadOnlyDictionary<string, object?> Params, IReadOnlyList<double> SplitTestScores,
    IReadOnlyList<double> FitSeconds, int Rank)
{
    /// <summary>The mean of <see cref="SplitTestScores"/> (sklearn's <c>mean_test_score</c>).</summary>
    public double MeanTestScore => SplitTestScores.Average();

    /// <summary>The population standard deviation of <see cref="SplitTestScores"/> (sklearn's <c>std_test_score</c>, numpy's std).</summary>
    public double StdTestScore => Std(SplitTestScores);

    /// <summary>The mean fit + score time per split in seconds (sklearn's <c>mean_fit_time</c>, here fit and score together).</summary>
    public double MeanFitSeconds => FitSeconds.Average();

    internal static double Std(IReadOnlyList<double> v)
    {
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / v.Count);
    }
}

/// <summary>
/// The table of a search's candidates (sklearn's <c>cv_results_</c>): one <see cref="CvResult"/> per candidate in
/// search order; <see cref="ToString"/> prints it as a text table, one column per parameter.
/// </summary>
public sealed class CvResults : IReadOnlyList<CvResult>
{
    private readonly List<CvResult> _rows;

    /// <summary>Ranks the candidates and stores them.</summary>
    /// <param name="candidates">Per candidate: parameters, per-split scores, per-split seconds, in search order.</param>
    public CvResults(IReadOnlyList<(IReadOnlyDictionary<string, object?> Params, double[] Scores, double[] Seconds)> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var means = candidates.Select(c => c.Scores.Average()).ToArray();
        // sklearn: rankdata(-mean, method="min"); a NaN mean ranks last.
        _rows = candidates.Select((c, i) => new CvResult(c.Params, c.Scores, c.Seconds,
            double.IsNaN(means[i]) ? candidates.Count : 1 + means.Count(m => m > means[i]))).ToList();
    }

    /// <inheritdoc/>
    public CvResult this[int index] => _rows[index];

    /// <inheritdoc/>
    public int Count => _rows.Count;

    /// <summary>The index of the best candidate: the first with rank 1 (sklearn's <c>best_index_</c>).</summary>
    public int BestIndex => _rows.FindIndex(r => r.Rank == 1);

    /// <inheritdoc/>
    public IEnumerator<CvResult> GetEnumerator() => _rows.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// The table: <c>param_NAME</c> columns, <c>mean_test_score</c>, <c>std_test_score</c>, <c>rank_test_score</c>,
    /// <c>mean_fit_time</c> (seconds), one line per candidate in search order.
    /// </summary>
    public override string ToString()
    {
        var names = _rows.SelectMany(r => r.Params.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var header = names.Select(n => "param_" + n).Concat(["mean_test_score", "std_test_score", "rank_test_score", "mean_fit_time"]).ToList();
        var cells = _rows.Select(r => names.Select(n => r.Params.TryGetValue(n, out var v) ? Parameters.Format(v) : "--")
            .Concat([F(r.MeanTestScore), F(r.StdTestScore), r.Rank.ToString(CultureInfo.InvariantCulture), r.MeanFitSeconds.ToString("0.00", CultureInfo.InvariantCulture) + "s"]).ToList()).ToList();
        var widths = header.Select((h, j) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[j].Length))).ToList();
        var sb = new StringBuilder();
        sb.AppendLine(string.Join("  ", header.Select((h, j) => h.PadRight(widths[j]))).TrimEnd());
        foreach (var row in cells) sb.AppendLine(string.Join("  ", row.Select((c, j) => c.PadRight(widths[j]))).TrimEnd());
        return sb.ToString();
    }

    private static string F(double v) => v.ToString("0.0000", CultureInfo.InvariantCulture);
}
