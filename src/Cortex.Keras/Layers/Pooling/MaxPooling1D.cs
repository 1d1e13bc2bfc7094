namespace Cortex.Keras.Layers;

/// <summary>
/// Max pooling operation for temporal (1-D) data: each output step is the maximum of a pool_size window of steps, moved by
/// strides, per channel.
/// </summary>
/// <remarks>
/// Args: pool_size (2), strides (default: pool_size), padding ("valid" or "same", as in <see cref="MaxPooling2D"/>),
/// data_format ("channels_last" or "channels_first").<br/>
/// Input shape: 3-D <c>(batch, steps, features)</c> (channels_last) or <c>(batch, features, steps)</c>.<br/>
/// Output shape: <c>(batch, downsampled_steps, features)</c> or <c>(batch, features, downsampled_steps)</c>.
/// </remarks>
public sealed class MaxPooling1D : BasePooling
{
    /// <summary>Creates a MaxPooling1D layer.</summary>
    public MaxPooling1D(int poolSize = 2, int? strides = null, string padding = "valid", string dataFormat = "channels_last",
        int[]? inputShape = null, string? name = null)
        : base(1, true, new Size2D(1, poolSize), strides is int s ? new Size2D(1, s) : null, padding, dataFormat, inputShape, name) { }
}
