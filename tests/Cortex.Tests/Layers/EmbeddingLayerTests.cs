using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Tests.Layers;

/// <summary>Embedding: lookup and scatter-add gradient against PyTorch, masks, validation, config.</summary>
public class EmbeddingLayerTests
{
    private static Embedding Built(int inputDim, int outputDim, int[] idsShape, bool maskZero = false)
    {
        var e = new Embedding(inputDim, outputDim, maskZero: maskZero);
        e.EnsureBuilt(idsShape);
        return e;
    }

    [Theory]
    [InlineData("Embedding/ids_2d_repeats", 7, 4, new[] { 2, 5 })]
    [InlineData("Embedding/ids_3d", 5, 3, new[] { 2, 3, 2 })]
    public void Matches_pytorch_forward_and_scatter_add_backward(string name, int inputDim, int outputDim, int[] idsShape)
    {
        var e = Built(inputDim, outputDim, idsShape);
        TextLayerReference.Check(name, 1, new Variable?[] { e.Embeddings, null }, ids => e.Call(ids, false));
    }

    [Fact]
    public void Gradient_check_on_the_embeddings()
    {
        var e = Built(6, 3, new[] { 2, 4 });
        var ids = Tensor.FromArray(new float[] { 1, 5, 5, 0, 2, 2, 2, 4 }, 2, 4);
        GradientCheck.Assert(_ => e.Call(ids, false), e.Embeddings.Value);
    }

    [Fact]
    public void Output_shape_default_initializer_and_weight_name()
    {
        Layer.ResetNames();
        var e = new Embedding(1000, 64);
        var y = e.Apply(Tensor.FromArray(new float[] { 0, 999, 3, 4, 5, 6 }, 2, 3));
        Assert.Equal(new[] { 2, 3, 64 }, y.Shape);
        Assert.Equal(new[] { -1, 10, 64 }, e.ComputeOutputShape(new[] { -1, 10 }));
        Assert.Equal("embedding/embeddings", e.Embeddings.Name);
        var w = e.Embeddings.ToArray();
        Assert.All(w, v => Assert.InRange(v, -0.05f, 0.05f));
        Assert.True(w.Max() - w.Min() > 0.08f, "uniform(-0.05, 0.05) should span nearly the whole range");
        Assert.Equal(64000, e.CountParams());
    }

    [Fact]
    public void Mask_zero_masks_id_zero_and_ignores_an_incoming_mask()
    {
        var e = Built(10, 2, new[] { 2, 3 }, maskZero: true);
        var ids = Tensor.FromArray(new float[] { 0, 4, 0, 9, 0, 1 }, 2, 3);
        Assert.Equal(new float[] { 0, 1, 0, 1, 0, 1 }, e.ComputeMask(ids, null)!.ToArray());
        Assert.Equal(new float[] { 0, 1, 0, 1, 0, 1 }, e.ComputeMask(ids, Tensor.Zeros(2, 3))!.ToArray());
        Assert.Null(Built(10, 2, new[] { 2, 3 }).ComputeMask(ids, null));
    }

    [Theory]
    [InlineData(10f, "input id 10 at position (1, 0) is out of range; ids must be integers in [0, input_dim=10)")]
    [InlineData(-1f, "input id -1 at position (1, 0) is out of range")]
    [InlineData(2.5f, "input id 2.5 at position (1, 0) is not an integer id")]
    public void Bad_ids_name_the_layer_the_id_and_input_dim(float bad, string expected)
    {
        var e = new Embedding(10, 2, name: "words");
        var ids = Tensor.FromArray(new float[] { 1, 2, bad, 3 }, 2, 2);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => e.Apply(ids));
        Assert.Contains("layer \"words\"", ex.Message);
        Assert.Contains(expected, ex.Message);
    }

    [Fact]
    public void Bad_config_gives_keras_messages()
    {
        var ex = Assert.Throws<ArgumentException>(() => new Embedding(0, 8));
        Assert.Equal("Both `input_dim` and `output_dim` should be positive, Received input_dim = 0 and output_dim = 8", ex.Message);
        Assert.Throws<ArgumentException>(() => new Embedding(5, -1));
        Assert.Throws<ArgumentException>(() => new Embedding(5, 2, inputLength: 0));
    }

    [Fact]
    public void Input_length_declares_the_input_shape_and_config_is_keras()
    {
        var e = new Embedding(20, 4, maskZero: true, inputLength: 7, name: "emb");
        Assert.Equal(new[] { -1, 7 }, e.BatchInputShape);
        var c = e.GetConfig();
        Assert.Equal(20, c["input_dim"]); Assert.Equal(4, c["output_dim"]);
        Assert.Equal(true, c["mask_zero"]); Assert.Equal(7, c["input_length"]);
        Assert.NotNull(c["embeddings_initializer"]);
    }

    [Fact]
    public void Trains_in_a_sequential_model_with_masking_downstream()
    {
        // Embedding(mask_zero) -> TimeDistributed(Dense(1)): padded steps (id 0) carry the mask through the wrapper.
        var emb = new Embedding(8, 4, new Cortex.Keras.Initializers.RandomUniform(-0.05f, 0.05f, seed: 3), maskZero: true);
        var td = new TimeDistributed(new Dense(1, null, true, new Cortex.Keras.Initializers.GlorotUniform(seed: 4), new Cortex.Keras.Initializers.Zeros()));
        var model = new Sequential(emb, td);
        model.Compile("adam", "mse");
        var x = Tensor.FromArray(new float[] { 1, 2, 0, 3, 4, 5, 6, 7, 0 }, 3, 3);
        var y = Tensor.FromArray(new float[] { 1, 2, 0, 3, 4, 5, 6, 7, 0 }, 3, 3, 1);
        model.Predict(x);
        var before = emb.Embeddings.ToArray();
        var h = model.Fit(x, y, batchSize: 3, epochs: 5, verbose: 0);
        Assert.NotEqual(before, emb.Embeddings.ToArray());
        Assert.True(h.HistoryData["loss"][^1] < h.HistoryData["loss"][0]);
        // Row 0 (padding id) is used, so it trains too, as in Keras (masking affects consumers, not the lookup).
    }
}
