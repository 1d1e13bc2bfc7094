using System.IO.Compression;
using System.Text.Json;
using Cortex.Keras.Constraints;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Regularizers;
using Cortex.Keras.Saving;

namespace Cortex.Tests.Saving;

/// <summary>
/// .keras round trips (bit-identical predictions) for the recurrent, embedding and wrapper layers, their Keras 3
/// weight paths, regularizers and constraints read back from configs, and the Lambda save-by-name rule.
/// </summary>
[Collection(nameof(GlobalRandomCollection))]
public class RecurrentSavingTests
{
    private static Tensor Ids(int batch, int steps, int vocab, int seed)
    {
        var r = new Random(seed);
        var a = new float[batch * steps];
        for (int i = 0; i < a.Length; i++) a[i] = r.Next(vocab);
        for (int b = 0; b < batch; b++) for (int t = steps - 1 - b % 3; t < steps; t++) a[b * steps + t] = 0; // trailing padding
        return Tensor.FromArray(a, batch, steps);
    }

    private static Tensor Seq(int batch, int steps, int features, int seed)
    {
        var r = new Random(seed);
        return Tensor.FromArray(Enumerable.Range(0, batch * steps * features).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray(), batch, steps, features);
    }

    /// <summary>Saves to .keras, loads, and checks the predictions are bit-identical; returns the loaded model.</summary>
    private static Model RoundTrip(Model model, Tensor x, string file = "m.keras") => RoundTrip(model, x, file, out _);

    /// <summary><see cref="RoundTrip(Model, Tensor, string)"/>, also giving the saved file's path (to inspect its weights).</summary>
    private static Model RoundTrip(Model model, Tensor x, string file, out string path)
    {
        var expected = model.Predict(x).ToArray();
        path = Path.Combine(SavingTestUtil.TempDir(), file);
        model.Save(path);
        var back = KerasIO.LoadModel(path);
        Assert.Equal(expected, back.Predict(x).ToArray());
        Assert.Equal(model.ToJson(), back.ToJson());
        return back;
    }

    private static List<string> WeightPaths(string path)
    {
        using var zip = ZipFile.OpenRead(path);
        var tmp = Path.Combine(SavingTestUtil.TempDir(), "w.h5");
        zip.GetEntry("model.weights.h5")!.ExtractToFile(tmp);
        using var f = PureHDF.H5File.OpenRead(tmp);
        var found = new List<string>();
        void Walk(PureHDF.IH5Group g, string prefix)
        {
            foreach (var child in g.Children())
                if (child is PureHDF.IH5Group cg) Walk(cg, prefix + child.Name + "/");
                else found.Add(prefix + child.Name);
        }
        Walk(f, "");
        return found;
    }

    [Fact]
    public void EmbeddingMaskZeroLstmRoundTripsAndSavesCellVariablesAsKeras3()
    {
        RandomGenerator.SetGlobalSeed(3);
        var model = new Sequential(new Layer[]
        {
            new InputLayer(new[] { 6 }), new Embedding(20, 4, maskZero: true), new LSTM(5, returnSequences: true), new LSTM(3), new Dense(2),
        });
        var x = Ids(4, 6, 20, 1);
        var back = RoundTrip(model, x, "lstm.keras", out var path);
        Assert.True(((Embedding)back.Layers[0]).MaskZero);
        var paths = WeightPaths(path);
        Assert.Contains("layers/embedding/vars/0", paths);
        Assert.Contains("layers/lstm/cell/vars/2", paths);
        Assert.Contains("layers/lstm_1/cell/vars/0", paths);
        Assert.DoesNotContain("layers/lstm/vars/0", paths);
    }

    [Fact]
    public void GruBothConventionsAndSimpleRnnRoundTrip()
    {
        RandomGenerator.SetGlobalSeed(4);
        var x = Seq(3, 5, 4, 2);
        foreach (var resetAfter in new[] { true, false })
        {
            var model = new Sequential(new Layer[]
            {
                new InputLayer(new[] { 5, 4 }), new GRU(6, recurrentActivation: "hard_sigmoid", resetAfter: resetAfter, returnSequences: true, goBackwards: true),
                new SimpleRNN(3, activation: "relu"),
            });
            var back = RoundTrip(model, x);
            var gru = Assert.IsType<GRU>(back.Layers[0]);
            Assert.Equal(resetAfter, gru.ResetAfter);
            Assert.Equal("hard_sigmoid", gru.RecurrentActivationName); // a .keras file means Keras 3's hard_sigmoid
            Assert.True(gru.GoBackwards);
        }
    }

    [Fact]
    public void BidirectionalLstmAndTimeDistributedDenseRoundTrip()
    {
        RandomGenerator.SetGlobalSeed(5);
        var model = new Sequential(new Layer[]
        {
            new InputLayer(new[] { 7, 3 }), new Bidirectional(new LSTM(4, returnSequences: true), mergeMode: "sum"),
            new TimeDistributed(new Dense(2, "tanh")), new Masking(0.5f),
            new Bidirectional(new GRU(3), backwardLayer: new GRU(3, goBackwards: true, resetAfter: false)),
        });
        var x = Seq(2, 7, 3, 3);
        var back = RoundTrip(model, x, "bi.keras", out var path);
        var bi = Assert.IsType<Bidirectional>(back.Layers[3]);
        Assert.False(((GRU)bi.BackwardLayer).ResetAfter);
        Assert.Equal("sum", ((Bidirectional)back.Layers[0]).MergeMode);
        var paths = WeightPaths(path);
        Assert.Contains("layers/bidirectional/forward_layer/cell/vars/0", paths);
        Assert.Contains("layers/bidirectional/backward_layer/cell/vars/2", paths);
        Assert.Contains("layers/time_distributed/layer/vars/1", paths);
    }

    [Fact]
    public void StatefulLstmRoundTripsWithItsBatchSize()
    {
        RandomGenerator.SetGlobalSeed(6);
        var model = new Sequential(new Layer[] { new LSTM(4, stateful: true, batchInputShape: new[] { 2, 3, 5 }), new RepeatVector(2) });
        var x = Seq(2, 3, 5, 4);
        var back = RoundTrip(model, x);
        var lstm = Assert.IsType<LSTM>(back.Layers[0]);
        Assert.True(lstm.Stateful);
        Assert.Equal(new[] { 2, 3, 5 }, lstm.BatchInputShape);
    }

    [Fact]
    public void RegularizersAndConstraintsAreReadBackForEveryLayerThatHasThem()
    {
        var model = new Sequential(new Layer[]
        {
            new InputLayer(new[] { 4 }),
            new Embedding(10, 3, embeddingsRegularizer: new L2(0.5f), activityRegularizer: new L1(0.25f), embeddingsConstraint: new MaxNorm(1.5f)),
            new LSTM(2, kernelRegularizer: new L1L2(0.1f, 0.2f), recurrentRegularizer: "l2", biasRegularizer: new L1(0.3f),
                activityRegularizer: new L2(0.4f), kernelConstraint: new UnitNorm(0), recurrentConstraint: new NonNeg(),
                biasConstraint: new MinMaxNorm(0.1f, 0.9f, 0.5f, 0)),
            new Dense(3, kernelRegularizer: new L2(0.05f), biasConstraint: new NonNeg()),
            new BatchNormalization(gammaRegularizer: new L1(0.01f), betaConstraint: new MaxNorm(3f)),
        });
        var back = KerasIO.ModelFromJson(model.ToJson());
        Assert.Equal(model.ToJson(), back.ToJson());
        var e = Assert.IsType<Embedding>(back.Layers[0]);
        Assert.Equal(0.5f, Assert.IsType<L2>(e.EmbeddingsRegularizer).Factor);
        Assert.Equal(0.25f, Assert.IsType<L1>(e.ActivityRegularizer).Factor);
        Assert.Equal(1.5f, Assert.IsType<MaxNorm>(e.EmbeddingsConstraint).MaxValue);
        var l = Assert.IsType<LSTM>(back.Layers[1]);
        Assert.Equal(0.2f, Assert.IsType<L1L2>(l.KernelRegularizer).L2Factor);
        Assert.IsType<L2>(l.RecurrentRegularizer);
        Assert.IsType<UnitNorm>(l.KernelConstraint);
        Assert.IsType<NonNeg>(l.RecurrentConstraint);
        Assert.Equal(0.5f, Assert.IsType<MinMaxNorm>(l.BiasConstraint).Rate);
        Assert.IsType<NonNeg>(Assert.IsType<Dense>(back.Layers[2]).BiasConstraint);
        Assert.IsType<MaxNorm>(Assert.IsType<BatchNormalization>(back.Layers[3]).BetaConstraint);
        // Keras 2's spelling of a regularizer in a config
        var k2 = ConfigNode.Parse("""{"r": {"class_name": "L1L2", "config": {"l1": 0.0, "l2": 0.01}}, "c": "non_neg"}""", "test");
        Assert.Equal(0.01f, Assert.IsType<L1L2>(k2.Regularizer("r")).L2Factor, 6);
        Assert.IsType<NonNeg>(k2.Constraint("c"));
    }

    [Fact]
    public void RecurrentAndEmbeddingPenaltiesEnterLossesAndConstraintsApply()
    {
        RandomGenerator.SetGlobalSeed(7);
        var emb = new Embedding(5, 2, embeddingsRegularizer: new L2(1f), activityRegularizer: new L1(1f), embeddingsConstraint: new NonNeg());
        var lstm = new LSTM(3, kernelRegularizer: new L1(1f), recurrentRegularizer: new L2(1f), activityRegularizer: new L1(2f), kernelConstraint: new NonNeg());
        var model = new Sequential(new Layer[] { new InputLayer(new[] { 3 }), emb, lstm });
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4, 0, 1 }, 2, 3);
        model.ClearLosses();
        var y = model.Call(x, training: true);
        var embOut = Ops.Gather(emb.Embeddings.Value, x);
        double expected = emb.Embeddings.ToArray().Sum(v => (double)v * v)           // embeddings L2
            + embOut.ToArray().Sum(v => Math.Abs((double)v))                        // embedding activity L1
            + lstm.Kernel.ToArray().Sum(v => Math.Abs((double)v))                   // kernel L1
            + lstm.RecurrentKernel.ToArray().Sum(v => (double)v * v)                // recurrent L2
            + 2 * y.ToArray().Sum(v => Math.Abs((double)v));                        // LSTM activity L1 ×2
        Assert.Equal(expected, model.Losses.Sum(l => (double)l.Item()), 3);
        Model.ApplyConstraints(model.TrainableWeights);
        Assert.All(emb.Embeddings.ToArray(), v => Assert.True(v >= 0));
        Assert.All(lstm.Kernel.ToArray(), v => Assert.True(v >= 0));
        Assert.Contains(lstm.RecurrentKernel.ToArray(), v => v < 0); // no constraint there
    }

    [Fact]
    public void LambdaSavesByRegisteredNameOnly()
    {
        Func<Tensor, Tensor> doubleIt = t => Ops.MultiplyScalar(t, 2f);
        var unregistered = new Sequential(new Layer[] { new InputLayer(new[] { 3 }), new Lambda(t => Ops.Add(t, t), name: "anon"), new Dense(2) });
        var path = Path.Combine(SavingTestUtil.TempDir(), "l.keras");
        var e = Assert.Throws<NotSupportedException>(() => unregistered.Save(path));
        Assert.Contains("Lambda layer \"anon\"", e.Message);
        Assert.Contains("Lambda.RegisterFunction", e.Message);
        Assert.False(File.Exists(path));

        Lambda.RegisterFunction("savernn_double", doubleIt);
        var model = new Sequential(new Layer[] { new InputLayer(new[] { 3 }), new Lambda(doubleIt, name: "dbl"), new Dense(2) });
        var x = Tensor.FromArray(new float[] { 1, 2, 3, -1, 0, 5 }, 2, 3);
        var back = RoundTrip(model, x, "lambda.keras");
        Assert.Equal("savernn_double", ((Lambda)back.Layers[0]).FunctionName);

        // a name nobody registered: a clear error naming the layer
        var json = model.ToJson().Replace("savernn_double", "savernn_missing");
        var missing = Assert.Throws<FormatException>(() => KerasIO.ModelFromJson(json));
        Assert.Contains("Lambda layer \"dbl\"", missing.Message);
        Assert.Contains("savernn_missing", missing.Message);
        // Python bytecode
        using var doc = JsonDocument.Parse("""{"class_name": "Lambda", "config": {"name": "py", "function": {"class_name": "__lambda__", "config": {"code": "4wEA"}}}}""");
        var py = Assert.Throws<FormatException>(() => KerasObjects.DeserializeLayer(new ConfigNode(doc.RootElement, "test")));
        Assert.Contains("Lambda layer 'py'", py.Message);
        Assert.Contains("bytecode", py.Message);
        // resolved through the load's custom objects
        var custom = new CustomObjects().Add("savernn_missing", _ => (Func<Tensor, Tensor>)(t => Ops.MultiplyScalar(t, 2f)));
        var viaCustom = KerasIO.ModelFromJson(json, custom);
        Assert.IsType<Lambda>(viaCustom.Layers[0]);
    }
}
