namespace Cortex.Keras.Metrics;

/// <summary>
/// The F1 score, the harmonic mean of precision and recall (Keras's <c>F1Score</c>, name "f1_score"): an
/// <see cref="FBetaScore"/> with β = 1.
/// </summary>
/// <param name="average">null (one value per class), "micro", "macro" or "weighted".</param>
/// <param name="threshold">In (0, 1]: predictions above it are positive; null: each row's largest.</param>
/// <param name="name">The metric's name.</param>
public sealed class F1Score(string? average = null, float? threshold = null, string? name = null)
    : FBetaScore(average, 1f, threshold, name, "f1_score")
{
    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c.Remove("beta");
        return c;
    }
}
