using Cortex.Autodiff;
using Cortex.Memory;

namespace Cortex.Keras.Layers;

/// <summary>
/// Wraps a function of tensors as a layer (Keras's <c>keras.layers.Lambda</c>), for simple stateless computations:
/// <code>
/// var distance = new Lambda(xs =&gt; Backend.Sqrt(Backend.Maximum(Backend.Sum(Backend.Square(Ops.Subtract(xs[0], xs[1])), axis: 1, keepDims: true), Backend.Epsilon)),
///                           outputShape: new[] { 1 }).Apply(a, b);
/// </code>
/// </summary>
/// <remarks>
/// <para>The function must be built from <see cref="Ops"/> (or <see cref="Backend"/>) so that gradients flow through it;
/// a Lambda has no weights.</para>
/// <para>Output shape: an <c>int[]</c> gives it without the batch axis (as Keras); a function receives the full input
/// shape(s) with the batch axis and returns the full output shape. When neither is given the shape is inferred as
/// Keras 3 does symbolically, here by running the function once on zeros (batch 1, unknown sizes 1); a function that
/// fails on that input raises "We could not automatically infer the shape of the Lambda's output".</para>
/// <para>Not serializable: <see cref="GetConfig"/> records only the function's method name. Saving a model with a Lambda
/// needs the function registered by name (to be provided by the saving API).</para>
/// </remarks>
public sealed class Lambda : Layer
{
    private readonly Func<IReadOnlyList<Tensor>, Tensor> _function;
    private readonly bool _listInput;
    private readonly int[]? _outputShape;
    private readonly Func<IReadOnlyList<int[]>, int[]>? _outputShapeFn;
    private readonly string _functionName;

    /// <summary>A Lambda on one input with an optional output shape (without the batch axis).</summary>
    public Lambda(Func<Tensor, Tensor> function, int[]? outputShape = null, string? name = null, int[]? inputShape = null)
        : this(Single(function), false, CheckShape(outputShape), null, function?.Method.Name, name, inputShape) { }

    /// <summary>A Lambda on one input whose output shape is computed from the input shape (batch axis included).</summary>
    public Lambda(Func<Tensor, Tensor> function, Func<int[], int[]> outputShape, string? name = null, int[]? inputShape = null)
        : this(Single(function), false, null, WrapShapeFn(outputShape), function?.Method.Name, name, inputShape) { }

    /// <summary>A Lambda on a list of inputs (call it with <c>Apply(a, b, ...)</c>), with an optional output shape.</summary>
    public Lambda(Func<IReadOnlyList<Tensor>, Tensor> function, int[]? outputShape = null, string? name = null)
        : this(function ?? throw new ArgumentNullException(nameof(function)), true, CheckShape(outputShape), null, function.Method.Name, name, null) { }

    /// <summary>A Lambda on a list of inputs whose output shape is computed from the input shapes.</summary>
    public Lambda(Func<IReadOnlyList<Tensor>, Tensor> function, Func<IReadOnlyList<int[]>, int[]> outputShape, string? name = null)
        : this(function ?? throw new ArgumentNullException(nameof(function)), true, null, outputShape ?? throw new ArgumentNullException(nameof(outputShape)), function.Method.Name, name, null) { }

    private Lambda(Func<IReadOnlyList<Tensor>, Tensor> function, bool listInput, int[]? outputShape, Func<IReadOnlyList<int[]>, int[]>? shapeFn,
        string? functionName, string? name, int[]? inputShape) : base(name, inputShape)
    {
        _function = function;
        _listInput = listInput;
        _outputShape = outputShape;
        _outputShapeFn = shapeFn;
        _functionName = functionName ?? "lambda";
    }

    private static Func<IReadOnlyList<Tensor>, Tensor> Single(Func<Tensor, Tensor> f)
    {
        ArgumentNullException.ThrowIfNull(f, "function");
        return xs => f(xs[0]);
    }

    private static Func<IReadOnlyList<int[]>, int[]> WrapShapeFn(Func<int[], int[]> f)
    {
        ArgumentNullException.ThrowIfNull(f, "outputShape");
        return shapes => f(shapes[0]);
    }

    private static int[]? CheckShape(int[]? shape)
    {
        if (shape is not null)
            foreach (var d in shape)
                if (d <= 0 && d != -1) throw new ArgumentException($"Lambda output_shape sizes must be positive or -1 (None). Received: output_shape={TensorShape.Format(shape)}", "outputShape");
        return shape;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training) => Invoke(new[] { inputs });

    /// <inheritdoc/>
    public override Tensor Call(IReadOnlyList<Tensor> inputs, bool training)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (!_listInput && inputs.Count != 1)
            throw new ArgumentException($"Lambda layer \"{Name}\" wraps a function of one tensor but received {inputs.Count} inputs; use the Func<IReadOnlyList<Tensor>, Tensor> constructor.");
        return Invoke(inputs);
    }

    private Tensor Invoke(IReadOnlyList<Tensor> inputs)
        => _function(inputs) ?? throw new InvalidOperationException($"The function of Lambda layer \"{Name}\" returned null.");

    /// <inheritdoc/>
    public override void Build(IReadOnlyList<int[]> inputShapes) => Built = true;

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => ComputeOutputShape(new[] { inputShape });

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (_outputShapeFn is not null) return _outputShapeFn(inputShapes);
        int batch = inputShapes.Count > 0 && inputShapes[0].Length > 0 ? inputShapes[0][0] : -1;
        if (_outputShape is not null) return [batch, .. _outputShape];
        return InferShape(inputShapes, batch);
    }

    /// <summary>Runs the function once on zeros (batch 1, unknown sizes 1) to read its output shape.</summary>
    private int[] InferShape(IReadOnlyList<int[]> inputShapes, int batch)
    {

        try
        {
            using (GradientTape.NoGradient())
            using (TensorScope.Begin())
            {
                var dummies = inputShapes.Select(s => Tensor.Zeros(s.Select((d, i) => i == 0 || d < 0 ? 1 : d).ToArray())).ToArray();
                var y = Invoke(dummies);
                var dims = y.Shape.ToArray();
                if (dims.Length > 0 && dims[0] == 1) dims[0] = batch;
                return dims;
            }
        }
        catch (Exception e)
        {
            throw new InvalidOperationException(
                $"We could not automatically infer the shape of the Lambda's output. Please specify the `output_shape` argument for this Lambda layer (\"{Name}\", input shapes {string.Join(", ", inputShapes.Select(s => TensorShape.Format(s)))}): {e.Message}", e);
        }
    }

    /// <summary>Keras's configuration keys; the function is recorded by method name only (not serializable).</summary>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["function"] = _functionName;
        c["output_shape"] = _outputShape;
        c["arguments"] = new Dictionary<string, object?>();
        return c;
    }
}
