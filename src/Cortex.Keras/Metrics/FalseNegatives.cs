namespace Cortex.Keras.Metrics;

/// <summary>The (weighted) number of false negatives (Keras's <c>FalseNegatives</c>, name "false_negatives").</summary>
/// <param name="thresholds">Thresholds in [0, 1] (default 0.5); one count per threshold.</param>
/// <param name="name">The metric's name.</param>
public sealed class FalseNegatives(float[]? thresholds = null, string? name = null) : ConfusionMatrixConditionCount(thresholds, name, "false_negatives")
{
    private protected override double[] Cell(ConfusionCounter counter) => counter.FN;
}
