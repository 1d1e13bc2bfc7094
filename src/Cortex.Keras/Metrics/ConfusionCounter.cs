using Cortex.Autodiff;
using Cortex.Keras.Losses;

namespace Cortex.Keras.Metrics;

/// <summary>
/// Keras's <c>metrics_utils.update_confusion_matrix_variables</c>: weighted counts of true/false positives/negatives
/// at each of a list of thresholds, shared by the confusion-matrix metrics (TruePositives ... Precision, Recall, AUC).
/// </summary>
/// <remarks>
/// A prediction is positive at threshold t when <c>y_pred &gt; t</c>; a label is positive when non-zero. With
/// <c>topK</c>, all but each row's k largest predictions become −1e10 first (ties go to the lower index, as
/// <c>top_k</c>); with <c>classId</c>, only that column of the last axis counts. Evenly spaced thresholds (AUC's) use
/// Keras's bucketing: a prediction p (clipped to [0, 1]) falls in bucket <c>ceil(p·(n−1)) − 1</c> (raised to 0 when the
/// end thresholds carry Keras's ε), and counts at threshold i sum the buckets ≥ i; this is what Keras computes, in
/// float32, and can differ from the plain comparison for a p within rounding of a threshold.
/// </remarks>
internal sealed class ConfusionCounter
{
    /// <summary>Keras's <c>metrics_utils.NEG_INF</c>.</summary>
    internal const float NegInf = -1e10f;

    private readonly float[] _thresholds;
    private readonly bool _evenly, _withEpsilon, _multiLabel;
    private readonly int? _topK, _classId;

    public ConfusionCounter(float[] thresholds, bool evenly, int? topK = null, int? classId = null, bool multiLabel = false)
    {
        _thresholds = thresholds;
        _evenly = evenly;
        _withEpsilon = evenly && (thresholds[0] < 0f || thresholds[^1] > 1f);
        _topK = topK;
        _classId = classId;
        _multiLabel = multiLabel;
    }

    /// <summary>Counts per threshold (and per label when multi-label, index <c>t·labels + l</c>).</summary>
    public double[] TP = Array.Empty<double>(), FP = Array.Empty<double>(), TN = Array.Empty<double>(), FN = Array.Empty<double>();

    /// <summary>The number of labels the counts are kept for (1 unless multi-label).</summary>
    public int Labels { get; private set; } = 1;

    public int Thresholds => _thresholds.Length;

    public void Reset()
    {
        Array.Clear(TP); Array.Clear(FP); Array.Clear(TN); Array.Clear(FN);
    }

    /// <summary>Keras's <c>is_evenly_distributed_thresholds</c>: ≥ 3 values, allclose to i/(n−1) (atol 1e-7, rtol 1e-5).</summary>
    public static bool IsEvenlyDistributed(IReadOnlyList<double> thresholds)
    {
        int n = thresholds.Count;
        if (n < 3) return false;
        for (int i = 0; i < n; i++)
        {
            double even = (float)i / (float)(n - 1);
            if (Math.Abs(thresholds[i] - even) > 1e-7 + 1e-5 * Math.Abs(even)) return false;
        }
        return true;
    }

    /// <summary>Keras's <c>parse_init_thresholds</c>: the given thresholds (each in [0, 1]) or the default.</summary>
    public static float[] ParseThresholds(float[]? thresholds, float defaultThreshold)
    {
        if (thresholds is null) return new[] { defaultThreshold };
        if (thresholds.Length == 0) throw new ArgumentException("thresholds must not be empty.", nameof(thresholds));
        var invalid = thresholds.Where(t => !(t >= 0f && t <= 1f)).ToArray();
        if (invalid.Length > 0)
            throw new ArgumentException($"Threshold values must be in [0, 1]. Received: [{string.Join(", ", invalid)}]", nameof(thresholds));
        return (float[])thresholds.Clone();
    }

    /// <summary>Adds one batch.</summary>
    public void Update(string metric, Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        using var _ = GradientTape.NoGradient();
        var (t, p) = Loss.SqueezeOrExpandToSameRank(yTrue, yPred);
        if (!t.Shape.SequenceEqual(p.Shape))
            throw new ArgumentException($"{metric}: y_true and y_pred must have the same shape. Received: y_true.shape={yTrue.ShapeString}, y_pred.shape={yPred.ShapeString}");
        var shape = p.Shape.ToArray();
        var truth = t.Contiguous().ToArray();
        var pred = p.Contiguous().ToArray();
        var weight = ExpandWeights(metric, sampleWeight, shape, pred.Length);
        int last = shape.Length == 0 ? 1 : shape[^1];

        if (_topK is int k) FilterTopK(pred, last, k);
        if (_classId is int c)
        {
            if (shape.Length < 2)
                throw new ArgumentException($"When class_id is provided, y_pred must be a 2D array with shape (num_samples, num_classes), found shape: {yPred.ShapeString}");
            if (c < 0 || c >= last)
                throw new ArgumentException($"{metric}: class_id={c} is out of range for predictions with {last} classes (shape {yPred.ShapeString}).");
            truth = Column(truth, last, c); pred = Column(pred, last, c);
            if (weight is not null) weight = Column(weight, last, c);
            last = 1;
        }

        int labels = 1;
        if (_multiLabel)
        {
            if (shape.Length != 2)
                throw new ArgumentException($"`y_pred` must have rank 2 when `multi_label=True`. Found rank {shape.Length}. Full shape received for `y_pred`: {yPred.ShapeString}");
            labels = last;
        }
        EnsureSize(labels, metric);

        int n = _thresholds.Length;
        for (int i = 0; i < pred.Length; i++)
        {
            int label = _multiLabel ? i % labels : 0;
            double w = weight?[i] ?? 1.0;
            bool positive = truth[i] != 0f;
            if (_evenly)
            {
                float clipped = Math.Clamp(pred[i], 0f, 1f);
                int bucket = (int)(MathF.Ceiling(clipped * (float)(n - 1)) - 1f);
                if (_withEpsilon) bucket = Math.Max(bucket, 0);
                // The prediction is above thresholds 0..bucket (none when bucket is −1).
                for (int j = 0; j < n; j++) Count(j * labels + label, positive, j <= bucket, w);
            }
            else
            {
                for (int j = 0; j < n; j++) Count(j * labels + label, positive, pred[i] > _thresholds[j], w);
            }
        }
    }

    private void Count(int at, bool positive, bool predictedPositive, double w)
    {
        if (positive) { if (predictedPositive) TP[at] += w; else FN[at] += w; }
        else { if (predictedPositive) FP[at] += w; else TN[at] += w; }
    }

    private void EnsureSize(int labels, string metric)
    {
        if (TP.Length == 0)
        {
            Labels = labels;
            int size = _thresholds.Length * labels;
            TP = new double[size]; FP = new double[size]; TN = new double[size]; FN = new double[size];
        }
        else if (labels != Labels)
            throw new ArgumentException($"{metric}: the metric was built for {Labels} labels; got predictions with {labels}.");
    }

    /// <summary>Sample weights broadcast to one per element: a scalar, one per sample (batch,)/(batch, 1), or one per element.</summary>
    internal static float[]? ExpandWeights(string metric, Tensor? sampleWeight, int[] shape, int size)
    {
        if (sampleWeight is null) return null;
        var w = sampleWeight.Contiguous().ToArray();
        var result = new float[size];
        int batch = shape.Length == 0 ? 1 : shape[0];
        if (w.Length == 1) Array.Fill(result, w[0]);
        else if (w.Length == size) w.CopyTo(result, 0);
        else if (w.Length == batch && batch > 0)
        {
            int per = size / batch;
            for (int i = 0; i < size; i++) result[i] = w[i / per];
        }
        else
            throw new ArgumentException($"{metric}: sample_weight of shape {sampleWeight.ShapeString} does not broadcast to predictions of shape {TensorShape.Format(shape)}: give a scalar, one weight per sample, or one per element.");
        return result;
    }

    private static float[] Column(float[] values, int width, int c)
    {
        var col = new float[values.Length / width];
        for (int r = 0; r < col.Length; r++) col[r] = values[r * width + c];
        return col;
    }

    /// <summary>Keras's <c>_filter_top_k</c>: keeps each row's k largest values (ties to the lower index), the rest −1e10.</summary>
    private static void FilterTopK(float[] values, int width, int k)
    {
        var order = new int[width];
        for (int r = 0; r < values.Length / width; r++)
        {
            var row = values.AsSpan(r * width, width);
            for (int i = 0; i < width; i++) order[i] = i;
            var copy = row.ToArray();
            Array.Sort(order, (a, b) => copy[b] != copy[a] ? copy[b].CompareTo(copy[a]) : a.CompareTo(b));
            for (int i = Math.Min(k, width); i < width; i++) row[order[i]] = NegInf;
        }
    }
}
