using Cortex.Autodiff;

namespace Cortex.Keras.Metrics;

/// <summary>
/// The F-beta score per class, <c>(1 + β²)·precision·recall / (β²·precision + recall)</c>, optionally averaged (Keras's
/// <c>FBetaScore</c>, name "fbeta_score"); for multi-class or multi-label data of shape (batch, classes).
/// </summary>
/// <remarks>
/// <para>Without a threshold a row's largest prediction(s) count as positive (ties all count, and an all-zero row counts
/// none); with one, predictions strictly above it. Counts accumulate over batches (weighted by a per-sample weight).
/// Keras's ε = 1e-7 is added to each denominator, so the values are those of Keras, not exactly sklearn's (which
/// differ by about 1e-7).</para>
/// <para>average: null (one value per class, read with <see cref="Metric.ResultVector"/>), "micro" (counts summed over
/// classes), "macro" (unweighted mean of the class scores) or "weighted" (mean weighted by each class's support).</para>
/// </remarks>
public class FBetaScore : Metric
{
    private double[] _tp = Array.Empty<double>(), _fp = Array.Empty<double>(), _fn = Array.Empty<double>(), _support = Array.Empty<double>();

    /// <summary>Creates the metric.</summary>
    /// <param name="average">null, "micro", "macro" or "weighted".</param>
    /// <param name="beta">The weight of recall against precision, &gt; 0 (default 1).</param>
    /// <param name="threshold">In (0, 1]: predictions above it are positive; null: each row's largest.</param>
    /// <param name="name">The metric's name.</param>
    public FBetaScore(string? average = null, float beta = 1f, float? threshold = null, string? name = null)
        : this(average, beta, threshold, name, "fbeta_score") { }

    /// <summary>For subclasses with another default name (F1Score).</summary>
    protected FBetaScore(string? average, float beta, float? threshold, string? name, string defaultName) : base(name, defaultName)
    {
        if (average is not (null or "micro" or "macro" or "weighted"))
            throw new ArgumentException($"Invalid `average` argument value. Expected one of: {{None, 'micro', 'macro', 'weighted'}}. Received: average={average}", nameof(average));
        if (!(beta > 0f))
            throw new ArgumentException($"Invalid `beta` argument value. It should be > 0. Received: beta={beta}", nameof(beta));
        if (threshold is float t && !(t > 0f && t <= 1f))
            throw new ArgumentException($"Invalid `threshold` argument value. It should verify 0 < threshold <= 1. Received: threshold={t}", nameof(threshold));
        Average = average;
        Beta = beta;
        Threshold = threshold;
    }

    /// <summary>The averaging: null, "micro", "macro" or "weighted".</summary>
    public string? Average { get; }
    /// <summary>β.</summary>
    public float Beta { get; }
    /// <summary>The decision threshold (null: each row's largest prediction).</summary>
    public float? Threshold { get; }

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred) => UpdateState(yTrue, yPred, null);

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        if (yPred.Rank != 2 || yTrue.Rank != 2)
            throw new ArgumentException($"{GetType().Name} expects 2D inputs with shape (batch_size, output_dim). Received input shapes: y_pred.shape={yPred.ShapeString} and y_true.shape={yTrue.ShapeString}.");
        if (!yTrue.Shape.SequenceEqual(yPred.Shape))
            throw new ArgumentException($"{Name}: y_true and y_pred must have the same shape. Received: y_true.shape={yTrue.ShapeString}, y_pred.shape={yPred.ShapeString}");
        int rows = yPred.Shape[0], classes = yPred.Shape[1];
        if (_tp.Length == 0) { _tp = new double[classes]; _fp = new double[classes]; _fn = new double[classes]; _support = new double[classes]; }
        else if (_tp.Length != classes)
            throw new ArgumentException($"{Name}: the metric was built for {_tp.Length} classes; got y_pred.shape={yPred.ShapeString}.");
        float[] t, p, w;
        using (GradientTape.NoGradient())
        {
            t = yTrue.Contiguous().ToArray();
            p = yPred.Contiguous().ToArray();
            w = ConfusionCounter.ExpandWeights(Name, sampleWeight, new[] { rows }, rows) ?? Enumerable.Repeat(1f, rows).ToArray();
        }
        for (int r = 0; r < rows; r++)
        {
            var row = p.AsSpan(r * classes, classes);
            float max = float.NegativeInfinity;
            foreach (var v in row) max = Math.Max(max, v);
            for (int c = 0; c < classes; c++)
            {
                float v = row[c];
                double predicted = Threshold is float th ? (v > th ? 1 : 0) : (v >= max && Math.Abs(v) > 1e-9f ? 1 : 0);
                double truth = t[r * classes + c], weight = w[r];
                _tp[c] += weight * predicted * truth;
                _fp[c] += weight * predicted * (1 - truth);
                _fn[c] += weight * (1 - predicted) * truth;
                _support[c] += weight * truth;
            }
        }
    }

    /// <summary>The score per class (before averaging), or the single micro score.</summary>
    private double[] Scores()
    {
        const double eps = 1e-7;
        double b2 = (double)Beta * Beta;
        double Score(double tp, double fp, double fn)
        {
            double precision = tp / (tp + fp + eps), recall = tp / (tp + fn + eps);
            return precision * recall / (b2 * precision + recall + eps) * (1 + b2);
        }
        if (Average == "micro") return new[] { Score(_tp.Sum(), _fp.Sum(), _fn.Sum()) };
        return Enumerable.Range(0, _tp.Length).Select(c => Score(_tp[c], _fp[c], _fn[c])).ToArray();
    }

    /// <inheritdoc/>
    public override float Result()
    {
        if (_tp.Length == 0) return 0f;
        var s = Scores();
        switch (Average)
        {
            case "micro": return (float)s[0];
            case "macro": return (float)s.Average();
            case "weighted":
                double total = _support.Sum() + 1e-7;
                return (float)s.Select((v, c) => v * _support[c] / total).Sum();
            default:
                if (s.Length == 1) return (float)s[0];
                throw SeveralValues(s.Length, "one per class with average=null; pass average: \"macro\", \"micro\" or \"weighted\" for one");
        }
    }

    /// <inheritdoc/>
    public override float[] ResultVector()
        => Average is null ? Scores().Select(v => (float)v).ToArray() : new[] { Result() };

    /// <inheritdoc/>
    public override void ResetState()
    {
        Array.Clear(_tp); Array.Clear(_fp); Array.Clear(_fn); Array.Clear(_support);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["average"] = Average; c["beta"] = Beta; c["threshold"] = Threshold;
        return c;
    }
}
