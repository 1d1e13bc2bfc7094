namespace Cortex.Keras.Metrics;

/// <summary>
/// The precision of the predictions, <c>tp / (tp + fp)</c> (Keras's <c>Precision</c>, name "precision"), accumulated
/// over every batch seen; a prediction is positive when <c>y_pred &gt; threshold</c>.
/// </summary>
/// <remarks>With <c>topK</c> the positives are each row's k highest predictions (ties to the lower index); with
/// <c>classId</c> only that class's column counts; several thresholds give one value each (<see cref="Metric.ResultVector"/>).
/// With a <c>from_logits</c> loss, use threshold 0.</remarks>
/// <param name="thresholds">Thresholds in [0, 1]; default 0.5 (or, with topK, none: the top k are positive).</param>
/// <param name="topK">Positive: only the top k predictions of a row count.</param>
/// <param name="classId">The class whose binary precision to compute.</param>
/// <param name="name">The metric's name.</param>
public sealed class Precision(float[]? thresholds = null, int? topK = null, int? classId = null, string? name = null)
    : PrecisionRecallBase(thresholds, topK, classId, name, "precision")
{
    /// <summary>A precision at one threshold.</summary>
    public Precision(float threshold, string? name = null) : this(new[] { threshold }, null, null, name) { }

    private protected override double Ratio(int i) => DivideNoNan(Counter.TP[i], Counter.TP[i] + Counter.FP[i]);
}
