using Cortex.Keras.Initializers;

namespace Cortex.Keras.Layers;

/// <summary>
/// Parametric Rectified Linear Unit: <c>f(x) = alpha · x</c> for x &lt; 0, <c>f(x) = x</c> for x ≥ 0, where
/// <c>alpha</c> is a learned array with the same shape as a sample (one slope per element), or with size 1 on the
/// <c>shared_axes</c> (one slope shared along them, e.g. per channel of an image with shared_axes (1, 2)).
/// </summary>
/// <remarks>
/// Args: alpha_initializer ("zeros"); shared_axes: the axes (1-based, batch axis excluded, as Keras) along which the
/// slopes are shared.<br/>
/// Input shape: arbitrary. Output shape: same as the input.
/// </remarks>
public sealed class PReLU : Layer
{
    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    private Variable? _alpha;

    /// <summary>Creates a PReLU layer.</summary>
    public PReLU(string alphaInitializer = "zeros", int[]? sharedAxes = null, int[]? inputShape = null, string? name = null)
        : this(Initializer.Get(alphaInitializer), sharedAxes, inputShape, name) { }

    /// <summary>Creates a PReLU layer with an initializer object.</summary>
    public PReLU(Initializer alphaInitializer, int[]? sharedAxes = null, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        AlphaInitializer = alphaInitializer;
        if (sharedAxes is not null && sharedAxes.Any(a => a < 1))
            throw new ArgumentException($"Layer \"{Name}\": `shared_axes` are 1-based axes of a sample (the batch axis is 0 and cannot be shared). Received: shared_axes=({string.Join(", ", sharedAxes)})", nameof(sharedAxes));
        SharedAxes = sharedAxes is null ? null : (int[])sharedAxes.Clone();
    }

    /// <summary>Initializer of the slopes.</summary>
    public Initializer AlphaInitializer { get; }
    /// <summary>The axes along which the slopes are shared (1-based), if any.</summary>
    public int[]? SharedAxes { get; }
    /// <summary>The slopes, shape = a sample's shape with 1 on the shared axes, once built.</summary>
    public Variable Alpha => _alpha ?? throw new InvalidOperationException($"layer \"{Name}\" is not built yet.");

    /// <inheritdoc/>
    public override void Build(int[] inputShape)
    {
        var shape = inputShape[1..];
        foreach (var a in SharedAxes ?? Array.Empty<int>())
        {
            if (a >= inputShape.Length)
                throw new ArgumentException($"Layer \"{Name}\": shared axis {a} does not exist in inputs of shape {TensorShape.Format(inputShape)}.");
            shape[a - 1] = 1;
        }
        if (shape.Any(d => d < 0))
            throw new ArgumentException($"Layer \"{Name}\" needs every non-shared axis of its input known to build its alpha weight; got shape {TensorShape.Format(inputShape)}.");
        _alpha = AddWeight("alpha", shape, AlphaInitializer);
        Built = true;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training) => Ops.Prelu(inputs, Alpha.Value);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["alpha_initializer"] = Saving.KerasObjects.Serialize(AlphaInitializer); c["alpha_regularizer"] = null; c["alpha_constraint"] = null;
        c["shared_axes"] = SharedAxes is null ? null : (int[])SharedAxes.Clone();
        return c;
    }
}
