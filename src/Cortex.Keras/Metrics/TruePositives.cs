namespace Cortex.Keras.Metrics;

/// <summary>The (weighted) number of true positives (Keras's <c>TruePositives</c>, name "true_positives").</summary>
/// <param name="thresholds">Thresholds in [0, 1] (default 0.5); one count per threshold.</param>
/// <param name="name">The metric's name.</param>
public sealed class TruePositives(float[]? thresholds = null, string? name = null) : ConfusionMatrixConditionCount(thresholds, name, "true_positives")
{
    private protected override double[] Cell(ConfusionCounter counter) => counter.TP;
}
