namespace Cortex.Keras.Layers;

/// <summary>
/// Spatial 2-D version of Dropout: drops entire 2-D feature maps (channels) instead of individual elements; the mask
/// has shape <c>(batch, 1, 1, channels)</c> (channels_last) or <c>(batch, channels, 1, 1)</c> (channels_first).
/// Kept channels are scaled by 1/(1 − rate); identity at inference.
/// </summary>
/// <remarks>
/// Args: rate in [0, 1): the fraction of channels to drop; data_format; seed.<br/>
/// Input shape: 4-D tensor <c>(samples, rows, cols, channels)</c> or <c>(samples, channels, rows, cols)</c>.
/// Output shape: same as the input.
/// </remarks>
public sealed class SpatialDropout2D : SpatialDropoutBase
{
    /// <summary>Creates a SpatialDropout2D layer.</summary>
    public SpatialDropout2D(float rate, string? dataFormat = null, int? seed = null, int[]? inputShape = null, string? name = null)
        : base(rate, seed, inputShape, name) => DataFormat = Layers.DataFormat.Normalize(dataFormat);

    /// <summary>"channels_last" or "channels_first".</summary>
    public string DataFormat { get; }

    /// <inheritdoc/>
    protected override int InputRank => 4;

    /// <inheritdoc/>
    protected override int[] NoiseShape(int[] shape)
        => DataFormat == Layers.DataFormat.ChannelsFirst ? new[] { shape[0], shape[1], 1, 1 } : new[] { shape[0], 1, 1, shape[3] };

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["data_format"] = DataFormat; return c; }
}
