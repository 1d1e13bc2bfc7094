using Cortex.Autodiff;
using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Tests.Keras;

namespace Cortex.Tests.Functional;

using Functional = Cortex.Keras.Models.Functional;

[Collection(nameof(GlobalRandomCollection))]
public class FunctionalModelTests
{
    private static Tensor Random(int seed, params int[] shape) => new RandomGenerator(seed).Normal(shape);

    private static void AssertClose(Tensor expected, Tensor actual, float tol = 1e-5f)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray(); var a = actual.ToArray();
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - a[i]) <= tol * (1 + Math.Abs(e[i])), $"element {i}: expected {e[i]}, got {a[i]}");
    }

    [Fact]
    public void FunctionalMlpEqualsTheSameSequential()
    {
        var seq = new Sequential(new Dense(8, activation: "relu", inputShape: new[] { 4 }), new Dense(3, activation: "softmax"));
        var inputs = new Input(new[] { 4 });
        var d1 = new Dense(8, activation: "relu");
        var d2 = new Dense(3, activation: "softmax");
        var model = new Functional(inputs, d2.Apply(d1.Apply(inputs)));
        Assert.Equal(seq.Weights.Count, model.Weights.Count);
        for (int i = 0; i < seq.Weights.Count; i++) model.Weights[i].Assign(seq.Weights[i].Value);

        var x = Random(1, 6, 4);
        AssertClose(seq.Predict(x), model.Predict(x));

        var y = Tensor.FromArray(new float[] { 1, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 0, 1 }, 6, 3);
        Tensor[] Grads(Model m)
        {
            using var tape = GradientTape.Begin();
            var loss = Cortex.Keras.Losses.Loss.Get("categorical_crossentropy").Call(y, m.Call(x, training: true));
            return tape.Gradient(loss, m.TrainableWeights.Select(w => w.Value).ToArray()).Select(g => g.Detach()).ToArray();
        }
        var gs = Grads(seq); var gf = Grads(model);
        for (int i = 0; i < gs.Length; i++) AssertClose(gs[i], gf[i]);
        Assert.True(gs[0].ToArray().Any(v => v != 0f));
    }

    [Fact]
    public void TwoInputTwoOutputModelPredicts()
    {
        var a = new Input(new[] { 3 }, name: "a");
        var b = new Input(new[] { 2 }, name: "b");
        var h = new Dense(4, activation: "tanh", name: "h").Apply(new Concatenate(name: "cat").Apply(a, b));
        var o1 = new Dense(1, name: "o1").Apply(h);
        var o2 = new Dense(2, activation: "softmax", name: "o2").Apply(h);
        var model = new Functional(new[] { a, b }, new[] { o1, o2 });
        Assert.Equal(new[] { "a", "b", "cat", "h", "o1", "o2" }, model.Layers.Select(l => l.Name));
        Assert.Equal(new[] { -1, 1 }, model.Outputs[0].Shape);

        var xa = Random(2, 5, 3); var xb = Random(3, 5, 2);
        var outs = model.Predict(new[] { xa, xb }, batchSize: 2);
        Assert.Equal(2, outs.Length);
        Assert.Equal(new[] { 5, 1 }, outs[0].Shape);
        Assert.Equal(new[] { 5, 2 }, outs[1].Shape);
        var full = model.CallOutputs(new[] { xa, xb }, training: false);
        AssertClose(full[0], outs[0]);
        AssertClose(full[1], outs[1]);
        // By hand: o1 = tanh([xa xb]·Wh + bh)·W1 + b1.
        var hv = Ops.Tanh(Ops.Add(Ops.MatMul(Ops.Concat(new[] { xa, xb }), ((Dense)model.GetLayer("h")).Kernel.Value), ((Dense)model.GetLayer("h")).Bias!.Value));
        var dense1 = (Dense)model.GetLayer("o1");
        AssertClose(Ops.Add(Ops.MatMul(hv, dense1.Kernel.Value), dense1.Bias!.Value), outs[0]);

        var err = Assert.Throws<ArgumentException>(() => model.Predict(xa));
        Assert.Contains("expects 2 input(s), but it received 1", err.Message);
    }

    [Fact]
    public void SharedLayerHasOneWeightSetAndTwoNodes()
    {
        var a = new Input(new[] { 3 });
        var b = new Input(new[] { 3 });
        var shared = new Dense(2, name: "shared");
        var ya = shared.Apply(a);
        var yb = shared.Apply(b);
        var model = new Functional(new[] { a, b }, new Subtract().Apply(ya, yb));
        Assert.Equal(2, shared.InboundNodes.Count);
        Assert.Equal((0, 0), (ya.NodeIndex, ya.TensorIndex)); Assert.Same(shared, yb.Layer); Assert.Equal((1, 0), (yb.NodeIndex, yb.TensorIndex));
        Assert.Single(model.Layers, l => l == shared);
        Assert.Equal(2, model.Weights.Count);
        Assert.Equal(3 * 2 + 2, model.CountParams());

        var xa = Random(4, 4, 3); var xb = Random(5, 4, 3);
        var expected = Ops.Subtract(shared.Call(xa, false), shared.Call(xb, false));
        AssertClose(expected, model.Predict(new[] { xa, xb })[0]);
        // The summary lists both calls; a cut at one call alone is a chain again.
        var lines = model.Summary(_ => { }).Split('\n');
        Assert.StartsWith("shared (Dense)                  (None, 2)            8           " + a.Layer.Name + "[0][0]", lines.Single(l => l.StartsWith("shared ")));
        Assert.Contains(lines, l => l.Trim() == b.Layer.Name + "[0][0]");
        Assert.Contains(lines, l => l.Contains("shared[0][0]"));
        Assert.Contains(lines, l => l.Trim() == "shared[1][0]");
        Assert.DoesNotContain("Connected to", new Functional(a, shared.GetOutputAt(0)).Summary(_ => { }));
    }

    [Fact]
    public void ModelsCanBeCalledAsLayers()
    {
        var innerIn = new Input(new[] { 4 });
        var inner = new Functional(innerIn, new Dense(3, activation: "relu", name: "inner_dense").Apply(innerIn), name: "inner");
        var seq = new Sequential(new Dense(5, inputShape: new[] { 3 }, name: "seq_dense"));

        var x = new Input(new[] { 4 });
        var h = inner.Apply(x);
        var head = new Dense(2, name: "head");
        var outer = new Functional(x, head.Apply(seq.Apply(h)), name: "outer");
        Assert.Equal(new[] { -1, 2 }, outer.Output.Shape);
        Assert.Equal(inner.CountParams() + seq.CountParams() + head.CountParams(), outer.CountParams());
        Assert.Contains(inner, outer.Layers);
        Assert.Equal(1, h.NodeIndex);   // node 0 is the inner model's own graph, as in Keras

        var data = Random(6, 5, 4);
        var expected = head.Call(seq.Call(inner.Call(data, false), false), false);
        AssertClose(expected, outer.Predict(data));

        // Training the outer model trains the nested ones.
        var before = inner.Weights[0].ToArray();
        outer.Compile("sgd", "mse");
        outer.Fit(data, Random(7, 5, 2), epochs: 1, verbose: 0);
        Assert.NotEqual(before, inner.Weights[0].ToArray());

        var text = outer.Summary(_ => { });
        Assert.Contains("inner (Functional)           (None, 3)                 15", text);
        Assert.Contains("sequential", text.Replace(seq.Name, "sequential"));
    }

    [Fact]
    public void CuttingAtANamedLayerSharesTheWeights()
    {
        var x = new Input(new[] { 4 });
        var hidden = new Dense(6, activation: "relu", name: "hidden");
        var model = new Functional(x, new Dense(2, name: "top").Apply(hidden.Apply(x)));
        var features = new Functional(model.Inputs, model.GetLayer("hidden").Output);
        Assert.Equal(new[] { model.Inputs[0].Layer.Name, "hidden" }, features.Layers.Select(l => l.Name));
        Assert.Same(hidden.Kernel, features.Weights[0]);

        var data = Random(8, 3, 4);
        AssertClose(Ops.Relu(Ops.Add(Ops.MatMul(data, hidden.Kernel.Value), hidden.Bias!.Value)), features.Predict(data));
        hidden.Kernel.Assign(Tensor.Zeros(4, 6));
        hidden.Bias!.Assign(Tensor.Ones(6));
        AssertClose(Tensor.Ones(3, 6), features.Predict(data));
    }

    [Fact]
    public void FitLowersTheLossOfAFunctionalModel()
    {
        RandomGenerator.SetGlobalSeed(11);
        var (x, y) = ModelTests.Blobs(200, 3);
        var inputs = new Input(new[] { 3 });
        var h1 = new Dense(16, activation: "relu").Apply(inputs);
        var h2 = new Dense(16, activation: "relu").Apply(inputs);
        var outputs = new Dense(3, activation: "softmax").Apply(new Concatenate().Apply(h1, h2));
        var model = new Functional(inputs, outputs);
        model.Compile("adam", "categorical_crossentropy", new[] { "accuracy" });
        float before = model.Evaluate(x, y, verbose: 0)["loss"];
        var history = model.Fit(x, y, batchSize: 16, epochs: 10, verbose: 0);
        float after = model.Evaluate(x, y, verbose: 0)["loss"];
        Assert.True(after < 0.6f * before, $"loss {before} -> {after}");
        Assert.True(history.HistoryData["accuracy"][^1] > 0.85f);
    }

    [Fact]
    public void GetLayerWithAnUnknownNameListsTheNames()
    {
        var x = new Input(new[] { 2 }, name: "x");
        var model = new Functional(x, new Dense(1, name: "d").Apply(x));
        var err = Assert.Throws<ArgumentException>(() => model.GetLayer("dense_99"));
        Assert.StartsWith("No such layer: dense_99. Existing layers are: ['x', 'd'].", err.Message);
        Assert.Same(model.Layers[1], model.GetLayer("d"));
    }

    [Fact]
    public void AnOutputNotReachableFromTheInputsIsAGraphDisconnectedError()
    {
        var a = new Input(new[] { 2 }, name: "a");
        var b = new Input(new[] { 2 }, name: "b");
        var y = new Add(name: "plus").Apply(new Dense(2, name: "da").Apply(a), b);
        var err = Assert.Throws<ArgumentException>(() => new Functional(a, y));
        Assert.StartsWith("Graph disconnected: cannot obtain value for tensor <KerasTensor shape=(None, 2), created by layer 'b'> at layer \"plus\".", err.Message);
        Assert.Contains("accessed without issue: ['da']", err.Message);

        var notInput = new Dense(2).Apply(a);
        Assert.Contains("must come from `Input`", Assert.Throws<ArgumentException>(() => new Functional(notInput, y)).Message);
    }

    [Fact]
    public void ShapeMismatchesNameTheLayerAndBothShapes()
    {
        var x = new Input(new[] { 4 });
        var d = new Dense(3, name: "d3");
        d.Apply(x);
        var other = new Input(new[] { 5 });
        var err = Assert.Throws<ArgumentException>(() => d.Apply(other));
        Assert.Equal("Input 0 of layer \"d3\" is incompatible with the layer: expected shape=(None, 4), found shape=(None, 5)", err.Message);

        var model = new Functional(x, d.Output, name: "m");
        var e2 = Assert.Throws<ArgumentException>(() => model.Predict(Tensor.Zeros(2, 5)));
        Assert.Contains("layer \"m\"", e2.Message);
        Assert.Contains("expected shape=(None, 4), found shape=(2, 5)", e2.Message);

        var e3 = Assert.Throws<ArgumentException>(() => new Dense(2, name: "dd").Apply(x, other));
        Assert.Equal("Layer \"dd\" expects 1 input(s), but it received 2 input tensors.", e3.Message);
        Assert.Contains("The name \"d3\" is used 2 times", Assert.Throws<ArgumentException>(() =>
            new Functional(x, new Dense(1, name: "d3").Apply(d.Output))).Message);
    }

    [Fact]
    public void InputsHaveKerasNamesAndShapes()
    {
        Layer.ResetNames();
        var a = new Input(new[] { 28, 28 });
        var b = new Input(new[] { 3 }, batchSize: 8);
        Assert.Equal("input_1", a.Layer.Name);
        Assert.Equal("input_2", b.Layer.Name);
        Assert.Equal(new[] { -1, 28, 28 }, a.Shape);
        Assert.Equal(new[] { 8, 3 }, b.Shape);
        Assert.Same(a, a.Layer.Output);
        Assert.Equal(new[] { 8, 5 }, new Dense(5).Apply(b).Shape);
        Assert.Equal("model", new Functional(b, new Dense(1).Apply(b)).Name);
        Assert.Throws<ArgumentException>(() => new Input(new[] { 3 }, batchSize: 0));
        Assert.Contains("has never been called", Assert.Throws<InvalidOperationException>(() => new Dense(1).Output).Message);
    }

    [Fact]
    public void LayersAreListedInKerasOrder()
    {
        // Keras orders by depth from the outputs (deepest first), ties by first visit from the outputs.
        var x = new Input(new[] { 4 }, name: "x");
        var left = new Dense(3, name: "left").Apply(x);
        var right = new Dense(3, name: "right").Apply(new Dense(3, name: "pre").Apply(x));
        var y = new Dense(1, name: "y").Apply(new Multiply(name: "mul").Apply(left, right));
        var model = new Functional(x, y);
        Assert.Equal(new[] { "x", "pre", "left", "right", "mul", "y" }, model.Layers.Select(l => l.Name));
    }
}
