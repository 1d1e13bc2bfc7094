namespace Cortex.Keras.Layers;

/// <summary>
/// Average pooling operation for 2-D spatial data: each output cell is the average of a pool_size window of the input, moved
/// by strides, per channel.
/// </summary>
/// <remarks>
/// Args: pool_size ((2, 2); one integer for both axes), strides (default: pool_size), padding ("valid": no padding,
/// windows stay inside the input; "same": output = ⌈input / strides⌉, padded as TensorFlow does, the odd cell at the
/// bottom and right, padded cells not counted in the average), data_format ("channels_last" or "channels_first").<br/>
/// Input shape: 4-D <c>(batch, rows, cols, channels)</c> (channels_last) or <c>(batch, channels, rows, cols)</c>.<br/>
/// Output shape: <c>(batch, pooled_rows, pooled_cols, channels)</c> or <c>(batch, channels, pooled_rows, pooled_cols)</c>,
/// with pooled = ⌊(input − pool_size) / strides⌋ + 1 for "valid" and ⌈input / strides⌉ for "same".
/// </remarks>
public sealed class AveragePooling2D : BasePooling
{
    /// <summary>Creates a AveragePooling2D layer.</summary>
    public AveragePooling2D(Size2D? poolSize = null, Size2D? strides = null, string padding = "valid", string dataFormat = "channels_last",
        int[]? inputShape = null, string? name = null)
        : base(2, false, poolSize ?? 2, strides, padding, dataFormat, inputShape, name) { }
}
