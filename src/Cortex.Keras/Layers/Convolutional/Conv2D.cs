using Cortex.Keras.Constraints;
using Cortex.Keras.Initializers;
using Cortex.Keras.Regularizers;

namespace Cortex.Keras.Layers;

/// <summary>
/// 2-D convolution layer (spatial convolution over images): a kernel convolved with the input produces
/// <c>filters</c> output channels, <c>output = activation(conv2d(inputs, kernel) + bias)</c>.
/// </summary>
/// <remarks>
/// Args: filters; kernel_size (an int or (height, width)); strides (1); padding "valid" (no padding) or "same"
/// (TensorFlow's rule: output size ceil(input / stride), the odd padding row/column at the bottom/right);
/// data_format ("channels_last"); dilation_rate (1); activation (linear); use_bias (true); kernel_initializer
/// ("glorot_uniform"); bias_initializer ("zeros"); kernel_regularizer, bias_regularizer,
/// activity_regularizer, kernel_constraint, bias_constraint (none; objects or Keras names).<br/>
/// Input shape: <c>(batch, rows, cols, channels)</c>, or <c>(batch, channels, rows, cols)</c> with channels_first.<br/>
/// Output shape: <c>(batch, new_rows, new_cols, filters)</c> (channels_first: <c>(batch, filters, new_rows, new_cols)</c>),
/// new_rows = floor((rows − dilation·(k − 1) − 1) / stride) + 1 for "valid".<br/>
/// Kernel shape: <c>(kernel_rows, kernel_cols, channels, filters)</c>, Keras's layout.
/// </remarks>
public sealed class Conv2D : BaseConv
{
    /// <summary>Creates a Conv2D layer, e.g. <c>new Conv2D(32, 3, activation: "relu")</c> or <c>new Conv2D(64, (5, 5), strides: 2)</c>.</summary>
    public Conv2D(int filters, Size2D kernelSize, Size2D? strides = null, string padding = "valid", string dataFormat = "channels_last",
        Size2D? dilationRate = null, string? activation = null, bool useBias = true, string kernelInitializer = "glorot_uniform",
        string biasInitializer = "zeros", int[]? inputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null,
        Constraint? kernelConstraint = null, Constraint? biasConstraint = null)
        : this(filters, kernelSize, strides, padding, dataFormat, dilationRate, activation, useBias,
            Initializer.Get(kernelInitializer), Initializer.Get(biasInitializer), inputShape, name,
            kernelRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, biasConstraint) { }

    /// <summary>Creates a Conv2D layer with initializer objects.</summary>
    public Conv2D(int filters, Size2D kernelSize, Size2D? strides, string padding, string dataFormat, Size2D? dilationRate,
        string? activation, bool useBias, Initializer kernelInitializer, Initializer biasInitializer, int[]? inputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null,
        Constraint? kernelConstraint = null, Constraint? biasConstraint = null)
        : base(2, filters, kernelSize, strides ?? 1, padding, dataFormat, dilationRate ?? 1, activation, useBias,
            kernelInitializer, biasInitializer, inputShape, name)
        => SetPenalties(kernelRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, biasConstraint);
}
