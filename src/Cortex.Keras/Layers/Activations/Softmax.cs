namespace Cortex.Keras.Layers;

/// <summary>Softmax activation layer: <c>exp(x) / sum(exp(x))</c> along <c>axis</c>.</summary>
/// <remarks>
/// Args: axis: the axis along which the softmax normalization is applied, default -1.<br/>
/// Input shape: arbitrary. Output shape: same as the input.
/// </remarks>
public sealed class Softmax : Layer
{
    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    /// <summary>Creates a Softmax layer.</summary>
    public Softmax(int axis = -1, int[]? inputShape = null, string? name = null) : base(name, inputShape) => Axis = axis;

    /// <summary>The normalized axis.</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        if (Axis >= inputs.Rank || Axis < -inputs.Rank)
            throw new ArgumentException($"Layer \"{Name}\": axis {Axis} is out of range for inputs of shape {inputs.ShapeString}.");
        return Ops.Softmax(inputs, Axis);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["axis"] = Axis; return c; }
}
