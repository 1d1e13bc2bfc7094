namespace Cortex.Keras.Metrics;

/// <summary>
/// The mean absolute error over all samples seen (Keras's <c>keras.metrics.MeanAbsoluteError</c>, name
/// <c>"mean_absolute_error"</c>, alias <c>"mae"</c>): the average of the per-sample
/// <c>mean(|y_true − y_pred|, axis=−1)</c> of <see cref="Losses.MeanAbsoluteError"/>.
/// </summary>
/// <param name="name">The metric's name.</param>
public sealed class MeanAbsoluteError(string? name = "mean_absolute_error")
    : MeanMetricWrapper(new Losses.MeanAbsoluteError(reduction: "none").Compute, name ?? "mean_absolute_error");
