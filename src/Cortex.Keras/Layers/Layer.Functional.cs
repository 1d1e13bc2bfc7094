namespace Cortex.Keras.Layers;

/// <summary>
/// The functional-API side of a layer: calling it on symbolic tensors (<see cref="Apply(KerasTensor)"/>), the nodes
/// those calls record, and the entry points of layers with several inputs (merge layers) or several outputs (models).
/// </summary>
/// <remarks>
/// <para>A single-input layer implements only <see cref="Call(Tensor, bool)"/>, <see cref="Build(int[])"/> and
/// <see cref="ComputeOutputShape(int[])"/>. A layer that takes a list of tensors (Add, Concatenate, ...) overrides the
/// list forms <see cref="Call(IReadOnlyList{Tensor}, bool)"/>, <see cref="Build(IReadOnlyList{int[]})"/> and
/// <see cref="ComputeOutputShape(IReadOnlyList{int[]})"/>; their default implementations accept a list of one tensor
/// and pass it to the single forms, and refuse more. A layer with several outputs (a functional model) overrides
/// <see cref="CallOutputs(IReadOnlyList{Tensor}, bool)"/> and <see cref="ComputeOutputShapes"/>.</para>
/// </remarks>
public abstract partial class Layer
{
    private readonly List<Node> _inboundNodes = new();

    /// <summary>The calls of this layer on symbolic tensors, in order (Keras's <c>_inbound_nodes</c>).</summary>
    public IReadOnlyList<Node> InboundNodes => _inboundNodes;

    /// <summary>The input shapes a multi-input layer was built for (batch axis −1), once built from a list.</summary>
    public IReadOnlyList<int[]>? InputShapes { get; private set; }

    /// <summary>The output of the layer's first call on symbolic tensors (Keras's <c>layer.output</c>).</summary>
    /// <exception cref="InvalidOperationException">The layer has never been called on symbolic tensors, or the call has several outputs.</exception>
    public KerasTensor Output => GetOutputAt(0);

    /// <summary>The input of the layer's first call on symbolic tensors (Keras's <c>layer.input</c>).</summary>
    public KerasTensor Input => GetInputAt(0);

    /// <summary>The (single) output tensor of call <paramref name="nodeIndex"/>.</summary>
    public KerasTensor GetOutputAt(int nodeIndex)
    {
        var outs = NodeAt(nodeIndex, "output").OutputTensors;
        if (outs.Count != 1) throw new InvalidOperationException($"Layer \"{Name}\" has {outs.Count} outputs at node {nodeIndex}; use InboundNodes[{nodeIndex}].OutputTensors.");
        return outs[0];
    }

    /// <summary>The (single) input tensor of call <paramref name="nodeIndex"/>.</summary>
    public KerasTensor GetInputAt(int nodeIndex)
    {
        var node = NodeAt(nodeIndex, "input");
        if (node.IsInput) return node.OutputTensors[0];
        if (node.InputTensors.Count != 1) throw new InvalidOperationException($"Layer \"{Name}\" has {node.InputTensors.Count} inputs at node {nodeIndex}; use InboundNodes[{nodeIndex}].InputTensors.");
        return node.InputTensors[0];
    }

    private Node NodeAt(int nodeIndex, string what)
    {
        if (this is InputLayer il && _inboundNodes.Count == 0) _ = il.InputTensor;
        if (_inboundNodes.Count == 0)
            throw new InvalidOperationException($"The layer \"{Name}\" has never been called and thus has no defined {what}.");
        if (nodeIndex < 0 || nodeIndex >= _inboundNodes.Count)
            throw new ArgumentOutOfRangeException(nameof(nodeIndex), $"Asked to get the {what} at node {nodeIndex}, but layer \"{Name}\" has only {_inboundNodes.Count} inbound nodes.");
        return _inboundNodes[nodeIndex];
    }

    /// <summary>Appends a node and returns its index.</summary>
    internal int AddInboundNode(Node node)
    {
        _inboundNodes.Add(node);
        return _inboundNodes.Count - 1;
    }

    // ------------------------------------------------------------------ multi-input / multi-output entry points

    /// <summary>The computation on a list of inputs (merge layers override it). By default a list of one tensor goes to <see cref="Call(Tensor, bool)"/>.</summary>
    public virtual Tensor Call(IReadOnlyList<Tensor> inputs, bool training)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != 1) throw ExpectsOneInput(inputs.Count);
        return Call(inputs[0], training);
    }

    /// <summary>The computation returning every output (models with several outputs override it); by default the one output of <see cref="Call(IReadOnlyList{Tensor}, bool)"/>.</summary>
    public virtual IReadOnlyList<Tensor> CallOutputs(IReadOnlyList<Tensor> inputs, bool training) => new[] { Call(inputs, training) };

    /// <summary>Creates the weights for a list of inputs; by default a list of one shape goes to <see cref="Build(int[])"/>.</summary>
    public virtual void Build(IReadOnlyList<int[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (inputShapes.Count != 1) throw ExpectsOneInput(inputShapes.Count);
        Build(inputShapes[0]);
    }

    /// <summary>The output shape for a list of input shapes; by default a list of one shape goes to <see cref="ComputeOutputShape(int[])"/>.</summary>
    public virtual int[] ComputeOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (inputShapes.Count != 1) throw ExpectsOneInput(inputShapes.Count);
        return ComputeOutputShape(inputShapes[0]);
    }

    /// <summary>The shapes of every output (models with several outputs override it).</summary>
    public virtual IReadOnlyList<int[]> ComputeOutputShapes(IReadOnlyList<int[]> inputShapes) => new[] { ComputeOutputShape(inputShapes) };

    private ArgumentException ExpectsOneInput(int count) =>
        new($"Layer \"{Name}\" expects 1 input(s), but it received {count} input tensors.");

    /// <summary>Builds the layer for a list of input shapes if needed (the list form of <see cref="EnsureBuilt(int[])"/>).</summary>
    public virtual void EnsureBuilt(IReadOnlyList<int[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (Built) return;
        var shapes = inputShapes.Select(s => (int[])s.Clone()).ToList();
        Build(shapes);
        Built = true;
        InputShapes = inputShapes.Select(s => { var c = (int[])s.Clone(); if (c.Length > 0) c[0] = -1; return c; }).ToList();
        var outs = ComputeOutputShapes(InputShapes);
        if (outs.Count == 1) OutputShape = outs[0];
    }

    /// <summary>Builds if needed and runs the layer on a list of tensors (merge layers, multi-input models), eagerly.</summary>
    public Tensor Apply(IReadOnlyList<Tensor> inputs, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        EnsureBuilt(inputs.Select(t => t.Shape.ToArray()).ToList());
        return Call(inputs, training);
    }

    // ------------------------------------------------------------------ symbolic calls

    /// <summary>
    /// Calls the layer on a symbolic tensor (Keras's <c>layer(x)</c> in the functional API): builds the layer from
    /// the symbolic shape if needed, computes the output shape and records a node. Calling a layer again makes it a
    /// shared layer: a second node, the same weights.
    /// </summary>
    public KerasTensor Apply(KerasTensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Single(ApplyCore(new[] { x }, listCall: false));
    }

    /// <summary>Calls the layer on a list of symbolic tensors (merge layers, multi-input models); see <see cref="Apply(KerasTensor)"/>.</summary>
    public KerasTensor Apply(params KerasTensor[] xs) => Single(ApplyOutputs(xs));

    /// <summary>Calls the layer on a list of symbolic tensors and returns every output (for layers, such as models, with several outputs).</summary>
    public IReadOnlyList<KerasTensor> ApplyOutputs(params KerasTensor[] xs)
    {
        ArgumentNullException.ThrowIfNull(xs);
        foreach (var x in xs) ArgumentNullException.ThrowIfNull(x, nameof(xs));
        return ApplyCore(xs, listCall: true);
    }

    private KerasTensor Single(IReadOnlyList<KerasTensor> outs)
    {
        if (outs.Count != 1) throw new InvalidOperationException($"Layer \"{Name}\" has {outs.Count} outputs; call ApplyOutputs to get them all.");
        return outs[0];
    }

    private IReadOnlyList<KerasTensor> ApplyCore(KerasTensor[] xs, bool listCall)
    {
        var shapes = xs.Select(x => x.Shape).ToList();
        IReadOnlyList<int[]> outShapes;
        if (!listCall)
        {
            EnsureBuilt(shapes[0]);
            outShapes = ComputeOutputShapes(shapes);
        }
        else
        {
            EnsureBuilt(shapes);
            outShapes = ComputeOutputShapes(shapes);
        }
        var node = new Node(this, xs.ToArray(), listCall);
        int index = AddInboundNode(node);
        node.OutputTensors = outShapes.Select((s, i) => new KerasTensor(s, this, index, i)).ToArray();
        return node.OutputTensors;
    }

    /// <summary>Keras 2's input names: input_1, input_2, ... (counted from 1, reset by <see cref="ResetNames"/>).</summary>
    internal static string UniqueInputName()
    {
        lock (NameLock)
        {
            NameCounts.TryGetValue("input", out int n);
            NameCounts["input"] = n + 1;
            return $"input_{n + 1}";
        }
    }
}
