namespace Cortex.Keras.Layers;

/// <summary>
/// The element-wise minimum of a list of inputs (Keras's <c>Minimum</c>).
/// </summary>
/// <remarks>
/// Input shape: a list of tensors of equal (or broadcastable) shapes after the batch axis.<br/>
/// Output shape: the broadcast shape.
/// </remarks>
public sealed class Minimum : Merge
{
    /// <summary>Creates a Minimum layer.</summary>
    public Minimum(string? name = null) : base(name) { }

    /// <inheritdoc/>
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs)
    {
        var y = inputs[0];
        for (int i = 1; i < inputs.Count; i++) y = Ops.Minimum(y, inputs[i]);
        return y;
    }
}
