using Cortex.Keras.Datasets;

namespace Cortex.Tests.Datasets;

public class MnistTensorTests
{
    [Fact]
    public void FlatTensorsAreScaledPixelsAndOneHotLabels()
    {
        var d = Mnist.LoadSample();
        var (x, y, xt, yt) = d.ToFlatTensors();
        Assert.Equal(new[] { d.TrainCount, 784 }, x.Shape.ToArray());
        Assert.Equal(new[] { d.TrainCount, 10 }, y.Shape.ToArray());
        Assert.Equal(new[] { d.TestCount, 784 }, xt.Shape.ToArray());
        Assert.Equal(new[] { d.TestCount, 10 }, yt.Shape.ToArray());
        int pixel = Array.FindIndex(d.TrainImages, b => b > 0);
        Assert.Equal(d.TrainImages[pixel] / 255f, x[pixel / 784, pixel % 784], 6);
        Assert.InRange(x.ToArray().Max(), 0.99f, 1f);
        Assert.Equal(1f, y[0, d.TrainLabels[0]]);
        Assert.Equal(1f, y.ToArray().Take(10).Sum());
        Assert.Equal(1f, yt[0, d.TestLabels[0]]);
    }
}
