namespace Cortex.Keras.ModelSelection;

/// <summary>The scores the estimators report (sklearn's <c>accuracy_score</c>, <c>r2_score</c>, <c>confusion_matrix</c>), in double precision.</summary>
public static class Scoring
{
    /// <summary>The fraction of positions where the labels are equal.</summary>
    /// <exception cref="ArgumentException">Lengths differ or are zero.</exception>
    public static double AccuracyScore(ReadOnlySpan<float> yTrue, ReadOnlySpan<float> yPred)
    {
        if (yTrue.Length != yPred.Length || yTrue.Length == 0)
            throw new ArgumentException($"accuracy_score: y_true has {yTrue.Length} labels and y_pred {yPred.Length}; they must be the same, non-zero length.");
        int hits = 0;
        for (int i = 0; i < yTrue.Length; i++) if (yTrue[i] == yPred[i]) hits++;
        return (double)hits / yTrue.Length;
    }

    /// <summary>
    /// The coefficient of determination R² = 1 − SS_res / SS_tot per output column, averaged (sklearn's
    /// <c>multioutput='uniform_average'</c>); a constant column scores 1 when predicted exactly, else 0 (sklearn's <c>force_finite</c>).
    /// </summary>
    /// <param name="yTrue">True values, (n) or (n, outputs).</param>
    /// <param name="yPred">Predictions with the same number of values.</param>
    public static double R2Score(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        if (yTrue.Size != yPred.Size || yTrue.Size == 0)
            throw new ArgumentException($"r2_score: y_true {yTrue.ShapeString} and y_pred {yPred.ShapeString} must have the same, non-zero number of values.");
        int n = yTrue.Shape[0], outputs = yTrue.Size / n;
        var t = yTrue.Contiguous().ToArray();
        var p = yPred.Contiguous().ToArray();
        double total = 0;
        for (int o = 0; o < outputs; o++)
        {
            double mean = 0;
            for (int i = 0; i < n; i++) mean += t[i * outputs + o];
            mean /= n;
            double ssRes = 0, ssTot = 0;
            for (int i = 0; i < n; i++)
            {
                double r = t[i * outputs + o] - p[i * outputs + o], d = t[i * outputs + o] - mean;
                ssRes += r * r;
                ssTot += d * d;
            }
            total += ssTot == 0 ? (ssRes == 0 ? 1 : 0) : 1 - ssRes / ssTot;
        }
        return total / outputs;
    }

    /// <summary>
    /// The confusion matrix (sklearn's <c>confusion_matrix</c>): entry [i, j] counts samples of true class
    /// <c>labels[i]</c> predicted as <c>labels[j]</c>.
    /// </summary>
    /// <param name="yTrue">True labels.</param>
    /// <param name="yPred">Predicted labels.</param>
    /// <param name="labels">The classes in row/column order; null: the sorted distinct values of both.</param>
    /// <returns>The counts and the labels used.</returns>
    public static (int[,] Counts, float[] Labels) ConfusionMatrix(ReadOnlySpan<float> yTrue, ReadOnlySpan<float> yPred, IReadOnlyList<float>? labels = null)
    {
        if (yTrue.Length != yPred.Length)
            throw new ArgumentException($"confusion_matrix: y_true has {yTrue.Length} labels and y_pred {yPred.Length}.");
        var ls = labels?.ToArray() ?? yTrue.ToArray().Concat(yPred.ToArray()).Distinct().Order().ToArray();
        var index = ls.Select((l, i) => (l, i)).ToDictionary(p => p.l, p => p.i);
        var m = new int[ls.Length, ls.Length];
        for (int i = 0; i < yTrue.Length; i++)
            if (index.TryGetValue(yTrue[i], out int a) && index.TryGetValue(yPred[i], out int b)) m[a, b]++;
        return (m, ls);
    }
}
