namespace Cortex.Keras.Layers;

/// <summary>
/// Upsampling layer for 2-D inputs: repeats the rows and columns of the data by <c>size.Height</c> and
/// <c>size.Width</c> ("nearest"), or resizes bilinearly with half-pixel centres ("bilinear", as Keras's TensorFlow
/// resize does).
/// </summary>
/// <remarks>
/// Args: size: int or (rows, cols) upsampling factors, default (2, 2); data_format; interpolation: "nearest" (default)
/// or "bilinear".<br/>
/// Input shape: 4-D tensor <c>(batch_size, rows, cols, channels)</c> (channels_last) or
/// <c>(batch_size, channels, rows, cols)</c> (channels_first).<br/>
/// Output shape: <c>(batch_size, upsampled_rows, upsampled_cols, channels)</c> or the channels_first equivalent.
/// </remarks>
public sealed class UpSampling2D : Layer
{
    /// <summary>Creates an UpSampling2D layer.</summary>
    public UpSampling2D(Size2D? size = null, string? dataFormat = null, string interpolation = "nearest", int[]? inputShape = null, string? name = null)
        : base(name, inputShape)
    {
        Size = (size ?? 2).RequirePositive("size");
        DataFormat = Layers.DataFormat.Normalize(dataFormat);
        var i = (interpolation ?? "nearest").ToLowerInvariant();
        if (i != "nearest" && i != "bilinear")
            throw new ArgumentException($"Layer \"{Name}\": the `interpolation` argument should be one of: \"nearest\", \"bilinear\". Received: interpolation={interpolation}", nameof(interpolation));
        Interpolation = i;
    }

    /// <summary>Upsampling factors for rows and columns.</summary>
    public Size2D Size { get; }
    /// <summary>"channels_last" or "channels_first".</summary>
    public string DataFormat { get; }
    /// <summary>"nearest" or "bilinear".</summary>
    public string Interpolation { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        SpatialAxes.RequireRank(this, inputs.Shape, 4);
        var (h, w) = SpatialAxes.Of2D(DataFormat);
        var y = inputs;
        if (Interpolation == "nearest")
        {
            if (Size.Height != 1) y = Ops.Repeat(y, h, Size.Height);
            if (Size.Width != 1) y = Ops.Repeat(y, w, Size.Width);
        }
        else
        {
            if (Size.Height != 1) y = Ops.ResizeLinear(y, h, inputs.Shape[h] * Size.Height);
            if (Size.Width != 1) y = Ops.ResizeLinear(y, w, inputs.Shape[w] * Size.Width);
        }
        return y;
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        SpatialAxes.RequireRank(this, inputShape, 4);
        var (h, w) = SpatialAxes.Of2D(DataFormat);
        var s = (int[])inputShape.Clone();
        if (s[h] >= 0) s[h] *= Size.Height;
        if (s[w] >= 0) s[w] *= Size.Width;
        return s;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["size"] = Size.ToArray(); c["data_format"] = DataFormat; c["interpolation"] = Interpolation;
        return c;
    }
}
