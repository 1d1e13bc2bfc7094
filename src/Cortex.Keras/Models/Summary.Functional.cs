using System.Globalization;
using System.Text;
using Cortex.Keras.Layers;

namespace Cortex.Keras.Models;

/// <summary>
/// The functional-model side of Keras 2's <c>print_summary</c>. A functional model whose graph is a chain (one node
/// per depth, each with one input, no shared layer) prints the 65-column table, its input layer as the first row;
/// any other graph prints the 98-column table with a "Connected to" column (positions 0.33, 0.55, 0.67, 1.0), one
/// <c>layer[node][tensor]</c> entry per inbound tensor.
/// </summary>
internal static partial class Summary
{
    private const int WideLength = 98;
    private static readonly int[] WidePositions = { (int)(WideLength * 0.33), (int)(WideLength * 0.55), (int)(WideLength * 0.67), WideLength };

    /// <summary>Keras's test: a chain of single-input nodes without shared layers is summarised like a Sequential.</summary>
    internal static bool IsSequentialLike(Functional model)
    {
        foreach (var group in model.NodesByDepth)
            if (group.Count > 1 || (group.Count == 1 && group[0].InputTensors.Count > 1)) return false;
        foreach (var l in model.Layers)
            if (l.InboundNodes.Count(model.ContainsNode) > 1) return false;
        return true;
    }

    /// <summary>Keras 2's <c>layer.output_shape</c> as the summary prints it: <c>(None, 10)</c>, <c>[(None, 784)]</c> for an input layer, "multiple" when calls disagree.</summary>
    internal static string OutputShapeText(Layer l)
    {
        if (l.InboundNodes.Count == 0) return l.OutputShape is null ? "multiple" : TensorShape.Format(l.OutputShape);
        var texts = l.InboundNodes.Select(n =>
            n.OutputTensors.Count == 1 && l is not InputLayer
                ? TensorShape.Format(n.OutputTensors[0].Shape)
                : "[" + string.Join(", ", n.OutputTensors.Select(t => TensorShape.Format(t.Shape))) + "]").Distinct().ToList();
        return texts.Count == 1 ? texts[0] : "multiple";
    }

    private static string FormatWithConnections(Functional model)
    {
        var sb = new StringBuilder();
        string rule = new('_', WideLength), doubleRule = new('=', WideLength);
        sb.Append("Model: \"").Append(model.Name).AppendLine("\"");
        sb.AppendLine(rule);
        sb.AppendLine(WideRow("Layer (type)", "Output Shape", "Param #", "Connected to"));
        sb.AppendLine(doubleRule);
        var layers = model.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            var connections = new List<string>();
            foreach (var node in l.InboundNodes)
            {
                if (!model.ContainsNode(node)) continue;
                foreach (var t in node.InputTensors) connections.Add($"{t.Layer.Name}[{t.NodeIndex}][{t.TensorIndex}]");
            }
            sb.AppendLine(WideRow($"{l.Name} ({l.GetType().Name})", OutputShapeText(l),
                l.CountParams().ToString(CultureInfo.InvariantCulture), connections.Count > 0 ? connections[0] : ""));
            for (int c = 1; c < connections.Count; c++) sb.AppendLine(WideRow("", "", "", connections[c]));
            sb.AppendLine(i == layers.Count - 1 ? doubleRule : rule);
        }
        long trainable = model.TrainableWeights.Sum(w => (long)w.Value.Size);
        long total = model.Weights.Sum(w => (long)w.Value.Size);
        sb.Append("Total params: ").AppendLine(total.ToString("N0", CultureInfo.InvariantCulture));
        sb.Append("Trainable params: ").AppendLine(trainable.ToString("N0", CultureInfo.InvariantCulture));
        sb.Append("Non-trainable params: ").AppendLine((total - trainable).ToString("N0", CultureInfo.InvariantCulture));
        sb.Append(rule);
        return sb.ToString();
    }

    /// <summary>Keras 2's <c>print_row</c>: each field cut at its column's end, the character before the next field a space.</summary>
    private static string WideRow(params string[] fields)
    {
        var line = new StringBuilder();
        for (int i = 0; i < fields.Length; i++)
        {
            if (i > 0) line[^1] = ' ';
            line.Append(fields[i]);
            if (line.Length > WidePositions[i]) line.Length = WidePositions[i];
            line.Append(' ', WidePositions[i] - line.Length);
        }
        return line.ToString();
    }
}
