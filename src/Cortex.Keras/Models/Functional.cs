using Cortex.Autodiff;
using Cortex.Keras.Layers;
using Cortex.Memory;

namespace Cortex.Keras.Models;

/// <summary>
/// A model defined by a graph of layer calls on symbolic tensors (Keras's functional API,
/// <c>keras.Model(inputs, outputs)</c>), written <c>new Functional(inputs, outputs)</c>:
/// <code>
/// var inputs = new Input(new[] { 784 });
/// var x = new Dense(64, activation: "relu").Apply(inputs);
/// var outputs = new Dense(10, activation: "softmax").Apply(x);
/// var model = new Functional(inputs, outputs, name: "mnist_model");
/// </code>
/// </summary>
/// <remarks>
/// <para>One or several inputs and outputs. The nodes between them run in topological order, each layer called with
/// the training flag. <see cref="Layers"/> lists the layers in Keras's order (by depth from the inputs, input layers
/// first), so names and parameter counts read as Keras's summary shows them.</para>
/// <para>Any layer's <see cref="Layer.Output"/> can serve as a new output: <c>new Functional(model.Inputs,
/// model.GetLayer("block5_pool").Output)</c> cuts a model and shares its weights. A model is also a layer: calling it
/// on a symbolic tensor (<see cref="Layer.Apply(KerasTensor)"/>) nests it in another model.</para>
/// <para>A model with several inputs or outputs trains with the list forms of <c>Fit</c> and <c>Evaluate</c> (one tensor
/// per input, one target per output, losses per output in <c>Compile</c>) and predicts with
/// <see cref="Predict(IReadOnlyList{Tensor}, int)"/>.</para>
/// </remarks>
public class Functional : Model
{
    private readonly KerasTensor[] _inputs, _outputs;
    private readonly List<Node> _executionOrder = new();
    private readonly HashSet<Node> _networkNodes = new();
    private readonly List<List<Node>> _nodesByDepth = new();
    private readonly List<Layer> _layers = new();

    /// <summary>Creates a model from its input tensors (each from an <see cref="Input"/>) and the output tensors computed from them.</summary>
    /// <param name="inputs">The model's inputs, in the order its data comes.</param>
    /// <param name="outputs">The model's outputs.</param>
    /// <param name="name">The name; by default <c>model</c>, <c>model_1</c>, ... (Keras 2).</param>
    public Functional(IReadOnlyList<KerasTensor> inputs, IReadOnlyList<KerasTensor> outputs, string? name = null)
        : base(name ?? UniqueName("model"))
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        if (inputs.Count == 0) throw new ArgumentException("A Functional model needs at least one input.", nameof(inputs));
        if (outputs.Count == 0) throw new ArgumentException("A Functional model needs at least one output.", nameof(outputs));
        foreach (var x in inputs)
        {
            ArgumentNullException.ThrowIfNull(x, nameof(inputs));
            if (x.Layer is not InputLayer)
                throw new ArgumentException($"Input tensors to a Functional must come from `Input`. Received: {x} (not the output of an InputLayer).", nameof(inputs));
        }
        if (inputs.Distinct().Count() != inputs.Count)
            throw new ArgumentException($"The list of inputs passed to the model contains the same input multiple times: [{string.Join(", ", inputs.Select(i => i.Layer.Name))}].", nameof(inputs));
        foreach (var y in outputs) ArgumentNullException.ThrowIfNull(y, nameof(outputs));
        _inputs = inputs.ToArray();
        _outputs = outputs.ToArray();
        MapGraph();
        // The node linking the model's own inputs to its outputs (Keras's node 0 of a functional model), so that
        // model.Input / model.Output are its own tensors and a call of the model in another graph is node 1.
        AddInboundNode(new Node(this, _inputs, listCall: _inputs.Length > 1) { OutputTensors = _outputs });
        if (_inputs.Length == 1 && _outputs.Length == 1) base.EnsureBuilt(_inputs[0].Shape);
        else Built = true;
    }

    /// <summary>A model with one input and one output.</summary>
    public Functional(KerasTensor input, KerasTensor output, string? name = null) : this(new[] { input }, new[] { output }, name) { }

    /// <summary>A model with several inputs and one output.</summary>
    public Functional(IReadOnlyList<KerasTensor> inputs, KerasTensor output, string? name = null) : this(inputs, new[] { output }, name) { }

    /// <summary>A model with one input and several outputs.</summary>
    public Functional(KerasTensor input, IReadOnlyList<KerasTensor> outputs, string? name = null) : this(new[] { input }, outputs, name) { }

    /// <summary>The model's input tensors.</summary>
    public IReadOnlyList<KerasTensor> Inputs => _inputs;

    /// <summary>The model's output tensors.</summary>
    public IReadOnlyList<KerasTensor> Outputs => _outputs;

    /// <summary>The layers in Keras's order: by decreasing depth (input layers first), ties in traversal order.</summary>
    public override IReadOnlyList<Layer> Layers => _layers;

    /// <summary>Whether the node is part of this model's graph.</summary>
    internal bool ContainsNode(Node node) => _networkNodes.Contains(node);

    /// <summary>The graph's nodes grouped by depth, deepest (the inputs) first.</summary>
    internal IReadOnlyList<List<Node>> NodesByDepth => _nodesByDepth;

    // ------------------------------------------------------------------ graph

    /// <summary>Keras's <c>_map_graph_network</c>: the nodes in topological order, their depths, the layers' order and connectivity.</summary>
    private void MapGraph()
    {
        // Depth-first from the outputs: nodes in post-order (inputs to outputs), layers numbered in first-visit order.
        var finished = new HashSet<Node>();
        var inProgress = new HashSet<Node>();
        var ordered = new List<Node>();
        var layerIndices = new Dictionary<Layer, int>();
        void Visit(KerasTensor t)
        {
            var node = t.Node;
            if (finished.Contains(node)) return;
            if (!inProgress.Add(node)) throw new ArgumentException($"Tensor {t} from layer \"{t.Layer.Name}\" is part of a cycle.");
            layerIndices.TryAdd(node.Layer, layerIndices.Count);
            if (!node.IsInput) foreach (var x in node.InputTensors) Visit(x);
            inProgress.Remove(node);
            finished.Add(node);
            ordered.Add(node);
        }
        foreach (var y in _outputs) Visit(y);

        // Depth of a node: the longest path to an output; a shared layer takes the deepest of its nodes.
        var nodeDepth = new Dictionary<Node, int>();
        var nodeOrder = new List<Node>();
        var layerDepth = new Dictionary<Layer, int>();
        var layerOrder = new List<Layer>();
        void SetNodeDepth(Node n, int d) { if (!nodeDepth.ContainsKey(n)) nodeOrder.Add(n); nodeDepth[n] = d; }
        for (int i = ordered.Count - 1; i >= 0; i--)
        {
            var node = ordered[i];
            if (!nodeDepth.TryGetValue(node, out int depth)) { depth = 0; SetNodeDepth(node, 0); }
            if (layerDepth.TryGetValue(node.Layer, out int previous)) depth = Math.Max(depth, previous);
            else layerOrder.Add(node.Layer);
            layerDepth[node.Layer] = depth;
            nodeDepth[node] = depth;
            if (node.IsInput) continue;
            foreach (var x in node.InputTensors)
                SetNodeDepth(x.Node, Math.Max(depth + 1, nodeDepth.GetValueOrDefault(x.Node, 0)));
        }
        // Inputs that no output depends on still belong to the model (Keras keeps them, at depth 0).
        foreach (var x in _inputs)
            if (!layerDepth.ContainsKey(x.Layer))
            {
                layerDepth[x.Layer] = 0; layerOrder.Add(x.Layer); layerIndices[x.Layer] = -1;
                SetNodeDepth(x.Node, 0);
            }

        foreach (var n in nodeOrder) _networkNodes.Add(n);
        foreach (var group in nodeOrder.GroupBy(n => nodeDepth[n]).OrderByDescending(g => g.Key)) _nodesByDepth.Add(group.ToList());
        _layers.AddRange(layerOrder.OrderByDescending(l => layerDepth[l]).ThenBy(l => layerIndices[l]));

        // Every tensor a node reads must be computable from the inputs.
        var computable = new HashSet<KerasTensor>(_inputs);
        var accessed = new List<string>();
        foreach (var group in _nodesByDepth)
            foreach (var node in group)
            {
                if (node.IsInput) continue;
                foreach (var x in node.InputTensors)
                    if (!computable.Contains(x))
                        throw new ArgumentException($"Graph disconnected: cannot obtain value for tensor {x} at layer \"{node.Layer.Name}\". " +
                            $"The following previous layers were accessed without issue: [{string.Join(", ", accessed.Select(a => $"'{a}'"))}]");
                foreach (var y in node.OutputTensors) computable.Add(y);
                accessed.Add(node.Layer.Name);
                _executionOrder.Add(node);
            }

        var names = _layers.GroupBy(l => l.Name).FirstOrDefault(g => g.Count() > 1);
        if (names is not null)
            throw new ArgumentException($"The name \"{names.Key}\" is used {names.Count()} times in the model. All layer names should be unique.");
    }

    /// <summary>Returns the layer called <paramref name="name"/> (Keras's <c>get_layer</c>).</summary>
    /// <exception cref="ArgumentException">No layer has that name; the message lists the names there are.</exception>
    public Layer GetLayer(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _layers.FirstOrDefault(l => l.Name == name)
            ?? throw new ArgumentException($"No such layer: {name}. Existing layers are: [{string.Join(", ", _layers.Select(l => $"'{l.Name}'"))}].", nameof(name));
    }

    /// <summary>Returns the layer at <paramref name="index"/> in <see cref="Layers"/>.</summary>
    public Layer GetLayer(int index)
    {
        if (index < 0 || index >= _layers.Count)
            throw new ArgumentOutOfRangeException(nameof(index), $"Was asked to retrieve layer at index {index} but model only has {_layers.Count} layers.");
        return _layers[index];
    }

    // ------------------------------------------------------------------ layer protocol

    /// <inheritdoc/>
    public override void Build(int[] inputShape) => Built = true;

    /// <inheritdoc/>
    public override void Build(IReadOnlyList<int[]> inputShapes) => Built = true;

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training) => SingleOutput(CallOutputs(new[] { inputs }, training));

    /// <inheritdoc/>
    public override Tensor Call(IReadOnlyList<Tensor> inputs, bool training) => SingleOutput(CallOutputs(inputs, training));

    /// <summary>Runs the graph on concrete tensors, one per input, and returns one tensor per output.</summary>
    public override IReadOnlyList<Tensor> CallOutputs(IReadOnlyList<Tensor> inputs, bool training) => RunGraph(inputs, training).Outputs;

    /// <summary>Runs the graph and returns every output with the mask the graph computed for it (null where none).</summary>
    protected internal override (IReadOnlyList<Tensor> Outputs, IReadOnlyList<Tensor?> Masks) CallWithMasks(IReadOnlyList<Tensor> inputs, bool training)
        => RunGraph(inputs, training);

    /// <summary>The output layers' names (Keras's <c>output_names</c>).</summary>
    public override IReadOnlyList<string> OutputNames => _outputs.Select(o => o.Layer.Name).ToList();

    /// <summary>The input layers' names (Keras's <c>input_names</c>).</summary>
    public override IReadOnlyList<string> InputNames => _inputs.Select(i => i.Layer.Name).ToList();

    private (IReadOnlyList<Tensor> Outputs, IReadOnlyList<Tensor?> Masks) RunGraph(IReadOnlyList<Tensor> inputs, bool training)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        CheckInputCount(inputs.Count);
        var values = new Dictionary<KerasTensor, Tensor>(_inputs.Length + _executionOrder.Count);
        for (int i = 0; i < _inputs.Length; i++)
        {
            CheckShape(i, inputs[i].Shape.ToArray());
            values[_inputs[i]] = inputs[i];
        }
        var masks = new Dictionary<KerasTensor, Tensor?>();
        var args = new List<Tensor>();
        var argMasks = new List<Tensor?>();
        foreach (var node in _executionOrder)
        {
            args.Clear(); argMasks.Clear();
            foreach (var x in node.InputTensors) { args.Add(values[x]); argMasks.Add(masks.GetValueOrDefault(x)); }
            var (outs, outMasks) = node.Run(args, argMasks, training);
            for (int j = 0; j < node.OutputTensors.Count; j++)
            {
                values[node.OutputTensors[j]] = outs[j];
                if (outMasks[j] is { } m) masks[node.OutputTensors[j]] = m;
            }
        }
        var result = new Tensor[_outputs.Length];
        var resultMasks = new Tensor?[_outputs.Length];
        for (int i = 0; i < result.Length; i++) { result[i] = values[_outputs[i]]; resultMasks[i] = masks.GetValueOrDefault(_outputs[i]); }
        return (result, resultMasks);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => SingleShape(ComputeOutputShapes(new[] { inputShape }));

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(IReadOnlyList<int[]> inputShapes) => SingleShape(ComputeOutputShapes(inputShapes));

    /// <summary>Propagates the input shapes through the graph (batch axis included).</summary>
    public override IReadOnlyList<int[]> ComputeOutputShapes(IReadOnlyList<int[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        CheckInputCount(inputShapes.Count);
        var shapes = new Dictionary<KerasTensor, int[]>();
        for (int i = 0; i < _inputs.Length; i++) { CheckShape(i, inputShapes[i]); shapes[_inputs[i]] = inputShapes[i]; }
        foreach (var node in _executionOrder)
        {
            var ins = node.InputTensors.Select(x => shapes[x]).ToList();
            var outs = node.ListCall || node.OutputTensors.Count != 1 ? node.Layer.ComputeOutputShapes(ins) : new[] { node.Layer.ComputeOutputShape(ins[0]) };
            for (int j = 0; j < node.OutputTensors.Count; j++) shapes[node.OutputTensors[j]] = outs[j];
        }
        return _outputs.Select(o => shapes[o]).ToList();
    }

    /// <inheritdoc/>
    public override void EnsureBuilt(int[] inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (_inputs.Length == 1 && _outputs.Length == 1) { base.EnsureBuilt(inputShape); return; }
        CheckInputCount(1);
        CheckShape(0, inputShape);
    }

    private void CheckInputCount(int count)
    {
        if (count != _inputs.Length)
            throw new ArgumentException($"Layer \"{Name}\" expects {_inputs.Length} input(s), but it received {count} input tensors.");
    }

    private void CheckShape(int i, int[] found)
    {
        var expected = _inputs[i].ShapeRef;
        bool ok = expected.Length == found.Length;
        for (int d = 1; ok && d < expected.Length; d++) ok = expected[d] == -1 || found[d] == -1 || expected[d] == found[d];
        if (!ok)
            throw new ArgumentException($"Input {i} of layer \"{Name}\" is incompatible with the layer: expected shape={TensorShape.Format(expected)}, found shape={TensorShape.Format(found)}");
    }

    private Tensor SingleOutput(IReadOnlyList<Tensor> outs) => outs.Count == 1 ? outs[0]
        : throw new InvalidOperationException($"Model \"{Name}\" has {outs.Count} outputs; use CallOutputs or Predict(IReadOnlyList<Tensor>) to get them all.");

    private int[] SingleShape(IReadOnlyList<int[]> outs) => outs.Count == 1 ? outs[0]
        : throw new InvalidOperationException($"Model \"{Name}\" has {outs.Count} outputs; use ComputeOutputShapes.");

    // ------------------------------------------------------------------ predict with several inputs / outputs

    /// <summary>
    /// Outputs for several inputs (one tensor per model input, samples along axis 0), computed in batches in
    /// inference mode; returns one tensor per model output (Keras's <c>predict</c> on a list of arrays).
    /// </summary>
    public Tensor[] Predict(IReadOnlyList<Tensor> x, int batchSize = 32)
    {
        ArgumentNullException.ThrowIfNull(x);
        CheckInputCount(x.Count);
        if (batchSize <= 0) throw new ArgumentException($"batch_size must be a positive integer. Received: batch_size={batchSize}", nameof(batchSize));
        foreach (var t in x)
            if (t.Rank == 0) throw new ArgumentException("Predict needs inputs with a batch axis; got a scalar.", nameof(x));
        int samples = x[0].Shape[0];
        if (x.Any(t => t.Shape[0] != samples))
            throw new ArgumentException($"Data cardinality is ambiguous: x sizes: {string.Join(", ", x.Select(t => t.Shape[0]))}. Make sure all arrays contain the same number of samples.", nameof(x));
        for (int i = 0; i < x.Count; i++) CheckShape(i, x[i].Shape.ToArray());
        int steps = (samples + batchSize - 1) / batchSize;
        var result = new Tensor[_outputs.Length];
        using (GradientTape.NoGradient())
        {
            for (int step = 0; step < steps; step++)
            {
                using (TensorScope.Begin())
                {
                    int start = step * batchSize, count = Math.Min(batchSize, samples - start);
                    var outs = CallOutputs(x.Select(t => Ops.SliceRows(t, start, count)).ToList(), training: false);
                    for (int o = 0; o < outs.Count; o++)
                    {
                        var yb = outs[o].Contiguous();
                        if (result[o] is null)
                            using (TensorScope.Persistent()) result[o] = Tensor.Zeros(new[] { samples }.Concat(yb.Shape.Skip(1)).ToArray());
                        int row = yb.Size / Math.Max(count, 1);
                        yb.Span.CopyTo(result[o].Span.Slice(start * row, count * row));
                    }
                }
            }
        }
        for (int o = 0; o < result.Length; o++)
            result[o] ??= Tensor.Zeros(new[] { 0 }.Concat(_outputs[o].ShapeRef.Skip(1).Select(d => Math.Max(d, 0))).ToArray());
        return result;
    }
}
