namespace Cortex.Keras.Metrics;

/// <summary>The (weighted) number of true negatives (Keras's <c>TrueNegatives</c>, name "true_negatives").</summary>
/// <param name="thresholds">Thresholds in [0, 1] (default 0.5); one count per threshold.</param>
/// <param name="name">The metric's name.</param>
public sealed class TrueNegatives(float[]? thresholds = null, string? name = null) : ConfusionMatrixConditionCount(thresholds, name, "true_negatives")
{
    private protected override double[] Cell(ConfusionCounter counter) => counter.TN;
}
