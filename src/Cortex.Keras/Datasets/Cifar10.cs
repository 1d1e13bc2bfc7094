using System.IO.Compression;

namespace Cortex.Keras.Datasets;

/// <summary>Which CIFAR-10 files a <see cref="Cifar10Data"/> was read from.</summary>
public enum Cifar10Source
{
    /// <summary>The original binary release: <c>data_batch_1..5.bin</c> (50,000 train) and <c>test_batch.bin</c> (10,000 test).</summary>
    Full,

    /// <summary>
    /// Only <c>test_batch_jpegq75.bin[.gz]</c>: the 10,000 test images re-encoded as JPEG q75 and decoded back (see the
    /// datasets manifest). There is no training split: <see cref="Cifar10Data.Train"/> is empty; use
    /// <see cref="Cifar10Data.Split"/>.
    /// </summary>
    TestOnlyJpeg,

    /// <summary>Made in memory (e.g. by <see cref="Cifar10Data.Split"/>) or from other records.</summary>
    Other,
}

/// <summary>One split of CIFAR-10: <see cref="Count"/> images, NHWC bytes (32×32×3, R G B interleaved), and their labels 0–9.</summary>
/// <param name="Images">Count × 32 × 32 × 3 bytes, image-major, row-major, channels last.</param>
/// <param name="Labels">Count bytes, each 0–9.</param>
public sealed record Cifar10Split(byte[] Images, byte[] Labels)
{
    /// <summary>The number of images.</summary>
    public int Count => Labels.Length;

    /// <summary>Whether the split has no images.</summary>
    public bool IsEmpty => Labels.Length == 0;

    /// <summary>An empty split.</summary>
    public static Cifar10Split Empty { get; } = new([], []);
}

/// <summary>
/// CIFAR-10 as raw bytes: a <see cref="Train"/> and a <see cref="Test"/> split, either of which may be empty (the
/// project's shared copy has only the test images; <see cref="AvailableSplits"/> says which exist).
/// </summary>
public sealed class Cifar10Data
{
    /// <summary>Creates the data set, checking sizes and labels.</summary>
    /// <param name="train">The training split (may be empty).</param>
    /// <param name="test">The test split (may be empty).</param>
    /// <param name="source">Where it came from (for messages).</param>
    /// <param name="kind">Which files it came from.</param>
    public Cifar10Data(Cifar10Split train, Cifar10Split test, string source, Cifar10Source kind)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        foreach (var (s, what) in new[] { (train, "train"), (test, "test") })
        {
            if (s.Images.Length != (long)s.Labels.Length * Cifar10.ImageBytes)
                throw new ArgumentException($"{what} images have {s.Images.Length} bytes, expected {s.Labels.Length} labels × {Cifar10.ImageBytes}");
            int bad = Array.FindIndex(s.Labels, l => l >= Cifar10.NumClasses);
            if (bad >= 0) throw new ArgumentException($"{what} label {bad} is {s.Labels[bad]}, expected 0–9");
        }
        Train = train;
        Test = test;
        Source = source ?? "";
        Kind = kind;
    }

    /// <summary>The training split; empty when the files held none (<see cref="Cifar10Source.TestOnlyJpeg"/>).</summary>
    public Cifar10Split Train { get; }

    /// <summary>The test split.</summary>
    public Cifar10Split Test { get; }

    /// <summary>The folder the files were read from.</summary>
    public string Source { get; }

    /// <summary>Which files the data came from.</summary>
    public Cifar10Source Kind { get; }

    /// <summary>The names of the non-empty splits: <c>"train"</c>, <c>"test"</c>.</summary>
    public IReadOnlyList<string> AvailableSplits =>
        new[] { ("train", Train), ("test", Test) }.Where(p => !p.Item2.IsEmpty).Select(p => p.Item1).ToList();

    /// <summary>
    /// Pools every image (train, then test), shuffles them with <paramref name="seed"/> and returns the first
    /// <paramref name="trainCount"/> as the training split and the rest as the test split. The way to train on the
    /// test-only copy: e.g. <c>Cifar10.Load().Split(8000, seed: 0)</c>.
    /// </summary>
    /// <param name="trainCount">Images for the training split, 1 to (all − 1).</param>
    /// <param name="seed">Seed of the shuffle (the same seed gives the same split).</param>
    /// <returns>A new data set of kind <see cref="Cifar10Source.Other"/>.</returns>
    public Cifar10Data Split(int trainCount, int seed)
    {
        int total = Train.Count + Test.Count;
        if (trainCount < 1 || trainCount >= total)
            throw new ArgumentOutOfRangeException(nameof(trainCount), trainCount, $"trainCount must be between 1 and {total - 1} (there are {total} images).");
        var order = new RandomGenerator(seed).Permutation(total);
        Cifar10Split Take(int start, int count)
        {
            var images = new byte[count * Cifar10.ImageBytes];
            var labels = new byte[count];
            for (int i = 0; i < count; i++)
            {
                int k = order[start + i];
                var (src, idx) = k < Train.Count ? (Train, k) : (Test, k - Train.Count);
                labels[i] = src.Labels[idx];
                src.Images.AsSpan(idx * Cifar10.ImageBytes, Cifar10.ImageBytes).CopyTo(images.AsSpan(i * Cifar10.ImageBytes));
            }
            return new Cifar10Split(images, labels);
        }
        return new Cifar10Data(Take(0, trainCount), Take(trainCount, total - trainCount), $"{Source} (split {trainCount}/{total - trainCount}, seed {seed})", Cifar10Source.Other);
    }

    /// <summary>
    /// The data as tensors: images (n, 32, 32, 3) floats / 255 and labels one-hot over 10 classes (or class indices
    /// (n,) when <paramref name="oneHot"/> is false). An empty split gives (0, 32, 32, 3) and (0, 10) / (0,).
    /// </summary>
    /// <param name="oneHot">One-hot labels (default) or class indices.</param>
    public (Tensor XTrain, Tensor YTrain, Tensor XTest, Tensor YTest) ToTensors(bool oneHot = true)
    {
        (Tensor X, Tensor Y) Convert(Cifar10Split s)
        {
            var x = Utils.KerasUtils.BytesToTensor(s.Images, [s.Count, Cifar10.ImageSize, Cifar10.ImageSize, Cifar10.Channels]);
            var y = Utils.KerasUtils.LabelsToTensor(s.Labels);
            if (oneHot) y = s.Count == 0 ? Tensor.Zeros(0, Cifar10.NumClasses) : Utils.KerasUtils.ToCategorical(y, Cifar10.NumClasses);
            return (x, y);
        }
        var (xtr, ytr) = Convert(Train);
        var (xte, yte) = Convert(Test);
        return (xtr, ytr, xte, yte);
    }

    /// <summary>A one-line description: counts, which splits exist, and the source.</summary>
    public override string ToString() =>
        $"CIFAR-10 ({Kind}): {Train.Count} train + {Test.Count} test images from {Source}" + (Train.IsEmpty ? " — no training split; use Split(trainCount, seed)" : "");
}

/// <summary>
/// Loads CIFAR-10 (A. Krizhevsky, 2009; <see href="https://www.cs.toronto.edu/~kriz/cifar.html"/>) from its binary
/// version, like Keras's <c>keras.datasets.cifar10.load_data()</c> but returning NHWC bytes in a <see cref="Cifar10Data"/>.
/// A binary file is a run of 3,073-byte records: 1 label byte (0–9), then 1,024 red, 1,024 green and 1,024 blue bytes,
/// each plane 32×32 row-major; files may be gzipped (recognised by the gzip magic bytes, not the name).
/// </summary>
/// <remarks>
/// <para>Two file sets are recognised, in the places and order of <see cref="DatasetLocator"/> (folder given,
/// <c>$CORTEX_DATASETS/cifar10/</c>, <c>$CORTEX_DATASETS/</c>, cache <c>~/.cortex/datasets/cifar10/</c>):
/// the original release <see cref="FullDataset"/> (<c>data_batch_1.bin</c> … <c>data_batch_5.bin</c>,
/// <c>test_batch.bin</c>), preferred; else <see cref="JpegTestDataset"/> (<c>test_batch_jpegq75.bin</c>, the 10,000
/// test images only, as in the project's shared datasets), which gives an empty <see cref="Cifar10Data.Train"/>.</para>
/// <para>No download: the original is published as one <c>.tar.gz</c>, which the locator does not unpack. Extract
/// <c>cifar-10-binary.tar.gz</c> and pass its <c>cifar-10-batches-bin</c> folder.</para>
/// </remarks>
public static class Cifar10
{
    /// <summary>Image height and width (32).</summary>
    public const int ImageSize = 32;

    /// <summary>Colour channels (3: R, G, B).</summary>
    public const int Channels = 3;

    /// <summary>Bytes per image (32 × 32 × 3 = 3,072).</summary>
    public const int ImageBytes = ImageSize * ImageSize * Channels;

    /// <summary>Bytes per record (1 label + 3,072 pixels).</summary>
    public const int RecordBytes = 1 + ImageBytes;

    /// <summary>The number of classes.</summary>
    public const int NumClasses = 10;

    /// <summary>The dataset's folder name (<c>cifar10</c>).</summary>
    public const string Name = "cifar10";

    /// <summary>File name of the JPEG-q75 test-only copy.</summary>
    public const string JpegTestFile = "test_batch_jpegq75.bin";

    /// <summary>The class names in label order.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"];

    /// <summary>The original binary release's six files.</summary>
    public static DatasetDescriptor FullDataset { get; } = new(Name,
        [.. Enumerable.Range(1, 5).Select(i => new DatasetFile($"data_batch_{i}.bin", null)), new DatasetFile("test_batch.bin", null)], []);

    /// <summary>The test-only JPEG-q75 copy's one file.</summary>
    public static DatasetDescriptor JpegTestDataset { get; } = new(Name, [new DatasetFile(JpegTestFile, null)], []);

    /// <summary>The shipped sample's folder, relative to the output folder (and the repository root).</summary>
    public const string SampleFolder = "data/cifar10-sample";

    /// <summary>Loads CIFAR-10 from the first place holding either file set (see the remarks on <see cref="Cifar10"/>).</summary>
    /// <param name="folder">A folder searched first; <see langword="null"/>: none.</param>
    /// <returns>The data; check <see cref="Cifar10Data.AvailableSplits"/>.</returns>
    /// <exception cref="FileNotFoundException">Neither file set was found; the message lists every place looked for each.</exception>
    /// <exception cref="InvalidDataException">A file is not a whole number of records, or has a label above 9; the message names it.</exception>
    public static Cifar10Data Load(string? folder = null) => LoadWithOptions(new DatasetLocatorOptions { Folder = folder });

    /// <summary>Like <see cref="Load"/>, with explicit locator options (cache root for tests). Never downloads.</summary>
    /// <param name="options">Where to look.</param>
    public static Cifar10Data LoadWithOptions(DatasetLocatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var offline = new DatasetLocatorOptions { Folder = options.Folder, CacheRoot = options.CacheRoot, AllowDownload = false };
        string fullError, jpegError;
        try
        {
            var loc = DatasetLocator.Locate(FullDataset, offline);
            return LoadFullFiles(FullDataset.Files.Select(f => loc[f.Stem]).ToArray(), loc.Folder);
        }
        catch (FileNotFoundException e) { fullError = e.Message; }
        try
        {
            var loc = DatasetLocator.Locate(JpegTestDataset, offline);
            return FromTestOnly(loc[JpegTestFile], loc.Folder);
        }
        catch (FileNotFoundException e) { jpegError = e.Message; }
        throw new FileNotFoundException(
            "CIFAR-10 not found: no place has the original binary files (data_batch_1..5.bin and test_batch.bin, each "
            + $"plain or .gz) nor the test-only copy {JpegTestFile}[.gz]." + Environment.NewLine
            + "Original release: " + fullError + Environment.NewLine + "Test-only copy: " + jpegError);
    }

    /// <summary>Loads either file set from exactly one folder, searching nowhere else.</summary>
    /// <param name="folder">The folder.</param>
    public static Cifar10Data LoadFolder(string folder)
    {
        ArgumentException.ThrowIfNullOrEmpty(folder);
        string full = Path.GetFullPath(folder);
        string? Find(string stem) =>
            File.Exists(Path.Combine(full, stem)) ? Path.Combine(full, stem)
            : File.Exists(Path.Combine(full, stem + ".gz")) ? Path.Combine(full, stem + ".gz") : null;
        var fullFiles = FullDataset.Files.Select(f => Find(f.Stem)).ToArray();
        if (fullFiles.All(f => f is not null)) return LoadFullFiles(fullFiles!, full);
        if (Find(JpegTestFile) is { } jpeg) return FromTestOnly(jpeg, full);
        throw new FileNotFoundException(
            $"{full}: holds neither the CIFAR-10 binary files (missing {string.Join(", ", FullDataset.Files.Where(f => Find(f.Stem) is null).Select(f => f.Stem + "[.gz]"))}) nor {JpegTestFile}[.gz]");
    }

    /// <summary>
    /// Loads the sample shipped with Cortex (<c>data/cifar10-sample/</c>: the first 1,000 images, 100 per class, of the
    /// test-only JPEG-q75 copy), next to the application or in an ancestor folder. Its <see cref="Cifar10Data.Train"/>
    /// is empty; use <see cref="Cifar10Data.Split"/>.
    /// </summary>
    public static Cifar10Data LoadSample() =>
        LoadFolder(DatasetLocator.FindSampleFolder(SampleFolder,
            d => File.Exists(Path.Combine(d, JpegTestFile + ".gz")) || File.Exists(Path.Combine(d, JpegTestFile)),
            $"The CIFAR-10 sample ({SampleFolder}/ with {JpegTestFile}.gz)"));

    private static Cifar10Data FromTestOnly(string path, string folder)
    {
        var test = ReadBatch(path);
        return new Cifar10Data(Cifar10Split.Empty, test, folder, Cifar10Source.TestOnlyJpeg);
    }

    private static Cifar10Data LoadFullFiles(string[] paths, string folder)
    {
        var batches = paths.Take(5).Select(ReadBatch).ToList();
        var train = new Cifar10Split(batches.SelectMany(b => b.Images).ToArray(), batches.SelectMany(b => b.Labels).ToArray());
        return new Cifar10Data(train, ReadBatch(paths[5]), folder, Cifar10Source.Full);
    }

    /// <summary>
    /// Reads one CIFAR-10 binary file (plain or gzipped) and converts its channel-planar records to NHWC bytes.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The images (NHWC) and labels.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Empty, a broken gzip stream, not a whole number of 3,073-byte records, or a label above 9.</exception>
    public static Cifar10Split ReadBatch(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"{full}: no such file", full);
        byte[] raw = File.ReadAllBytes(full);
        if (raw.Length >= 2 && raw[0] == 0x1F && raw[1] == 0x8B)
        {
            try
            {
                using var gz = new GZipStream(new MemoryStream(raw), CompressionMode.Decompress);
                using var ms = new MemoryStream();
                gz.CopyTo(ms);
                raw = ms.ToArray();
            }
            catch (InvalidDataException e) { throw new InvalidDataException($"{full}: broken gzip stream ({e.Message})", e); }
        }
        if (raw.Length == 0) throw new InvalidDataException($"{full}: empty file, expected CIFAR-10 records of {RecordBytes} bytes");
        if (raw.Length % RecordBytes != 0)
            throw new InvalidDataException(
                $"{full}: {raw.Length} bytes is not a whole number of CIFAR-10 records of {RecordBytes} bytes ({raw.Length / RecordBytes} records and {raw.Length % RecordBytes} bytes left over); is it cut short or another format?");
        int n = raw.Length / RecordBytes, plane = ImageSize * ImageSize;
        var images = new byte[n * ImageBytes];
        var labels = new byte[n];
        for (int i = 0; i < n; i++)
        {
            var rec = raw.AsSpan(i * RecordBytes, RecordBytes);
            if (rec[0] >= NumClasses) throw new InvalidDataException($"{full}: record {i} has label {rec[0]}, expected 0–9");
            labels[i] = rec[0];
            var dst = images.AsSpan(i * ImageBytes, ImageBytes);
            for (int p = 0; p < plane; p++)
            {
                dst[p * 3] = rec[1 + p];
                dst[p * 3 + 1] = rec[1 + plane + p];
                dst[p * 3 + 2] = rec[1 + 2 * plane + p];
            }
        }
        return new Cifar10Split(images, labels);
    }

    /// <summary>
    /// Writes images (NHWC bytes) and labels as a CIFAR-10 binary file (channel-planar records), gzipped when the path
    /// ends in <c>.gz</c>; to a temporary file in the same folder, then renamed. How the shipped sample was made.
    /// </summary>
    /// <param name="path">The file to write.</param>
    /// <param name="split">The images and labels.</param>
    public static void WriteBatch(string path, Cifar10Split split)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(split);
        int n = split.Count, plane = ImageSize * ImageSize;
        if (split.Images.Length != (long)n * ImageBytes) throw new ArgumentException($"{split.Images.Length} image bytes for {n} labels; expected {n * ImageBytes}", nameof(split));
        var raw = new byte[n * RecordBytes];
        for (int i = 0; i < n; i++)
        {
            var rec = raw.AsSpan(i * RecordBytes, RecordBytes);
            var src = split.Images.AsSpan(i * ImageBytes, ImageBytes);
            rec[0] = split.Labels[i];
            for (int p = 0; p < plane; p++)
            {
                rec[1 + p] = src[p * 3];
                rec[1 + plane + p] = src[p * 3 + 1];
                rec[1 + 2 * plane + p] = src[p * 3 + 2];
            }
        }
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write))
            {
                if (full.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                {
                    using var gz = new GZipStream(fs, CompressionLevel.SmallestSize);
                    gz.Write(raw);
                }
                else fs.Write(raw);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { }
            throw;
        }
    }
}
