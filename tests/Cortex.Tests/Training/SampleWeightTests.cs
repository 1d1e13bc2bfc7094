using Cortex.Keras.Layers;
using Cortex.Keras.Losses;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using static Cortex.Tests.Training.TrainingTestUtil;

namespace Cortex.Tests.Training;

[Collection(nameof(GlobalRandomCollection))]
public class SampleWeightTests
{
    private static Sequential Net() => new(new Dense(4, activation: "tanh", inputShape: new[] { 3 }), new Dense(2));

    [Fact]
    public void Zero_weights_on_half_the_batch_give_the_gradient_of_the_other_half_over_the_full_batch_size()
    {
        // sum_over_batch_size: Σ w·l / N. Weights (1,1,1,1,0,0,0,0) give Σ_kept l / 8 = (mean over the 4 kept) / 2,
        // so one SGD step with lr on the weighted batch equals one with lr / 2 on the kept half alone.
        var x = Random(1, 8, 3); var y = Random(2, 8, 2);
        var weighted = Net(); var dropped = Net();
        CopyWeights(weighted, dropped);
        weighted.Compile(new SGD(0.2f), "mse");
        dropped.Compile(new SGD(0.1f), "mse");
        weighted.TrainOnBatch(x, y, Tensor.FromArray(new float[] { 1, 1, 1, 1, 0, 0, 0, 0 }, 8));
        dropped.TrainOnBatch(Ops.SliceRows(x, 0, 4), Ops.SliceRows(y, 0, 4));
        AssertWeightsClose(dropped, weighted);

        // And the weights are not ignored: without them the step differs.
        var plain = Net(); CopyWeights(dropped, plain);
        var reference = Net(); CopyWeights(dropped, reference);
        plain.Compile(new SGD(0.2f), "mse"); reference.Compile(new SGD(0.2f), "mse");
        plain.TrainOnBatch(x, y);
        reference.TrainOnBatch(x, y, Tensor.FromArray(new float[] { 1, 1, 1, 1, 0, 0, 0, 0 }, 8));
        Assert.NotEqual(plain.Weights[0].Value.ToArray(), reference.Weights[0].Value.ToArray());
    }

    [Fact]
    public void Weighted_reductions_match_keras()
    {
        var yTrue = Tensor.FromArray(new float[] { 0, 0, 1, 1, 2, 2 }, 3, 2);
        var yPred = Tensor.Zeros(3, 2);                     // per-sample mse: 0, 1, 4
        var w = Tensor.FromArray(new float[] { 3, 1, 0.5f }, 3);
        Assert.Equal((0 * 3 + 1 * 1 + 4 * 0.5f) / 3f, Model.WeightedLoss(new MeanSquaredError(), yTrue, yPred, w).Item(), 5);
        Assert.Equal(0 * 3 + 1 * 1 + 4 * 0.5f, Model.WeightedLoss(new MeanSquaredError(reduction: "sum"), yTrue, yPred, w).Item(), 5);
        Assert.Equal(3f / 4.5f, Model.WeightedLoss(new MeanSquaredError(reduction: "mean_with_sample_weight"), yTrue, yPred, w).Item(), 5);
        Assert.Equal(new[] { 0f, 1f, 2f }, Model.WeightedLoss(new MeanSquaredError(reduction: "none"), yTrue, yPred, w).ToArray());
        // A (n, 1) weight column is squeezed to (n,), as Keras's squeeze_or_expand_to_same_rank.
        Assert.Equal(1f, Model.WeightedLoss(new MeanSquaredError(), yTrue, yPred, Ops.Reshape(w, 3, 1)).Item(), 5);
    }

    [Fact]
    public void Evaluate_weights_the_loss_per_sample()
    {
        var model = Net();
        model.Compile(new SGD(), "mse");
        var x = Random(3, 6, 3); var y = Random(4, 6, 2);
        var w = Tensor.FromArray(new float[] { 1, 0, 2, 0, 1, 0 }, 6);
        var p = model.Predict(x);
        float expected = Model.WeightedLoss(new MeanSquaredError(), y, p, w).Item();
        Assert.Equal(expected, model.Evaluate(x, y, batchSize: 6, verbose: 0, sampleWeight: w)["loss"], 5);
        Assert.NotEqual(model.Evaluate(x, y, batchSize: 6, verbose: 0)["loss"], expected, 3);
    }

    [Fact]
    public void Class_weights_become_sample_weights_from_the_targets_class()
    {
        var oneHot = Tensor.FromArray(new float[] { 0, 1, 0, 1, 0, 0, 0, 0, 1 }, 3, 3);
        var cw = new Dictionary<int, float> { [0] = 0.5f, [1] = 4f };
        Assert.Equal(new[] { 4f, 0.5f, 1f }, Model.ClassWeightsToSampleWeights(oneHot, cw).ToArray());   // class 2 missing → 1
        Assert.Equal(new[] { 4f, 0.5f, 1f }, Model.ClassWeightsToSampleWeights(Tensor.FromArray(new float[] { 1, 0, 2 }, 3, 1), cw).ToArray());

        var x = Random(5, 9, 3);
        var labels = Tensor.FromArray(new float[] { 0, 1, 1, 0, 1, 1, 0, 0, 1 }, 9);
        var a = new Sequential(new Dense(2, activation: "softmax", inputShape: new[] { 3 }));
        var b = new Sequential(new Dense(2, activation: "softmax", inputShape: new[] { 3 }));
        var c = new Sequential(new Dense(2, activation: "softmax", inputShape: new[] { 3 }));
        CopyWeights(a, b); CopyWeights(a, c);
        foreach (var m in new[] { a, b, c }) m.Compile(new SGD(0.5f), "sparse_categorical_crossentropy");
        a.Fit(x, labels, batchSize: 3, epochs: 2, verbose: 0, shuffle: false, classWeight: new Dictionary<int, float> { [0] = 3f });
        b.Fit(x, labels, batchSize: 3, epochs: 2, verbose: 0, shuffle: false, sampleWeight: Model.ClassWeightsToSampleWeights(labels, new Dictionary<int, float> { [0] = 3f }));
        c.Fit(x, labels, batchSize: 3, epochs: 2, verbose: 0, shuffle: false);
        AssertWeightsClose(b, a);
        Assert.NotEqual(c.Weights[0].Value.ToArray(), a.Weights[0].Value.ToArray());

        var ex = Assert.Throws<ArgumentException>(() => a.Fit(x, labels, verbose: 0, sampleWeight: Tensor.Zeros(9), classWeight: new Dictionary<int, float>()));
        Assert.Contains("`class_weight` and `sample_weight` at the same time", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => a.Fit(x, labels, verbose: 0, sampleWeight: Tensor.Zeros(8)));
        Assert.Contains("sample_weight sizes: 8", ex.Message);
    }
}
