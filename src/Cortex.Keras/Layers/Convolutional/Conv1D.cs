using Cortex.Keras.Constraints;
using Cortex.Keras.Initializers;
using Cortex.Keras.Regularizers;

namespace Cortex.Keras.Layers;

/// <summary>
/// 1-D convolution layer (temporal convolution): <c>output = activation(conv1d(inputs, kernel) + bias)</c>.
/// </summary>
/// <remarks>
/// Args: filters; kernel_size; strides (1); padding "valid", "same" or "causal" (left padding of
/// dilation·(kernel − 1) zeros, so output[t] depends only on input[≤ t], as in WaveNet); data_format
/// ("channels_last"); dilation_rate (1); activation; use_bias (true); kernel_initializer ("glorot_uniform");
/// bias_initializer ("zeros"); kernel_regularizer, bias_regularizer,
/// activity_regularizer, kernel_constraint, bias_constraint (none; objects or Keras names).<br/>
/// Input shape: <c>(batch, steps, channels)</c> (channels_first: <c>(batch, channels, steps)</c>).<br/>
/// Output shape: <c>(batch, new_steps, filters)</c>. Kernel shape: <c>(kernel_size, channels, filters)</c>.
/// </remarks>
public sealed class Conv1D : BaseConv
{
    /// <summary>Creates a Conv1D layer, e.g. <c>new Conv1D(64, 3, padding: "causal", activation: "relu")</c>.</summary>
    public Conv1D(int filters, int kernelSize, int strides = 1, string padding = "valid", string dataFormat = "channels_last",
        int dilationRate = 1, string? activation = null, bool useBias = true, string kernelInitializer = "glorot_uniform",
        string biasInitializer = "zeros", int[]? inputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null,
        Constraint? kernelConstraint = null, Constraint? biasConstraint = null)
        : this(filters, kernelSize, strides, padding, dataFormat, dilationRate, activation, useBias,
            Initializer.Get(kernelInitializer), Initializer.Get(biasInitializer), inputShape, name,
            kernelRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, biasConstraint) { }

    /// <summary>Creates a Conv1D layer with initializer objects.</summary>
    public Conv1D(int filters, int kernelSize, int strides, string padding, string dataFormat, int dilationRate,
        string? activation, bool useBias, Initializer kernelInitializer, Initializer biasInitializer, int[]? inputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null,
        Constraint? kernelConstraint = null, Constraint? biasConstraint = null)
        : base(1, filters, new Size2D(1, kernelSize), new Size2D(1, strides), padding, dataFormat, new Size2D(1, dilationRate), activation, useBias,
            kernelInitializer, biasInitializer, inputShape, name, allowCausal: true)
    {
        SetPenalties(kernelRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, biasConstraint);
        if (Padding == "causal" && Layers.DataFormat.IsChannelsFirst(DataFormatName))
            throw new ArgumentException("Causal padding is only supported with data_format=\"channels_last\". Received: data_format=channels_first", nameof(dataFormat));
    }
}
