namespace Cortex.Keras.Layers;

/// <summary>
/// Subtracts two inputs element-wise (Keras's <c>Subtract</c>): <c>output = x1 − x2</c>; exactly two inputs.
/// </summary>
/// <remarks>
/// Input shape: a list of tensors of equal (or broadcastable) shapes after the batch axis.<br/>
/// Output shape: the broadcast shape.
/// </remarks>
public sealed class Subtract : Merge
{
    /// <summary>Creates a Subtract layer.</summary>
    public Subtract(string? name = null) : base(name) { }

    /// <inheritdoc/>
    protected override int MinInputs => 2;

    /// <inheritdoc/>
    protected override int MaxInputs => 2;

    /// <inheritdoc/>
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs)
    {
        return Ops.Subtract(inputs[0], inputs[1]);
    }
}
