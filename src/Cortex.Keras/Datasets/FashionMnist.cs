namespace Cortex.Keras.Datasets;

/// <summary>
/// Loads Fashion-MNIST (H. Xiao, K. Rasul, R. Vollgraf, Zalando Research, 2017; MIT licence;
/// <see href="https://github.com/zalandoresearch/fashion-mnist"/>): 28×28 grey images of clothing in 10 classes
/// (<see cref="ClassNames"/>), in MNIST's four IDX files with MNIST's file names, like Keras's
/// <c>keras.datasets.fashion_mnist.load_data()</c> but returning raw bytes in a <see cref="MnistData"/> (same layout;
/// its <see cref="MnistData.ToFlatTensors"/> works too). The files are found as for <see cref="Mnist"/> (see
/// <see cref="DatasetLocator"/>): the folder given, <c>$CORTEX_DATASETS/fashion-mnist/</c>, <c>$CORTEX_DATASETS/</c>, the
/// cache <c>~/.cortex/datasets/fashion-mnist/</c>, then a download from <see cref="Mirrors"/>.
/// </summary>
/// <remarks>
/// Downloads are not checked against a checksum (<see cref="Files"/> pin none, as Keras pins none for this set): only
/// the IDX structure is validated when the files are read.
/// </remarks>
public static class FashionMnist
{
    /// <summary>The dataset's folder name (<c>fashion-mnist</c>).</summary>
    public const string Name = "fashion-mnist";

    /// <summary>The class names in label order (0 = T-shirt/top … 9 = Ankle boot), as in Keras's documentation.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>The four IDX files, named as MNIST's (no checksums pinned).</summary>
    public static IReadOnlyList<DatasetFile> Files { get; } =
    [
        new(Mnist.TrainImagesFile, null), new(Mnist.TrainLabelsFile, null),
        new(Mnist.TestImagesFile, null), new(Mnist.TestLabelsFile, null),
    ];

    /// <summary>Mirrors of the gzipped IDX files: the copy Keras downloads from, then Zalando's own.</summary>
    public static IReadOnlyList<Uri> Mirrors { get; } =
    [
        new("https://storage.googleapis.com/tensorflow/tf-keras-datasets/"),
        new("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
    ];

    /// <summary>The descriptor <see cref="DatasetLocator"/> uses for Fashion-MNIST.</summary>
    public static DatasetDescriptor Dataset { get; } = new(Name, Files, Mirrors);

    /// <summary>The shipped sample's folder, relative to the output folder (and the repository root).</summary>
    public const string SampleFolder = "data/fashion-mnist-sample";

    /// <summary>Loads the full set (60,000 train + 10,000 test images), searching as documented on <see cref="DatasetLocator"/>.</summary>
    /// <param name="folder">A folder holding the four files (plain or <c>.gz</c>), searched first; <see langword="null"/>: none.</param>
    /// <param name="allowDownload">Whether the files may be downloaded when no folder has them (also disabled by <c>CORTEX_OFFLINE=1</c>).</param>
    /// <returns>The images and labels (<see cref="MnistData.DatasetName"/> is <c>Fashion-MNIST</c>).</returns>
    /// <exception cref="FileNotFoundException">No place has the files; the message lists every place looked and every URL tried.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, or the files do not fit together; the message names the files.</exception>
    public static MnistData Load(string? folder = null, bool allowDownload = true) =>
        LoadWithOptions(new DatasetLocatorOptions { Folder = folder, AllowDownload = allowDownload });

    /// <summary>Loads the full set with explicit locator options; otherwise like <see cref="Load"/>.</summary>
    /// <param name="options">Where to look and whether to download.</param>
    /// <returns>The images and labels.</returns>
    public static MnistData LoadWithOptions(DatasetLocatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var location = DatasetLocator.Locate(Dataset, options);
        return Mnist.LoadFiles(location[Mnist.TrainImagesFile], location[Mnist.TrainLabelsFile],
            location[Mnist.TestImagesFile], location[Mnist.TestLabelsFile], location.Folder, "Fashion-MNIST");
    }

    /// <summary>Loads Fashion-MNIST from exactly one folder holding the four files, searching nowhere else.</summary>
    /// <param name="folder">The folder.</param>
    /// <returns>The images and labels.</returns>
    public static MnistData LoadFolder(string folder) => Mnist.LoadIdxFolder(folder, "Fashion-MNIST");

    /// <summary>
    /// Loads the sample shipped with Cortex (<c>data/fashion-mnist-sample/</c>: the first 2,000 training and first 500
    /// test images of the project's Fashion-MNIST copy, 200 / 50 per class), next to the application or in an ancestor
    /// folder. Never downloads.
    /// </summary>
    /// <returns>The sample's images and labels.</returns>
    /// <exception cref="FileNotFoundException">The sample folder was not found; the message lists the places looked.</exception>
    public static MnistData LoadSample() =>
        LoadFolder(DatasetLocator.FindSampleFolder(SampleFolder, Mnist.HasAllFiles, "The Fashion-MNIST sample (data/fashion-mnist-sample/ with the four IDX files)"));
}
