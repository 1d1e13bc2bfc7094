namespace Cortex.Keras.Layers;

/// <summary>
/// Declares the shape of the model's input (Keras's <c>keras.Input(shape=...)</c> / <c>InputLayer</c>); passes its
/// input through unchanged. In a <see cref="Models.Sequential"/> it lets the model build at once.
/// </summary>
public sealed class InputLayer : Layer
{
    /// <summary>Declares inputs whose samples have <paramref name="shape"/> (without the batch axis).</summary>
    public InputLayer(int[] shape, string? name = null) : base(name, shape ?? throw new ArgumentNullException(nameof(shape))) { }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training) => inputs;
}
