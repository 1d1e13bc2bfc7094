namespace Cortex.Keras.Metrics;

/// <summary>
/// The recall of the predictions, <c>tp / (tp + fn)</c> (Keras's <c>Recall</c>, name "recall"), accumulated over every
/// batch seen; a prediction is positive when <c>y_pred &gt; threshold</c>.
/// </summary>
/// <remarks>topK, classId and several thresholds behave as for <see cref="Precision"/>.</remarks>
/// <param name="thresholds">Thresholds in [0, 1]; default 0.5 (or, with topK, none: the top k are positive).</param>
/// <param name="topK">Positive: only the top k predictions of a row count.</param>
/// <param name="classId">The class whose binary recall to compute.</param>
/// <param name="name">The metric's name.</param>
public sealed class Recall(float[]? thresholds = null, int? topK = null, int? classId = null, string? name = null)
    : PrecisionRecallBase(thresholds, topK, classId, name, "recall")
{
    /// <summary>A recall at one threshold.</summary>
    public Recall(float threshold, string? name = null) : this(new[] { threshold }, null, null, name) { }

    private protected override double Ratio(int i) => DivideNoNan(Counter.TP[i], Counter.TP[i] + Counter.FN[i]);
}
