using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using static Cortex.Tests.TestLayers;

namespace Cortex.Tests.Layers;

/// <summary>Masks travel from the layer that makes them, through layers that support masking, to the layer that reads them.</summary>
public class MaskPropagationTests
{
    /// <summary>Records the mask it is called with.</summary>
    private sealed class MaskReader : Layer
    {
        public float[]? Seen;
        public int Calls;
        public override Tensor Call(Tensor inputs, bool training) { Calls++; Seen = null; return inputs; }
        public override Tensor Call(Tensor inputs, Tensor? mask, bool training) { Calls++; Seen = mask?.ToArray(); return inputs; }
    }

    private static Tensor Batch() => Tensor.FromArray(new float[] { 1, 1, 0, 0, 2, 2, 3, 3, 0, 0, 0, 0 }, 2, 3, 2);

    [Fact]
    public void Sequential_passes_the_mask_through_layers_that_support_masking()
    {
        var reader = new MaskReader();
        var model = new Sequential(new FirstFeatureMask(), new Dense(2), new Dropout(0.5f), reader);
        model.Predict(Batch());
        Assert.Equal(new float[] { 1, 0, 1, 1, 0, 0 }, reader.Seen!);
    }

    [Fact]
    public void A_layer_without_masking_support_drops_the_mask()
    {
        var reader = new MaskReader();
        var model = new Sequential(new FirstFeatureMask(), new Reshape(new[] { 3, 2 }), reader);
        model.Predict(Batch());
        Assert.Equal(1, reader.Calls);
        Assert.Null(reader.Seen);
    }

    [Fact]
    public void Functional_passes_the_mask_along_the_graph()
    {
        var reader = new MaskReader();
        var input = new Input(new[] { 3, 2 });
        var x = new FirstFeatureMask().Apply(input);
        x = new Dense(4).Apply(x);
        var model = new Cortex.Keras.Models.Functional(input, reader.Apply(x));
        model.Predict(Batch());
        Assert.Equal(new float[] { 1, 0, 1, 1, 0, 0 }, reader.Seen!);
    }
}
