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
/// <para>Saving: Keras saves a Lambda's Python function as bytecode, which .NET cannot run (and Keras itself refuses to
/// load in safe mode). Cortex saves the function <b>by name</b> instead, as Keras saves a registered named function:
/// register it once with <see cref="RegisterFunction(string, Func{Tensor, Tensor})"/> (or the list form), then build the
/// layer from the delegate or from the name (<c>new Lambda("euclidean_distance")</c>). Loading resolves the name in the
/// load's <c>customObjects</c> (a factory returning the delegate), then in the registry. Saving a Lambda whose function
/// is not registered, or loading a file whose function is missing (or is Python bytecode, <c>__lambda__</c>), raises an
/// error naming the layer and the fix.</para>
/// </remarks>
public sealed class Lambda : Layer
{
    private readonly Func<IReadOnlyList<Tensor>, Tensor> _function;
    private readonly bool _listInput;
    private readonly int[]? _outputShape;
    private readonly Func<IReadOnlyList<int[]>, int[]>? _outputShapeFn;
    private readonly string _functionName;
    private readonly Delegate? _original;
    private readonly string? _registeredName;
    private static readonly Dictionary<string, Delegate> Functions = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers a function of one tensor under <paramref name="name"/>, so that Lambda layers wrapping it can be saved
    /// (the config names it) and loaded (the name is resolved here). Registering a name again replaces it.
    /// </summary>
    public static void RegisterFunction(string name, Func<Tensor, Tensor> function) => Register(name, function);

    /// <summary>Registers a function of a list of tensors (a multi-input Lambda) under <paramref name="name"/>.</summary>
    public static void RegisterFunction(string name, Func<IReadOnlyList<Tensor>, Tensor> function) => Register(name, function);

    /// <summary>The names of the registered functions, sorted.</summary>
    public static IReadOnlyList<string> RegisteredFunctions { get { lock (Functions) return Functions.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList(); } }

    private static void Register(string name, Delegate function)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(function);
        lock (Functions) Functions[name] = function;
    }

    /// <summary>A Lambda on the function registered under <paramref name="functionName"/> (either form).</summary>
    /// <exception cref="ArgumentException">No function is registered under that name.</exception>
    public Lambda(string functionName, int[]? outputShape = null, string? name = null, int[]? inputShape = null)
        : this(Resolve(functionName, null, name), functionName, outputShape, name, inputShape) { }

    private Lambda(Delegate function, string registeredName, int[]? outputShape, string? name, int[]? inputShape)
        : this(function is Func<Tensor, Tensor> one ? Single(one) : (Func<IReadOnlyList<Tensor>, Tensor>)function, function is not Func<Tensor, Tensor>,
            CheckShape(outputShape), null, registeredName, name, inputShape)
    {
        _original = function;
        _registeredName = registeredName;
    }

    private static Delegate Resolve(string functionName, Func<string, Delegate?>? custom, string? layerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        var f = custom?.Invoke(functionName);
        if (f is null) lock (Functions) Functions.TryGetValue(functionName, out f);
        if (f is Func<Tensor, Tensor> or Func<IReadOnlyList<Tensor>, Tensor>) return f;
        if (f is not null)
            throw new ArgumentException($"Lambda layer \"{layerName}\": '{functionName}' resolves to a {f.GetType().Name}; expected a Func<Tensor, Tensor> or a Func<IReadOnlyList<Tensor>, Tensor>.");
        throw new ArgumentException($"Lambda layer \"{layerName}\" calls the function '{functionName}', which is not registered. Register it with " +
            $"Lambda.RegisterFunction(\"{functionName}\", f) before loading, or pass it in LoadModel's customObjects (Add(\"{functionName}\", _ => f)).");
    }

    /// <summary>
    /// Creates a Lambda from its saved config: the function by name (a string, or Keras 3's serialized function
    /// <c>{"class_name": "function", "config": NAME}</c>), resolved in the custom objects in scope and then in
    /// <see cref="RegisterFunction(string, Func{Tensor, Tensor})"/>'s registry; <c>output_shape</c> as a list.
    /// </summary>
    /// <exception cref="FormatException">The function is Python bytecode or not registered, or the config has arguments.</exception>
    public static Lambda FromConfig(Saving.ConfigNode c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var f = c.Required("function");
        string fname = f.Element.ValueKind switch
        {
            System.Text.Json.JsonValueKind.String => f.Element.GetString()!,
            System.Text.Json.JsonValueKind.Object when f.String("class_name") == "__lambda__" => throw new FormatException(
                $"Lambda layer '{c.Name}' was saved with a Python lambda (bytecode), which Cortex cannot run. Give the function a name in Keras " +
                "(a def registered with @keras.saving.register_keras_serializable()), or rebuild the layer in C# with Lambda.RegisterFunction(name, f)."),
            System.Text.Json.JsonValueKind.Object => f.Child("config")?.Element.ValueKind == System.Text.Json.JsonValueKind.String ? f.Required("config").Element.GetString()!
                : f.String("registered_name") ?? throw new FormatException($"The config of {c.Owner} has a 'function' Cortex cannot read: {f}"),
            _ => throw new FormatException($"The config of {c.Owner} has a 'function' Cortex cannot read: {f}"),
        };
        if (c.Child("arguments") is { } args && args.Element.ValueKind == System.Text.Json.JsonValueKind.Object && args.Element.EnumerateObject().Any())
            throw new FormatException($"Lambda layer '{c.Name}' passes arguments ({args}) to its function; Cortex's Lambda functions take tensors only: bind them in the registered C# function.");
        int[]? outputShape = c.Child("output_shape")?.Element.ValueKind == System.Text.Json.JsonValueKind.Array ? c.Ints("output_shape") : null;
        Delegate fn;
        try { fn = Resolve(fname, n => Saving.KerasObjects.TryCustom(n, c) as Delegate, c.Name); }
        catch (ArgumentException e) { throw new FormatException(e.Message, e); }
        return new Lambda(fn, fname, outputShape, c.Name, c.InputShape);
    }

    /// <summary>Raises when the layer cannot be saved: its function is not registered by name. Called by the saving code.</summary>
    /// <exception cref="NotSupportedException">The function is not registered (<see cref="RegisterFunction(string, Func{Tensor, Tensor})"/>).</exception>
    public void EnsureSerializable()
    {
        if (FunctionName is null)
            throw new NotSupportedException(
                $"Lambda layer \"{Name}\" cannot be saved: its function ({_functionName}) is not registered, and Cortex saves Lambda functions by name only. " +
                "Call Lambda.RegisterFunction(\"some_name\", f) with the same delegate before saving (and before loading).");
    }

    /// <summary>The name the function is saved under: given at construction, or found in the registry; null if unregistered.</summary>
    public string? FunctionName
    {
        get
        {
            if (_registeredName is not null) return _registeredName;
            if (_original is null) return null;
            lock (Functions) return Functions.FirstOrDefault(kv => kv.Value == (Delegate)_original).Key;
        }
    }

    /// <summary>A Lambda on one input with an optional output shape (without the batch axis).</summary>
    public Lambda(Func<Tensor, Tensor> function, int[]? outputShape = null, string? name = null, int[]? inputShape = null)
        : this(Single(function), false, CheckShape(outputShape), null, function?.Method.Name, name, inputShape) => _original = function;

    /// <summary>A Lambda on one input whose output shape is computed from the input shape (batch axis included).</summary>
    public Lambda(Func<Tensor, Tensor> function, Func<int[], int[]> outputShape, string? name = null, int[]? inputShape = null)
        : this(Single(function), false, null, WrapShapeFn(outputShape), function?.Method.Name, name, inputShape) => _original = function;

    /// <summary>A Lambda on a list of inputs (call it with <c>Apply(a, b, ...)</c>), with an optional output shape.</summary>
    public Lambda(Func<IReadOnlyList<Tensor>, Tensor> function, int[]? outputShape = null, string? name = null)
        : this(function ?? throw new ArgumentNullException(nameof(function)), true, CheckShape(outputShape), null, function.Method.Name, name, null) => _original = function;

    /// <summary>A Lambda on a list of inputs whose output shape is computed from the input shapes.</summary>
    public Lambda(Func<IReadOnlyList<Tensor>, Tensor> function, Func<IReadOnlyList<int[]>, int[]> outputShape, string? name = null)
        : this(function ?? throw new ArgumentNullException(nameof(function)), true, null, outputShape ?? throw new ArgumentNullException(nameof(outputShape)), function.Method.Name, name, null) => _original = function;

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

    /// <summary>
    /// Keras's configuration keys, the function as Keras 3 serializes a registered named function
    /// (<c>{"module": "builtins", "class_name": "function", "config": NAME, "registered_name": NAME}</c>); an unregistered
    /// function appears as its C# method name only, and saving refuses it (<see cref="EnsureSerializable"/>). An
    /// output-shape function is not saved (the loaded layer infers the shape).
    /// </summary>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        var fname = FunctionName;
        c["function"] = fname is null ? _functionName
            : new Dictionary<string, object?> { ["module"] = "builtins", ["class_name"] = "function", ["config"] = fname, ["registered_name"] = fname };
        c["output_shape"] = _outputShape;
        c["arguments"] = new Dictionary<string, object?>();
        return c;
    }
}
