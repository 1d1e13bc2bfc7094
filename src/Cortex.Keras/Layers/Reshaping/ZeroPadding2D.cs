namespace Cortex.Keras.Layers;

/// <summary>
/// Zero-padding layer for 2-D input (e.g. picture): adds rows and columns of zeros at the top, bottom, left and right
/// of an image tensor.
/// </summary>
/// <remarks>
/// Args: padding: an int (the same on all sides), (symmetric_height_pad, symmetric_width_pad) or
/// ((top_pad, bottom_pad), (left_pad, right_pad)), default 1; data_format ("channels_last" or "channels_first").<br/>
/// Input shape: 4-D tensor <c>(batch_size, rows, cols, channels)</c> (channels_last) or
/// <c>(batch_size, channels, rows, cols)</c> (channels_first).<br/>
/// Output shape: <c>(batch_size, padded_rows, padded_cols, channels)</c> or <c>(batch_size, channels, padded_rows, padded_cols)</c>.
/// </remarks>
public sealed class ZeroPadding2D : Layer
{
    /// <summary>Creates a ZeroPadding2D layer.</summary>
    public ZeroPadding2D(Margins2D? padding = null, string? dataFormat = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        Padding = (padding ?? 1).RequireNonNegative("padding", Name);
        DataFormat = Layers.DataFormat.Normalize(dataFormat);
    }

    /// <summary>Rows and columns of zeros added on each side.</summary>
    public Margins2D Padding { get; }
    /// <summary>"channels_last" or "channels_first".</summary>
    public string DataFormat { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        SpatialAxes.RequireRank(this, inputs.Shape, 4);
        var (h, w) = SpatialAxes.Of2D(DataFormat);
        var before = new int[4]; var after = new int[4];
        before[h] = Padding.Top; after[h] = Padding.Bottom; before[w] = Padding.Left; after[w] = Padding.Right;
        return Ops.Pad(inputs, before, after);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        SpatialAxes.RequireRank(this, inputShape, 4);
        var (h, w) = SpatialAxes.Of2D(DataFormat);
        var s = (int[])inputShape.Clone();
        if (s[h] >= 0) s[h] += Padding.Top + Padding.Bottom;
        if (s[w] >= 0) s[w] += Padding.Left + Padding.Right;
        return s;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["padding"] = Padding.ToArray(); c["data_format"] = DataFormat;
        return c;
    }
}
