using System.Text.RegularExpressions;
using System.Xml.Linq;
using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Utils;

namespace Cortex.Tests.Keras;

[Collection(nameof(GlobalRandomCollection))]
public class PlotModelTests
{
    private static Cortex.Keras.Models.Functional Branchy()
    {
        var a = new Input(new[] { 8 }, name: "a");
        var b = new Input(new[] { 8 }, name: "b");
        var d1 = new Dense(4, activation: "relu", name: "d1").Apply(a);
        var d2 = new Dense(4, name: "d2").Apply(b);
        var sum = new Add(name: "sum").Apply(d1, d2);
        var cat = new Concatenate(name: "cat").Apply(sum, d1);
        return new Cortex.Keras.Models.Functional(new KerasTensor[] { a, b }, new Dense(2, name: "out").Apply(cat), name: "branchy");
    }

    [Fact]
    public void DotHasANodePerLayerAndAnEdgePerConnection()
    {
        var dot = ModelPlot.ModelToDot(Branchy(), showShapes: true, showLayerActivations: true);
        Assert.StartsWith("digraph \"branchy\" {", dot);
        var labels = Regex.Matches(dot, @"n(\d+) \[label=""([^""]*)""\]").Select(m => m.Groups[2].Value).ToList();
        Assert.Equal(7, labels.Count); // a, b, d1, d2, sum, cat, out
        Assert.Contains(labels, l => l.StartsWith("d1: Dense (relu) | input: (None, 8) | output: (None, 4)"));
        Assert.Contains(labels, l => l.StartsWith("a: InputLayer"));
        // a→d1, b→d2, d1→sum, d2→sum, sum→cat, d1→cat, cat→out
        Assert.Equal(7, Regex.Matches(dot, @"n\d+ -> n\d+;").Count);
        Assert.Contains("rankdir=TB", dot);
    }

    [Fact]
    public void SvgIsWellFormedWithOneBoxPerLayer()
    {
        var svg = ModelPlot.ModelToSvg(Branchy(), showShapes: true, rankdir: "LR");
        var doc = XDocument.Parse(svg);
        XNamespace ns = "http://www.w3.org/2000/svg";
        Assert.Equal(7, doc.Descendants(ns + "rect").Count());
        Assert.Equal(7, doc.Descendants(ns + "line").Count());
        Assert.Contains(doc.Descendants(ns + "text"), t => t.Value == "sum: Add");
    }

    [Fact]
    public void SequentialAndNestedModels()
    {
        var inner = new Sequential(new Layer[] { new Dense(3, inputShape: new[] { 4 }, name: "inner_dense"), new Dropout(0.1f, name: "inner_drop") }, name: "inner");
        var x = new Input(new[] { 4 }, name: "x");
        var model = new Cortex.Keras.Models.Functional(x, new Dense(1, name: "head").Apply(inner.Apply(x)));
        var collapsed = ModelPlot.ModelToDot(model, showLayerNames: false);
        Assert.Equal(3, Regex.Matches(collapsed, @"\[label=").Count); // x, inner, head
        Assert.Contains("label=\"Sequential\"", collapsed);
        var expanded = ModelPlot.ModelToDot(model, expandNested: true);
        Assert.Contains("subgraph cluster_0", expanded);
        Assert.Equal(5, Regex.Matches(expanded, @"\[label=").Count); // x, inner_dense_input, inner_dense, inner_drop, head
        Assert.Equal(4, Regex.Matches(expanded, @" -> ").Count);
        var seq = ModelPlot.ModelToDot(inner, showShapes: true);
        Assert.Contains("inner_dense_input: InputLayer", seq);
        Assert.Equal(2, Regex.Matches(seq, @" -> ").Count);
    }

    [Fact]
    public void PlotModelWritesByExtensionAndRejectsOthers()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cortex-plot-" + Guid.NewGuid().ToString("N"));
        try
        {
            var model = Branchy();
            ModelPlot.PlotModel(model, Path.Combine(dir, "m.svg"));
            ModelPlot.PlotModel(model, Path.Combine(dir, "m.dot"));
            XDocument.Load(Path.Combine(dir, "m.svg"));
            Assert.StartsWith("digraph", File.ReadAllText(Path.Combine(dir, "m.dot")));
            Assert.Equal(2, Directory.GetFiles(dir).Length);
            Assert.Contains("to_file=m.png", Assert.Throws<ArgumentException>(() => ModelPlot.PlotModel(model, "m.png")).Message);
            Assert.Contains("rankdir=BT", Assert.Throws<ArgumentException>(() => ModelPlot.ModelToDot(model, rankdir: "BT")).Message);
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }
}
