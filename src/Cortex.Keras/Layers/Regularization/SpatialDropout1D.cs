namespace Cortex.Keras.Layers;

/// <summary>
/// Spatial 1-D version of Dropout: drops entire 1-D feature maps (channels) instead of individual elements; the mask
/// has shape <c>(batch, 1, channels)</c>. When adjacent steps are strongly correlated (as in early convolution layers)
/// ordinary dropout does not regularize; this does. Kept channels are scaled by 1/(1 − rate); identity at inference.
/// </summary>
/// <remarks>
/// Args: rate in [0, 1): the fraction of channels to drop; seed.<br/>
/// Input shape: 3-D tensor <c>(samples, timesteps, channels)</c>. Output shape: same as the input.
/// </remarks>
public sealed class SpatialDropout1D : SpatialDropoutBase
{
    /// <summary>Creates a SpatialDropout1D layer.</summary>
    public SpatialDropout1D(float rate, int? seed = null, int[]? inputShape = null, string? name = null) : base(rate, seed, inputShape, name) { }

    /// <inheritdoc/>
    protected override int InputRank => 3;

    /// <inheritdoc/>
    protected override int[] NoiseShape(int[] shape) => new[] { shape[0], 1, shape[2] };
}
