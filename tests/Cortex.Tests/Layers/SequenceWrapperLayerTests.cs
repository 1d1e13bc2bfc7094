using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Tests.Layers;

/// <summary>Masking, RepeatVector and TimeDistributed: values, gradients, shapes, masks, config and errors.</summary>
public class SequenceWrapperLayerTests
{
    /// <summary>Records the mask it is called with.</summary>
    private sealed class MaskReader : Layer
    {
        public float[]? Seen;
        public int[]? SeenShape;
        public override bool SupportsMasking => true;
        public override Tensor Call(Tensor inputs, bool training) { Seen = null; return inputs; }
        public override Tensor Call(Tensor inputs, Tensor? mask, bool training) { Seen = mask?.ToArray(); SeenShape = mask?.Shape.ToArray(); return inputs; }
    }

    // ------------------------------------------------------------------ Masking

    [Fact]
    public void Masking_zeroes_steps_whose_features_all_equal_mask_value_and_masks_them()
    {
        var m = new Masking(maskValue: -1f);
        var x = Tensor.FromArray(new float[] { 1, 2, -1, -1, -1, 3, /**/ -1, -1, 4, 5, 6, 7 }, 2, 3, 2);
        Assert.Equal(new float[] { 1, 2, 0, 0, -1, 3, 0, 0, 4, 5, 6, 7 }, m.Apply(x).ToArray());
        Assert.Equal(new float[] { 1, 0, 1, 0, 1, 1 }, m.ComputeMask(x, null)!.ToArray());
        Assert.Equal(new[] { 2, 3 }, m.ComputeMask(x, null)!.Shape);
        Assert.Equal(-1f, m.GetConfig()["mask_value"]);
    }

    [Fact]
    public void Masking_gradient_passes_on_kept_steps_and_is_zero_on_masked_steps()
    {
        // The masked step sits on the mask value, where the function has a kink, so the tape is checked directly:
        // d(sum(y * u))/dx = u on kept steps, 0 on masked ones.
        var m = new Masking();
        var x = Tensor.FromArray(new float[] { 0.5f, 0, 0, 0, -0.7f, 1.2f }, 1, 3, 2);
        var u = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6 }, 1, 3, 2);
        using var tape = Cortex.Autodiff.GradientTape.Begin();
        tape.Watch(x);
        var g = tape.Gradient(Ops.Sum(Ops.Multiply(m.Call(x, false), u)), new[] { x })[0];
        Assert.Equal(new float[] { 1, 2, 0, 0, 5, 6 }, g.ToArray());
        var kept = Tensor.FromArray(new float[] { 0.5f, 0.3f, -0.7f, 1.2f }, 1, 2, 2);
        GradientCheck.Assert(t => m.Call(t[0], false), kept);
    }

    [Fact]
    public void Masking_mask_reaches_a_mask_reading_layer_in_sequential()
    {
        var reader = new MaskReader();
        var model = new Sequential(new Masking(), new Dense(3), reader);
        model.Predict(Tensor.FromArray(new float[] { 1, 0, 0, 0, 0, 2, 0, 0 }, 2, 2, 2));
        Assert.Equal(new float[] { 1, 0, 1, 0 }, reader.Seen!);
    }

    // ------------------------------------------------------------------ RepeatVector

    [Fact]
    public void RepeatVector_matches_pytorch_and_has_keras_shapes()
    {
        var r = new RepeatVector(3);
        r.EnsureBuilt(new[] { 2, 4 });
        TextLayerReference.Check("RepeatVector/n_3", 0, new Variable?[] { null }, x => r.Call(x, false));
        Assert.Equal(new[] { -1, 3, 4 }, r.ComputeOutputShape(new[] { -1, 4 }));
        Assert.Equal(3, r.GetConfig()["n"]);
    }

    [Fact]
    public void RepeatVector_values_and_errors()
    {
        var y = new RepeatVector(2).Apply(Tensor.FromArray(new float[] { 1, 2, 3, 4 }, 2, 2));
        Assert.Equal(new float[] { 1, 2, 1, 2, 3, 4, 3, 4 }, y.ToArray());
        Assert.Contains("`n` must be a positive integer. Received: n=0", Assert.Throws<ArgumentException>(() => new RepeatVector(0)).Message);
        var ex = Assert.Throws<ArgumentException>(() => new RepeatVector(2, name: "rv").Apply(Tensor.Zeros(1, 2, 3)));
        Assert.Contains("Input 0 of layer \"rv\" is incompatible with the layer: expected ndim=2, found ndim=3", ex.Message);
    }

    // ------------------------------------------------------------------ TimeDistributed

    [Fact]
    public void TimeDistributed_dense_matches_pytorch()
    {
        var dense = new Dense(3);
        var td = new TimeDistributed(dense);
        td.EnsureBuilt(new[] { 2, 4, 5 });
        Assert.Equal(new[] { 5, 3 }, dense.Kernel.Shape);
        TextLayerReference.Check("TimeDistributedDense/dense_3", 0, new Variable?[] { null, dense.Kernel, dense.Bias }, x => td.Call(x, false));
    }

    [Fact]
    public void TimeDistributed_applies_the_layer_to_every_step_of_a_4d_input()
    {
        var flat = new Flatten();
        var td = new TimeDistributed(flat);
        var x = Tensor.FromArray(Enumerable.Range(0, 2 * 3 * 2 * 2).Select(i => (float)i).ToArray(), 2, 3, 2, 2);
        var y = td.Apply(x);
        Assert.Equal(new[] { 2, 3, 4 }, y.Shape);
        Assert.Equal(x.ToArray(), y.ToArray());
        Assert.Equal(new[] { -1, 3, 4 }, td.ComputeOutputShape(new[] { -1, 3, 2, 2 }));
        Assert.Equal(new[] { -1, -1, 4 }, td.ComputeOutputShape(new[] { -1, -1, 2, 2 }));
    }

    [Fact]
    public void TimeDistributed_gradients_reach_input_and_inner_weights()
    {
        var dense = new Dense(2, "tanh");
        var td = new TimeDistributed(dense);
        var x = Tensor.FromArray(new float[] { 0.1f, -0.4f, 0.3f, 0.9f, -0.2f, 0.5f, 0.7f, -0.8f, 0.2f, 0.6f, -0.3f, 0.4f }, 2, 2, 3);
        td.EnsureBuilt(new[] { 2, 2, 3 });
        GradientCheck.Assert(t => td.Call(t[0], false), x);
        GradientCheck.Assert(_ => td.Call(x, false), dense.Kernel.Value);
    }

    [Fact]
    public void TimeDistributed_weights_are_the_inner_layers_and_freezing_applies_to_them()
    {
        Layer.ResetNames();
        var dense = new Dense(4);
        var td = new TimeDistributed(dense);
        var td2 = new TimeDistributed(new Dense(2));
        Assert.Equal("time_distributed", td.Name);
        Assert.Equal("time_distributed_1", td2.Name);
        td.EnsureBuilt(new[] { -1, 5, 3 });
        Assert.Equal(new[] { "dense/kernel", "dense/bias" }, td.Weights.Select(w => w.Name));
        Assert.Equal(16, td.CountParams());
        td.Trainable = false;
        Assert.Empty(td.TrainableWeights);
        Assert.Equal(2, td.NonTrainableWeights.Count);
        Assert.False(dense.Trainable);
        var cfg = td.GetConfig();
        var inner = Assert.IsType<Dictionary<string, object?>>(cfg["layer"]);
        Assert.Equal("Dense", inner["class_name"]);
    }

    [Fact]
    public void TimeDistributed_folds_the_mask_for_the_inner_layer_and_passes_it_on()
    {
        var innerReader = new MaskReader();
        var after = new MaskReader();
        var model = new Sequential(new Masking(), new TimeDistributed(innerReader), after);
        model.Predict(Tensor.FromArray(new float[] { 1, 0, 0, 0, 0, 0, 2, 2, 3, 3, 0, 0 }, 2, 3, 2));
        Assert.Equal(new float[] { 1, 0, 0, 1, 1, 0 }, innerReader.Seen!);
        Assert.Equal(new[] { 6 }, innerReader.SeenShape!);
        Assert.Equal(new float[] { 1, 0, 0, 1, 1, 0 }, after.Seen!);
        Assert.Equal(new[] { 2, 3 }, after.SeenShape!);
    }

    [Fact]
    public void TimeDistributed_needs_3d_inputs()
    {
        var ex = Assert.Throws<ArgumentException>(() => new TimeDistributed(new Dense(2)).Apply(Tensor.Zeros(4, 3)));
        Assert.Contains("`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions", ex.Message);
    }

    [Fact]
    public void TimeDistributed_in_functional_model_trains()
    {
        var input = new Input(new[] { 4, 3 });
        var h = new TimeDistributed(new Dense(5, "relu")).Apply(input);
        var output = new TimeDistributed(new Dense(1)).Apply(h);
        var model = new Cortex.Keras.Models.Functional(input, output);
        Assert.Equal(new[] { -1, 4, 1 }, model.OutputShape ?? model.ComputeOutputShape(new[] { -1, 4, 3 }));
        model.Compile("adam", "mse");
        var rng = new RandomGenerator(5);
        var x = Tensor.Zeros(8, 4, 3); var xs = x.Span;
        for (int i = 0; i < xs.Length; i++) xs[i] = (float)rng.NextDouble();
        var y = Ops.Sum(x, new[] { 2 }, keepDims: true);
        var hist = model.Fit(x, y, batchSize: 8, epochs: 20, verbose: 0);
        Assert.True(hist.HistoryData["loss"][^1] < hist.HistoryData["loss"][0]);
    }
}
