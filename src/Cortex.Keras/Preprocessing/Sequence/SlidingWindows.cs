namespace Cortex.Keras.Preprocessing.Sequence;

/// <summary>Supervised (window → future value) pairs from a time series, for forecasting with recurrent or dense nets.</summary>
public static class SlidingWindows
{
    /// <summary>
    /// Every window of <paramref name="window"/> consecutive steps with the value <paramref name="horizon"/> steps after
    /// it: <c>x[i] = series[i : i + window]</c>, <c>y[i] = series[i + window + horizon − 1]</c>, for
    /// <c>n = steps − window − horizon + 1</c> windows (horizon 1: the next step).
    /// </summary>
    /// <param name="series">(steps,) or (steps, features).</param>
    /// <param name="window">Steps per input window (positive).</param>
    /// <param name="horizon">How far ahead the target is (positive; 1 = the step right after the window).</param>
    /// <returns>x of shape (n, window, features) and y of shape (n, features) (features = 1 for a rank-1 series).</returns>
    public static (Tensor X, Tensor Y) Make(Tensor series, int window, int horizon = 1)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (series.Rank is not (1 or 2)) throw new ArgumentException($"series must have shape (steps,) or (steps, features); got {series.ShapeString}.", nameof(series));
        if (window <= 0) throw new ArgumentException($"window must be a positive integer. Received: window={window}", nameof(window));
        if (horizon <= 0) throw new ArgumentException($"horizon must be a positive integer. Received: horizon={horizon}", nameof(horizon));
        int steps = series.Shape[0], features = series.Rank == 2 ? series.Shape[1] : 1;
        int n = steps - window - horizon + 1;
        if (n <= 0) throw new ArgumentException($"a series of {steps} steps is too short for window={window} and horizon={horizon} (needs at least {window + horizon} steps).", nameof(series));
        var src = series.Contiguous().Span;
        var x = Tensor.Zeros(n, window, features); var y = Tensor.Zeros(n, features);
        var xd = x.Span; var yd = y.Span;
        for (int i = 0; i < n; i++)
        {
            src.Slice(i * features, window * features).CopyTo(xd.Slice(i * window * features, window * features));
            src.Slice((i + window + horizon - 1) * features, features).CopyTo(yd.Slice(i * features, features));
        }
        return (x, y);
    }

    /// <summary><see cref="Make(Tensor, int, int)"/> for a series of values.</summary>
    public static (Tensor X, Tensor Y) Make(ReadOnlySpan<float> series, int window, int horizon = 1)
        => Make(Tensor.FromArray(series.ToArray(), series.Length), window, horizon);
}
