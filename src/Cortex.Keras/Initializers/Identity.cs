namespace Cortex.Keras.Initializers;

/// <summary>
/// gain · I: ones on the main diagonal of a (possibly rectangular) matrix, zeros elsewhere (Keras's
/// <c>keras.initializers.Identity</c>, name "identity"). Only for 2-D shapes.
/// </summary>
/// <remarks>Defaults (Keras 3): gain 1.0.</remarks>
public sealed class Identity : Initializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="gain">Factor applied to the identity matrix. Defaults to 1.</param>
    public Identity(float gain = 1f) => Gain = gain;

    /// <summary>The factor applied to the identity matrix.</summary>
    public float Gain { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The shape is not two-dimensional.</exception>
    public override Tensor Call(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length != 2)
            throw new ArgumentException($"Identity matrix initializer can only be used for 2D matrices. Received: shape={TensorShape.Format(shape)} of rank {shape.Length}.", nameof(shape));
        var t = NewTensor(shape);
        var s = t.Span;
        int rows = shape[0], cols = shape[1];
        for (int i = 0; i < Math.Min(rows, cols); i++) s[i * cols + i] = Gain;
        return t;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["gain"] = Gain };
}
