namespace Cortex.Keras.Initializers;

/// <summary>Every element equal to <see cref="Value"/> (Keras's <c>keras.initializers.Constant</c>, name "constant").</summary>
public sealed class Constant : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="value">The fill value. Defaults to 0.</param>
    public Constant(float value = 0f) => Value = value;

    /// <summary>The fill value.</summary>
    public float Value { get; }

    /// <inheritdoc/>
    public override Tensor Call(int[] shape)
    {
        var t = NewTensor(shape);
        t.Span.Fill(Value);
        return t;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["value"] = Value };
}
