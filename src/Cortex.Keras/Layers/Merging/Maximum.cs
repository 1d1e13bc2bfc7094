namespace Cortex.Keras.Layers;

/// <summary>
/// The element-wise maximum of a list of inputs (Keras's <c>Maximum</c>).
/// </summary>
/// <remarks>
/// Input shape: a list of tensors of equal (or broadcastable) shapes after the batch axis.<br/>
/// Output shape: the broadcast shape.
/// </remarks>
public sealed class Maximum : Merge
{
    /// <summary>Creates a Maximum layer.</summary>
    public Maximum(string? name = null) : base(name) { }

    /// <inheritdoc/>
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs)
    {
        var y = inputs[0];
        for (int i = 1; i < inputs.Count; i++) y = Ops.Maximum(y, inputs[i]);
        return y;
    }
}
