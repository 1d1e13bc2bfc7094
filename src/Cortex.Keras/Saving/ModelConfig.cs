using System.Text.Json;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Keras.Saving;

/// <summary>
/// The architecture of Sequential and Functional models as Keras saves it: Keras 3's configs (layers serialized with
/// <c>inbound_nodes</c> of <c>{"args", "kwargs"}</c> holding <c>__keras_tensor__</c> references) for writing, and
/// both Keras 3's and Keras 2's (<c>inbound_nodes</c> as <c>[[name, node, tensor, kwargs], ...]</c>, a Sequential
/// config that is a bare list of layers) for reading.
/// </summary>
internal static class ModelConfig
{
    /// <summary>The <c>config</c> of a model (Keras's <c>get_config</c>).</summary>
    public static Dictionary<string, object?> GetModelConfig(Model model) => model switch
    {
        Sequential s => SequentialConfig(s),
        Functional f => FunctionalConfig(f),
        _ => throw new NotSupportedException($"Model '{model.Name}' of type {model.GetType().Name} cannot be serialized: only Sequential and Functional models have a config."),
    };

    private static Dictionary<string, object?> SequentialConfig(Sequential s)
    {
        var layers = new List<object?>();
        var first = s.FirstLayer;
        var declared = first?.BatchInputShape ?? (s.Built ? s.InputShape : null);
        if (declared is not null)
            layers.Add(InputLayerEntry(declared, first is InputLayer il ? il.Name : "input_layer"));
        foreach (var l in s.Layers)
        {
            if (l is InputLayer) continue;
            var d = KerasObjects.Serialize(l);
            // A stateful RNN keeps its batch_input_shape (Keras accepts the key): Sequential builds with an unknown batch.
            bool stateful = l is BaseRNN { Stateful: true } || l is Bidirectional { ForwardLayer.Stateful: true };
            if (d["config"] is Dictionary<string, object?> c && !stateful) c.Remove("batch_input_shape");
            layers.Add(d);
        }
        return new Dictionary<string, object?> { ["name"] = s.Name, ["trainable"] = s.Trainable, ["dtype"] = "float32", ["layers"] = layers };
    }

    private static Dictionary<string, object?> FunctionalConfig(Functional f)
    {
        var layers = new List<object?>();
        foreach (var l in f.Layers)
        {
            var d = KerasObjects.Serialize(l);
            d["name"] = l.Name;
            var nodes = new List<object?>();
            if (l is not InputLayer)
                foreach (var node in l.InboundNodes.Where(f.ContainsNode))
                {
                    var tensors = node.InputTensors.Select(t => (object?)TensorRef(f, t)).ToList();
                    object? arg = node.ListCall ? tensors : tensors[0];
                    nodes.Add(new Dictionary<string, object?> { ["args"] = new List<object?> { arg }, ["kwargs"] = new Dictionary<string, object?>() });
                }
            d["inbound_nodes"] = nodes;
            layers.Add(d);
        }
        return new Dictionary<string, object?>
        {
            ["name"] = f.Name,
            ["trainable"] = f.Trainable,
            ["layers"] = layers,
            ["input_layers"] = f.Inputs.Select(t => (object?)History(f, t)).ToList(),
            ["output_layers"] = f.Outputs.Select(t => (object?)History(f, t)).ToList(),
        };
    }

    private static object?[] History(Functional f, KerasTensor t)
    {
        var inNetwork = t.Layer.InboundNodes.Where(n => n.IsInput || f.ContainsNode(n)).ToList();
        int index = inNetwork.IndexOf(t.Node);
        return new object?[] { t.Layer.Name, Math.Max(index, 0), t.TensorIndex };
    }

    private static Dictionary<string, object?> TensorRef(Functional f, KerasTensor t) => new()
    {
        ["class_name"] = "__keras_tensor__",
        ["config"] = new Dictionary<string, object?> { ["shape"] = KerasJson.Shape(t.Shape), ["dtype"] = "float32", ["keras_history"] = History(f, t) },
    };

    // ------------------------------------------------------------------ from config

    /// <summary>A Sequential from its config: Keras 3's / Keras 2.2+'s <c>{"name", "layers"}</c> or Keras 2.1's bare list.</summary>
    public static Layer SequentialFromConfig(ConfigNode c)
    {
        IReadOnlyList<ConfigNode> layers = c.Element.ValueKind == JsonValueKind.Array ? c.Items() : c.Required("layers").Items();
        string? name = c.Element.ValueKind == JsonValueKind.Object ? c.Name : null;
        var model = new Sequential(name: name);
        foreach (var l in layers) model.Add(KerasObjects.DeserializeLayer(l));
        if (!model.Built && c.Element.ValueKind == JsonValueKind.Object && c.Ints("build_input_shape") is { } shape) model.EnsureBuilt(shape);
        return model;
    }

    /// <summary>A Functional model from its config, in Keras 3's or Keras 2's node format.</summary>
    public static Layer FunctionalFromConfig(ConfigNode c)
    {
        var name = c.Name;
        var layerNodes = c.Required("layers").Items();
        var layers = new List<(Layer Layer, IReadOnlyList<ConfigNode> Nodes)>();
        var byName = new Dictionary<string, Layer>();
        var created = new Dictionary<(string, int), IReadOnlyList<KerasTensor>>();
        foreach (var ln in layerNodes)
        {
            var layer = KerasObjects.DeserializeLayer(ln);
            var layerName = ln.String("name") ?? layer.Name;
            if (layerName != layer.Name)
                throw new FormatException($"Layer '{layerName}' of model '{name}' has the name '{layer.Name}' in its config.");
            byName[layer.Name] = layer;
            var nodes = ln.Child("inbound_nodes")?.Items() ?? Array.Empty<ConfigNode>();
            if (layer is InputLayer input) created[(layer.Name, 0)] = new[] { input.InputTensor };
            layers.Add((layer, nodes));
        }

        // Keras's deserialization queue: a node runs once every tensor it reads exists.
        var next = new int[layers.Count];
        bool progress = true;
        while (progress)
        {
            progress = false;
            for (int i = 0; i < layers.Count; i++)
            {
                var (layer, nodes) = layers[i];
                while (next[i] < nodes.Count)
                {
                    var (refs, listCall) = ParseNode(nodes[next[i]], layer.Name);
                    var xs = new KerasTensor[refs.Count];
                    bool ready = true;
                    for (int k = 0; k < refs.Count && ready; k++)
                    {
                        var (ln, ni, ti) = refs[k];
                        if (!byName.ContainsKey(ln)) throw new FormatException($"Layer '{layer.Name}' of model '{name}' reads from an unknown layer '{ln}'.");
                        if (created.TryGetValue((ln, ni), out var outs)) xs[k] = outs[ti];
                        else ready = false;
                    }
                    if (!ready) break;
                    created[(layer.Name, next[i])] = layer.ApplyFromConfig(xs, listCall);
                    next[i]++;
                    progress = true;
                }
            }
        }
        for (int i = 0; i < layers.Count; i++)
            if (next[i] < layers[i].Nodes.Count)
                throw new FormatException($"Model '{name}': the inputs of layer '{layers[i].Layer.Name}' (node {next[i]}) are never computed; the config's graph is disconnected.");

        KerasTensor Resolve(ConfigNode h)
        {
            var items = h.Items();
            var ln = items[0].Element.GetString()!;
            int ni = items[1].Element.GetInt32(), ti = items[2].Element.GetInt32();
            return created.TryGetValue((ln, ni), out var outs) ? outs[ti]
                : throw new FormatException($"Model '{name}' names an unknown tensor [{ln}, {ni}, {ti}].");
        }
        var inputs = HistoryList(c.Required("input_layers")).Select(Resolve).ToList();
        var outputs = HistoryList(c.Required("output_layers")).Select(Resolve).ToList();
        var model = new Functional(inputs, outputs, name);
        return model;
    }

    private static IReadOnlyList<ConfigNode> HistoryList(ConfigNode n)
    {
        var items = n.Items();
        return items.Count > 0 && items[0].Element.ValueKind == JsonValueKind.String ? new[] { n } : items;
    }

    /// <summary>The tensors one saved node reads and whether the layer was called on a list.</summary>
    private static (List<(string, int, int)> Refs, bool ListCall) ParseNode(ConfigNode node, string layer)
    {
        var refs = new List<(string, int, int)>();
        if (node.Element.ValueKind == JsonValueKind.Object)
        {
            // Keras 3: {"args": [tensor or [tensors]], "kwargs": {}}
            var args = node.Required("args").Items();
            if (args.Count == 0) throw new FormatException($"A node of layer '{layer}' has no arguments.");
            bool list = args[0].Element.ValueKind == JsonValueKind.Array;
            foreach (var t in list ? args[0].Items() : new[] { args[0] })
            {
                var h = t.Required("config").Required("keras_history").Items();
                refs.Add((h[0].Element.GetString()!, h[1].Element.GetInt32(), h[2].Element.GetInt32()));
            }
            return (refs, list);
        }
        // Keras 2: [[name, node_index, tensor_index, kwargs], ...]
        foreach (var t in node.Items())
        {
            var h = t.Items();
            refs.Add((h[0].Element.GetString()!, h[1].Element.GetInt32(), h[2].Element.GetInt32()));
        }
        return (refs, refs.Count > 1);
    }

    /// <summary>Keras 3's InputLayer entry, which a saved Sequential lists first.</summary>
    private static Dictionary<string, object?> InputLayerEntry(int[] batchShape, string name) => new()
    {
        ["module"] = "keras.layers",
        ["class_name"] = "InputLayer",
        ["config"] = new Dictionary<string, object?>
        {
            ["batch_shape"] = KerasJson.Shape(batchShape), ["dtype"] = "float32", ["sparse"] = false, ["ragged"] = false, ["name"] = name,
        },
        ["registered_name"] = null,
    };
}
