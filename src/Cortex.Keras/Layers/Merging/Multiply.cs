namespace Cortex.Keras.Layers;

/// <summary>
/// Multiplies a list of inputs element-wise (Keras's <c>Multiply</c>): <c>output = x1 · x2 · ...</c>.
/// </summary>
/// <remarks>
/// Input shape: a list of tensors of equal (or broadcastable) shapes after the batch axis.<br/>
/// Output shape: the broadcast shape.
/// </remarks>
public sealed class Multiply : Merge
{
    /// <summary>Creates a Multiply layer.</summary>
    public Multiply(string? name = null) : base(name) { }

    /// <inheritdoc/>
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs)
    {
        var y = inputs[0];
        for (int i = 1; i < inputs.Count; i++) y = Ops.Multiply(y, inputs[i]);
        return y;
    }
}
