using Cortex.Keras.Metrics;
using MseMetric = Cortex.Keras.Metrics.MeanSquaredError;
using MaeMetric = Cortex.Keras.Metrics.MeanAbsoluteError;

namespace Cortex.Tests.Metrics;

/// <summary><see cref="Mean"/>, <see cref="MeanMetricWrapper"/> and the mean squared / absolute error metrics.</summary>
public sealed class RegressionAndMeanMetricTests
{
    private static Tensor T(float[] data, params int[] shape) => Tensor.FromArray(data, shape);

    [Fact]
    public void MeanWeighsValuesByCount()
    {
        var m = new Mean();
        Assert.Equal("mean", m.Name);
        m.UpdateState(2f, 3);
        m.UpdateState(4f, 1);
        Assert.Equal(2.5f, m.Result());
        Assert.Equal(4.0, m.Count);
        m.ResetState();
        Assert.Equal(0f, m.Result());
    }

    [Fact]
    public void MeanOfTensorValuesAsKeras()
    {
        // Keras: Mean().update_state([1, 3, 5, 7]) → 4.
        var m = new Mean();
        m.UpdateState(T(new float[] { 1, 3, 5, 7 }, 4));
        Assert.Equal(4f, m.Result());
        // Rank 2: each row is averaged first and counts as one sample.
        m.ResetState();
        m.UpdateState(T(new float[] { 1, 3, 10, 20 }, 2, 2));
        Assert.Equal((2f + 15f) / 2f, m.Result());
        Assert.Equal(2.0, m.Count);
        // A scalar counts once.
        m.UpdateState(Tensor.Scalar(1.5f));
        Assert.Equal((2f + 15f + 1.5f) / 3f, m.Result(), 1e-6f);
    }

    [Fact]
    public void PlainMeanDoesNotTakeTargetsAndPredictions()
    {
        var e = Assert.Throws<NotSupportedException>(() => new Mean("loss").UpdateState(Tensor.Zeros(2), Tensor.Zeros(2)));
        Assert.Contains("MeanMetricWrapper", e.Message);
    }

    [Fact]
    public void MeanMetricWrapperAveragesPerSampleValuesOverAllSamples()
    {
        var m = new MeanMetricWrapper((t, p) => Ops.Abs(Ops.Subtract(t, p)), "abs_error");
        m.UpdateState(T(new float[] { 0, 0, 0 }, 3), T(new float[] { 1, 2, 3 }, 3));
        m.UpdateState(T(new float[] { 0 }, 1), T(new float[] { 10 }, 1));
        Assert.Equal((1f + 2f + 3f + 10f) / 4f, m.Result());
        Assert.Equal("abs_error", m.Name);
    }

    [Fact]
    public void MeanSquaredAndAbsoluteErrorMetrics()
    {
        var yTrue = T(new float[] { 0, 1, 1, 1 }, 2, 2);
        var yPred = T(new float[] { 1, 1, 1, 0 }, 2, 2);
        var mse = new MseMetric();
        mse.UpdateState(yTrue, yPred);
        Assert.Equal(0.5f, mse.Result());                 // Keras's docstring example
        Assert.Equal("mean_squared_error", mse.Name);
        var mae = new MaeMetric();
        mae.UpdateState(yTrue, yPred);
        Assert.Equal(0.5f, mae.Result());
        Assert.Equal("mean_absolute_error", mae.Name);

        // A second batch of one sample with squared error 4: (0.5 + 0.5 + 4) / 3.
        mse.UpdateState(T(new float[] { 0, 0 }, 1, 2), T(new float[] { 2, 2 }, 1, 2));
        Assert.Equal(5f / 3f, mse.Result(), 1e-6f);
        mse.ResetState();
        Assert.Equal(0f, mse.Result());
    }

    [Fact]
    public void AccumulatesInDoublePrecision()
    {
        // 2²⁴ samples of 1 and one of 3: a float32 total would round 2²⁴ + 3 to 2²⁴ + 4; the double total is exact.
        var m = new Mean();
        m.UpdateState(1f, 16_777_216);
        m.UpdateState(3f, 1);
        Assert.Equal(16_777_219.0, m.Total);
        Assert.Equal(16_777_217.0, m.Count);
    }
}
