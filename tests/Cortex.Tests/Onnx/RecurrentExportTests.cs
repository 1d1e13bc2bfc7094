using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Onnx;

namespace Cortex.Tests.Onnx;

/// <summary>
/// ONNX export of the recurrent and sequence layers (SimpleRNN, LSTM, GRU, Bidirectional, Embedding, RepeatVector,
/// TimeDistributed): each model, with every weight (biases included) randomized so a misplaced gate block or bias
/// shows, is exported, run in ONNX Runtime and compared with Cortex's Predict within 1e-5.
/// </summary>
[Collection(nameof(GlobalRandomCollection))]
public class RecurrentExportTests
{
    public RecurrentExportTests() => RandomGenerator.SetGlobalSeed(11);

    /// <summary>Gives every weight normal(0, scale) values: Keras's zero biases would hide a wrong bias layout.</summary>
    private static void Randomize(Model model, int seed, float scale = 0.5f)
    {
        var rng = new RandomGenerator(seed);
        foreach (var w in model.Weights) w.Assign(Ops.MultiplyScalar(rng.Normal(w.Value.Shape.ToArray()), scale));
    }

    /// <summary>Float token ids in [0, vocabulary) of shape (batch, time).</summary>
    private static Tensor Ids(int seed, int batch, int time, int vocabulary)
    {
        var rng = new Random(seed);
        var ids = new float[batch * time];
        for (int i = 0; i < ids.Length; i++) ids[i] = rng.Next(vocabulary);
        return Tensor.FromArray(ids, batch, time);
    }

    private static IEnumerable<string> OpTypes(Model model, int opset = OnnxExporter.DefaultOpset)
        => OnnxExporter.ToOnnxModel(model, opset).Graph.Nodes.Select(n => n.OpType);

    private static void Check(Model model, Tensor x, int seed, int opset = OnnxExporter.DefaultOpset)
    {
        Randomize(model, seed);
        OnnxCheck.MaxDiff(model, x, opset);
    }

    [Fact]
    public void EmbeddingLstmDenseMatches()
    {
        var model = new Sequential(
            new Embedding(40, 8, inputShape: new[] { 9 }),
            new LSTM(12),
            new Dense(3, activation: "softmax"));
        Check(model, Ids(1, 5, 9, 40), 1);
        var ops = OpTypes(model).ToList();
        Assert.Equal(new[] { "Cast", "Gather", "Transpose", "LSTM", "Squeeze", "Gemm", "Softmax" }, ops);
    }

    [Theory]
    [InlineData(true, false)] [InlineData(false, false)] [InlineData(true, true)] [InlineData(false, true)]
    public void GruBothConventionsMatch(bool resetAfter, bool returnSequences)
    {
        var model = new Sequential(new GRU(7, resetAfter: resetAfter, returnSequences: returnSequences, inputShape: new[] { 6, 4 }));
        Check(model, OnnxCheck.Random(2, 3, 6, 4), 2);
        var gru = OnnxExporter.ToOnnxModel(model).Graph.Nodes.Single(n => n.OpType == "GRU");
        Assert.Equal(resetAfter ? 1 : 0, gru.Attribute("linear_before_reset")!.I);
    }

    [Theory]
    [InlineData("tanh", false, false)] [InlineData("relu", true, false)] [InlineData("linear", true, true)] [InlineData("tanh", false, true)]
    public void SimpleRnnMatches(string activation, bool returnSequences, bool goBackwards)
    {
        var model = new Sequential(new SimpleRNN(5, activation: activation, returnSequences: returnSequences, goBackwards: goBackwards,
            inputShape: new[] { 7, 3 }));
        Check(model, OnnxCheck.Random(3, 4, 7, 3), 3);
        Assert.Contains("RNN", OpTypes(model));
    }

    [Theory]
    [InlineData(false)] [InlineData(true)]
    public void GoBackwardsMatchesKerasOutputOrder(bool returnSequences)
    {
        // Keras returns a go_backwards layer's outputs in processing order (reversed in time); ONNX's "reverse" direction
        // writes them at their input positions, so the export reverses Y back.
        var model = new Sequential(new LSTM(6, goBackwards: true, returnSequences: returnSequences, inputShape: new[] { 5, 3 }));
        Check(model, OnnxCheck.Random(4, 2, 5, 3), 4);
        var lstm = OnnxExporter.ToOnnxModel(model).Graph.Nodes.Single(n => n.OpType == "LSTM");
        Assert.Equal("reverse", lstm.Attribute("direction")!.S);
    }

    [Theory]
    [InlineData("concat", true)] [InlineData("sum", true)] [InlineData("mul", true)] [InlineData("ave", true)]
    [InlineData("concat", false)] [InlineData("ave", false)]
    public void BidirectionalMergeModesMatch(string mergeMode, bool returnSequences)
    {
        var inputs = new Input(new[] { 6, 3 });
        var merged = new Bidirectional(new LSTM(5, returnSequences: returnSequences), mergeMode).Apply(inputs);
        var model = new Cortex.Keras.Models.Functional(inputs, new Dense(2).Apply(merged));
        Check(model, OnnxCheck.Random(5, 3, 6, 3), 5);
        var node = OnnxExporter.ToOnnxModel(model).Graph.Nodes.Single(n => n.OpType == "LSTM");
        Assert.Equal("bidirectional", node.Attribute("direction")!.S);
    }

    [Theory]
    [InlineData(true)] [InlineData(false)]
    public void BidirectionalGruAndSimpleRnnMatch(bool resetAfter)
    {
        var inputs = new Input(new[] { 6, 3 });
        var a = new Bidirectional(new GRU(4, resetAfter: resetAfter, returnSequences: true), "sum").Apply(inputs);
        var b = new Bidirectional(new SimpleRNN(4), "concat").Apply(a);
        var model = new Cortex.Keras.Models.Functional(inputs, b);
        Check(model, OnnxCheck.Random(6, 2, 6, 3), 6);
    }

    [Fact]
    public void BidirectionalWithoutMergeAndWithStatesGivesEveryOutput()
    {
        var inputs = new Input(new[] { 5, 3 }, name: "seq");
        var outs = new Bidirectional(new LSTM(4, returnState: true), mergeMode: null, name: "bi").ApplyOutputs(inputs);
        Assert.Equal(6, outs.Count); // forward output, backward output, forward h, c, backward h, c
        var model = new Cortex.Keras.Models.Functional(inputs, outs.ToArray());
        Randomize(model, 7);
        var x = OnnxCheck.Random(7, 3, 5, 3);
        var expected = ((Cortex.Keras.Models.Functional)model).Predict(new[] { x });
        var actual = OnnxCheck.Run(OnnxExporter.ToBytes(model), x);
        Assert.Equal(6, actual.Length);
        for (int i = 0; i < 6; i++) OnnxCheck.Compare(expected[i], actual[i]);
    }

    [Fact]
    public void BidirectionalWithADifferentBackwardLayerUsesTwoNodes()
    {
        var inputs = new Input(new[] { 5, 3 });
        var bi = new Bidirectional(new GRU(4, returnSequences: true), "concat",
            backwardLayer: new GRU(4, activation: "relu", returnSequences: true, goBackwards: true));
        var model = new Cortex.Keras.Models.Functional(inputs, bi.Apply(inputs));
        Check(model, OnnxCheck.Random(8, 2, 5, 3), 8);
        var grus = OnnxExporter.ToOnnxModel(model).Graph.Nodes.Where(n => n.OpType == "GRU").ToList();
        Assert.Equal(new[] { "forward", "reverse" }, grus.Select(n => n.Attribute("direction")!.S));
    }

    [Theory]
    [InlineData(true)] [InlineData(false)]
    public void BidirectionalOfAGoBackwardsLayerMatches(bool returnSequences)
    {
        // The forward copy then runs backwards and the backward copy forwards: two single-direction nodes, each output in
        // Keras's order (the wrapper reverses the backward copy's sequence).
        var inputs = new Input(new[] { 5, 3 });
        var bi = new Bidirectional(new LSTM(4, goBackwards: true, returnSequences: returnSequences), "concat");
        var model = new Cortex.Keras.Models.Functional(inputs, bi.Apply(inputs));
        Check(model, OnnxCheck.Random(16, 2, 5, 3), 16);
        Assert.Equal(2, OpTypes(model).Count(t => t == "LSTM"));
    }

    [Fact]
    public void ReturnSequencesWithTimeDistributedDenseMatches()
    {
        var model = new Sequential(
            new LSTM(8, returnSequences: true, inputShape: new[] { 6, 4 }),
            new TimeDistributed(new Dense(3, activation: "softmax")));
        Check(model, OnnxCheck.Random(9, 4, 6, 4), 9);
        Assert.Contains("Gemm", OpTypes(model)); // the inner Dense sees (batch·time, features)
    }

    [Fact]
    public void TimeDistributedWithUnknownTimestepsMatches()
    {
        var model = new Sequential(new TimeDistributed(new Dense(3), inputShape: new[] { -1, 4 }), new GRU(5, returnSequences: true),
            new TimeDistributed(new Dense(2)));
        Randomize(model, 10);
        var bytes = OnnxExporter.ToBytes(model);
        foreach (int t in new[] { 3, 8 })
        {
            var x = OnnxCheck.Random(10 + t, 2, t, 4);
            OnnxCheck.Compare(model.Predict(x), OnnxCheck.Run(bytes, x).Single());
        }
    }

    [Fact]
    public void RepeatVectorSeq2SeqMatches()
    {
        var model = new Sequential(
            new Embedding(30, 6, inputShape: new[] { 7 }),
            new GRU(10),
            new RepeatVector(4),
            new LSTM(10, returnSequences: true),
            new TimeDistributed(new Dense(30, activation: "softmax")));
        Check(model, Ids(11, 3, 7, 30), 11);
        Assert.Contains("Expand", OpTypes(model));
    }

    [Theory]
    [InlineData("hard_sigmoid")] [InlineData("hard_sigmoid_keras2")]
    public void HardSigmoidRecurrentActivationMatches(string recurrentActivation)
    {
        var inputs = new Input(new[] { 6, 3 });
        var lstm = new LSTM(5, recurrentActivation: recurrentActivation, returnSequences: true).Apply(inputs);
        var gru = new GRU(4, recurrentActivation: recurrentActivation, activation: "linear").Apply(lstm);
        var model = new Cortex.Keras.Models.Functional(inputs, gru);
        Randomize(model, 12, scale: 1.5f); // large enough for the hard sigmoid to saturate
        OnnxCheck.MaxDiff(model, Ops.MultiplyScalar(OnnxCheck.Random(12, 3, 6, 3), 2f));
        var node = OnnxExporter.ToOnnxModel(model).Graph.Nodes.Single(n => n.OpType == "LSTM");
        Assert.Equal(new[] { "HardSigmoid", "Tanh", "Tanh" }, node.Attribute("activations")!.Strings);
        Assert.Equal(recurrentActivation == "hard_sigmoid" ? 1f / 6f : 0.2f, node.Attribute("activation_alpha")!.Floats.Single());
    }

    [Fact]
    public void InitialStatesAndReturnStateMatch()
    {
        var x = new Input(new[] { 5, 3 }, name: "x");
        var h0 = new Input(new[] { 4 }, name: "h0");
        var c0 = new Input(new[] { 4 }, name: "c0");
        var outs = new LSTM(4, returnSequences: true, returnState: true, name: "lstm").ApplyOutputs(x, h0, c0);
        var model = new Cortex.Keras.Models.Functional(new KerasTensor[] { x, h0, c0 }, outs.ToArray());
        Randomize(model, 13);
        var xs = new[] { OnnxCheck.Random(13, 2, 5, 3), OnnxCheck.Random(14, 2, 4), OnnxCheck.Random(15, 2, 4) };
        var expected = ((Cortex.Keras.Models.Functional)model).Predict(xs);
        var actual = OnnxCheck.Run(OnnxExporter.ToBytes(model), xs);
        Assert.Equal(3, actual.Length);
        for (int i = 0; i < 3; i++) OnnxCheck.Compare(expected[i], actual[i]);
    }

    [Theory]
    [InlineData(14)] [InlineData(17)] [InlineData(21)]
    public void LaterOpsetsWork(int opset)
    {
        var model = new Sequential(new Embedding(20, 4, inputShape: new[] { 6 }), new Bidirectional(new LSTM(3, returnSequences: true)),
            new TimeDistributed(new Dense(2)));
        Randomize(model, 14);
        OnnxCheck.MaxDiff(model, Ids(14, 2, 6, 20), opset);
    }

    [Fact]
    public void MasksAndStatefulLayersAreRefusedClearly()
    {
        var masking = new Sequential(new Masking(inputShape: new[] { 5, 3 }, name: "pad_mask"), new LSTM(4));
        masking.Build(new[] { -1, 5, 3 });
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToOnnxModel(masking));
        Assert.Contains("\"pad_mask\"", e.Message);
        Assert.Contains("no masks", e.Message);

        var maskZero = new Sequential(new Embedding(10, 4, maskZero: true, inputShape: new[] { 5 }, name: "tokens"), new GRU(3));
        maskZero.Build(new[] { -1, 5 });
        e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToOnnxModel(maskZero));
        Assert.Contains("\"tokens\"", e.Message);
        Assert.Contains("mask_zero", e.Message);

        var stateful = new Sequential(new LSTM(4, stateful: true, batchInputShape: new[] { 2, 5, 3 }, name: "carry"));
        stateful.Build(new[] { 2, 5, 3 });
        e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToOnnxModel(stateful));
        Assert.Contains("\"carry\"", e.Message);
        Assert.Contains("stateful", e.Message);
    }
}
