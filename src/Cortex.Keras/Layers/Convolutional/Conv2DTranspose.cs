using Cortex.Keras.Constraints;
using Cortex.Keras.Initializers;
using Cortex.Keras.Regularizers;
using Cortex.Kernels;

namespace Cortex.Keras.Layers;

/// <summary>
/// Transposed 2-D convolution (sometimes called deconvolution): the adjoint of a Conv2D with the same kernel size,
/// strides and padding, going from something of that convolution's output shape back to its input shape, as in the
/// generators of GANs and the decoders of convolutional autoencoders.
/// </summary>
/// <remarks>
/// Args: filters; kernel_size; strides (1); padding "valid" or "same"; data_format; dilation_rate (1); activation;
/// use_bias; kernel_initializer; bias_initializer; kernel_regularizer, bias_regularizer, activity_regularizer,
/// kernel_constraint, bias_constraint (none; objects or Keras names).<br/>
/// Input shape: <c>(batch, rows, cols, channels)</c>. Output shape: <c>(batch, new_rows, new_cols, filters)</c> with
/// Keras's <c>deconv_output_length</c>: new_rows = rows·stride + max(k − stride, 0) for "valid" and rows·stride for
/// "same" (k the dilated kernel size). Keras's <c>output_padding</c> is not offered (it is null by default).<br/>
/// Kernel shape: <c>(kernel_rows, kernel_cols, filters, channels)</c>, Keras's layout for this layer.
/// </remarks>
public sealed class Conv2DTranspose : BaseConv
{
    /// <summary>Creates a Conv2DTranspose layer, e.g. <c>new Conv2DTranspose(64, 4, strides: 2, padding: "same")</c>.</summary>
    public Conv2DTranspose(int filters, Size2D kernelSize, Size2D? strides = null, string padding = "valid", string dataFormat = "channels_last",
        Size2D? dilationRate = null, string? activation = null, bool useBias = true, string kernelInitializer = "glorot_uniform",
        string biasInitializer = "zeros", int[]? inputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null,
        Constraint? kernelConstraint = null, Constraint? biasConstraint = null)
        : this(filters, kernelSize, strides, padding, dataFormat, dilationRate, activation, useBias,
            Initializer.Get(kernelInitializer), Initializer.Get(biasInitializer), inputShape, name,
            kernelRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, biasConstraint) { }

    /// <summary>Creates a Conv2DTranspose layer with initializer objects.</summary>
    public Conv2DTranspose(int filters, Size2D kernelSize, Size2D? strides, string padding, string dataFormat, Size2D? dilationRate,
        string? activation, bool useBias, Initializer kernelInitializer, Initializer biasInitializer, int[]? inputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null,
        Constraint? kernelConstraint = null, Constraint? biasConstraint = null)
        : base(2, filters, kernelSize, strides ?? 1, padding, dataFormat, dilationRate ?? 1, activation, useBias,
            kernelInitializer, biasInitializer, inputShape, name)
        => SetPenalties(kernelRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, biasConstraint);

    /// <inheritdoc/>
    protected override int[] KernelShape(int channels) => new[] { KernelSize.Height, KernelSize.Width, Filters, channels };

    /// <inheritdoc/>
    protected override int KernelChannels => Kernel.Shape[3];

    /// <inheritdoc/>
    protected override int OutputLength(int input, int kernel, int stride, int dilation)
    {
        int effective = (kernel - 1) * dilation + 1;
        return Padding == "same" ? input * stride : input * stride + Math.Max(effective - stride, 0);
    }

    /// <inheritdoc/>
    protected override Tensor Convolve(Tensor x, Tensor kernel, Tensor? bias)
    {
        int outH = OutputLength(x.Shape[1], KernelSize.Height, Strides.Height, DilationRate.Height);
        int outW = OutputLength(x.Shape[2], KernelSize.Width, Strides.Width, DilationRate.Width);
        // The padding of the forward convolution from (outH, outW) back to the input's size.
        int top = Padding == "same" ? ConvGeometry.SamePadding(outH, KernelSize.Height, Strides.Height, DilationRate.Height).Before : 0;
        int left = Padding == "same" ? ConvGeometry.SamePadding(outW, KernelSize.Width, Strides.Width, DilationRate.Width).Before : 0;
        var y = Ops.Conv2DTranspose(x, kernel, outH, outW, (Strides.Height, Strides.Width), (DilationRate.Height, DilationRate.Width), top, left);
        return bias is null ? y : Ops.Add(y, bias);
    }
}
