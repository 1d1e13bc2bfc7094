namespace Cortex.Keras.Metrics;

/// <summary>The (weighted) number of false positives (Keras's <c>FalsePositives</c>, name "false_positives").</summary>
/// <param name="thresholds">Thresholds in [0, 1] (default 0.5); one count per threshold.</param>
/// <param name="name">The metric's name.</param>
public sealed class FalsePositives(float[]? thresholds = null, string? name = null) : ConfusionMatrixConditionCount(thresholds, name, "false_positives")
{
    private protected override double[] Cell(ConfusionCounter counter) => counter.FP;
}
