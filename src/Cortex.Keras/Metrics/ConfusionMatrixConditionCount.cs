namespace Cortex.Keras.Metrics;

/// <summary>
/// What TruePositives, FalsePositives, TrueNegatives and FalseNegatives share (Keras's
/// <c>_ConfusionMatrixConditionCount</c>): the (weighted) number of predictions in one cell of the confusion matrix,
/// a prediction being positive when <c>y_pred &gt; threshold</c> (default 0.5), one count per threshold.
/// </summary>
public abstract class ConfusionMatrixConditionCount : Metric
{
    private readonly ConfusionCounter _counter;

    /// <summary>Stores the thresholds (each in [0, 1]; default 0.5).</summary>
    protected ConfusionMatrixConditionCount(float[]? thresholds, string? name, string defaultName) : base(name, defaultName)
    {
        InitThresholds = thresholds;
        Thresholds = ConfusionCounter.ParseThresholds(thresholds, 0.5f);
        _counter = new ConfusionCounter(Thresholds, ConfusionCounter.IsEvenlyDistributed(Thresholds.Select(t => (double)t).ToArray()));
    }

    /// <summary>The thresholds as given (null: the default).</summary>
    public float[]? InitThresholds { get; }

    /// <summary>The thresholds used.</summary>
    public float[] Thresholds { get; }

    /// <summary>The counts of this metric's cell, one per threshold.</summary>
    private protected abstract double[] Cell(ConfusionCounter counter);

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred) => UpdateState(yTrue, yPred, null);

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight) => _counter.Update(Name, yTrue, yPred, sampleWeight);

    /// <inheritdoc/>
    public override float Result() => Thresholds.Length == 1 ? ResultVector()[0] : throw SeveralValues(Thresholds.Length, "one per threshold");

    /// <inheritdoc/>
    public override float[] ResultVector()
    {
        var cell = Cell(_counter);
        return cell.Length == 0 ? new float[Thresholds.Length] : cell.Select(v => (float)v).ToArray();
    }

    /// <inheritdoc/>
    public override void ResetState() => _counter.Reset();

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["thresholds"] = InitThresholds;
        return c;
    }
}

