namespace Cortex.Keras.Datasets;

/// <summary>
/// The MNIST handwritten digits as raw bytes: images are 28×28 grey levels (0 = background, 255 = ink), image after
/// image, row-major; labels are the digits 0–9. <see cref="ToFlatTensors"/> prepares them as the Keras MLP examples do.
/// </summary>
public sealed class MnistData
{
    /// <summary>Creates the data set, checking that the arrays have matching sizes.</summary>
    /// <param name="trainImages">Training images, <c>trainCount × 28 × 28</c> bytes.</param>
    /// <param name="trainLabels">Training labels, <c>trainCount</c> bytes, each 0–9.</param>
    /// <param name="testImages">Test images, <c>testCount × 28 × 28</c> bytes.</param>
    /// <param name="testLabels">Test labels, <c>testCount</c> bytes, each 0–9.</param>
    /// <param name="source">The folder the data came from (for messages); may be empty.</param>
    /// <param name="datasetName">The data set's display name (<c>MNIST</c>, <c>Fashion-MNIST</c>), used by <see cref="ToString"/>.</param>
    /// <exception cref="ArgumentException">An image array's length is not 784 times its label count, or a label is above 9.</exception>
    public MnistData(byte[] trainImages, byte[] trainLabels, byte[] testImages, byte[] testLabels, string source, string datasetName = "MNIST")
    {
        ArgumentNullException.ThrowIfNull(trainImages);
        ArgumentNullException.ThrowIfNull(trainLabels);
        ArgumentNullException.ThrowIfNull(testImages);
        ArgumentNullException.ThrowIfNull(testLabels);
        if (trainImages.Length != (long)trainLabels.Length * Mnist.ImagePixels)
            throw new ArgumentException($"train images have {trainImages.Length} bytes, expected {trainLabels.Length} labels × {Mnist.ImagePixels}", nameof(trainImages));
        if (testImages.Length != (long)testLabels.Length * Mnist.ImagePixels)
            throw new ArgumentException($"test images have {testImages.Length} bytes, expected {testLabels.Length} labels × {Mnist.ImagePixels}", nameof(testImages));
        int bad = Array.FindIndex(trainLabels, l => l >= Mnist.NumClasses);
        if (bad >= 0) throw new ArgumentException($"train label {bad} is {trainLabels[bad]}, expected 0–9", nameof(trainLabels));
        bad = Array.FindIndex(testLabels, l => l >= Mnist.NumClasses);
        if (bad >= 0) throw new ArgumentException($"test label {bad} is {testLabels[bad]}, expected 0–9", nameof(testLabels));
        TrainImages = trainImages;
        TrainLabels = trainLabels;
        TestImages = testImages;
        TestLabels = testLabels;
        Source = source ?? "";
        DatasetName = string.IsNullOrEmpty(datasetName) ? "MNIST" : datasetName;
    }

    /// <summary>The data set's display name: <c>MNIST</c>, or <c>Fashion-MNIST</c> for <see cref="FashionMnist"/> (same layout).</summary>
    public string DatasetName { get; }

    /// <summary>Training images: <see cref="TrainCount"/> × 28 × 28 bytes, image-major, row-major.</summary>
    public byte[] TrainImages { get; }

    /// <summary>Training labels: <see cref="TrainCount"/> bytes, each 0–9.</summary>
    public byte[] TrainLabels { get; }

    /// <summary>Test images: <see cref="TestCount"/> × 28 × 28 bytes, image-major, row-major.</summary>
    public byte[] TestImages { get; }

    /// <summary>Test labels: <see cref="TestCount"/> bytes, each 0–9.</summary>
    public byte[] TestLabels { get; }

    /// <summary>The number of training images.</summary>
    public int TrainCount => TrainLabels.Length;

    /// <summary>The number of test images.</summary>
    public int TestCount => TestLabels.Length;

    /// <summary>The full path of the folder the files were read from.</summary>
    public string Source { get; }

    /// <summary>How many labels of each class (index 0–9) <paramref name="labels"/> has.</summary>
    /// <param name="labels">Labels, each 0–9 (e.g. <see cref="TrainLabels"/>).</param>
    /// <returns>Ten counts.</returns>
    public static int[] ClassCounts(ReadOnlySpan<byte> labels)
    {
        var counts = new int[Mnist.NumClasses];
        foreach (byte l in labels) counts[l]++;
        return counts;
    }

    /// <summary>
    /// The data as the Keras MLP examples prepare it: images flattened to 784 floats scaled to [0, 1] (pixels / 255),
    /// labels one-hot over the 10 classes (<c>to_categorical</c>).
    /// </summary>
    public (Tensor XTrain, Tensor YTrain, Tensor XTest, Tensor YTest) ToFlatTensors() => (
        Utils.KerasUtils.BytesToTensor(TrainImages, new[] { TrainCount, 784 }),
        Utils.KerasUtils.ToCategorical(Utils.KerasUtils.LabelsToTensor(TrainLabels), Mnist.NumClasses),
        Utils.KerasUtils.BytesToTensor(TestImages, new[] { TestCount, 784 }),
        Utils.KerasUtils.ToCategorical(Utils.KerasUtils.LabelsToTensor(TestLabels), Mnist.NumClasses));

    /// <summary>A one-line description: counts and source folder.</summary>
    public override string ToString() => $"{DatasetName}: {TrainCount} train + {TestCount} test images from {Source}";
}

/// <summary>
/// Loads MNIST (Y. LeCun, C. Cortes, C. J. C. Burges; <see href="http://yann.lecun.com/exdb/mnist/"/>) from its four
/// IDX files (plain or gzipped), like Keras's <c>keras.datasets.mnist.load_data()</c> but returning raw bytes.
/// The files are found by <see cref="DatasetLocator"/>: the folder given, then <c>$CORTEX_DATASETS/mnist/</c> and
/// <c>$CORTEX_DATASETS/</c>, then the cache <c>~/.cortex/datasets/mnist/</c>, then a download from
/// <see cref="Mirrors"/> into the cache, verified against <see cref="Files"/>' SHA-256 checksums.
/// <see cref="LoadSample"/> loads the small sample shipped with Cortex (6,000 train + 1,000 test images) offline.
/// </summary>
public static class Mnist
{
    /// <summary>Image height and width in pixels (28).</summary>
    public const int ImageSize = 28;

    /// <summary>Pixels per image (28 × 28 = 784).</summary>
    public const int ImagePixels = ImageSize * ImageSize;

    /// <summary>The number of classes (the digits 0–9).</summary>
    public const int NumClasses = 10;

    /// <summary>File stem of the training images.</summary>
    public const string TrainImagesFile = "train-images-idx3-ubyte";

    /// <summary>File stem of the training labels.</summary>
    public const string TrainLabelsFile = "train-labels-idx1-ubyte";

    /// <summary>File stem of the test images.</summary>
    public const string TestImagesFile = "t10k-images-idx3-ubyte";

    /// <summary>File stem of the test labels.</summary>
    public const string TestLabelsFile = "t10k-labels-idx1-ubyte";

    /// <summary>The dataset's folder name (<c>mnist</c>).</summary>
    public const string Name = "mnist";

    /// <summary>
    /// The four files with their checksums. <see cref="DatasetFile.ContentSha256"/> is the SHA-256 of the
    /// decompressed original IDX file; <see cref="DatasetFile.PublishedGzSha256"/> that of the <c>.gz</c> file
    /// served by the mirrors (as pinned by TensorFlow Datasets and others). A download is accepted if either matches.
    /// </summary>
    public static IReadOnlyList<DatasetFile> Files { get; } =
    [
        new(TrainImagesFile, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609"),
        new(TrainLabelsFile, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c"),
        new(TestImagesFile, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6"),
        new(TestLabelsFile, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
            "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6"),
    ];

    /// <summary>
    /// Public mirrors of the gzipped IDX files, tried in order: Google's CVDF copy (used by Keras/TensorFlow), the
    /// PyTorch copy (used by torchvision), and the original site.
    /// </summary>
    public static IReadOnlyList<Uri> Mirrors { get; } =
    [
        new("https://storage.googleapis.com/cvdf-datasets/mnist/"),
        new("https://ossci-datasets.s3.amazonaws.com/mnist/"),
        new("https://yann.lecun.com/exdb/mnist/"),
    ];

    /// <summary>The descriptor <see cref="DatasetLocator"/> uses for MNIST.</summary>
    public static DatasetDescriptor Dataset { get; } = new(Name, Files, Mirrors);

    /// <summary>The folder of the shipped sample relative to the output folder (and to the repository root): <c>data/mnist-sample</c>.</summary>
    public const string SampleFolder = "data/mnist-sample";

    /// <summary>
    /// Loads the full MNIST set (60,000 train + 10,000 test images), finding the files as documented on
    /// <see cref="DatasetLocator"/> and downloading them into the cache if needed and allowed.
    /// </summary>
    /// <param name="folder">A folder holding the four files (plain or <c>.gz</c>), searched first; <see langword="null"/>: none.</param>
    /// <param name="allowDownload">Whether the files may be downloaded when no folder has them (also disabled by <c>CORTEX_OFFLINE=1</c>).</param>
    /// <returns>The images and labels.</returns>
    /// <exception cref="FileNotFoundException">No place has the files; the message lists every place looked and every URL tried.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, or the files do not fit together (counts, image size); the message names the files.</exception>
    public static MnistData Load(string? folder = null, bool allowDownload = true) =>
        LoadWithOptions(new DatasetLocatorOptions { Folder = folder, AllowDownload = allowDownload });

    /// <summary>
    /// Loads the full MNIST set with explicit locator options (cache folder, downloader, …); otherwise like
    /// <see cref="Load(string?, bool)"/>.
    /// </summary>
    /// <param name="options">Where to look and whether to download.</param>
    /// <returns>The images and labels.</returns>
    /// <exception cref="FileNotFoundException">No place has the files; the message lists every place looked and every URL tried.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, or the files do not fit together; the message names the files.</exception>
    public static MnistData LoadWithOptions(DatasetLocatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var location = DatasetLocator.Locate(Dataset, options);
        return LoadFiles(location[TrainImagesFile], location[TrainLabelsFile], location[TestImagesFile], location[TestLabelsFile], location.Folder);
    }

    /// <summary>
    /// Loads the small sample shipped with Cortex: the first 6,000 training and the first 1,000 test images of MNIST,
    /// from <c>data/mnist-sample/</c> next to the application (copied there by the build), or else from a
    /// <c>data/mnist-sample/</c> folder found walking up from the application's folder (e.g. the repository root).
    /// Never downloads.
    /// </summary>
    /// <returns>The sample's images and labels.</returns>
    /// <exception cref="FileNotFoundException">The sample folder was not found; the message lists the places looked.</exception>
    /// <exception cref="InvalidDataException">A sample file is corrupt.</exception>
    public static MnistData LoadSample() =>
        LoadFolder(DatasetLocator.FindSampleFolder(SampleFolder, HasAllFiles, "The MNIST sample (data/mnist-sample/ with the four IDX files)"));

    /// <summary>
    /// Loads MNIST from exactly one folder holding the four files (each plain or <c>.gz</c>), without searching anywhere else.
    /// </summary>
    /// <param name="folder">The folder.</param>
    /// <returns>The images and labels.</returns>
    /// <exception cref="FileNotFoundException">A file is missing from the folder.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt, or the files do not fit together; the message names the files.</exception>
    public static MnistData LoadFolder(string folder) => LoadIdxFolder(folder, "MNIST");

    /// <summary>Loads the four IDX files of an MNIST-layout data set from exactly one folder (shared with <see cref="FashionMnist"/>).</summary>
    internal static MnistData LoadIdxFolder(string folder, string datasetName)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string full = Path.GetFullPath(folder);
        string Find(string stem)
        {
            string plain = Path.Combine(full, stem);
            if (File.Exists(plain)) return plain;
            if (File.Exists(plain + ".gz")) return plain + ".gz";
            throw new FileNotFoundException($"{plain}[.gz]: no such file", plain + ".gz");
        }
        return LoadFiles(Find(TrainImagesFile), Find(TrainLabelsFile), Find(TestImagesFile), Find(TestLabelsFile), full, datasetName);
    }

    /// <summary>
    /// Writes the first <paramref name="trainCount"/> training and first <paramref name="testCount"/> test images and
    /// labels of <paramref name="full"/> into <paramref name="folder"/> as gzipped IDX files with the original names
    /// (<c>train-images-idx3-ubyte.gz</c>, …). This is how the shipped sample <c>data/mnist-sample/</c> was made
    /// (<c>WriteSample(Mnist.LoadFolder(".../mnist"), "data/mnist-sample", 6000, 1000)</c>).
    /// </summary>
    /// <param name="full">The data set to cut from.</param>
    /// <param name="folder">The folder to write into (created if missing; existing files are replaced atomically).</param>
    /// <param name="trainCount">How many training images to keep (1 to <see cref="MnistData.TrainCount"/>).</param>
    /// <param name="testCount">How many test images to keep (1 to <see cref="MnistData.TestCount"/>).</param>
    public static void WriteSample(MnistData full, string folder, int trainCount, int testCount)
    {
        ArgumentNullException.ThrowIfNull(full);
        ArgumentException.ThrowIfNullOrEmpty(folder);
        ArgumentOutOfRangeException.ThrowIfLessThan(trainCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(trainCount, full.TrainCount);
        ArgumentOutOfRangeException.ThrowIfLessThan(testCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(testCount, full.TestCount);
        IdxReader.Write(Path.Combine(folder, TrainImagesFile + ".gz"), [trainCount, ImageSize, ImageSize], full.TrainImages.AsSpan(0, trainCount * ImagePixels));
        IdxReader.Write(Path.Combine(folder, TrainLabelsFile + ".gz"), [trainCount], full.TrainLabels.AsSpan(0, trainCount));
        IdxReader.Write(Path.Combine(folder, TestImagesFile + ".gz"), [testCount, ImageSize, ImageSize], full.TestImages.AsSpan(0, testCount * ImagePixels));
        IdxReader.Write(Path.Combine(folder, TestLabelsFile + ".gz"), [testCount], full.TestLabels.AsSpan(0, testCount));
    }

    /// <summary>Whether a folder holds the four IDX files (plain or <c>.gz</c>).</summary>
    internal static bool HasAllFiles(string folder) =>
        Directory.Exists(folder) && Files.All(f => File.Exists(Path.Combine(folder, f.Stem)) || File.Exists(Path.Combine(folder, f.Stem + ".gz")));

    internal static MnistData LoadFiles(string trainImages, string trainLabels, string testImages, string testLabels, string source, string datasetName = "MNIST")
    {
        var (trX, trY) = ReadPair(trainImages, trainLabels);
        var (teX, teY) = ReadPair(testImages, testLabels);
        return new MnistData(trX, trY, teX, teY, source, datasetName);
    }

    /// <summary>Reads an images file and a labels file and checks they fit together.</summary>
    private static (byte[] Images, byte[] Labels) ReadPair(string imagesPath, string labelsPath)
    {
        var images = IdxReader.Read(imagesPath);
        var labels = IdxReader.Read(labelsPath);
        if (images.Shape.Length != 3 || images.Shape[1] != ImageSize || images.Shape[2] != ImageSize)
            throw new InvalidDataException($"{Path.GetFullPath(imagesPath)}: images are {IdxReader.FormatShape(images.Shape)}, expected N×{ImageSize}×{ImageSize}");
        if (labels.Shape.Length != 1)
            throw new InvalidDataException($"{Path.GetFullPath(labelsPath)}: labels are {IdxReader.FormatShape(labels.Shape)}, expected a 1-dimensional array");
        if (images.Count != labels.Count)
            throw new InvalidDataException(
                $"{Path.GetFullPath(imagesPath)} has {images.Count} images but {Path.GetFullPath(labelsPath)} has {labels.Count} labels");
        int bad = Array.FindIndex(labels.Data, l => l >= NumClasses);
        if (bad >= 0)
            throw new InvalidDataException($"{Path.GetFullPath(labelsPath)}: label {bad} is {labels.Data[bad]}, expected 0–9");
        return (images.Data, labels.Data);
    }
}
