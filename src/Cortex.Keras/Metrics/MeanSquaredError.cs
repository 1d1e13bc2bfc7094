namespace Cortex.Keras.Metrics;

/// <summary>
/// The mean squared error over all samples seen (Keras's <c>keras.metrics.MeanSquaredError</c>, name
/// <c>"mean_squared_error"</c>, alias <c>"mse"</c>): the average of the per-sample
/// <c>mean((y_true − y_pred)², axis=−1)</c> of <see cref="Losses.MeanSquaredError"/>.
/// </summary>
/// <param name="name">The metric's name.</param>
public sealed class MeanSquaredError(string? name = "mean_squared_error")
    : MeanMetricWrapper(new Losses.MeanSquaredError(reduction: "none").Compute, name ?? "mean_squared_error");
