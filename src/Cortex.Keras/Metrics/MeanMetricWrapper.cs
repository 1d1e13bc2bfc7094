using Cortex.Autodiff;

namespace Cortex.Keras.Metrics;

/// <summary>
/// Turns a function <c>(y_true, y_pred) → per-sample values</c> into a metric that averages those values over every
/// sample seen (Keras's <c>keras.metrics.MeanMetricWrapper</c>). Values of rank ≥ 2 are first averaged over all axes but
/// the first, as Keras's <see cref="Mean"/> does; a function that returns a scalar for a batch counts it once.
/// </summary>
/// <param name="fn">The per-sample function, e.g. a loss's <see cref="Losses.Loss.Compute"/>.</param>
/// <param name="name">The metric's name.</param>
public class MeanMetricWrapper(Func<Tensor, Tensor, Tensor> fn, string? name = null) : Mean(name ?? "mean_metric_wrapper")
{
    private readonly Func<Tensor, Tensor, Tensor> _fn = fn ?? throw new ArgumentNullException(nameof(fn));

    /// <summary>Evaluates the function on the batch (without recording on the tape) and accumulates its values.</summary>
    public override void UpdateState(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        using (GradientTape.NoGradient()) UpdateState(_fn(yTrue, yPred));
    }
}
