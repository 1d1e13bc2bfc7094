namespace Cortex.Keras.Layers;

/// <summary>Upsampling layer for 1-D inputs: repeats each temporal step <c>size</c> times along the time axis.</summary>
/// <remarks>
/// Args: size: the upsampling factor, default 2.<br/>
/// Input shape: 3-D tensor <c>(batch_size, steps, features)</c>.<br/>
/// Output shape: <c>(batch_size, upsampled_steps, features)</c>.
/// </remarks>
public sealed class UpSampling1D : Layer
{
    /// <summary>Creates an UpSampling1D layer.</summary>
    public UpSampling1D(int size = 2, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (size <= 0) throw new ArgumentException($"Layer \"{Name}\": the `size` argument must be a positive integer. Received: size={size}", nameof(size));
        Size = size;
    }

    /// <summary>The upsampling factor.</summary>
    public int Size { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        SpatialAxes.RequireRank(this, inputs.Shape, 3);
        return Size == 1 ? inputs : Ops.Repeat(inputs, 1, Size);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        SpatialAxes.RequireRank(this, inputShape, 3);
        var s = (int[])inputShape.Clone();
        if (s[1] >= 0) s[1] *= Size;
        return s;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["size"] = Size; return c; }
}
