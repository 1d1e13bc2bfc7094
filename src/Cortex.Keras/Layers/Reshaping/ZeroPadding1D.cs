namespace Cortex.Keras.Layers;

/// <summary>
/// Zero-padding layer for 1-D input (e.g. temporal sequence): adds <c>padding.Left</c> zeros at the start and
/// <c>padding.Right</c> at the end of the steps axis.
/// </summary>
/// <remarks>
/// Args: padding: an int (the same at both ends) or a (left, right) tuple, default 1.<br/>
/// Input shape: 3-D tensor <c>(batch_size, axis_to_pad, features)</c>.<br/>
/// Output shape: <c>(batch_size, padded_axis, features)</c>.
/// </remarks>
public sealed class ZeroPadding1D : Layer
{
    /// <summary>Creates a ZeroPadding1D layer.</summary>
    public ZeroPadding1D(Margins1D? padding = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
        => Padding = (padding ?? 1).RequireNonNegative("padding", Name);

    /// <summary>Zeros added at the start and end of the steps axis.</summary>
    public Margins1D Padding { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        SpatialAxes.RequireRank(this, inputs.Shape, 3);
        return Ops.Pad(inputs, new[] { 0, Padding.Left, 0 }, new[] { 0, Padding.Right, 0 });
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        SpatialAxes.RequireRank(this, inputShape, 3);
        var s = (int[])inputShape.Clone();
        if (s[1] >= 0) s[1] += Padding.Left + Padding.Right;
        return s;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["padding"] = Padding.ToArray(); return c; }
}
