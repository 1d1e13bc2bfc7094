using Cortex.Keras.Initializers;

namespace Cortex.Keras.Layers;

/// <summary>
/// Densely-connected layer: <c>output = activation(dot(input, kernel) + bias)</c>.
/// </summary>
/// <remarks>
/// Args: units (positive), activation (Keras name, default linear), use_bias (true), kernel_initializer
/// ("glorot_uniform"), bias_initializer ("zeros").<br/>
/// Input shape: N-D tensor <c>(batch_size, ..., input_dim)</c>.<br/>
/// Output shape: <c>(batch_size, ..., units)</c>.
/// </remarks>
public sealed class Dense : Layer
{
    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    private readonly Func<Tensor, Tensor> _activation;
    private Variable? _kernel, _bias;

    /// <summary>Creates a Dense layer.</summary>
    public Dense(int units, string? activation = null, bool useBias = true, string kernelInitializer = "glorot_uniform",
        string biasInitializer = "zeros", int[]? inputShape = null, string? name = null)
        : this(units, activation, useBias, Initializer.Get(kernelInitializer), Initializer.Get(biasInitializer), inputShape, name) { }

    /// <summary>Creates a Dense layer with initializer objects.</summary>
    public Dense(int units, string? activation, bool useBias, Initializer kernelInitializer, Initializer biasInitializer,
        int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (units <= 0) throw new ArgumentException($"Received an invalid value for `units`, expected a positive integer. Received: units={units}", nameof(units));
        Units = units;
        ActivationName = activation ?? "linear";
        _activation = Activations.Get(ActivationName);
        UseBias = useBias;
        KernelInitializer = kernelInitializer;
        BiasInitializer = biasInitializer;
    }

    /// <summary>Dimensionality of the output space.</summary>
    public int Units { get; }
    /// <summary>The activation's Keras name.</summary>
    public string ActivationName { get; }
    /// <summary>Whether a bias vector is added.</summary>
    public bool UseBias { get; }
    /// <summary>Initializer of the kernel.</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Initializer of the bias.</summary>
    public Initializer BiasInitializer { get; }
    /// <summary>The kernel, shape (input_dim, units), once built.</summary>
    public Variable Kernel => _kernel ?? throw new InvalidOperationException($"layer \"{Name}\" is not built yet.");
    /// <summary>The bias, shape (units,), once built (null without bias).</summary>
    public Variable? Bias => _bias;

    /// <inheritdoc/>
    public override void Build(int[] inputShape)
    {
        int inputDim = inputShape[^1];
        if (inputShape.Length < 2 || inputDim <= 0)
            throw new ArgumentException($"layer \"{Name}\" needs inputs with a known last dimension; got shape {TensorShape.Format(inputShape)}.");
        _kernel = AddWeight("kernel", new[] { inputDim, Units }, KernelInitializer);
        if (UseBias) _bias = AddWeight("bias", new[] { Units }, BiasInitializer);
        Built = true;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        var y = Ops.MatMul(inputs, Kernel.Value);
        if (_bias is not null) y = Ops.Add(y, _bias.Value);
        return _activation(y);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape[..^1].Append(Units).ToArray();

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["units"] = Units; c["activation"] = ActivationName; c["use_bias"] = UseBias;
        c["kernel_initializer"] = Saving.KerasObjects.Serialize(KernelInitializer); c["bias_initializer"] = Saving.KerasObjects.Serialize(BiasInitializer);
        return c;
    }
}
