using Cortex.Autodiff;

namespace Cortex.Keras.Metrics;

/// <summary>
/// The running (weighted) mean of the values given to it (Keras's <c>keras.metrics.Mean</c>, name <c>"mean"</c>):
/// <c>result = total / count</c>, 0 before any update. Totals are kept in double.
/// </summary>
/// <remarks>
/// <para><see cref="UpdateState(float, int)"/> adds a value that stands for <c>count</c> samples (e.g. a batch's mean loss
/// and the batch size): total += value·count, count += count.</para>
/// <para><see cref="UpdateState(Tensor)"/> adds per-sample values as Keras does: a tensor of rank ≥ 2 is first averaged
/// over every axis but the first, then each of its <c>shape[0]</c> values counts once; a scalar counts once.</para>
/// </remarks>
/// <param name="name">The metric's name.</param>
public class Mean(string? name = "mean") : Metric(name, "mean")
{
    private double _total, _count;

    /// <summary>The accumulated sum of values.</summary>
    public double Total => _total;

    /// <summary>The accumulated number of samples (the sum of the weights).</summary>
    public double Count => _count;

    /// <summary>Adds <paramref name="value"/> with weight <paramref name="count"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    public void UpdateState(float value, int count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        _total += (double)value * count;
        _count += count;
    }

    /// <summary>Adds per-sample values (Keras's <c>Mean.update_state(values)</c>).</summary>
    public void UpdateState(Tensor values)
    {
        ArgumentNullException.ThrowIfNull(values);
        using (GradientTape.NoGradient())
        {
            var v = values.ToArray();
            if (values.Rank == 0) { _total += v[0]; _count += 1; return; }
            int samples = values.Shape[0];
            int per = samples == 0 ? 0 : v.Length / samples;
            double total = 0;
            for (int s = 0; s < samples; s++)
            {
                double sum = 0;
                for (int j = 0; j < per; j++) sum += v[s * per + j];
                total += per == 0 ? double.NaN : sum / per;   // an empty trailing axis has no mean, as ops.mean gives NaN
            }
            _total += total;
            _count += samples;
        }
    }

    /// <summary>
    /// Not available on a plain <see cref="Mean"/>, which averages values rather than comparing targets and
    /// predictions: use <see cref="UpdateState(Tensor)"/>, or a <see cref="MeanMetricWrapper"/> over a function.
    /// </summary>
    /// <exception cref="NotSupportedException">Always, for a plain <see cref="Mean"/>.</exception>
    public override void UpdateState(Tensor yTrue, Tensor yPred)
        => throw new NotSupportedException(
            $"Metric '{Name}' is a Mean of given values; call UpdateState(values) or UpdateState(value, count), or wrap a (y_true, y_pred) function in a MeanMetricWrapper.");

    /// <inheritdoc/>
    public override float Result() => _count == 0 ? 0f : (float)(_total / _count);

    /// <inheritdoc/>
    public override void ResetState() { _total = 0; _count = 0; }
}
