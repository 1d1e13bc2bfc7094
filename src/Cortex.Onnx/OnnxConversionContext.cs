using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Onnx.Proto;

namespace Cortex.Onnx;

/// <summary>
/// The graph under construction, handed to each <see cref="IOnnxLayerConverter"/>: it adds nodes and initializers
/// with unique names, turns values into the <see cref="OnnxLayout"/> an operator needs (a cached Transpose), and knows
/// the layer being converted and the Keras shapes of its outputs.
/// </summary>
public sealed class OnnxConversionContext
{
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    internal OnnxConversionContext(int opset, OnnxGraphProto graph, IEnumerable<string> reservedNames)
    {
        Opset = opset;
        Graph = graph;
        foreach (var n in reservedNames) _names.Add(n);
    }

    /// <summary>The default-domain opset version the graph targets.</summary>
    public int Opset { get; }

    /// <summary>The graph being built.</summary>
    public OnnxGraphProto Graph { get; }

    /// <summary>The layer being converted.</summary>
    public Layer Layer { get; private set; } = null!;

    /// <summary>The Keras shapes of the current layer call's outputs (batch first, −1 unknown).</summary>
    public IReadOnlyList<int[]> OutputShapes { get; private set; } = Array.Empty<int[]>();

    // ------------------------------------------------------------------ names, nodes, constants

    /// <summary>A value or node name not used yet in the graph: <paramref name="hint"/>, else hint_1, hint_2, ...</summary>
    public string UniqueName(string hint)
    {
        if (_names.Add(hint)) return hint;
        int i = _counters.GetValueOrDefault(hint);
        string name;
        do name = $"{hint}_{++i}"; while (!_names.Add(name));
        _counters[hint] = i;
        return name;
    }

    /// <summary>Adds a node with one output, named from <paramref name="outputHint"/>, and returns the output's name.</summary>
    public string AddNode(string opType, IEnumerable<string> inputs, string outputHint, params OnnxAttributeProto[] attributes)
    {
        var output = UniqueName(outputHint);
        Graph.Nodes.Add(new OnnxNodeProto(opType, UniqueName($"{outputHint}/{opType}"), inputs, new[] { output }, attributes));
        return output;
    }

    /// <summary>Adds a float32 constant of shape <paramref name="dims"/> and returns its name.</summary>
    public string AddInitializer(string hint, float[] data, params long[] dims)
    {
        var name = UniqueName(hint);
        Graph.Initializers.Add(new OnnxTensorProto(name, dims, data));
        return name;
    }

    /// <summary>Adds a 1-D int64 constant (shapes, pads, axes) and returns its name.</summary>
    public string AddInt64s(string hint, params long[] values)
    {
        var name = UniqueName(hint);
        Graph.Initializers.Add(new OnnxTensorProto(name, new long[] { values.Length }, values));
        return name;
    }

    /// <summary>Adds a float32 scalar (rank 0) constant and returns its name.</summary>
    public string AddScalar(string hint, float value) => AddInitializer(hint, new[] { value });

    /// <summary>A Cortex tensor's values (contiguous, row-major) as a float32 constant of the same shape.</summary>
    public string AddInitializer(string hint, Tensor tensor)
        => AddInitializer(hint, tensor.Contiguous().ToArray(), tensor.Shape.ToArray().Select(d => (long)d).ToArray());

    // ------------------------------------------------------------------ values and layouts

    /// <summary>A new value of Keras shape <paramref name="shape"/> held by <paramref name="name"/> in <paramref name="layout"/>.</summary>
    public OnnxValue Value(string name, int[] shape, OnnxLayout layout) => new(shape, name, layout);

    /// <summary>A value for output <paramref name="index"/> of the current layer call.</summary>
    public OnnxValue Result(string name, OnnxLayout layout, int index = 0) => new(OutputShapes[index], name, layout);

    /// <summary>The name of <paramref name="value"/> in <paramref name="layout"/>, adding (once) the Transpose that makes it.</summary>
    public string Get(OnnxValue value, OnnxLayout layout)
    {
        if (value.NameIn(layout) is { } name) return name;
        var other = layout == OnnxLayout.Keras ? OnnxLayout.ChannelsFirst : OnnxLayout.Keras;
        var source = value.NameIn(other) ?? throw new InvalidOperationException("A value has no name in any layout.");
        int r = value.Rank;
        // Keras (N, d1..dk, C) → channels-first (N, C, d1..dk), and the inverse.
        var perm = layout == OnnxLayout.ChannelsFirst
            ? new long[] { 0, r - 1 }.Concat(Enumerable.Range(1, r - 2).Select(i => (long)i)).ToArray()
            : new long[] { 0 }.Concat(Enumerable.Range(2, r - 2).Select(i => (long)i)).Append(1).ToArray();
        var made = AddNode("Transpose", new[] { source }, $"{source}/{(layout == OnnxLayout.ChannelsFirst ? "nchw" : "nhwc")}",
            OnnxAttributeProto.IntList("perm", perm));
        value.Set(layout, made);
        return made;
    }

    /// <summary>The layout to compute an element-wise result of several values in: channels-first only when every value already has it.</summary>
    public static OnnxLayout CommonLayout(IReadOnlyList<OnnxValue> values)
        => values.All(v => v.Rank == values[0].Rank && v.Rank > 2 && v.Has(OnnxLayout.ChannelsFirst)) ? OnnxLayout.ChannelsFirst : OnnxLayout.Keras;

    /// <summary>
    /// For a spatial layer (convolution, pooling, ...) with Keras's <c>data_format</c>: the input as channels-first data and
    /// the layout the result is in — a channels_first layer's Keras layout already is channels-first.
    /// </summary>
    public (string Name, OnnxLayout ResultLayout) ChannelsFirstInput(OnnxValue value, string dataFormat)
        => DataFormat.IsChannelsFirst(dataFormat) ? (Get(value, OnnxLayout.Keras), OnnxLayout.Keras)
                                                 : (Get(value, OnnxLayout.ChannelsFirst), OnnxLayout.ChannelsFirst);

    /// <summary>An element-wise operator on <paramref name="x"/> in the layout it is already in; the result has x's shape.</summary>
    public OnnxValue Unary(string opType, OnnxValue x, string outputHint, params OnnxAttributeProto[] attributes)
    {
        var layout = x.Preferred;
        return Value(AddNode(opType, new[] { Get(x, layout) }, outputHint, attributes), x.Shape, layout);
    }

    /// <summary>The error for a layer (or a configuration of it) that has no ONNX mapping, naming the layer and its type.</summary>
    public static NotSupportedException Unsupported(Layer layer, string? why = null)
        => new($"Layer \"{layer.Name}\" of type {layer.GetType().Name} cannot be exported to ONNX{(why is null ? $": no ONNX converter is registered for {layer.GetType().Name} (supported: {string.Join(", ", OnnxConverters.SupportedLayerTypes.Select(t => t.Name).Order())})" : $": {why}")}.");

    // ------------------------------------------------------------------ layers and models

    /// <summary>Converts one call of <paramref name="layer"/> on <paramref name="inputs"/> whose outputs have <paramref name="outputShapes"/>.</summary>
    public IReadOnlyList<OnnxValue> ConvertLayer(Layer layer, IReadOnlyList<OnnxValue> inputs, IReadOnlyList<int[]> outputShapes)
    {
        var converter = OnnxConverters.Find(layer.GetType()) ?? throw Unsupported(layer);
        if (!layer.Built) throw new InvalidOperationException($"Layer \"{layer.Name}\" is not built yet: build or fit the model before exporting it.");
        var (savedLayer, savedShapes) = (Layer, OutputShapes);
        Layer = layer;
        OutputShapes = outputShapes;
        try
        {
            var outputs = converter.Convert(this, layer, inputs);
            if (outputs.Count != outputShapes.Count)
                throw new InvalidOperationException($"The ONNX converter of layer \"{layer.Name}\" ({layer.GetType().Name}) returned {outputs.Count} outputs; the layer has {outputShapes.Count}.");
            return outputs;
        }
        finally { (Layer, OutputShapes) = (savedLayer, savedShapes); }
    }

    /// <summary>Converts the graph of <paramref name="model"/> (a Sequential or Functional, nested models inlined) on <paramref name="inputs"/>.</summary>
    public IReadOnlyList<OnnxValue> ConvertModel(Model model, IReadOnlyList<OnnxValue> inputs)
    {
        switch (model)
        {
            case Sequential seq:
            {
                if (inputs.Count != 1) throw new ArgumentException($"Sequential model \"{model.Name}\" takes one input; got {inputs.Count}.");
                var x = inputs[0];
                foreach (var layer in seq.Layers)
                {
                    var shape = layer.ComputeOutputShape(x.Shape);
                    x = ConvertLayer(layer, new[] { x }, new[] { shape })[0];
                }
                return new[] { x };
            }
            case Functional f:
            {
                if (inputs.Count != f.Inputs.Count) throw new ArgumentException($"Model \"{model.Name}\" takes {f.Inputs.Count} inputs; got {inputs.Count}.");
                var values = new Dictionary<KerasTensor, OnnxValue>();
                for (int i = 0; i < inputs.Count; i++) values[f.Inputs[i]] = inputs[i];
                foreach (var node in TopologicalNodes(f))
                {
                    var ins = node.InputTensors.Select(t => values[t]).ToList();
                    var outs = ConvertLayer(node.Layer, ins, node.OutputTensors.Select(t => t.Shape).ToList());
                    for (int j = 0; j < outs.Count; j++) values[node.OutputTensors[j]] = outs[j];
                }
                return f.Outputs.Select(o => values[o]).ToList();
            }
            default:
                throw Unsupported(model, $"only Sequential and Functional models are exported, not {model.GetType().Name}");
        }
    }

    /// <summary>The nodes between a functional model's inputs and outputs, each after the nodes it reads from.</summary>
    private static List<Node> TopologicalNodes(Functional model)
    {
        var inputs = new HashSet<KerasTensor>(model.Inputs);
        var done = new HashSet<Node>();
        var order = new List<Node>();
        // Iterative post-order depth-first search from the outputs (deep nets would overflow a recursive one).
        var stack = new Stack<(Node Node, bool Expanded)>();
        foreach (var output in model.Outputs.Reverse())
            if (!inputs.Contains(output)) stack.Push((output.Node, false));
        while (stack.Count > 0)
        {
            var (node, expanded) = stack.Pop();
            if (done.Contains(node)) continue;
            if (expanded) { done.Add(node); order.Add(node); continue; }
            stack.Push((node, true));
            foreach (var t in node.InputTensors.Reverse())
            {
                if (inputs.Contains(t)) continue;
                if (t.Node.IsInput)
                    throw new ArgumentException($"Model \"{model.Name}\": tensor {t} is not computed from the model's inputs.");
                if (!done.Contains(t.Node)) stack.Push((t.Node, false));
            }
        }
        return order;
    }
}
