namespace Cortex.Keras.Layers;

/// <summary>Cropping layer for 1-D input (e.g. temporal sequence): removes steps at the start and end of the steps axis.</summary>
/// <remarks>
/// Args: cropping: an int (the same at both ends) or a (left, right) tuple, default (1, 1).<br/>
/// Input shape: 3-D tensor <c>(batch_size, axis_to_crop, features)</c>.<br/>
/// Output shape: <c>(batch_size, cropped_axis, features)</c>.
/// </remarks>
public sealed class Cropping1D : Layer
{
    /// <summary>Creates a Cropping1D layer.</summary>
    public Cropping1D(Margins1D? cropping = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
        => Cropping = (cropping ?? 1).RequireNonNegative("cropping", Name);

    /// <summary>Steps removed at the start and end.</summary>
    public Margins1D Cropping { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        CheckFits(inputs.Shape.ToArray());
        return Ops.Crop(inputs, new[] { 0, Cropping.Left, 0 }, new[] { 0, Cropping.Right, 0 });
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        CheckFits(inputShape);
        var s = (int[])inputShape.Clone();
        if (s[1] >= 0) s[1] -= Cropping.Left + Cropping.Right;
        return s;
    }

    private void CheckFits(int[] shape)
    {
        SpatialAxes.RequireRank(this, shape, 3);
        if (shape[1] >= 0 && Cropping.Left + Cropping.Right >= shape[1])
            throw new ArgumentException($"Layer \"{Name}\": `cropping` parameter of `Cropping1D` layer must be smaller than the input length. Received: inputs.shape={TensorShape.Format(shape)}, and cropping={Cropping}");
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["cropping"] = Cropping.ToArray(); return c; }
}
