using Cortex.Keras.Constraints;
using Cortex.Keras.Initializers;
using Cortex.Keras.Regularizers;
using Cortex.Kernels;

namespace Cortex.Keras.Layers;

/// <summary>
/// What Conv1D, Conv2D and Conv2DTranspose share (Keras's <c>BaseConv</c>): the configuration, the kernel and bias
/// weights, the data-format handling and shape inference. A 1-D convolution is computed as a 2-D one of height 1.
/// </summary>
/// <remarks>
/// Channels-first inputs are transposed to channels-last, convolved and transposed back; the kernel layout is
/// Keras's in both formats, so weights move between the formats (and from Keras files) unchanged.
/// </remarks>
public abstract class BaseConv : Layer
{
    private readonly Func<Tensor, Tensor> _activation;
    private Variable? _kernel, _bias;

    /// <summary>Stores and validates the configuration shared by the convolution layers.</summary>
    protected BaseConv(int rank, int filters, Size2D kernelSize, Size2D strides, string padding, string? dataFormat, Size2D dilationRate,
        string? activation, bool useBias, Initializer kernelInitializer, Initializer biasInitializer, int[]? inputShape, string? name,
        bool allowCausal = false)
        : base(name, inputShape)
    {
        if (filters <= 0)
            throw new ArgumentException($"Invalid value for argument `filters`. Expected a strictly positive value. Received filters={filters}.", nameof(filters));
        Rank = rank;
        Filters = filters;
        KernelSize = kernelSize.RequirePositive("kernel_size");
        Strides = strides.RequirePositive("strides");
        DilationRate = dilationRate.RequirePositive("dilation_rate");
        Padding = DataFormat.NormalizePadding(padding, allowCausal);
        DataFormatName = Layers.DataFormat.Normalize(dataFormat);
        ActivationName = activation ?? "linear";
        _activation = Activations.Get(ActivationName);
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? throw new ArgumentNullException(nameof(kernelInitializer));
        BiasInitializer = biasInitializer ?? throw new ArgumentNullException(nameof(biasInitializer));
    }

    /// <summary>1 or 2: the number of spatial axes.</summary>
    public int Rank { get; }
    /// <summary>The number of output channels.</summary>
    public int Filters { get; }
    /// <summary>The kernel's spatial size (height 1 for 1-D).</summary>
    public Size2D KernelSize { get; }
    /// <summary>The strides (height 1 for 1-D).</summary>
    public Size2D Strides { get; }
    /// <summary>The dilation rates (height 1 for 1-D).</summary>
    public Size2D DilationRate { get; }
    /// <summary>"valid", "same" or (Conv1D) "causal".</summary>
    public string Padding { get; }
    /// <summary>"channels_last" or "channels_first".</summary>
    public string DataFormatName { get; }
    /// <summary>The activation's Keras name.</summary>
    public string ActivationName { get; }
    /// <summary>Whether a bias is added.</summary>
    public bool UseBias { get; }
    /// <summary>Initializer of the kernel.</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Initializer of the bias.</summary>
    public Initializer BiasInitializer { get; }
    /// <summary>Penalty on the kernel (none by default).</summary>
    public Regularizer? KernelRegularizer { get; private set; }
    /// <summary>Penalty on the bias (none by default).</summary>
    public Regularizer? BiasRegularizer { get; private set; }
    /// <summary>
    /// Constraint on the kernel, applied after each update (none by default). The norm constraints' axis counts in the
    /// kernel's layout: Keras's guidance for Conv2D is <c>axis: [0, 1, 2]</c> (each filter as a whole), [0, 1] for Conv1D.
    /// </summary>
    public Constraint? KernelConstraint { get; private set; }
    /// <summary>Constraint on the bias, applied after each update (none by default).</summary>
    public Constraint? BiasConstraint { get; private set; }

    /// <summary>Stores the penalties and constraints (Keras's kernel/bias/activity_regularizer, kernel/bias_constraint).</summary>
    protected void SetPenalties(Regularizer? kernelRegularizer, Regularizer? biasRegularizer, Regularizer? activityRegularizer,
        Constraint? kernelConstraint, Constraint? biasConstraint)
    {
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
        ActivityRegularizer = activityRegularizer;
        KernelConstraint = kernelConstraint;
        BiasConstraint = biasConstraint;
    }

    /// <summary>The kernel, once built, in Keras's layout.</summary>
    public Variable Kernel => _kernel ?? throw new InvalidOperationException($"layer \"{Name}\" is not built yet.");
    /// <summary>The bias (filters,), once built; null without bias.</summary>
    public Variable? Bias => _bias;

    private bool ChannelsFirst => Layers.DataFormat.IsChannelsFirst(DataFormatName);

    /// <summary>The kernel's shape for inputs with <paramref name="channels"/> channels: (kernel..., channels, filters).</summary>
    protected virtual int[] KernelShape(int channels)
        => Rank == 2 ? new[] { KernelSize.Height, KernelSize.Width, channels, Filters } : new[] { KernelSize.Width, channels, Filters };

    /// <summary>The input channels the built kernel expects (its axis <see cref="Rank"/> in a convolution's layout).</summary>
    protected virtual int KernelChannels => Kernel.Shape[Rank];

    /// <summary>The output length along one spatial axis of known length.</summary>
    protected virtual int OutputLength(int input, int kernel, int stride, int dilation)
    {
        var (before, after) = PadAlong(input, kernel, stride, dilation);
        return ConvGeometry.OutputSize(input, kernel, stride, dilation, before + after);
    }

    /// <summary>The convolution plus bias (when given) on channels-last 4-D data with the kernel as a 4-D tensor (a 1-D one has height 1).</summary>
    protected virtual Tensor Convolve(Tensor x, Tensor kernel, Tensor? bias)
    {
        var (top, bottom) = PadAlong(x.Shape[1], kernel.Shape[0], Strides.Height, DilationRate.Height);
        var (left, right) = PadAlong(x.Shape[2], kernel.Shape[1], Strides.Width, DilationRate.Width);
        CheckFits(x, kernel, top + bottom, left + right);
        return Ops.Conv2D(x, kernel, (Strides.Height, Strides.Width), (DilationRate.Height, DilationRate.Width), (top, bottom, left, right), bias);
    }

    /// <summary>A clear error, naming the layer, when the kernel does not fit in the padded input.</summary>
    protected void CheckFits(Tensor x, Tensor kernel, int padH, int padW)
    {
        int effH = (kernel.Shape[0] - 1) * DilationRate.Height + 1, effW = (kernel.Shape[1] - 1) * DilationRate.Width + 1;
        if (x.Shape[1] + padH < effH || x.Shape[2] + padW < effW)
            throw new ArgumentException($"layer \"{Name}\": the kernel {KernelSizeText} is larger than its input: inputs of shape {x.ShapeString} (channels last) with padding \"{Padding}\" and dilation_rate {DilationText}.");
    }

    private string KernelSizeText => Rank == 2 ? KernelSize.ToString() : $"({KernelSize.Width},)";
    private string DilationText => Rank == 2 ? DilationRate.ToString() : $"({DilationRate.Width},)";

    /// <inheritdoc/>
    public override void Build(int[] inputShape)
    {
        if (inputShape.Length != Rank + 2)
            throw new ArgumentException($"Input 0 of layer \"{Name}\" is incompatible with the layer: expected ndim={Rank + 2}, found ndim={inputShape.Length}. Full shape received: {TensorShape.Format(inputShape)}");
        int channels = ChannelsFirst ? inputShape[1] : inputShape[^1];
        if (channels <= 0)
            throw new ArgumentException($"layer \"{Name}\": the channel dimension of the inputs should be defined. Received input shape {TensorShape.Format(inputShape)}.");
        ComputeOutputShape(inputShape); // rejects a kernel larger than the input
        _kernel = AddWeight("kernel", KernelShape(channels), KernelInitializer, regularizer: KernelRegularizer, constraint: KernelConstraint);
        if (UseBias) _bias = AddWeight("bias", new[] { Filters }, BiasInitializer, regularizer: BiasRegularizer, constraint: BiasConstraint);
        Built = true;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        if (inputs.Rank != Rank + 2)
            throw new ArgumentException($"Input 0 of layer \"{Name}\" is incompatible with the layer: expected ndim={Rank + 2}, found ndim={inputs.Rank}. Full shape received: {inputs.ShapeString}");
        var x = ChannelsFirst ? Ops.Transpose(inputs, Rank == 2 ? new[] { 0, 2, 3, 1 } : new[] { 0, 2, 1 }) : inputs;
        int channels = x.Shape[^1];
        if (channels != KernelChannels)
            throw new ArgumentException($"Input 0 of layer \"{Name}\" is incompatible with the layer: expected axis {(ChannelsFirst ? 1 : -1)} of input shape to have value {KernelChannels}, but received input with shape {inputs.ShapeString}");
        if (Rank == 1) x = Ops.Reshape(x, x.Shape[0], 1, x.Shape[1], channels);
        var kernel = Rank == 1 ? Ops.Reshape(Kernel.Value, new[] { 1 }.Concat(Kernel.Value.Shape).ToArray()) : Kernel.Value;
        var y = RegularizeActivity(_activation(Convolve(x, kernel, _bias?.Value)));
        if (Rank == 1) y = Ops.Reshape(y, y.Shape[0], y.Shape[2], y.Shape[3]);
        return ChannelsFirst ? Ops.Transpose(y, Rank == 2 ? new[] { 0, 3, 1, 2 } : new[] { 0, 2, 1 }) : y;
    }

    /// <summary>Zero padding (before, after) along an axis of the given input length, for Keras's padding modes.</summary>
    protected (int Before, int After) PadAlong(int input, int kernel, int stride, int dilation) => Padding switch
    {
        "same" => ConvGeometry.SamePadding(input, kernel, stride, dilation),
        "causal" => ((kernel - 1) * dilation, 0),
        _ => (0, 0),
    };

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        var spatial = ChannelsFirst ? inputShape[2..] : inputShape[1..^1];
        var sizes = Rank == 2 ? new[] { (KernelSize.Height, Strides.Height, DilationRate.Height), (KernelSize.Width, Strides.Width, DilationRate.Width) }
                              : new[] { (KernelSize.Width, Strides.Width, DilationRate.Width) };
        var outSpatial = new int[Rank];
        for (int i = 0; i < Rank; i++)
        {
            var (k, s, d) = sizes[i];
            outSpatial[i] = spatial[i] < 0 ? -1 : OutputLength(spatial[i], k, s, d);
            if (spatial[i] >= 0 && outSpatial[i] <= 0)
                throw new ArgumentException($"layer \"{Name}\": computed output size would be negative or zero. Received inputs shape={TensorShape.Format(inputShape)}, kernel_size={KernelSizeText}, dilation_rate={DilationText}, padding={Padding}: the kernel is larger than the input.");
        }
        return ChannelsFirst ? new[] { inputShape[0], Filters }.Concat(outSpatial).ToArray()
                             : new[] { inputShape[0] }.Concat(outSpatial).Append(Filters).ToArray();
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["filters"] = Filters;
        c["kernel_size"] = Rank == 2 ? KernelSize.ToArray() : new[] { KernelSize.Width };
        c["strides"] = Rank == 2 ? Strides.ToArray() : new[] { Strides.Width };
        c["padding"] = Padding;
        c["data_format"] = DataFormatName;
        c["dilation_rate"] = Rank == 2 ? DilationRate.ToArray() : new[] { DilationRate.Width };
        c["activation"] = ActivationName;
        c["use_bias"] = UseBias;
        c["kernel_initializer"] = Saving.KerasObjects.Serialize(KernelInitializer);
        c["bias_initializer"] = Saving.KerasObjects.Serialize(BiasInitializer);
        c["kernel_regularizer"] = Regularizer.Serialize(KernelRegularizer);
        c["bias_regularizer"] = Regularizer.Serialize(BiasRegularizer);
        c["activity_regularizer"] = Regularizer.Serialize(ActivityRegularizer);
        c["kernel_constraint"] = Constraint.Serialize(KernelConstraint);
        c["bias_constraint"] = Constraint.Serialize(BiasConstraint);
        return c;
    }
}
