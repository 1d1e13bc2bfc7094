using Cortex.Keras.Losses;
using Cortex.Keras.Metrics;
using MaeMetric = Cortex.Keras.Metrics.MeanAbsoluteError;
using MseMetric = Cortex.Keras.Metrics.MeanSquaredError;

namespace Cortex.Tests.Metrics;

/// <summary><see cref="Metric.Get"/>: Keras 3's resolution of "accuracy" from the shapes, names as written, unknown names.</summary>
public sealed class MetricGetTests
{
    /// <summary>Keras 3's compile_utils table: binary when y_pred's last dimension is 1; sparse when y_true has a lower
    /// rank, or a last dimension of 1 against more than 1; categorical otherwise.</summary>
    [Theory]
    [InlineData(new[] { 32 }, new[] { 32, 1 }, typeof(BinaryAccuracy))]
    [InlineData(new[] { 32, 1 }, new[] { 32, 1 }, typeof(BinaryAccuracy))]
    [InlineData(new[] { 32 }, new[] { 32, 10 }, typeof(SparseCategoricalAccuracy))]
    [InlineData(new[] { 32, 1 }, new[] { 32, 10 }, typeof(SparseCategoricalAccuracy))]
    [InlineData(new[] { 32, 5, 1 }, new[] { 32, 5, 3 }, typeof(SparseCategoricalAccuracy))]
    [InlineData(new[] { 32, 5 }, new[] { 32, 5, 3 }, typeof(SparseCategoricalAccuracy))]
    [InlineData(new[] { 32, 10 }, new[] { 32, 10 }, typeof(CategoricalAccuracy))]
    [InlineData(new[] { 32, 2 }, new[] { 32, 2 }, typeof(CategoricalAccuracy))]
    [InlineData(new[] { 32 }, new[] { 32 }, typeof(CategoricalAccuracy))]
    public void AccuracyResolvesFromShapes(int[] yTrueShape, int[] yPredShape, Type expected)
    {
        foreach (var name in new[] { "accuracy", "acc", "Accuracy", "ACC" })
        {
            var m = Metric.Get(name, yTrueShape, yPredShape);
            Assert.IsType(expected, m);
            Assert.Equal(name, m.Name);          // logged as the user wrote it
        }
    }

    [Fact]
    public void TheLossDoesNotChangeTheResolution()
    {
        // Keras 3 looks at the shapes only (Keras 2.2 looked at the loss).
        var m = Metric.Get("accuracy", new[] { 8, 1 }, new[] { 8, 1 }, new CategoricalCrossentropy());
        Assert.IsType<BinaryAccuracy>(m);
    }

    [Theory]
    [InlineData("binary_accuracy", typeof(BinaryAccuracy))]
    [InlineData("categorical_accuracy", typeof(CategoricalAccuracy))]
    [InlineData("sparse_categorical_accuracy", typeof(SparseCategoricalAccuracy))]
    [InlineData("top_k_categorical_accuracy", typeof(TopKCategoricalAccuracy))]
    [InlineData("sparse_top_k_categorical_accuracy", typeof(SparseTopKCategoricalAccuracy))]
    [InlineData("mse", typeof(MseMetric))]
    [InlineData("mean_squared_error", typeof(MseMetric))]
    [InlineData("mae", typeof(MaeMetric))]
    [InlineData("mean_absolute_error", typeof(MaeMetric))]
    [InlineData("CategoricalAccuracy", typeof(CategoricalAccuracy))]
    [InlineData("binary_crossentropy", typeof(MeanMetricWrapper))]
    [InlineData("kl_divergence", typeof(MeanMetricWrapper))]
    public void NamedMetricsAreNamedAsWritten(string name, Type expected)
    {
        var m = Metric.Get(name, new[] { 4, 3 }, new[] { 4, 3 });
        Assert.IsType(expected, m);
        Assert.Equal(name, m.Name);
    }

    [Fact]
    public void LossNamedMetricAveragesTheLoss()
    {
        var m = Metric.Get("binary_crossentropy", new[] { 2, 2 }, new[] { 2, 2 });
        var yTrue = Tensor.FromArray(new float[] { 0, 1, 0, 0 }, 2, 2);
        var yPred = Tensor.FromArray(new float[] { 0.6f, 0.4f, 0.4f, 0.6f }, 2, 2);
        m.UpdateState(yTrue, yPred);
        Assert.Equal(new BinaryCrossentropy().Call(yTrue, yPred).Item(), m.Result(), 1e-6f);
    }

    [Fact]
    public void UnknownNameListsTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Metric.Get("acuracy", new[] { 4 }, new[] { 4, 3 }));
        Assert.Contains("Unknown metric: 'acuracy'", e.Message);
        foreach (var valid in new[] { "accuracy", "acc", "binary_accuracy", "categorical_accuracy", "sparse_categorical_accuracy",
                                      "top_k_categorical_accuracy", "sparse_top_k_categorical_accuracy", "mse", "mae" })
            Assert.Contains(valid, e.Message);
    }

    [Fact]
    public void AccuracyNeedsAClassAxis()
    {
        var e = Assert.Throws<ArgumentException>(() => Metric.Get("accuracy", Array.Empty<int>(), Array.Empty<int>()));
        Assert.Contains("accuracy", e.Message);
    }
}
