using Cortex.Autodiff;
using Cortex.Keras.Metrics;
using MseMetric = Cortex.Keras.Metrics.MeanSquaredError;

namespace Cortex.Tests.Metrics;

/// <summary>The accuracy metrics on small known cases (most from Keras's docstrings), ties, label shapes and accumulation.</summary>
public sealed class AccuracyMetricTests
{
    private static Tensor T(float[] data, params int[] shape) => Tensor.FromArray(data, shape);

    [Fact]
    public void BinaryAccuracyThresholdsStrictlyAbove()
    {
        // Keras: BinaryAccuracy().update_state([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]]) → 0.75.
        var m = new BinaryAccuracy();
        m.UpdateState(T(new float[] { 1, 1, 0, 0 }, 4, 1), T(new[] { 0.98f, 1f, 0f, 0.6f }, 4, 1));
        Assert.Equal(0.75f, m.Result());
        Assert.Equal("binary_accuracy", m.Name);

        // 0.5 is not above the 0.5 threshold, so it predicts 0.
        m.ResetState();
        m.UpdateState(T(new float[] { 0, 1 }, 2, 1), T(new[] { 0.5f, 0.5f }, 2, 1));
        Assert.Equal(0.5f, m.Result());

        var strict = new BinaryAccuracy(threshold: 0.9f);
        strict.UpdateState(T(new float[] { 1, 1, 0, 0 }, 4, 1), T(new[] { 0.98f, 0.8f, 0f, 0.6f }, 4, 1));
        Assert.Equal(0.75f, strict.Result());
    }

    [Fact]
    public void BinaryAccuracyTakesRankOneLabelsAgainstAColumn()
    {
        var m = new BinaryAccuracy();
        m.UpdateState(T(new float[] { 1, 0, 1, 0 }, 4), T(new[] { 0.7f, 0.2f, 0.1f, 0.4f }, 4, 1));
        Assert.Equal(0.75f, m.Result());
    }

    [Fact]
    public void BinaryAccuracyMultiLabelAveragesPerSample()
    {
        var m = new BinaryAccuracy();
        m.UpdateState(T(new float[] { 1, 0, 1, 0, 0, 1 }, 2, 3), T(new[] { 0.9f, 0.1f, 0.2f, 0.6f, 0.3f, 0.8f }, 2, 3));
        Assert.Equal((2f / 3f + 2f / 3f) / 2f, m.Result(), 1e-6f);
    }

    [Fact]
    public void BinaryAccuracyRejectsAThresholdOutsideZeroOne()
    {
        var e = Assert.Throws<ArgumentException>(() => new BinaryAccuracy(threshold: 1f));
        Assert.Contains("Received: threshold=1", e.Message);
    }

    [Fact]
    public void CategoricalAccuracyComparesArgMaxima()
    {
        // Keras: [[0, 0, 1], [0, 1, 0]] vs [[0.1, 0.9, 0.8], [0.05, 0.95, 0]] → 0.5.
        var m = new CategoricalAccuracy();
        m.UpdateState(T(new float[] { 0, 0, 1, 0, 1, 0 }, 2, 3), T(new[] { 0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0f }, 2, 3));
        Assert.Equal(0.5f, m.Result());
        Assert.Equal("categorical_accuracy", m.Name);
    }

    [Fact]
    public void ArgMaxTiesTakeTheFirstIndex()
    {
        // Predictions tied between classes 0 and 1: the prediction is class 0, as Keras's argmax.
        var pred = T(new[] { 0.4f, 0.4f, 0.2f, 0.4f, 0.4f, 0.2f }, 2, 3);
        var cat = new CategoricalAccuracy();
        cat.UpdateState(T(new float[] { 1, 0, 0, 0, 1, 0 }, 2, 3), pred);
        Assert.Equal(0.5f, cat.Result());
        Assert.Equal(new float[] { 1, 0 }, CategoricalAccuracy.Compute(T(new float[] { 1, 0, 0, 0, 1, 0 }, 2, 3), pred).ToArray());

        var sparse = new SparseCategoricalAccuracy();
        sparse.UpdateState(T(new float[] { 0, 1 }, 2), pred);
        Assert.Equal(0.5f, sparse.Result());
    }

    [Fact]
    public void SparseCategoricalAccuracyTakesLabelsShapedNOrNx1()
    {
        // Keras: [[2], [1]] vs [[0.1, 0.6, 0.3], [0.05, 0.95, 0]] → 0.5.
        var pred = T(new[] { 0.1f, 0.6f, 0.3f, 0.05f, 0.95f, 0f }, 2, 3);
        var column = new SparseCategoricalAccuracy();
        column.UpdateState(T(new float[] { 2, 1 }, 2, 1), pred);
        var flat = new SparseCategoricalAccuracy();
        flat.UpdateState(T(new float[] { 2, 1 }, 2), pred);
        Assert.Equal(0.5f, column.Result());
        Assert.Equal(0.5f, flat.Result());
        Assert.Equal(new[] { 2 }, SparseCategoricalAccuracy.Compute(T(new float[] { 2, 1 }, 2, 1), pred).Shape);
    }

    [Fact]
    public void SparseCategoricalAccuracyRejectsMismatchedLabels()
    {
        var e = Assert.Throws<ArgumentException>(() => new SparseCategoricalAccuracy().UpdateState(T(new float[] { 1, 2, 0 }, 3), Tensor.Zeros(2, 3)));
        Assert.Contains("sparse_categorical_accuracy", e.Message);
        Assert.Contains("y_true.shape=(3,)", e.Message);
        Assert.Contains("y_pred.shape=(2, 3)", e.Message);
    }

    [Fact]
    public void AccuracyIsExactEquality()
    {
        // Keras: Accuracy().update_state([[1], [2], [3], [4]], [[0], [2], [3], [4]]) → 0.75.
        var m = new Accuracy();
        m.UpdateState(T(new float[] { 1, 2, 3, 4 }, 4, 1), T(new float[] { 0, 2, 3, 4 }, 4, 1));
        Assert.Equal(0.75f, m.Result());
        Assert.Equal("accuracy", m.Name);
    }

    [Fact]
    public void TopKCategoricalAccuracyCounts()
    {
        // Keras: TopKCategoricalAccuracy(k=1): [[0, 0, 1], [0, 1, 0]] vs [[0.1, 0.9, 0.8], [0.05, 0.95, 0]] → 0.5.
        var yTrue = T(new float[] { 0, 0, 1, 0, 1, 0 }, 2, 3);
        var yPred = T(new[] { 0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0f }, 2, 3);
        var k1 = new TopKCategoricalAccuracy(k: 1);
        k1.UpdateState(yTrue, yPred);
        Assert.Equal(0.5f, k1.Result());
        var k2 = new TopKCategoricalAccuracy(k: 2);
        k2.UpdateState(yTrue, yPred);
        Assert.Equal(1f, k2.Result());
        var k5 = new TopKCategoricalAccuracy();
        Assert.Equal(5, k5.K);
        Assert.Equal("top_k_categorical_accuracy", k5.Name);
        k5.UpdateState(yTrue, yPred);   // k larger than the number of classes: everything is in
        Assert.Equal(1f, k5.Result());
    }

    [Fact]
    public void SparseTopKCategoricalAccuracyCounts()
    {
        // Keras: SparseTopKCategoricalAccuracy(k=1): [2, 1] vs [[0.1, 0.9, 0.8], [0.05, 0.95, 0]] → 0.5.
        var yPred = T(new[] { 0.1f, 0.9f, 0.8f, 0.05f, 0.95f, 0f }, 2, 3);
        var flat = new SparseTopKCategoricalAccuracy(k: 1);
        flat.UpdateState(T(new float[] { 2, 1 }, 2), yPred);
        Assert.Equal(0.5f, flat.Result());
        var column = new SparseTopKCategoricalAccuracy(k: 2);
        column.UpdateState(T(new float[] { 2, 1 }, 2, 1), yPred);
        Assert.Equal(1f, column.Result());
        Assert.Equal(new[] { 2, 1 }, SparseTopKCategoricalAccuracy.Compute(T(new float[] { 2, 1 }, 2, 1), yPred, 1).Shape);
    }

    [Fact]
    public void TopKTiesAtTheBoundaryCountAsIn()
    {
        // As TensorFlow's in_top_k: class 1 ties the largest prediction, so it is in the top 1; class 2 is not.
        var yPred = T(new[] { 0.4f, 0.4f, 0.2f, 0.4f, 0.4f, 0.2f }, 2, 3);
        Assert.Equal(new float[] { 1, 0 }, SparseTopKCategoricalAccuracy.Compute(T(new float[] { 1, 2 }, 2), yPred, 1).ToArray());
        Assert.Equal(new float[] { 1, 1 }, SparseTopKCategoricalAccuracy.Compute(T(new float[] { 1, 2 }, 2), yPred, 3).ToArray());
    }

    [Fact]
    public void StateAccumulatesOverBatchesUntilReset()
    {
        var m = new SparseCategoricalAccuracy();
        Assert.Equal(0f, m.Result());                                    // nothing seen yet
        m.UpdateState(T(new float[] { 0, 1, 2, 0 }, 4), T(new[] { 0.9f, 0.1f, 0.2f, 0.7f, 0.1f, 0.8f, 0.3f, 0.3f, 0.4f, 0.5f, 0.4f, 0.1f }, 4, 3));   // 3 of 4
        Assert.Equal(0.75f, m.Result());
        m.UpdateState(T(new float[] { 1, 1 }, 2), T(new[] { 0.2f, 0.8f, 0f, 0.6f, 0.3f, 0.1f }, 2, 3));   // 1 of 2
        Assert.Equal(4f / 6f, m.Result(), 1e-6f);                        // weighted by samples, not by batches
        m.ResetState();
        Assert.Equal(0f, m.Result());
        m.UpdateState(T(new float[] { 1 }, 1), T(new[] { 0.2f, 0.8f, 0f }, 1, 3));
        Assert.Equal(1f, m.Result());
    }

    [Fact]
    public void MetricsDoNotRecordOnTheTape()
    {
        var yPred = T(new[] { 0.2f, 0.8f, 0.6f, 0.4f }, 2, 2);
        using var tape = GradientTape.Begin();
        tape.Watch(yPred);
        int before = tape.Count;
        new CategoricalAccuracy().UpdateState(T(new float[] { 0, 1, 1, 0 }, 2, 2), yPred);
        new MseMetric().UpdateState(T(new float[] { 0, 1, 1, 0 }, 2, 2), yPred);
        Assert.Equal(before, tape.Count);
    }

    [Fact]
    public void ConfigsCarryKerasArguments()
    {
        Assert.Equal(0.7f, new BinaryAccuracy(threshold: 0.7f).GetConfig()["threshold"]);
        Assert.Equal(3, new TopKCategoricalAccuracy(k: 3).GetConfig()["k"]);
        Assert.Equal("my_acc", new CategoricalAccuracy("my_acc").GetConfig()["name"]);
    }
}
