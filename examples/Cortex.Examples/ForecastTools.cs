using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Examples;

/// <summary>Small helpers shared by the time-series examples: errors, column tensors, resetting stateful layers.</summary>
internal static class ForecastTools
{
    /// <summary>Mean squared error of two equally long value lists.</summary>
    public static double Mse(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual)
    {
        if (predicted.Length != actual.Length || actual.Length == 0)
            throw new ArgumentException($"expected two non-empty lists of equal length; got {predicted.Length} predictions and {actual.Length} targets.");
        double sum = 0;
        for (int i = 0; i < actual.Length; i++) { double d = predicted[i] - actual[i]; sum += d * d; }
        return sum / actual.Length;
    }

    /// <summary>Root mean squared error.</summary>
    public static double Rmse(ReadOnlySpan<float> predicted, ReadOnlySpan<float> actual) => Math.Sqrt(Mse(predicted, actual));

    /// <summary>Values as an (n, 1) tensor, the shape scalers and Dense(1) outputs have.</summary>
    public static Tensor Column(ReadOnlySpan<float> values) => Tensor.FromArray(values.ToArray(), values.Length, 1);
}
