using Cortex.Keras.Datasets;

namespace Cortex.Examples;

/// <summary>MNIST prepared as the Keras examples do: pixels / 255 flattened to 784, one-hot labels.</summary>
internal sealed record MnistSet(Tensor XTrain, Tensor YTrain, Tensor XTest, Tensor YTest)
{
    /// <summary>
    /// Loads the full MNIST from <paramref name="folder"/> (or the usual search: $CORTEX_DATASETS, the cache,
    /// ../shared/datasets/mnist beside the repository), else the sample shipped in data/mnist-sample.
    /// </summary>
    public static MnistSet Load(string? folder)
    {
        folder ??= FindShared();
        MnistData d;
        try { d = Mnist.Load(folder, allowDownload: false); }
        catch (FileNotFoundException) when (folder is null)
        {
            d = Mnist.LoadSample();
            Console.WriteLine("(full MNIST not found: using the 6,000/1,000-image sample in data/mnist-sample)");
        }
        Console.WriteLine($"MNIST from {d.Source}: {d.TrainCount} train, {d.TestCount} test images");
        var (x, y, xt, yt) = d.ToFlatTensors();
        return new MnistSet(x, y, xt, yt);
    }

    /// <summary>The images as (n, 28, 28, 1), channels-last, as the conv-net examples feed them.</summary>
    public (Tensor Train, Tensor Test) Images() => (Ops.Reshape(XTrain, XTrain.Shape[0], 28, 28, 1), Ops.Reshape(XTest, XTest.Shape[0], 28, 28, 1));

    /// <summary>The first <paramref name="count"/> training samples (the books' reduced training sets).</summary>
    public MnistSet TakeTrain(int count) => this with { XTrain = Ops.SliceRows(XTrain, 0, count).Detach(), YTrain = Ops.SliceRows(YTrain, 0, count).Detach() };

    private static string? FindShared()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "..", "shared", "datasets", "mnist");
            if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
        }
        return null;
    }
}
