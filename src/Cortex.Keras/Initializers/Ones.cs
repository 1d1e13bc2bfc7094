namespace Cortex.Keras.Initializers;

/// <summary>All ones (Keras's <c>keras.initializers.Ones</c>, names "ones", "one").</summary>
public sealed class Ones : Initializer
{
    /// <inheritdoc/>
    public override Tensor Call(int[] shape)
    {
        var t = NewTensor(shape);
        t.Span.Fill(1f);
        return t;
    }
}
