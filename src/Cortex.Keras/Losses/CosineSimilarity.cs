namespace Cortex.Keras.Losses;

/// <summary>
/// Negative cosine similarity (Keras's <c>CosineSimilarity</c> loss, name <c>"cosine_similarity"</c>):
/// <c>loss = −Σ l2_normalize(y_true)·l2_normalize(y_pred)</c> along <paramref name="axis"/>, in [−1, 1] (−1: same
/// direction). Keras's <c>l2_normalize(x) = x · min(1/√Σx², 1/ε)</c>, computed here as x / √max(Σx², ε²) (the same
/// value, with a finite gradient at a zero vector, whose loss is 0). ε = <see cref="Backend.Epsilon"/>.
/// </summary>
/// <param name="axis">The axis along which the similarity is computed.</param>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class CosineSimilarity(int axis = -1, string? reduction = "sum_over_batch_size", string? name = "cosine_similarity")
    : Loss(name, reduction, "cosine_similarity")
{
    /// <summary>The axis along which the similarity is computed.</summary>
    public int Axis { get; } = axis;

    /// <inheritdoc/>
    public override Tensor Compute(Tensor yTrue, Tensor yPred)
    {
        var (t, p) = AlignShapes(yTrue, yPred);
        int a = TensorShape.NormalizeAxis(Axis, p.Rank);
        return Ops.Negate(Ops.Sum(Ops.Multiply(L2Normalize(t, a), L2Normalize(p, a)), a));
    }

    /// <summary>x / √max(Σx², ε²) along <paramref name="axis"/> (Keras's <c>ops.normalize(x, axis, order=2)</c>).</summary>
    public static Tensor L2Normalize(Tensor x, int axis = -1)
    {
        var squareSum = Ops.Sum(Ops.Square(x), axis, keepDims: true);
        var invNorm = Ops.Pow(Ops.Clip(squareSum, Backend.Epsilon * Backend.Epsilon, float.PositiveInfinity), -0.5f);
        return Ops.Multiply(x, invNorm);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["axis"] = Axis;
        return c;
    }
}
