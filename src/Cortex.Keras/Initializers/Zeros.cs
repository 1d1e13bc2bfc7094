namespace Cortex.Keras.Initializers;

/// <summary>All zeros (Keras's <c>keras.initializers.Zeros</c>, names "zeros", "zero").</summary>
public sealed class Zeros : Initializer
{
    /// <inheritdoc/>
    public override Tensor Call(int[] shape) => NewTensor(shape);
}
