using Cortex.Keras.Constraints;
using Cortex.Keras.Initializers;
using Cortex.Keras.Regularizers;

namespace Cortex.Keras.Layers;

/// <summary>
/// Densely-connected layer: <c>output = activation(dot(input, kernel) + bias)</c>.
/// </summary>
/// <remarks>
/// Args: units (positive), activation (Keras name, default linear), use_bias (true), kernel_initializer
/// ("glorot_uniform"), bias_initializer ("zeros"), kernel_regularizer, bias_regularizer, activity_regularizer,
/// kernel_constraint, bias_constraint (none; objects or Keras names such as "l2", "max_norm").<br/>
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
        string biasInitializer = "zeros", int[]? inputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null,
        Constraint? kernelConstraint = null, Constraint? biasConstraint = null)
        : this(units, activation, useBias, Initializer.Get(kernelInitializer), Initializer.Get(biasInitializer), inputShape, name,
            kernelRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, biasConstraint) { }

    /// <summary>Creates a Dense layer with initializer objects.</summary>
    public Dense(int units, string? activation, bool useBias, Initializer kernelInitializer, Initializer biasInitializer,
        int[]? inputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? biasRegularizer = null, Regularizer? activityRegularizer = null,
        Constraint? kernelConstraint = null, Constraint? biasConstraint = null) : base(name, inputShape)
    {
        if (units <= 0) throw new ArgumentException($"Received an invalid value for `units`, expected a positive integer. Received: units={units}", nameof(units));
        Units = units;
        ActivationName = activation ?? "linear";
        _activation = Activations.Get(ActivationName);
        UseBias = useBias;
        KernelInitializer = kernelInitializer;
        BiasInitializer = biasInitializer;
        KernelRegularizer = kernelRegularizer;
        BiasRegularizer = biasRegularizer;
        ActivityRegularizer = activityRegularizer;
        KernelConstraint = kernelConstraint;
        BiasConstraint = biasConstraint;
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
    /// <summary>Penalty on the kernel (none by default).</summary>
    public Regularizer? KernelRegularizer { get; }
    /// <summary>Penalty on the bias (none by default).</summary>
    public Regularizer? BiasRegularizer { get; }
    /// <summary>Constraint on the kernel, applied after each update (none by default).</summary>
    public Constraint? KernelConstraint { get; }
    /// <summary>Constraint on the bias, applied after each update (none by default).</summary>
    public Constraint? BiasConstraint { get; }
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
        _kernel = AddWeight("kernel", new[] { inputDim, Units }, KernelInitializer, regularizer: KernelRegularizer, constraint: KernelConstraint);
        if (UseBias) _bias = AddWeight("bias", new[] { Units }, BiasInitializer, regularizer: BiasRegularizer, constraint: BiasConstraint);
        Built = true;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        var y = Ops.MatMul(inputs, Kernel.Value);
        if (_bias is not null) y = Ops.Add(y, _bias.Value);
        return RegularizeActivity(_activation(y));
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape[..^1].Append(Units).ToArray();

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["units"] = Units; c["activation"] = ActivationName; c["use_bias"] = UseBias;
        c["kernel_initializer"] = Saving.KerasObjects.Serialize(KernelInitializer); c["bias_initializer"] = Saving.KerasObjects.Serialize(BiasInitializer);
        c["kernel_regularizer"] = Regularizer.Serialize(KernelRegularizer); c["bias_regularizer"] = Regularizer.Serialize(BiasRegularizer);
        c["activity_regularizer"] = Regularizer.Serialize(ActivityRegularizer);
        c["kernel_constraint"] = Constraint.Serialize(KernelConstraint); c["bias_constraint"] = Constraint.Serialize(BiasConstraint);
        return c;
    }
}
