namespace Cortex.Keras.Layers;

/// <summary>Global max pooling operation for temporal data: the maximum over the steps, per channel.</summary>
/// <remarks>
/// Args: data_format ("channels_last" or "channels_first"), keepdims (false: the spatial axes are dropped; true:
/// kept with size 1).<br/>
/// Input shape: 3-D <c>(batch, steps, features)</c> (channels_last) or <c>(batch, features, steps)</c>.<br/>
/// Output shape: <c>(batch, features)</c>; with keepdims <c>(batch, 1, features)</c> or <c>(batch, features, 1)</c>.
/// </remarks>
public sealed class GlobalMaxPooling1D : BaseGlobalPooling
{
    /// <summary>Creates a GlobalMaxPooling1D layer.</summary>
    public GlobalMaxPooling1D(string dataFormat = "channels_last", bool keepdims = false, int[]? inputShape = null, string? name = null)
        : base(1, true, dataFormat, keepdims, inputShape, name) { }
}
