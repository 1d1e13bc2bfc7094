using Cortex.Keras.Datasets;
using Cortex.Keras.Utils;

namespace Cortex.Cli;

/// <summary>MNIST as tensors the way the Keras examples prepare it: pixels / 255, flattened to 784, labels one-hot.</summary>
internal sealed record MnistTensors(Tensor XTrain, Tensor YTrain, Tensor XTest, Tensor YTest, string Source)
{
    public static MnistTensors Load(string? folder)
    {
        var d = folder is null ? Mnist.LoadSample() : Mnist.Load(folder, allowDownload: false);
        return new MnistTensors(
            KerasUtils.BytesToTensor(d.TrainImages, new[] { d.TrainCount, 784 }),
            KerasUtils.ToCategorical(KerasUtils.LabelsToTensor(d.TrainLabels), 10),
            KerasUtils.BytesToTensor(d.TestImages, new[] { d.TestCount, 784 }),
            KerasUtils.ToCategorical(KerasUtils.LabelsToTensor(d.TestLabels), 10),
            d.Source);
    }
}
