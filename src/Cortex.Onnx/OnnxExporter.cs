using System.Reflection;
using Cortex.Keras;
using Cortex.Keras.Models;
using Cortex.Onnx.Proto;

namespace Cortex.Onnx;

/// <summary>
/// Exports a trained <see cref="Sequential"/> or <see cref="Functional"/> model (nested models inlined) to an ONNX
/// model for inference, as tf2onnx / keras2onnx do for Keras: float32 inputs and outputs in Keras's layout, named after
/// the model's input and output layers, with a symbolic batch dimension "N".
/// </summary>
/// <remarks>
/// <para>Each layer is converted by the converter registered for its type (<see cref="OnnxConverters"/>); a layer
/// without one fails with an error naming it and its type. Dropout and noise layers vanish (inference).</para>
/// <para>Layout: values keep Keras's channels-last order; the channels-first operators (Conv, pooling,
/// BatchNormalization, Resize) get a Transpose to NCHW in front, made once per value, and their results stay NCHW
/// until a layer needs the Keras order (Flatten, Reshape, Dense, outputs), so a conv block costs one Transpose in and
/// one out.</para>
/// </remarks>
public static class OnnxExporter
{
    /// <summary>The opset written by default.</summary>
    public const int DefaultOpset = 13;
    /// <summary>The lowest opset the converters target (Softmax on one axis, Pad/Slice/Clip with tensor inputs).</summary>
    public const int MinOpset = 13;
    /// <summary>The highest opset accepted.</summary>
    public const int MaxOpset = 21;

    /// <summary>Writes <paramref name="model"/> to the ONNX file <paramref name="path"/> (atomically: a temporary file, then a rename).</summary>
    public static void Export(Model model, string path, int opset = DefaultOpset)
    {
        ArgumentNullException.ThrowIfNull(path);
        var proto = ToOnnxModel(model, opset);
        var full = Path.GetFullPath(path);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
                proto.WriteTo(stream);
            File.Move(temp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>Writes <paramref name="model"/> as ONNX to <paramref name="stream"/>.</summary>
    public static void Export(Model model, Stream stream, int opset = DefaultOpset)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ToOnnxModel(model, opset).WriteTo(stream);
    }

    /// <summary>The ONNX encoding of <paramref name="model"/> (what an .onnx file holds).</summary>
    public static byte[] ToBytes(Model model, int opset = DefaultOpset) => ToOnnxModel(model, opset).ToByteArray();

    /// <summary>Converts <paramref name="model"/> to the ONNX object model, to inspect or write.</summary>
    /// <exception cref="NotSupportedException">A layer (or a layer's configuration) has no ONNX mapping; the message names it.</exception>
    public static OnnxModelProto ToOnnxModel(Model model, int opset = DefaultOpset)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (opset < MinOpset || opset > MaxOpset)
            throw new ArgumentOutOfRangeException(nameof(opset), $"ONNX export supports opsets {MinOpset} to {MaxOpset}. Received: opset={opset}");

        var (inputNames, inputShapes) = Inputs(model);
        var outputNames = OutputNames(model);
        var graph = new OnnxGraphProto { Name = model.Name };
        var ctx = new OnnxConversionContext(opset, graph, inputNames.Concat(outputNames));
        var inputs = new List<OnnxValue>();
        for (int i = 0; i < inputNames.Count; i++)
        {
            graph.Inputs.Add(new OnnxValueInfoProto(inputNames[i], OnnxDataType.Float, Dims(inputShapes[i], inputNames[i])));
            inputs.Add(ctx.Value(inputNames[i], inputShapes[i], OnnxLayout.Keras));
        }
        var outputs = ctx.ConvertModel(model, inputs);
        var renamed = new Dictionary<string, string>();
        for (int i = 0; i < outputs.Count; i++)
        {
            var source = ctx.Get(outputs[i], OnnxLayout.Keras);
            Rename(graph, renamed.GetValueOrDefault(source, source), outputNames[i], inputNames);
            renamed.TryAdd(source, outputNames[i]);
            graph.Outputs.Add(new OnnxValueInfoProto(outputNames[i], OnnxDataType.Float, Dims(outputs[i].Shape, outputNames[i])));
        }

        var result = new OnnxModelProto
        {
            IrVersion = IrVersionFor(opset),
            ProducerName = "Cortex",
            ProducerVersion = typeof(OnnxExporter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "",
            DocString = $"Exported from the Cortex model \"{model.Name}\".",
            Graph = graph,
        };
        result.OpsetImports.Add(("", opset));
        return result;
    }

    /// <summary>The ONNX IR version that goes with an opset (IR 7 for opsets 13–14, 8 to 18, 9 to 20, 10 for 21).</summary>
    public static long IrVersionFor(int opset) => opset <= 14 ? 7 : opset <= 18 ? 8 : opset <= 20 ? 9 : 10;

    private static (List<string> Names, List<int[]> Shapes) Inputs(Model model)
    {
        switch (model)
        {
            case Functional f:
                return (f.Inputs.Select(t => t.Layer.Name).ToList(), f.Inputs.Select(t => t.Shape).ToList());
            case Sequential s:
            {
                if (s.Layers.Count == 0) throw new ArgumentException($"Sequential model \"{model.Name}\" has no layers to export.");
                var first = s.Layers[0];
                var shape = first.InputShape ?? first.BatchInputShape
                    ?? throw new InvalidOperationException($"Model \"{model.Name}\" is not built, so its input shape is unknown: give the first layer an input shape, or build or fit the model before exporting it.");
                return (new List<string> { $"{first.Name}_input" }, new List<int[]> { shape });
            }
            default:
                throw new NotSupportedException($"Model \"{model.Name}\" of type {model.GetType().Name} cannot be exported to ONNX: only Sequential and Functional models are.");
        }
    }

    private static List<string> OutputNames(Model model)
    {
        var names = model switch
        {
            Functional f => f.Outputs.Select(t => t.Layer.InboundNodes[t.NodeIndex].OutputTensors.Count > 1 ? $"{t.Layer.Name}_{t.TensorIndex}" : t.Layer.Name).ToList(),
            Sequential s => new List<string> { s.Layers[^1].Name },
            _ => new List<string>(),
        };
        // The same tensor twice, or a layer called twice, still needs distinct output names.
        var seen = new HashSet<string>();
        for (int i = 0; i < names.Count; i++)
        {
            var n = names[i];
            for (int k = 1; !seen.Add(n); k++) n = $"{names[i]}_{k}";
            names[i] = n;
        }
        return names;
    }

    private static IEnumerable<OnnxDimension> Dims(int[] shape, string valueName)
        => shape.Select((d, i) => d >= 0 ? OnnxDimension.Fixed(d) : OnnxDimension.Symbolic(i == 0 ? "N" : $"{valueName}_dim{i}"));

    /// <summary>
    /// Makes <paramref name="source"/> available as graph output <paramref name="target"/>: renames the node output
    /// that produces it (and its uses), or adds an Identity when it is a graph input, a constant or already an output.
    /// </summary>
    private static void Rename(OnnxGraphProto graph, string source, string target, IReadOnlyList<string> inputNames)
    {
        var producer = graph.Nodes.FirstOrDefault(n => n.Outputs.Contains(source));
        bool isOutputAlready = graph.Outputs.Any(o => o.Name == source);
        if (producer is null || isOutputAlready || inputNames.Contains(source))
        {
            graph.Nodes.Add(new OnnxNodeProto("Identity", $"{target}/Identity", new[] { source }, new[] { target }));
            return;
        }
        foreach (var node in graph.Nodes)
        {
            for (int i = 0; i < node.Inputs.Count; i++) if (node.Inputs[i] == source) node.Inputs[i] = target;
            for (int i = 0; i < node.Outputs.Count; i++) if (node.Outputs[i] == source) node.Outputs[i] = target;
        }
    }
}
