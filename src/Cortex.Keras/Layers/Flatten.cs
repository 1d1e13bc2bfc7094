namespace Cortex.Keras.Layers;

/// <summary>Flattens each sample: <c>(batch, d1, d2, ...)</c> → <c>(batch, d1·d2·...)</c>. Does not affect the batch size.</summary>
public sealed class Flatten : Layer
{
    /// <summary>Creates a Flatten layer.</summary>
    public Flatten(int[]? inputShape = null, string? name = null) : base(name, inputShape) { }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training) => Ops.Reshape(inputs, inputs.Shape[0], -1);

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        int n = 1;
        for (int i = 1; i < inputShape.Length; i++) { if (inputShape[i] < 0) return new[] { inputShape[0], -1 }; n *= inputShape[i]; }
        return new[] { inputShape[0], n };
    }
}
