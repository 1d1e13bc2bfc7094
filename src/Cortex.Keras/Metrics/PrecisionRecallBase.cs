namespace Cortex.Keras.Metrics;

/// <summary>
/// What <see cref="Precision"/> and <see cref="Recall"/> share: thresholds (default 0.5, or −1e10 with <c>topK</c>, so
/// that exactly the top k predictions count as positive), <c>topK</c>, <c>classId</c>, and the confusion counts.
/// </summary>
public abstract class PrecisionRecallBase : Metric
{
    private protected readonly ConfusionCounter Counter;

    /// <summary>Validates and stores the configuration (Keras's).</summary>
    protected PrecisionRecallBase(float[]? thresholds, int? topK, int? classId, string? name, string defaultName) : base(name, defaultName)
    {
        if (topK is <= 0) throw new ArgumentException($"top_k must be a positive integer. Received: top_k={topK}", nameof(topK));
        if (classId is < 0) throw new ArgumentException($"class_id must be a non-negative integer. Received: class_id={classId}", nameof(classId));
        InitThresholds = thresholds;
        TopK = topK;
        ClassId = classId;
        Thresholds = ConfusionCounter.ParseThresholds(thresholds, topK is null ? 0.5f : ConfusionCounter.NegInf);
        Counter = new ConfusionCounter(Thresholds, ConfusionCounter.IsEvenlyDistributed(Thresholds.Select(t => (double)t).ToArray()), topK, classId);
    }

    /// <summary>The thresholds as given (null: the default).</summary>
    public float[]? InitThresholds { get; }
    /// <summary>The thresholds used.</summary>
    public float[] Thresholds { get; }
    /// <summary>Only each row's k highest predictions can be positive (null: all).</summary>
    public int? TopK { get; }
    /// <summary>Only this class (column of the last axis) counts (null: all, flattened).</summary>
    public int? ClassId { get; }

    /// <summary>The ratio at threshold i from the counts (0 where its denominator is 0, as <c>divide_no_nan</c>).</summary>
    private protected abstract double Ratio(int i);

    /// <summary><c>a / b</c>, or 0 where b is 0 (Keras's <c>divide_no_nan</c>).</summary>
    internal static double DivideNoNan(double a, double b) => b == 0 ? 0 : a / b;

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred) => UpdateState(yTrue, yPred, null);

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight) => Counter.Update(Name, yTrue, yPred, sampleWeight);

    /// <inheritdoc/>
    public override float Result() => Thresholds.Length == 1 ? ResultVector()[0] : throw SeveralValues(Thresholds.Length, "one per threshold");

    /// <inheritdoc/>
    public override float[] ResultVector()
        => Enumerable.Range(0, Thresholds.Length).Select(i => Counter.TP.Length == 0 ? 0f : (float)Ratio(i)).ToArray();

    /// <inheritdoc/>
    public override void ResetState() => Counter.Reset();

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["thresholds"] = InitThresholds; c["top_k"] = TopK; c["class_id"] = ClassId;
        return c;
    }
}
