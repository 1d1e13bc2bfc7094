namespace Cortex.Keras.Layers;

/// <summary>Cropping layer for 2-D input (e.g. picture): removes rows and columns at the top, bottom, left and right.</summary>
/// <remarks>
/// Args: cropping: an int (the same on all sides), (symmetric_height_crop, symmetric_width_crop) or
/// ((top_crop, bottom_crop), (left_crop, right_crop)), default ((0, 0), (0, 0)); data_format.<br/>
/// Input shape: 4-D tensor <c>(batch_size, rows, cols, channels)</c> (channels_last) or
/// <c>(batch_size, channels, rows, cols)</c> (channels_first).<br/>
/// Output shape: <c>(batch_size, cropped_rows, cropped_cols, channels)</c> or <c>(batch_size, channels, cropped_rows, cropped_cols)</c>.
/// </remarks>
public sealed class Cropping2D : Layer
{
    /// <summary>Creates a Cropping2D layer.</summary>
    public Cropping2D(Margins2D? cropping = null, string? dataFormat = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        Cropping = (cropping ?? 0).RequireNonNegative("cropping", Name);
        DataFormat = Layers.DataFormat.Normalize(dataFormat);
    }

    /// <summary>Rows and columns removed on each side.</summary>
    public Margins2D Cropping { get; }
    /// <summary>"channels_last" or "channels_first".</summary>
    public string DataFormat { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        CheckFits(inputs.Shape.ToArray());
        var (h, w) = SpatialAxes.Of2D(DataFormat);
        var before = new int[4]; var after = new int[4];
        before[h] = Cropping.Top; after[h] = Cropping.Bottom; before[w] = Cropping.Left; after[w] = Cropping.Right;
        return Ops.Crop(inputs, before, after);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        CheckFits(inputShape);
        var (h, w) = SpatialAxes.Of2D(DataFormat);
        var s = (int[])inputShape.Clone();
        if (s[h] >= 0) s[h] -= Cropping.Top + Cropping.Bottom;
        if (s[w] >= 0) s[w] -= Cropping.Left + Cropping.Right;
        return s;
    }

    private void CheckFits(int[] shape)
    {
        SpatialAxes.RequireRank(this, shape, 4);
        var (h, w) = SpatialAxes.Of2D(DataFormat);
        if ((shape[h] >= 0 && Cropping.Top + Cropping.Bottom >= shape[h]) || (shape[w] >= 0 && Cropping.Left + Cropping.Right >= shape[w]))
            throw new ArgumentException($"Layer \"{Name}\": `cropping` must leave at least one row and one column of the input. Received: inputs.shape={TensorShape.Format(shape)}, and cropping={Cropping}");
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["cropping"] = Cropping.ToArray(); c["data_format"] = DataFormat;
        return c;
    }
}
