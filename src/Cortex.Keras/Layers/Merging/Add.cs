namespace Cortex.Keras.Layers;

/// <summary>
/// Adds a list of inputs element-wise (Keras's <c>Add</c>): <c>output = x1 + x2 + ...</c>.
/// </summary>
/// <remarks>
/// Input shape: a list of tensors of equal (or broadcastable) shapes after the batch axis.<br/>
/// Output shape: the broadcast shape.
/// </remarks>
public sealed class Add : Merge
{
    /// <summary>Creates an Add layer.</summary>
    public Add(string? name = null) : base(name) { }

    /// <inheritdoc/>
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs)
    {
        var y = inputs[0];
        for (int i = 1; i < inputs.Count; i++) y = Ops.Add(y, inputs[i]);
        return y;
    }
}
