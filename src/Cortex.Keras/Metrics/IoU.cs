using Cortex.Autodiff;

namespace Cortex.Keras.Metrics;

/// <summary>
/// Intersection-over-union for chosen classes (Keras's <c>IoU</c>, name "io_u"): from an accumulated confusion matrix,
/// <c>iou = tp / (tp + fp + fn)</c> per target class, averaged over the target classes whose denominator is not 0.
/// </summary>
/// <remarks>Labels are class indices (cast to int, as Keras does) unless <c>sparseYTrue</c>/<c>sparseYPred</c> is false,
/// when the argmax over the last axis is taken; every element of any shape counts (segmentation maps). Samples whose
/// true class is <c>ignoreClass</c> are left out.</remarks>
public class IoU : Metric
{
    private readonly double[] _cm;

    /// <summary>Creates the metric.</summary>
    /// <param name="numClasses">The number of classes, positive.</param>
    /// <param name="targetClassIds">The classes whose IoU is averaged.</param>
    /// <param name="name">The metric's name.</param>
    /// <param name="ignoreClass">A true class to leave out (e.g. a void label), or null.</param>
    /// <param name="sparseYTrue">Whether targets are class indices (else one-hot/scores, argmax'd).</param>
    /// <param name="sparseYPred">Whether predictions are class indices (else scores, argmax'd).</param>
    public IoU(int numClasses, int[] targetClassIds, string? name = null, int? ignoreClass = null, bool sparseYTrue = true, bool sparseYPred = true)
        : this(numClasses, targetClassIds, name, "io_u", ignoreClass, sparseYTrue, sparseYPred) { }

    /// <summary>For subclasses with another default name (MeanIoU).</summary>
    protected IoU(int numClasses, int[] targetClassIds, string? name, string defaultName, int? ignoreClass, bool sparseYTrue, bool sparseYPred)
        : base(name, defaultName)
    {
        if (numClasses <= 0) throw new ArgumentException($"num_classes must be a positive integer. Received: num_classes={numClasses}", nameof(numClasses));
        ArgumentNullException.ThrowIfNull(targetClassIds);
        if (targetClassIds.Length == 0 || targetClassIds.Any(c => c < 0 || c >= numClasses))
            throw new ArgumentException($"target_class_ids must be a non-empty list of classes in [0, {numClasses}). Received: target_class_ids=[{string.Join(", ", targetClassIds)}]", nameof(targetClassIds));
        NumClasses = numClasses;
        TargetClassIds = (int[])targetClassIds.Clone();
        IgnoreClass = ignoreClass;
        SparseYTrue = sparseYTrue;
        SparseYPred = sparseYPred;
        _cm = new double[numClasses * numClasses];
    }

    /// <summary>The number of classes.</summary>
    public int NumClasses { get; }
    /// <summary>The classes averaged.</summary>
    public int[] TargetClassIds { get; }
    /// <summary>The true class left out, if any.</summary>
    public int? IgnoreClass { get; }
    /// <summary>Whether targets are class indices.</summary>
    public bool SparseYTrue { get; }
    /// <summary>Whether predictions are class indices.</summary>
    public bool SparseYPred { get; }

    /// <summary>The accumulated confusion matrix, rows = true class (weighted counts).</summary>
    public double[,] TotalConfusionMatrix
    {
        get
        {
            var m = new double[NumClasses, NumClasses];
            for (int i = 0; i < NumClasses; i++) for (int j = 0; j < NumClasses; j++) m[i, j] = _cm[i * NumClasses + j];
            return m;
        }
    }

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred) => UpdateState(yTrue, yPred, null);

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        int[] t, p;
        float[]? w;
        using (GradientTape.NoGradient())
        {
            t = Classes(yTrue, SparseYTrue);
            p = Classes(yPred, SparseYPred);
            if (t.Length != p.Length)
                throw new ArgumentException($"{Name}: y_true and y_pred must hold as many labels. Received: y_true.shape={yTrue.ShapeString}, y_pred.shape={yPred.ShapeString}");
            w = ConfusionCounter.ExpandWeights(Name, sampleWeight, new[] { t.Length }, t.Length);
        }
        for (int i = 0; i < t.Length; i++)
        {
            if (IgnoreClass == t[i]) continue;
            if ((uint)t[i] >= (uint)NumClasses || (uint)p[i] >= (uint)NumClasses)
                throw new ArgumentException($"{Name}: labels must be in [0, {NumClasses}). Received: y_true={t[i]}, y_pred={p[i]} at element {i}.");
            _cm[t[i] * NumClasses + p[i]] += w?[i] ?? 1f;
        }
    }

    private static int[] Classes(Tensor y, bool sparse)
    {
        var v = y.Contiguous().ToArray();
        if (sparse) return v.Select(x => (int)x).ToArray();
        int c = y.Shape[^1], n = v.Length / c;
        var r = new int[n];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int j = 1; j < c; j++) if (v[i * c + j] > v[i * c + best]) best = j;
            r[i] = best;
        }
        return r;
    }

    /// <summary>The IoU of each target class (0 where the class never occurs).</summary>
    public override float[] ResultVector() => TargetClassIds.Select(c => (float)ClassIoU(c)).ToArray();

    private double Denominator(int c)
    {
        double row = 0, col = 0;
        for (int j = 0; j < NumClasses; j++) { row += _cm[c * NumClasses + j]; col += _cm[j * NumClasses + c]; }
        return row + col - _cm[c * NumClasses + c];
    }

    private double ClassIoU(int c) => PrecisionRecallBase.DivideNoNan(_cm[c * NumClasses + c], Denominator(c));

    /// <inheritdoc/>
    public override float Result()
    {
        int valid = TargetClassIds.Count(c => Denominator(c) > 1e-9);
        return (float)PrecisionRecallBase.DivideNoNan(TargetClassIds.Sum(ClassIoU), valid);
    }

    /// <inheritdoc/>
    public override void ResetState() => Array.Clear(_cm);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["num_classes"] = NumClasses; c["target_class_ids"] = TargetClassIds; c["ignore_class"] = IgnoreClass;
        c["sparse_y_true"] = SparseYTrue; c["sparse_y_pred"] = SparseYPred; c["axis"] = -1;
        return c;
    }
}
