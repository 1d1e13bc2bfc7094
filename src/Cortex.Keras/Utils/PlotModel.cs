using System.Globalization;
using System.Net;
using System.Text;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Keras.Utils;

/// <summary>
/// Keras's <c>keras.utils.plot_model</c> and <c>model_to_dot</c>: a model's layer graph as Graphviz DOT text, or as an
/// SVG picture laid out here (layers in rows by depth, boxes labelled "name: ClassName", arrows for connections) —
/// no Graphviz needed.
/// </summary>
public static class ModelPlot
{
    private const int CharWidth = 7, LineHeight = 16, PadX = 12, PadY = 8, GapX = 24, GapY = 40, Margin = 16;

    /// <summary>
    /// Writes the plot of <paramref name="model"/> to <paramref name="toFile"/>: Graphviz DOT for a <c>.dot</c> (or
    /// <c>.gv</c>) file, SVG for a <c>.svg</c> file (atomically: a temporary file, then a rename).
    /// </summary>
    /// <param name="model">A Sequential or Functional model.</param>
    /// <param name="toFile">The output path; its extension picks the format.</param>
    /// <param name="showShapes">Whether to show each layer's input and output shapes.</param>
    /// <param name="showLayerNames">Whether to show layer names ("name: ClassName" rather than "ClassName").</param>
    /// <param name="rankdir">"TB" (top to bottom, the default) or "LR" (left to right).</param>
    /// <param name="expandNested">Whether to draw the layers of nested models instead of one box per nested model.</param>
    /// <param name="showLayerActivations">Whether to show the activation of layers that have one (Dense, convolutions, Activation).</param>
    public static void PlotModel(Model model, string toFile = "model.svg", bool showShapes = false, bool showLayerNames = true,
        string rankdir = "TB", bool expandNested = false, bool showLayerActivations = false)
    {
        ArgumentNullException.ThrowIfNull(toFile);
        var ext = Path.GetExtension(toFile).ToLowerInvariant();
        var graph = Build(model, showShapes, showLayerNames, rankdir, expandNested, showLayerActivations);
        string text = ext switch
        {
            ".dot" or ".gv" => graph.ToDot(),
            ".svg" => graph.ToSvg(),
            _ => throw new ArgumentException($"plot_model writes .dot and .svg files (no Graphviz here to render other formats). Received: to_file={toFile}", nameof(toFile)),
        };
        var full = Path.GetFullPath(toFile);
        var dir = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        var temp = full + ".tmp-" + Guid.NewGuid().ToString("N");
        try
        {
            File.WriteAllText(temp, text, new UTF8Encoding(false));
            File.Move(temp, full, overwrite: true);
        }
        finally { if (File.Exists(temp)) File.Delete(temp); }
    }

    /// <summary>The Graphviz DOT text of the model's layer graph (Keras's <c>model_to_dot</c>): one node per layer, one edge per connection.</summary>
    public static string ModelToDot(Model model, bool showShapes = false, bool showLayerNames = true, string rankdir = "TB",
        bool expandNested = false, bool showLayerActivations = false)
        => Build(model, showShapes, showLayerNames, rankdir, expandNested, showLayerActivations).ToDot();

    /// <summary>The SVG picture of the model's layer graph, laid out by depth.</summary>
    public static string ModelToSvg(Model model, bool showShapes = false, bool showLayerNames = true, string rankdir = "TB",
        bool expandNested = false, bool showLayerActivations = false)
        => Build(model, showShapes, showLayerNames, rankdir, expandNested, showLayerActivations).ToSvg();

    private static PlotGraph Build(Model model, bool showShapes, bool showLayerNames, string rankdir, bool expandNested, bool showActivations)
    {
        ArgumentNullException.ThrowIfNull(model);
        var dir = (rankdir ?? "TB").ToUpperInvariant();
        if (dir != "TB" && dir != "LR")
            throw new ArgumentException($"rankdir must be \"TB\" or \"LR\". Received: rankdir={rankdir}", nameof(rankdir));
        var g = new PlotGraph(model.Name, dir);
        var b = new Builder(g, showShapes, showLayerNames, expandNested, showActivations);
        b.AddModel(model, null);
        return g;
    }

    /// <summary>Walks a model (and, when expanding, its nested models) into plot nodes and edges.</summary>
    private sealed class Builder(PlotGraph g, bool showShapes, bool showNames, bool expandNested, bool showActivations)
    {
        /// <summary>Adds the model's layers; returns the node ids that feed its inputs and those that give its outputs.</summary>
        public (List<int> Entries, List<int> Exits) AddModel(Model model, string? cluster)
        {
            if (model is Sequential seq)
            {
                var layers = seq.Layers;
                if (layers.Count == 0) return (new List<int>(), new List<int>());
                var first = layers[0];
                int input = g.AddNode(Label($"{first.Name}_input", "InputLayer", null, first.InputShape ?? first.BatchInputShape, first.InputShape ?? first.BatchInputShape), cluster);
                int previous = input;
                foreach (var layer in layers)
                {
                    var (entry, exit) = AddLayer(layer, cluster, layer.InputShape, layer.OutputShape);
                    g.AddEdge(previous, entry[0]);
                    previous = exit[0];
                }
                return (new List<int> { input }, new List<int> { previous });
            }
            if (model is not Functional f)
                throw new ArgumentException($"plot_model draws Sequential and Functional models; model \"{model.Name}\" is a {model.GetType().Name}.");
            var ids = new Dictionary<Layer, (List<int> Entries, List<int> Exits)>();
            foreach (var layer in f.Layers)
            {
                var node = layer.InboundNodes.FirstOrDefault(f.ContainsNode);
                int[]? inShape = node is null || node.IsInput ? node?.OutputTensors[0].Shape : node.InputTensors.Count == 1 ? node.InputTensors[0].Shape : null;
                int[]? outShape = node is { OutputTensors.Count: 1 } ? node.OutputTensors[0].Shape : null;
                ids[layer] = AddLayer(layer, cluster, inShape, outShape);
            }
            foreach (var layer in f.Layers)
                foreach (var node in layer.InboundNodes.Where(f.ContainsNode))
                    for (int i = 0; i < node.InputTensors.Count; i++)
                    {
                        var t = node.InputTensors[i];
                        var exits = ids[t.Layer].Exits;
                        var entries = ids[layer].Entries;
                        g.AddEdge(exits[Math.Min(t.TensorIndex, exits.Count - 1)], entries[Math.Min(i, entries.Count - 1)]);
                    }
            return (f.Inputs.Select(t => ids[t.Layer].Entries[0]).ToList(), f.Outputs.Select(t => ids[t.Layer].Exits[Math.Min(t.TensorIndex, ids[t.Layer].Exits.Count - 1)]).ToList());
        }

        private (List<int> Entries, List<int> Exits) AddLayer(Layer layer, string? cluster, int[]? inShape, int[]? outShape)
        {
            if (expandNested && layer is Model nested) return AddModel(nested, nested.Name);
            string? activation = showActivations ? layer switch
            {
                Dense d => d.ActivationName, BaseConv c => c.ActivationName, Activation a => a.ActivationName, _ => null,
            } : null;
            int id = g.AddNode(Label(layer.Name, layer.GetType().Name, activation, inShape, outShape), cluster);
            return (new List<int> { id }, new List<int> { id });
        }

        private List<string> Label(string name, string type, string? activation, int[]? inShape, int[]? outShape)
        {
            var lines = new List<string> { (showNames ? $"{name}: {type}" : type) + (activation is null ? "" : $" ({activation})") };
            if (showShapes)
            {
                lines.Add($"input: {(inShape is null ? "multiple" : TensorShape.Format(inShape))}");
                lines.Add($"output: {(outShape is null ? "multiple" : TensorShape.Format(outShape))}");
            }
            return lines;
        }
    }

    private sealed record PlotNode(int Id, List<string> Lines, string? Cluster);

    /// <summary>Plot nodes and edges, rendered as DOT or as an SVG with a layered layout.</summary>
    private sealed class PlotGraph(string name, string rankdir)
    {
        public List<PlotNode> Nodes { get; } = new();
        public List<(int From, int To)> Edges { get; } = new();

        public int AddNode(List<string> lines, string? cluster) { Nodes.Add(new PlotNode(Nodes.Count, lines, cluster)); return Nodes.Count - 1; }

        public void AddEdge(int from, int to) { if (!Edges.Contains((from, to))) Edges.Add((from, to)); }

        public string ToDot()
        {
            var sb = new StringBuilder();
            sb.Append("digraph \"").Append(DotEscape(name)).AppendLine("\" {");
            sb.Append("  graph [rankdir=").Append(rankdir).AppendLine("];");
            sb.AppendLine("  node [shape=record, fontname=\"Helvetica\"];");
            void Node(PlotNode n, string indent) =>
                sb.Append(indent).Append('n').Append(n.Id).Append(" [label=\"").Append(string.Join(" | ", n.Lines.Select(RecordEscape))).AppendLine("\"];");
            foreach (var n in Nodes.Where(n => n.Cluster is null)) Node(n, "  ");
            int c = 0;
            foreach (var group in Nodes.Where(n => n.Cluster is not null).GroupBy(n => n.Cluster!))
            {
                sb.Append("  subgraph cluster_").Append(c++).AppendLine(" {");
                sb.Append("    label=\"").Append(DotEscape(group.Key)).AppendLine("\";");
                foreach (var n in group) Node(n, "    ");
                sb.AppendLine("  }");
            }
            foreach (var (from, to) in Edges) sb.Append("  n").Append(from).Append(" -> n").Append(to).AppendLine(";");
            sb.AppendLine("}");
            return sb.ToString();
        }

        public string ToSvg()
        {
            // Rank of a node: the longest path from a source (edges always go from earlier layers to later ones).
            var rank = new int[Nodes.Count];
            var incoming = Nodes.ToDictionary(n => n.Id, _ => new List<int>());
            foreach (var (from, to) in Edges) incoming[to].Add(from);
            var order = TopologicalOrder(incoming);
            foreach (var id in order) rank[id] = incoming[id].Count == 0 ? 0 : incoming[id].Max(p => rank[p] + 1);
            var ranks = order.GroupBy(id => rank[id]).OrderBy(r => r.Key).Select(r => r.ToList()).ToList();

            var size = Nodes.Select(n => (W: n.Lines.Max(l => l.Length) * CharWidth + 2 * PadX, H: n.Lines.Count * LineHeight + 2 * PadY)).ToArray();
            var pos = new (double X, double Y)[Nodes.Count];
            bool tb = rankdir == "TB";
            // Along the rank axis each rank takes its biggest box; across, the boxes are centred.
            double along = Margin;
            var extents = ranks.Select(r => r.Sum(id => tb ? size[id].W : size[id].H) + GapX * (r.Count - 1)).ToList();
            double across = extents.Count == 0 ? 0 : extents.Max();
            for (int ri = 0; ri < ranks.Count; ri++)
            {
                double thickness = ranks[ri].Max(id => tb ? size[id].H : size[id].W);
                double offset = Margin + (across - extents[ri]) / 2;
                foreach (var id in ranks[ri])
                {
                    pos[id] = tb ? (offset, along + (thickness - size[id].H) / 2) : (along + (thickness - size[id].W) / 2, offset);
                    offset += (tb ? size[id].W : size[id].H) + GapX;
                }
                along += thickness + GapY;
            }
            double width = tb ? across + 2 * Margin : along - GapY + Margin;
            double height = tb ? along - GapY + Margin : across + 2 * Margin;

            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width:0}\" height=\"{height:0}\" viewBox=\"0 0 {width:0} {height:0}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n");
            sb.Append("  <title>").Append(WebUtility.HtmlEncode(name)).Append("</title>\n");
            sb.Append("  <defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"8\" markerHeight=\"8\" orient=\"auto-start-reverse\"><path d=\"M 0 0 L 10 5 L 0 10 z\" fill=\"#333\"/></marker></defs>\n");
            foreach (var (from, to) in Edges)
            {
                var (x1, y1) = tb ? (pos[from].X + size[from].W / 2.0, pos[from].Y + size[from].H) : (pos[from].X + size[from].W, pos[from].Y + size[from].H / 2.0);
                var (x2, y2) = tb ? (pos[to].X + size[to].W / 2.0, pos[to].Y) : (pos[to].X, pos[to].Y + size[to].H / 2.0);
                sb.Append(CultureInfo.InvariantCulture, $"  <line class=\"edge\" x1=\"{x1:0.#}\" y1=\"{y1:0.#}\" x2=\"{x2:0.#}\" y2=\"{y2:0.#}\" stroke=\"#333\" marker-end=\"url(#arrow)\"/>\n");
            }
            foreach (var n in Nodes)
            {
                var (x, y) = pos[n.Id];
                sb.Append(CultureInfo.InvariantCulture, $"  <g class=\"layer\"><rect x=\"{x:0.#}\" y=\"{y:0.#}\" width=\"{size[n.Id].W}\" height=\"{size[n.Id].H}\" rx=\"4\" fill=\"#f4f6fb\" stroke=\"#3b4a6b\"/>");
                for (int i = 0; i < n.Lines.Count; i++)
                    sb.Append(CultureInfo.InvariantCulture, $"<text x=\"{x + size[n.Id].W / 2.0:0.#}\" y=\"{y + PadY + (i + 0.75) * LineHeight:0.#}\" text-anchor=\"middle\">{WebUtility.HtmlEncode(n.Lines[i])}</text>");
                sb.Append("</g>\n");
            }
            sb.Append("</svg>\n");
            return sb.ToString();
        }

        private List<int> TopologicalOrder(Dictionary<int, List<int>> incoming)
        {
            var remaining = incoming.ToDictionary(kv => kv.Key, kv => kv.Value.Count);
            var outgoing = Nodes.ToDictionary(n => n.Id, _ => new List<int>());
            foreach (var (from, to) in Edges) outgoing[from].Add(to);
            var queue = new Queue<int>(Nodes.Where(n => remaining[n.Id] == 0).Select(n => n.Id));
            var order = new List<int>();
            while (queue.Count > 0)
            {
                int id = queue.Dequeue();
                order.Add(id);
                foreach (var next in outgoing[id]) if (--remaining[next] == 0) queue.Enqueue(next);
            }
            // A layer shared at several depths can close a cycle among the boxes: those go last.
            order.AddRange(Nodes.Select(n => n.Id).Where(id => remaining[id] > 0));
            return order;
        }

        private static string DotEscape(string s) => s.Replace("\\", "\\\\").Replace("\"", "\\\"");

        // Record labels also treat | { } < > as structure.
        private static string RecordEscape(string s)
        {
            var sb = new StringBuilder();
            foreach (var ch in DotEscape(s)) { if ("|{}<>".Contains(ch)) sb.Append('\\'); sb.Append(ch); }
            return sb.ToString();
        }
    }
}
