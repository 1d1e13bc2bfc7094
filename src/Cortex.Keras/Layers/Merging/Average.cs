namespace Cortex.Keras.Layers;

/// <summary>
/// The element-wise mean of a list of inputs (Keras's <c>Average</c>): <c>output = (x1 + ... + xn) / n</c>.
/// </summary>
/// <remarks>
/// Input shape: a list of tensors of equal (or broadcastable) shapes after the batch axis.<br/>
/// Output shape: the broadcast shape.
/// </remarks>
public sealed class Average : Merge
{
    /// <summary>Creates an Average layer.</summary>
    public Average(string? name = null) : base(name) { }

    /// <inheritdoc/>
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs)
    {
        var y = inputs[0];
        for (int i = 1; i < inputs.Count; i++) y = Ops.Add(y, inputs[i]);
        return inputs.Count == 1 ? y : Ops.MultiplyScalar(y, 1f / inputs.Count);
    }
}
