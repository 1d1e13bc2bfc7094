namespace Cortex.Keras.Preprocessing.Text;

/// <summary>Sampling from a model's predicted distribution, for text generation.</summary>
public static class Sampling
{
    /// <summary>
    /// Draws one index from <paramref name="probabilities"/> reweighted by <paramref name="temperature"/>, as the
    /// <c>sample</c> function of Keras's lstm_text_generation example: <c>p' = softmax(log(p) / T)</c>, then one
    /// multinomial draw. T &lt; 1 sharpens the distribution (T → 0 picks the most likely index), T &gt; 1 flattens it.
    /// Computed in float64; an index with probability 0 is never drawn.
    /// </summary>
    /// <param name="probabilities">Non-negative weights (a softmax output); they need not sum to 1.</param>
    /// <param name="temperature">Positive temperature.</param>
    /// <param name="rng">The random generator (seeded for reproducible draws).</param>
    /// <returns>The index drawn.</returns>
    public static int SampleWithTemperature(ReadOnlySpan<float> probabilities, double temperature, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(rng);
        if (probabilities.IsEmpty) throw new ArgumentException("probabilities must not be empty.", nameof(probabilities));
        if (!(temperature > 0) || double.IsInfinity(temperature))
            throw new ArgumentException($"temperature must be a positive number. Received: temperature={temperature}", nameof(temperature));
        var logits = new double[probabilities.Length];
        double max = double.NegativeInfinity;
        for (int i = 0; i < logits.Length; i++)
        {
            float p = probabilities[i];
            if (!(p >= 0) || float.IsInfinity(p))
                throw new ArgumentException($"probabilities must be finite and non-negative; element {i} is {p}.", nameof(probabilities));
            logits[i] = p == 0 ? double.NegativeInfinity : Math.Log(p) / temperature;
            if (logits[i] > max) max = logits[i];
        }
        if (double.IsNegativeInfinity(max)) throw new ArgumentException("probabilities are all zero.", nameof(probabilities));
        double sum = 0;
        for (int i = 0; i < logits.Length; i++) { logits[i] = Math.Exp(logits[i] - max); sum += logits[i]; }
        double u = rng.NextDouble() * sum, acc = 0;
        int last = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            if (logits[i] == 0) continue;
            last = i;
            acc += logits[i];
            if (u < acc) return i;
        }
        return last;
    }

    /// <summary>The same for a tensor of probabilities (any shape, read flat; typically one softmax row).</summary>
    public static int SampleWithTemperature(Tensor probabilities, double temperature, RandomGenerator rng)
    {
        ArgumentNullException.ThrowIfNull(probabilities);
        return SampleWithTemperature(probabilities.Contiguous().Span, temperature, rng);
    }
}
