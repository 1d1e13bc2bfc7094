namespace Cortex.Keras.Metrics;

/// <summary>
/// The confusion matrix of class labels, in sklearn's orientation (<c>sklearn.metrics.confusion_matrix</c>,
/// <c>keras.metrics.metrics_utils.confusion_matrix</c>): <c>m[i, j]</c> counts the samples of true class i predicted as j.
/// </summary>
public static class ConfusionMatrix
{
    /// <summary>Counts (true, predicted) pairs of class indices in [0, numClasses).</summary>
    /// <exception cref="ArgumentException">Lengths differ, numClasses is not positive, or a label is out of range (the
    /// message names the position).</exception>
    public static int[,] Compute(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred, int numClasses)
    {
        if (yTrue.Length != yPred.Length)
            throw new ArgumentException($"confusion_matrix: y_true and y_pred must have the same length. Received: {yTrue.Length} and {yPred.Length}.");
        if (numClasses <= 0) throw new ArgumentException($"num_classes must be a positive integer. Received: num_classes={numClasses}", nameof(numClasses));
        var m = new int[numClasses, numClasses];
        for (int i = 0; i < yTrue.Length; i++)
        {
            int t = yTrue[i], p = yPred[i];
            if ((uint)t >= (uint)numClasses || (uint)p >= (uint)numClasses)
                throw new ArgumentException($"confusion_matrix: labels must be in [0, {numClasses}). Received: y_true[{i}]={t}, y_pred[{i}]={p}");
            m[t, p]++;
        }
        return m;
    }

    /// <summary>
    /// <see cref="Compute(ReadOnlySpan{int}, ReadOnlySpan{int}, int)"/> on tensors: class indices of shape (n,) or (n, 1),
    /// or one-hot rows / probabilities of shape (n, classes), reduced by argmax.
    /// </summary>
    public static int[,] Compute(Tensor yTrue, Tensor yPred, int numClasses)
        => Compute(Labels(yTrue, nameof(yTrue)), Labels(yPred, nameof(yPred)), numClasses);

    /// <summary>Class indices from a label vector, or the argmax of each row of a (n, classes) tensor.</summary>
    internal static int[] Labels(Tensor y, string what)
    {
        ArgumentNullException.ThrowIfNull(y, what);
        var v = y.Contiguous().ToArray();
        if (y.Rank <= 1 || (y.Rank == 2 && y.Shape[1] == 1))
            return v.Select(x => float.IsFinite(x) && x == MathF.Floor(x) ? (int)x
                : throw new ArgumentException($"{what}: class labels must be integers; got {x}.")).ToArray();
        if (y.Rank != 2) throw new ArgumentException($"{what}: expected labels (n,) or scores (n, classes); got shape {y.ShapeString}.");
        int n = y.Shape[0], c = y.Shape[1];
        var labels = new int[n];
        for (int r = 0; r < n; r++)
        {
            int best = 0;
            for (int j = 1; j < c; j++) if (v[r * c + j] > v[r * c + best]) best = j;
            labels[r] = best;
        }
        return labels;
    }
}
