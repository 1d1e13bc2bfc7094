using Cortex.Autodiff;
using Cortex.Kernels;
using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Tests.Engine;
using static Cortex.Tests.TestLayers;

namespace Cortex.Tests.Recurrent;

/// <summary>
/// The Keras recurrent layers: shapes and weights, finite-difference gradients of each cell, masking, stateful
/// layers, dropout, initial states and return_state in the functional API, Bidirectional, and errors.
/// </summary>
[Collection(nameof(GlobalRandomCollection))]
public class RecurrentLayerTests
{
    private static Tensor Normal(long seed, float scale, params int[] shape)
    {
        var t = Tensor.Zeros(shape);
        new RandomGenerator(seed).FillNormal(t.Span, 0f, scale);
        return t;
    }

    // ------------------------------------------------------------------ shapes and weights

    [Fact]
    public void WeightShapesNamesAndParameterCountsAreKeras()
    {
        Layer.ResetNames();
        var lstm = new LSTM(8); lstm.EnsureBuilt(new[] { -1, 5, 3 });
        Assert.Equal(new[] { "lstm/lstm_cell/kernel", "lstm/lstm_cell/recurrent_kernel", "lstm/lstm_cell/bias" }, lstm.Weights.Select(w => w.Name));
        Assert.Equal(4 * (8 * (3 + 8) + 8), lstm.CountParams());
        var gru = new GRU(8); gru.EnsureBuilt(new[] { -1, 5, 3 });
        Assert.Equal(new[] { 2, 24 }, gru.Bias!.Shape);
        Assert.Equal(3 * 8 * (3 + 8) + 2 * 24, gru.CountParams());      // Keras: 504 for GRU(8) on 3 features
        var gru2 = new GRU(8, resetAfter: false); gru2.EnsureBuilt(new[] { -1, 5, 3 });
        Assert.Equal(new[] { 24 }, gru2.Bias!.Shape);
        var rnn = new SimpleRNN(8); rnn.EnsureBuilt(new[] { -1, 5, 3 });
        Assert.Equal(8 * 3 + 8 * 8 + 8, rnn.CountParams());
        Assert.Equal("simple_rnn/simple_rnn_cell/kernel", rnn.Kernel.Name);
    }

    [Fact]
    public void UnitForgetBiasStartsTheForgetGateAtOne()
    {
        var lstm = new LSTM(3); lstm.EnsureBuilt(new[] { -1, 2, 2 });
        Assert.Equal(new float[] { 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0 }, lstm.Bias!.ToArray());
        var plain = new LSTM(3, unitForgetBias: false); plain.EnsureBuilt(new[] { -1, 2, 2 });
        Assert.All(plain.Bias!.ToArray(), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void OutputShapesFollowReturnSequencesAndReturnState()
    {
        var x = Normal(1, 1f, 2, 5, 3);
        Assert.Equal(new[] { 2, 4 }, new LSTM(4).Apply(x).Shape);
        Assert.Equal(new[] { 2, 5, 4 }, new GRU(4, returnSequences: true).Apply(x).Shape);
        var outs = new LSTM(4, returnState: true).Apply(x, Array.Empty<Tensor>());
        Assert.Equal(3, outs.Count);
        Assert.Equal(outs[0].ToArray(), outs[1].ToArray());            // last output = final h
        var inp = new Input(new[] { 5, 3 });
        var sym = new GRU(4, returnSequences: true, returnState: true).ApplyOutputs(inp);
        Assert.Equal(new[] { -1, 5, 4 }, sym[0].Shape);
        Assert.Equal(new[] { -1, 4 }, sym[1].Shape);
    }

    // ------------------------------------------------------------------ gradients

    [Theory]
    [InlineData(RecurrentCellKind.SimpleRnn)]
    [InlineData(RecurrentCellKind.Lstm)]
    [InlineData(RecurrentCellKind.Gru)]
    [InlineData(RecurrentCellKind.GruResetBefore)]
    public void FusedOpGradientsMatchFiniteDifferences(RecurrentCellKind cell)
    {
        int B = 2, T = 3, I = 2, u = 3, G = (cell == RecurrentCellKind.SimpleRnn ? 1 : cell == RecurrentCellKind.Lstm ? 4 : 3) * u;
        var tanh = new RecurrentActivation(RecurrentActivationKind.Tanh);
        var sig = new RecurrentActivation(RecurrentActivationKind.Sigmoid);
        var mask = Tensor.FromArray(new float[] { 1, 0, 1, 1, 1, 0 }, B, T);
        var inputs = new List<Tensor> { Normal(2, 1f, B, T, I), Normal(3, 0.5f, I, G), Normal(4, 0.5f, u, G),
            cell == RecurrentCellKind.Gru ? Normal(5, 0.3f, 2, G) : Normal(5, 0.3f, G), Normal(6, 0.5f, B, u) };
        if (cell == RecurrentCellKind.Lstm) inputs.Add(Normal(7, 0.5f, B, u));
        foreach (bool back in new[] { false, true })
        {
            var o = new RecurrentOptions(cell, tanh, sig, back);
            GradientCheck.Assert(t => Ops.Recurrent(o, t[0], t[1], t[2], t[3], t[4], t.Length > 5 ? t[5] : null, mask), inputs.ToArray());
        }
    }

    [Fact]
    public void BidirectionalGradientsMatchFiniteDifferences()
    {
        RandomGenerator.SetGlobalSeed(11);
        var bi = new Bidirectional(new GRU(3, returnSequences: true), "concat");
        GradientCheck.Assert(t => bi.Apply(t[0]), Normal(8, 1f, 2, 3, 2));
        var sum = new Bidirectional(new LSTM(2), "ave");
        GradientCheck.Assert(t => sum.Apply(t[0]), Normal(9, 1f, 2, 3, 2));
    }

    // ------------------------------------------------------------------ masking

    [Fact]
    public void MaskedStepsKeepTheStateAndRepeatTheOutput()
    {
        RandomGenerator.SetGlobalSeed(3);
        var x = Normal(10, 1f, 1, 4, 2);
        x[0, 2, 0] = 0f; x[0, 2, 1] = 0f;                              // step 2 is padding
        var model = new Sequential();
        model.Add(new FirstFeatureMask());
        model.Add(new LSTM(3, returnSequences: true, inputShape: new[] { 4, 2 }));
        var y = model.Predict(x);
        for (int j = 0; j < 3; j++) Assert.Equal(y[0, 1, j], y[0, 2, j]);   // masked: previous output
        // Without the mask the zero step changes the output: the test would fail if the mask were ignored.
        var lstm = (LSTM)model.Layers[1];
        var unmasked = lstm.Apply(x);
        Assert.NotEqual(y[0, 1, 0], unmasked[0, 2, 0]);
        // The last output with trailing padding equals the last valid step's.
        var x2 = Normal(10, 1f, 1, 4, 2); x2[0, 3, 0] = 0f; x2[0, 3, 1] = 0f;
        var last = new Sequential(); last.Add(new FirstFeatureMask()); var l2 = new GRU(3, inputShape: new[] { 4, 2 }); last.Add(l2);
        var predicted = last.Predict(x2).ToArray();
        var l3 = new GRU(3); l3.EnsureBuilt(new[] { 1, 3, 2 });
        l3.Kernel.Assign(l2.Kernel.Value); l3.RecurrentKernel.Assign(l2.RecurrentKernel.Value); l3.Bias!.Assign(l2.Bias!.Value);
        var full = l3.Apply(Ops.Slice(x2, new[] { 0, 0, 0 }, new[] { 1, 3, 2 }).Contiguous());
        Assert.Equal(full.ToArray(), predicted);
    }

    [Fact]
    public void BidirectionalOutputsZerosAtMaskedStepsWhenReturningSequences()
    {
        RandomGenerator.SetGlobalSeed(4);
        var x = Normal(12, 1f, 1, 4, 2); x[0, 3, 0] = 0f; x[0, 3, 1] = 0f;
        var model = new Sequential();
        model.Add(new FirstFeatureMask());
        model.Add(new Bidirectional(new SimpleRNN(2, returnSequences: true, inputShape: new[] { 4, 2 })));
        var y = model.Predict(x);
        Assert.Equal(new[] { 1, 4, 4 }, y.Shape);
        for (int j = 0; j < 4; j++) Assert.Equal(0f, y[0, 3, j]);
        Assert.NotEqual(0f, y[0, 2, 0]);
    }

    // ------------------------------------------------------------------ stateful

    [Fact]
    public void StatefulLayerContinuesAcrossBatchesUntilReset()
    {
        RandomGenerator.SetGlobalSeed(5);
        var x = Normal(13, 1f, 2, 6, 3);
        var first = Ops.Slice(x, new[] { 0, 0, 0 }, new[] { 2, 3, 3 }).Contiguous();
        var second = Ops.Slice(x, new[] { 0, 3, 0 }, new[] { 2, 3, 3 }).Contiguous();
        var whole = new LSTM(4, stateful: true, batchInputShape: new[] { 2, 6, 3 }, name: "whole");
        var split = new LSTM(4, stateful: true, batchInputShape: new[] { 2, 3, 3 }, name: "split");
        whole.EnsureBuilt(new[] { 2, 6, 3 }); split.EnsureBuilt(new[] { 2, 3, 3 });
        split.Kernel.Assign(whole.Kernel.Value); split.RecurrentKernel.Assign(whole.RecurrentKernel.Value); split.Bias!.Assign(whole.Bias!.Value);
        var expected = whole.Apply(x).ToArray();
        var fresh = split.Apply(first).ToArray();
        Assert.Equal(expected, split.Apply(second).ToArray(), new FloatNear(1e-5f));   // continues from the first batch
        split.ResetStates();
        Assert.Null(split.States);
        Assert.Equal(fresh, split.Apply(first).ToArray());                          // zeros again
        var err = Assert.Throws<ArgumentException>(() => split.Apply(Normal(1, 1f, 3, 3, 3)));
        Assert.Contains("\"split\"", err.Message); Assert.Contains("batches of 2", err.Message); Assert.Contains("batch of 3", err.Message);
    }

    [Fact]
    public void StatefulNeedsAKnownBatchSize()
    {
        var model = new Sequential();
        var err = Assert.Throws<ArgumentException>(() => model.Add(new GRU(2, stateful: true, inputShape: new[] { 3, 2 }, name: "g")));
        Assert.Contains("stateful", err.Message); Assert.Contains("\"g\"", err.Message);
        Assert.Throws<InvalidOperationException>(() => new GRU(2).ResetStates());
    }

    // ------------------------------------------------------------------ dropout

    [Fact]
    public void DropoutIsActiveInTrainingOnly()
    {
        RandomGenerator.SetGlobalSeed(6);
        var x = Normal(14, 1f, 4, 5, 3);
        var layer = new LSTM(6, dropout: 0.5f, recurrentDropout: 0.5f, returnSequences: true);
        var a = layer.Apply(x).ToArray();
        Assert.Equal(a, layer.Apply(x).ToArray());                            // inference: deterministic, no dropout
        var t1 = layer.Apply(x, training: true).ToArray();
        var t2 = layer.Apply(x, training: true).ToArray();
        Assert.NotEqual(a, t1);
        Assert.NotEqual(t1, t2);                                              // new masks per call
        var seeded1 = new GRU(3, recurrentDropout: 0.4f, seed: 7); var seeded2 = new GRU(3, recurrentDropout: 0.4f, seed: 7);
        seeded1.EnsureBuilt(new[] { 4, 5, 3 }); seeded2.EnsureBuilt(new[] { 4, 5, 3 });
        seeded2.Kernel.Assign(seeded1.Kernel.Value); seeded2.RecurrentKernel.Assign(seeded1.RecurrentKernel.Value);
        Assert.Equal(seeded1.Apply(x, training: true).ToArray(), seeded2.Apply(x, training: true).ToArray());
    }

    // ------------------------------------------------------------------ initial states, functional API, go_backwards

    [Fact]
    public void InitialStatesInTheFunctionalApiMatchEagerCalls()
    {
        RandomGenerator.SetGlobalSeed(7);
        var x = Normal(15, 1f, 2, 4, 3); var h0 = Normal(16, 1f, 2, 5); var c0 = Normal(17, 1f, 2, 5);
        var xi = new Input(new[] { 4, 3 }); var hi = new Input(new[] { 5 }); var ci = new Input(new[] { 5 });
        var lstm = new LSTM(5, returnState: true);
        var outs = lstm.ApplyOutputs(xi, hi, ci);
        var model = new Cortex.Keras.Models.Functional(new KerasTensor[] { xi, hi, ci }, outs.ToArray());
        var got = model.CallOutputs(new[] { x, h0, c0 }, training: false);
        var eager = lstm.Apply(x, new[] { h0, c0 });
        for (int i = 0; i < 3; i++) Assert.Equal(eager[i].ToArray(), got[i].ToArray());
        Assert.NotEqual(lstm.Apply(x).ToArray(), eager[0].ToArray());        // the states matter
        var err = Assert.Throws<ArgumentException>(() => lstm.Apply(x, new[] { h0 }));
        Assert.Contains("expects 2 initial state", err.Message);
    }

    [Fact]
    public void GoBackwardsEqualsTheForwardLayerOnTheReversedSequence()
    {
        RandomGenerator.SetGlobalSeed(8);
        var x = Normal(18, 1f, 2, 4, 3);
        var fwd = new SimpleRNN(3, returnSequences: true); var back = new SimpleRNN(3, returnSequences: true, goBackwards: true);
        fwd.EnsureBuilt(new[] { 2, 4, 3 }); back.EnsureBuilt(new[] { 2, 4, 3 });
        back.Kernel.Assign(fwd.Kernel.Value); back.RecurrentKernel.Assign(fwd.RecurrentKernel.Value);
        Assert.Equal(fwd.Apply(Ops.ReverseTime(x)).ToArray(), back.Apply(x).ToArray());
    }

    [Fact]
    public void BidirectionalMergesAndNamesAsKeras()
    {
        Layer.ResetNames();
        RandomGenerator.SetGlobalSeed(9);
        var x = Normal(19, 1f, 2, 4, 3);
        var bi = new Bidirectional(new LSTM(3, returnSequences: true, returnState: true), mergeMode: null);
        var outs = bi.CallOutputs(new[] { x }, training: false);
        Assert.Equal(2 + 4, outs.Count);
        Assert.Contains("forward_lstm/lstm_cell/kernel", bi.Weights.Select(w => w.Name));
        Assert.Contains("backward_lstm/lstm_cell/kernel", bi.Weights.Select(w => w.Name));
        Assert.Equal(2 * 4 * (3 * (3 + 3) + 3), bi.CountParams());
        // The backward output is re-reversed to input order: its last row is the backward layer's final state.
        Assert.Equal(outs[4].ToArray(), Ops.Slice(outs[1], new[] { 0, 0, 0 }, new[] { 2, 1, 3 }).ToArray());
        var concat = new Bidirectional(new GRU(3), "concat");
        Assert.Equal(new[] { -1, 6 }, concat.ComputeOutputShape(new[] { -1, 4, 3 }));
        Assert.Equal(new[] { 2, 6 }, concat.Apply(x).Shape);
        Assert.Throws<ArgumentException>(() => new Bidirectional(new GRU(3), "max"));
        var e = Assert.Throws<ArgumentException>(() => new Bidirectional(new GRU(3), backwardLayer: new GRU(3)));
        Assert.Contains("go_backwards", e.Message);
        e = Assert.Throws<ArgumentException>(() => new Bidirectional(new GRU(3), backwardLayer: new GRU(3, goBackwards: true, returnSequences: true)));
        Assert.Contains("return_sequences", e.Message);
    }

    // ------------------------------------------------------------------ errors

    [Fact]
    public void BadConfigurationAndInputsAreClearErrors()
    {
        Assert.Contains("units=-3", Assert.Throws<ArgumentException>(() => new LSTM(-3)).Message);
        Assert.Contains("recurrent_activation=softmax", Assert.Throws<ArgumentException>(() => new GRU(3, recurrentActivation: "softmax")).Message);
        var l = new SimpleRNN(2, name: "rnn_x");
        var e = Assert.Throws<ArgumentException>(() => l.Apply(Tensor.Zeros(2, 3)));
        Assert.Contains("\"rnn_x\"", e.Message); Assert.Contains("ndim=3", e.Message);
        l.Apply(Tensor.Zeros(2, 3, 4));
        e = Assert.Throws<ArgumentException>(() => l.Apply(Tensor.Zeros(2, 3, 5)));
        Assert.Contains("\"rnn_x\"", e.Message);
        e = Assert.Throws<ArgumentException>(() => l.Apply(Tensor.Zeros(2, 3, 4), Tensor.Ones(2, 4)));
        Assert.Contains("mask", e.Message);
        Assert.Equal(1f, new LSTM(2, dropout: 3f).DropoutRate);                // clipped as Keras does
    }

    private sealed class FloatNear(float tol) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tol;
        public int GetHashCode(float v) => 0;
    }
}
