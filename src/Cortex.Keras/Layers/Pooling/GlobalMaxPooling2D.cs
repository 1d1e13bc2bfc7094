namespace Cortex.Keras.Layers;

/// <summary>Global max pooling operation for 2-D data: the maximum over rows and columns, per channel.</summary>
/// <remarks>
/// Args: data_format ("channels_last" or "channels_first"), keepdims (false: the spatial axes are dropped; true:
/// kept with size 1).<br/>
/// Input shape: 4-D <c>(batch, rows, cols, channels)</c> (channels_last) or <c>(batch, channels, rows, cols)</c>.<br/>
/// Output shape: <c>(batch, channels)</c>; with keepdims <c>(batch, 1, 1, channels)</c> or <c>(batch, channels, 1, 1)</c>.
/// </remarks>
public sealed class GlobalMaxPooling2D : BaseGlobalPooling
{
    /// <summary>Creates a GlobalMaxPooling2D layer.</summary>
    public GlobalMaxPooling2D(string dataFormat = "channels_last", bool keepdims = false, int[]? inputShape = null, string? name = null)
        : base(2, true, dataFormat, keepdims, inputShape, name) { }
}
