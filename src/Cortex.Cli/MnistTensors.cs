using Cortex.Keras.Datasets;

namespace Cortex.Cli;

/// <summary>MNIST as tensors the way the Keras examples prepare it: pixels / 255, flattened to 784, labels one-hot.</summary>
internal sealed record MnistTensors(Tensor XTrain, Tensor YTrain, Tensor XTest, Tensor YTest, string Source)
{
    public static MnistTensors Load(string? folder)
    {
        var d = folder is null ? Mnist.LoadSample() : Mnist.Load(folder, allowDownload: false);
        var (x, y, xt, yt) = d.ToFlatTensors();
        return new MnistTensors(x, y, xt, yt, d.Source);
    }
}
