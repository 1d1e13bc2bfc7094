using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Losses;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using static Cortex.Tests.Training.TrainingTestUtil;
using static Cortex.Tests.TestLayers;

namespace Cortex.Tests.Training;

using Functional = Cortex.Keras.Models.Functional;

/// <summary>An output that carries a mask has its per-timestep loss masked, as Keras does.</summary>
[Collection(nameof(GlobalRandomCollection))]
public class LossMaskTests
{
    // Two sequences of 3 steps, 2 features; steps (0, 2) and (1, 1), (1, 2) are padding (first feature 0).
    private static Tensor X() => Tensor.FromArray(new float[] { 1, 2, 3, 4, 0, 0, 5, 6, 0, 0, 0, 0 }, 2, 3, 2);

    [Fact]
    public void Masked_steps_contribute_nothing_and_the_mean_is_over_unmasked_steps()
    {
        var model = new Sequential(new FirstFeatureMask(), new Dense(1, inputShape: new[] { 3, 2 }));
        model.Compile(new SGD(0.1f), "mse");
        var x = X();
        var y = Random(7, 2, 3, 1);
        var p = model.Predict(x).ToArray();
        var t = y.ToArray();
        int[] kept = { 0, 1, 3 };
        float expected = kept.Select(i => (p[i] - t[i]) * (p[i] - t[i])).Sum() / kept.Length;
        Assert.Equal(expected, model.Evaluate(x, y, verbose: 0)["loss"], 4);

        // Changing the targets at masked steps changes neither the loss nor the training step.
        var y2 = y.ToArray(); y2[2] += 10f; y2[4] -= 3f; y2[5] += 7f;
        var other = new Sequential(new FirstFeatureMask(), new Dense(1, inputShape: new[] { 3, 2 }));
        other.Predict(x);
        CopyWeights(model, other);
        other.Compile(new SGD(0.1f), "mse");
        var yb = Tensor.FromArray(y2, 2, 3, 1);
        Assert.Equal(expected, other.Evaluate(x, yb, verbose: 0)["loss"], 4);
        model.TrainOnBatch(x, y); other.TrainOnBatch(x, yb);
        AssertWeightsClose(model, other);
    }

    [Fact]
    public void Functional_outputs_expose_their_masks_and_masks_combine_with_sample_weights()
    {
        var input = new Input(new[] { 3, 2 });
        var output = new Dense(1).Apply(new FirstFeatureMask().Apply(input));
        var model = new Functional(input, output);
        model.Compile(new SGD(), "mse");
        var (outs, masks) = ((Model)model).CallWithMasksForTest(new[] { X() });
        Assert.Equal(new float[] { 1, 1, 0, 1, 0, 0 }, masks[0]!.ToArray());

        var y = Tensor.Zeros(2, 3, 1);
        var w = Tensor.FromArray(new float[] { 2, 1 }, 2);
        var p = outs[0].ToArray();
        // Mask 1,1,0 / 1,0,0 scaled by total/valid = 6/3, times weight 2 (row 0) and 1 (row 1); mean over 6 values.
        float expected = (2 * (p[0] * p[0] + p[1] * p[1]) + 1 * p[3] * p[3]) * 2f / 6f;
        Assert.Equal(expected, Model.WeightedLoss(new MeanSquaredError(), y, outs[0], w, masks[0]).Item(), 4);
        Assert.Equal(expected, model.Evaluate(X(), y, verbose: 0, sampleWeight: w)["loss"], 4);
    }
}

internal static class MaskTestExtensions
{
    public static (IReadOnlyList<Tensor> Outputs, IReadOnlyList<Tensor?> Masks) CallWithMasksForTest(this Model m, IReadOnlyList<Tensor> x) => m.CallWithMasks(x, false);
}
