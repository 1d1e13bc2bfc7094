using System.Security.Cryptography;
using Cortex.Keras.Datasets;

namespace Cortex.Tests.Datasets;

/// <summary>
/// Tests that read or change the process-wide environment variables <c>CORTEX_DATASETS</c> / <c>CORTEX_OFFLINE</c>
/// (everything that goes through <see cref="DatasetLocator"/>). They run one at a time and never in parallel with
/// other test classes.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DatasetEnvironmentCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Cortex dataset environment variables";
}

/// <summary>Sets environment variables for the duration of a test and restores them afterwards.</summary>
internal sealed class EnvScope : IDisposable
{
    private readonly Dictionary<string, string?> _saved = new();

    public EnvScope(string? datasets, string? offline = null)
    {
        Set(DatasetLocator.DatasetsEnvironmentVariable, datasets);
        Set(DatasetLocator.OfflineEnvironmentVariable, offline);
    }

    public void Set(string name, string? value)
    {
        if (!_saved.ContainsKey(name)) _saved[name] = Environment.GetEnvironmentVariable(name);
        Environment.SetEnvironmentVariable(name, value);
    }

    public void Dispose()
    {
        foreach (var (k, v) in _saved) Environment.SetEnvironmentVariable(k, v);
    }
}

/// <summary>Where the full MNIST set lives on this machine, if anywhere.</summary>
internal static class FullMnist
{
    /// <summary>
    /// <c>shared/datasets/mnist</c> found walking up from the test's folder (as a child of an ancestor, or as
    /// <c>../shared/datasets/mnist</c> of the repository root), else <c>/work/shared/datasets/mnist</c>; null if absent.
    /// </summary>
    public static string? Folder { get; } = Find();

    private static string? Find()
    {
        string rel = Path.Combine("shared", "datasets", "mnist");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Complete(Path.Combine(dir.FullName, rel))) return Path.Combine(dir.FullName, rel);
            if (File.Exists(Path.Combine(dir.FullName, "Cortex.slnx")) && Complete(Path.Combine(dir.FullName, "..", rel)))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", rel));
        }
        string fixedPath = Path.Combine(Path.DirectorySeparatorChar + "work", rel);
        return Complete(fixedPath) ? fixedPath : null;
    }

    private static bool Complete(string folder) =>
        Directory.Exists(folder) && Mnist.Files.All(f => File.Exists(Path.Combine(folder, f.Stem + ".gz")) || File.Exists(Path.Combine(folder, f.Stem)));
}

public class MnistSampleTests
{
    private static readonly byte[] FirstTrainLabels = [5, 0, 4, 1, 9, 2, 1, 3, 1, 4];
    private static readonly byte[] FirstTestLabels = [7, 2, 1, 0, 4, 1, 4, 9, 5, 9];

    [Fact]
    public void LoadSample_Has6000TrainAnd1000TestImages()
    {
        var s = Mnist.LoadSample();
        Assert.Equal(6000, s.TrainCount);
        Assert.Equal(1000, s.TestCount);
        Assert.Equal(6000 * 784, s.TrainImages.Length);
        Assert.Equal(1000 * 784, s.TestImages.Length);
        Assert.Equal(FirstTrainLabels, s.TrainLabels[..10]);
        Assert.Equal(FirstTestLabels, s.TestLabels[..10]);
        Assert.All(s.TrainLabels, l => Assert.InRange(l, 0, 9));
        Assert.All(s.TestLabels, l => Assert.InRange(l, 0, 9));
        Assert.Equal(new[] { 592, 671, 581, 608, 623, 514, 608, 651, 551, 601 }, MnistData.ClassCounts(s.TrainLabels));
        Assert.Equal(new[] { 85, 126, 116, 107, 110, 87, 87, 99, 89, 94 }, MnistData.ClassCounts(s.TestLabels));
        Assert.EndsWith(Path.Combine("data", "mnist-sample"), s.Source);
        Assert.Contains(s.TrainImages, b => b == 255); // real ink, not an empty buffer
    }

    [Fact]
    public void LoadSample_PixelStatisticsLookLikeMnist()
    {
        var s = Mnist.LoadSample();
        double mean = s.TrainImages.Average(b => (double)b) / 255.0;
        Assert.InRange(mean, 0.12, 0.14); // full MNIST: 0.1307
        Assert.All(Enumerable.Range(0, 28), c => Assert.Equal(0, s.TrainImages[c])); // first row of the first image is background
    }

    [Fact]
    public void FullSet_LoadsWhenPresent()
    {
        if (FullMnist.Folder is null) return; // not on this machine: nothing to check
        var full = Mnist.LoadFolder(FullMnist.Folder);
        Assert.Equal(60000, full.TrainCount);
        Assert.Equal(10000, full.TestCount);
        Assert.Equal(new[] { 5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949 }, MnistData.ClassCounts(full.TrainLabels));
        Assert.Equal(FirstTrainLabels, full.TrainLabels[..10]);
        Assert.Equal(FirstTestLabels, full.TestLabels[..10]);
    }

    [Fact]
    public void FullSet_DecompressedChecksumsMatchTheDescriptor()
    {
        if (FullMnist.Folder is null) return;
        foreach (var f in Mnist.Files)
        {
            string path = File.Exists(Path.Combine(FullMnist.Folder, f.Stem)) ? Path.Combine(FullMnist.Folder, f.Stem) : Path.Combine(FullMnist.Folder, f.Stem + ".gz");
            Assert.Equal(f.ContentSha256, DatasetLocator.ContentSha256(path));
        }
    }

    [Fact]
    public void ShippedSample_IsTheLeadingSliceOfTheFullSet()
    {
        if (FullMnist.Folder is null) return;
        var full = Mnist.LoadFolder(FullMnist.Folder);
        var sample = Mnist.LoadSample();
        Assert.Equal(full.TrainImages.AsSpan(0, 6000 * 784).ToArray(), sample.TrainImages);
        Assert.Equal(full.TrainLabels.AsSpan(0, 6000).ToArray(), sample.TrainLabels);
        Assert.Equal(full.TestImages.AsSpan(0, 1000 * 784).ToArray(), sample.TestImages);
        Assert.Equal(full.TestLabels.AsSpan(0, 1000).ToArray(), sample.TestLabels);

        // WriteSample reproduces the shipped files' content.
        using var tmp = new TempFolder();
        Mnist.WriteSample(full, tmp.Path, 6000, 1000);
        foreach (var f in Mnist.Files)
            Assert.Equal(DatasetLocator.ContentSha256(Path.Combine(sample.Source, f.Stem + ".gz")), DatasetLocator.ContentSha256(tmp[f.Stem + ".gz"]));
    }

    [Fact]
    public void WriteSample_ThenLoadFolder_RoundTrips()
    {
        var s = Mnist.LoadSample();
        using var tmp = new TempFolder();
        Mnist.WriteSample(s, tmp.Path, 30, 7);
        var small = Mnist.LoadFolder(tmp.Path);
        Assert.Equal(30, small.TrainCount);
        Assert.Equal(7, small.TestCount);
        Assert.Equal(s.TrainImages[..(30 * 784)], small.TrainImages);
        Assert.Equal(s.TestLabels[..7], small.TestLabels);
        Assert.Equal(4, Directory.GetFiles(tmp.Path).Length);
    }

    [Fact]
    public void LoadFolder_CountMismatch_NamesBothFiles()
    {
        using var tmp = new TempFolder();
        WriteSet(tmp.Path, trainImages: 5, trainLabels: 4);
        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadFolder(tmp.Path));
        Assert.Contains(tmp["train-images-idx3-ubyte.gz"] + " has 5 images", e.Message);
        Assert.Contains(tmp["train-labels-idx1-ubyte.gz"] + " has 4 labels", e.Message);
    }

    [Fact]
    public void LoadFolder_WrongImageSize_NamesTheFile()
    {
        using var tmp = new TempFolder();
        WriteSet(tmp.Path, 3, 3, side: 32);
        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadFolder(tmp.Path));
        Assert.Contains(tmp["train-images-idx3-ubyte.gz"], e.Message);
        Assert.Contains("3×32×32, expected N×28×28", e.Message);
    }

    [Fact]
    public void LoadFolder_LabelOutOfRange_NamesTheFile()
    {
        using var tmp = new TempFolder();
        WriteSet(tmp.Path, 3, 3);
        IdxReader.Write(tmp["t10k-labels-idx1-ubyte.gz"], [2], new byte[] { 1, 12 });
        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadFolder(tmp.Path));
        Assert.Contains(tmp["t10k-labels-idx1-ubyte.gz"] + ": label 1 is 12", e.Message);
    }

    [Fact]
    public void LoadFolder_CorruptFile_IsInvalidDataNamingTheFile()
    {
        using var tmp = new TempFolder();
        WriteSet(tmp.Path, 3, 3);
        byte[] bytes = File.ReadAllBytes(tmp["t10k-images-idx3-ubyte.gz"]);
        File.WriteAllBytes(tmp["t10k-images-idx3-ubyte.gz"], bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<InvalidDataException>(() => Mnist.LoadFolder(tmp.Path));
        Assert.StartsWith(tmp["t10k-images-idx3-ubyte.gz"] + ": ", e.Message);
    }

    [Fact]
    public void LoadFolder_AcceptsUncompressedFiles()
    {
        using var tmp = new TempFolder();
        WriteSet(tmp.Path, 2, 2, gz: false);
        var d = Mnist.LoadFolder(tmp.Path);
        Assert.Equal(2, d.TrainCount);
        Assert.Equal(2, d.TestCount);
    }

    /// <summary>Writes a small synthetic MNIST-shaped set (train sizes as given, test 2 images).</summary>
    internal static void WriteSet(string folder, int trainImages, int trainLabels, int side = 28, bool gz = true)
    {
        string ext = gz ? ".gz" : "";
        IdxReader.Write(Path.Combine(folder, Mnist.TrainImagesFile + ext), [trainImages, side, side], new byte[trainImages * side * side]);
        IdxReader.Write(Path.Combine(folder, Mnist.TrainLabelsFile + ext), [trainLabels], Enumerable.Range(0, trainLabels).Select(i => (byte)(i % 10)).ToArray());
        IdxReader.Write(Path.Combine(folder, Mnist.TestImagesFile + ext), [2, 28, 28], new byte[2 * 784]);
        IdxReader.Write(Path.Combine(folder, Mnist.TestLabelsFile + ext), [2], new byte[] { 3, 4 });
    }
}

[Collection(DatasetEnvironmentCollection.Name)]
public class DatasetLocatorTests
{
    private static DatasetDescriptor Fake(string name, string? sha0 = null, string? sha1 = null, string? gzSha0 = null) =>
        new(name, [new DatasetFile("alpha-idx1-ubyte", sha0, gzSha0), new DatasetFile("beta-idx1-ubyte", sha1)],
            [new Uri("https://mirror-one.invalid/data/"), new Uri("https://mirror-two.invalid/x/")]);

    private static string UniqueName() => "fake-" + Guid.NewGuid().ToString("N")[..8];

    private static void PutFiles(string folder, byte marker, bool gz = true)
    {
        IdxReader.Write(Path.Combine(folder, "alpha-idx1-ubyte" + (gz ? ".gz" : "")), [1], new byte[] { marker });
        IdxReader.Write(Path.Combine(folder, "beta-idx1-ubyte" + (gz ? ".gz" : "")), [1], new byte[] { marker });
    }

    private static DatasetDownloader NoNetwork(List<Uri> calls) => (url, _, _) =>
    {
        lock (calls) calls.Add(url);
        throw new HttpRequestException("no network in tests");
    };

    [Fact]
    public void Order_CallerFolder_Then_Environment_Then_Cache()
    {
        string name = UniqueName();
        var ds = Fake(name);
        using var caller = new TempFolder();
        using var envRoot = new TempFolder();
        using var cacheRoot = new TempFolder();
        PutFiles(caller.Path, 1);
        PutFiles(Path.Combine(envRoot.Path, name), 2);
        PutFiles(Path.Combine(cacheRoot.Path, name), 3);
        var calls = new List<Uri>();
        using var env = new EnvScope(envRoot.Path);

        var loc = DatasetLocator.Locate(ds, new() { Folder = caller.Path, CacheRoot = cacheRoot.Path, Downloader = NoNetwork(calls) });
        Assert.Equal(DatasetSourceKind.CallerFolder, loc.Kind);
        Assert.Equal(caller.Path, loc.Folder);
        Assert.Equal(1, IdxReader.Read(loc["alpha-idx1-ubyte"]).Data[0]);

        loc = DatasetLocator.Locate(ds, new() { CacheRoot = cacheRoot.Path, Downloader = NoNetwork(calls) });
        Assert.Equal(DatasetSourceKind.EnvironmentFolder, loc.Kind);
        Assert.Equal(Path.Combine(envRoot.Path, name), loc.Folder);
        Assert.Equal(2, IdxReader.Read(loc["beta-idx1-ubyte"]).Data[0]);

        // A caller folder that lacks the files does not stop the search.
        using var emptyCaller = new TempFolder();
        loc = DatasetLocator.Locate(ds, new() { Folder = emptyCaller.Path, CacheRoot = cacheRoot.Path, Downloader = NoNetwork(calls) });
        Assert.Equal(DatasetSourceKind.EnvironmentFolder, loc.Kind);

        env.Set(DatasetLocator.DatasetsEnvironmentVariable, null);
        loc = DatasetLocator.Locate(ds, new() { CacheRoot = cacheRoot.Path, Downloader = NoNetwork(calls) });
        Assert.Equal(DatasetSourceKind.Cache, loc.Kind);
        Assert.Equal(Path.Combine(cacheRoot.Path, name), loc.Folder);
        Assert.Equal(3, IdxReader.Read(loc["alpha-idx1-ubyte"]).Data[0]);
        Assert.Empty(calls);
    }

    [Fact]
    public void Environment_FolderItselfAndCallerSubFolderCount()
    {
        string name = UniqueName();
        var ds = Fake(name);
        using var envRoot = new TempFolder();
        using var caller = new TempFolder();
        using var cacheRoot = new TempFolder();
        PutFiles(envRoot.Path, 4, gz: false); // directly in $CORTEX_DATASETS, uncompressed
        PutFiles(Path.Combine(caller.Path, name), 5); // in <folder>/<name>/
        using var env = new EnvScope(envRoot.Path);

        var loc = DatasetLocator.Locate(ds, new() { CacheRoot = cacheRoot.Path, AllowDownload = false });
        Assert.Equal(DatasetSourceKind.EnvironmentFolder, loc.Kind);
        Assert.Equal(envRoot.Path, loc.Folder);
        Assert.Equal(Path.Combine(envRoot.Path, "alpha-idx1-ubyte"), loc["alpha-idx1-ubyte"]);

        loc = DatasetLocator.Locate(ds, new() { Folder = caller.Path, CacheRoot = cacheRoot.Path, AllowDownload = false });
        Assert.Equal(DatasetSourceKind.CallerFolder, loc.Kind);
        Assert.Equal(Path.Combine(caller.Path, name), loc.Folder);
    }

    [Fact]
    public void PlainFileIsPreferredOverGz()
    {
        using var folder = new TempFolder();
        using var cacheRoot = new TempFolder();
        PutFiles(folder.Path, 6, gz: true);
        PutFiles(folder.Path, 7, gz: false);
        using var env = new EnvScope(null);
        var loc = DatasetLocator.Locate(Fake(UniqueName()), new() { Folder = folder.Path, CacheRoot = cacheRoot.Path, AllowDownload = false });
        Assert.Equal(folder["alpha-idx1-ubyte"], loc["alpha-idx1-ubyte"]);
    }

    [Fact]
    public void NotFound_ListsEveryFolderAndEveryUrlWithItsError()
    {
        string name = UniqueName();
        using var caller = new TempFolder();
        using var envRoot = new TempFolder();
        using var cacheRoot = new TempFolder();
        IdxReader.Write(caller["alpha-idx1-ubyte.gz"], [1], new byte[] { 1 }); // one of two files only
        var calls = new List<Uri>();
        using var env = new EnvScope(envRoot.Path);

        var e = Assert.Throws<FileNotFoundException>(() =>
            DatasetLocator.Locate(Fake(name), new() { Folder = caller.Path, CacheRoot = cacheRoot.Path, Downloader = NoNetwork(calls) }));
        string m = e.Message;
        Assert.Contains($"Dataset '{name}' not found", m);
        Assert.Contains($"folder given: {caller.Path}: missing beta-idx1-ubyte[.gz] (has 1 of 2)", m);
        Assert.Contains($"folder given: {Path.Combine(caller.Path, name)}: no such folder", m);
        Assert.Contains($"CORTEX_DATASETS: {Path.Combine(envRoot.Path, name)}: no such folder", m);
        Assert.Contains($"CORTEX_DATASETS: {envRoot.Path}: none of the files", m);
        Assert.Contains($"cache: {Path.Combine(cacheRoot.Path, name)}: no such folder", m);
        Assert.Contains("https://mirror-one.invalid/data/alpha-idx1-ubyte.gz: HttpRequestException: no network in tests", m);
        Assert.Contains("https://mirror-two.invalid/x/alpha-idx1-ubyte.gz: HttpRequestException: no network in tests", m);
        Assert.Contains("not attempted for beta-idx1-ubyte", m);
        Assert.Equal(2, calls.Count);
        Assert.Empty(Directory.GetFiles(Path.Combine(cacheRoot.Path, name))); // no partial download left
    }

    [Fact]
    public void NotFound_WithoutEnvironmentVariable_SaysSo()
    {
        using var cacheRoot = new TempFolder();
        using var env = new EnvScope(null);
        var e = Assert.Throws<FileNotFoundException>(() =>
            DatasetLocator.Locate(Fake(UniqueName()), new() { CacheRoot = cacheRoot.Path, AllowDownload = false }));
        Assert.Contains("CORTEX_DATASETS: not set", e.Message);
        Assert.Contains("download: not attempted (allowDownload: false)", e.Message);
    }

    [Fact]
    public void Offline_EnvironmentVariable_SkipsDownloads()
    {
        using var cacheRoot = new TempFolder();
        using var env = new EnvScope(null, offline: "1");
        var calls = new List<Uri>();
        var e = Assert.Throws<FileNotFoundException>(() =>
            DatasetLocator.Locate(Fake(UniqueName()), new() { CacheRoot = cacheRoot.Path, Downloader = NoNetwork(calls) }));
        Assert.Contains("download: not attempted (CORTEX_OFFLINE=1)", e.Message);
        Assert.Empty(calls);
    }

    [Fact]
    public void Download_VerifiesChecksumAndMovesIntoCache()
    {
        string name = UniqueName();
        using var source = new TempFolder();
        using var cacheRoot = new TempFolder();
        // The "server" holds plain gz files; the descriptor pins the SHA-256 of their decompressed content.
        IdxReader.Write(source["alpha-idx1-ubyte.gz"], [3], new byte[] { 1, 2, 3 });
        IdxReader.Write(source["beta-idx1-ubyte.gz"], [2], new byte[] { 4, 5 });
        var ds = Fake(name, DatasetLocator.ContentSha256(source["alpha-idx1-ubyte.gz"]), DatasetLocator.ContentSha256(source["beta-idx1-ubyte.gz"]),
            gzSha0: new string('0', 64)); // a published .gz checksum that does not match: the content checksum still accepts it
        var calls = new List<Uri>();
        DatasetDownloader serve = (url, dest, _) =>
        {
            lock (calls) calls.Add(url);
            if (url.Host == "mirror-one.invalid") File.WriteAllBytes(dest, [0x1F, 0x8B, 1, 2, 3]); // broken first mirror
            else File.Copy(source[Path.GetFileName(url.AbsolutePath)], dest);
            return Task.CompletedTask;
        };
        using var env = new EnvScope(null);

        var loc = DatasetLocator.Locate(ds, new() { CacheRoot = cacheRoot.Path, Downloader = serve });
        Assert.Equal(DatasetSourceKind.Downloaded, loc.Kind);
        string cache = Path.Combine(cacheRoot.Path, name);
        Assert.Equal(cache, loc.Folder);
        Assert.Equal(Path.Combine(cache, "alpha-idx1-ubyte.gz"), loc["alpha-idx1-ubyte"]);
        Assert.Equal(new byte[] { 1, 2, 3 }, IdxReader.Read(loc["alpha-idx1-ubyte"]).Data);
        Assert.Equal(new byte[] { 4, 5 }, IdxReader.Read(loc["beta-idx1-ubyte"]).Data);
        Assert.Equal(4, calls.Count); // each file: first mirror (rejected), second mirror
        Assert.Equal(2, Directory.GetFiles(cache).Length); // no temp files

        // Next time it is in the cache: no download.
        calls.Clear();
        loc = DatasetLocator.Locate(ds, new() { CacheRoot = cacheRoot.Path, Downloader = serve });
        Assert.Equal(DatasetSourceKind.Cache, loc.Kind);
        Assert.Empty(calls);
    }

    [Fact]
    public void Download_OnlyFetchesWhatTheCacheLacks()
    {
        string name = UniqueName();
        using var cacheRoot = new TempFolder();
        string cache = Path.Combine(cacheRoot.Path, name);
        IdxReader.Write(Path.Combine(cache, "alpha-idx1-ubyte.gz"), [1], new byte[] { 9 });
        var calls = new List<Uri>();
        DatasetDownloader serve = (url, dest, _) =>
        {
            lock (calls) calls.Add(url);
            IdxReader.Write(dest, [1], new byte[] { 8 }); // plain IDX: checksum is of the bytes themselves
            return Task.CompletedTask;
        };
        using var env = new EnvScope(null);
        var loc = DatasetLocator.Locate(Fake(name), new() { CacheRoot = cacheRoot.Path, Downloader = serve });
        Assert.Equal(DatasetSourceKind.Downloaded, loc.Kind);
        Assert.Equal(new[] { new Uri("https://mirror-one.invalid/data/beta-idx1-ubyte.gz") }, calls);
    }

    [Fact]
    public void Download_ChecksumMismatch_IsRejectedAndReported()
    {
        string name = UniqueName();
        using var cacheRoot = new TempFolder();
        string expected = Convert.ToHexStringLower(SHA256.HashData("something else"u8));
        var ds = Fake(name, expected, expected);
        DatasetDownloader serve = (url, dest, _) => { IdxReader.Write(dest, [1], new byte[] { 1 }); return Task.CompletedTask; };
        using var env = new EnvScope(null);
        var e = Assert.Throws<FileNotFoundException>(() => DatasetLocator.Locate(ds, new() { CacheRoot = cacheRoot.Path, Downloader = serve }));
        Assert.Contains("https://mirror-one.invalid/data/alpha-idx1-ubyte.gz: InvalidDataException: SHA-256 mismatch", e.Message);
        Assert.Contains("https://mirror-two.invalid/x/alpha-idx1-ubyte.gz: InvalidDataException: SHA-256 mismatch", e.Message);
        Assert.Contains("expected " + expected, e.Message);
        Assert.Empty(Directory.GetFiles(Path.Combine(cacheRoot.Path, name)));
    }

    [Fact]
    public void MnistLoad_WithFolder_UsesIt()
    {
        var sample = Mnist.LoadSample();
        using var env = new EnvScope(null);
        var d = Mnist.Load(sample.Source, allowDownload: false);
        Assert.Equal(6000, d.TrainCount);
        Assert.Equal(sample.Source, d.Source);
    }

    [Fact]
    public void MnistLoad_FromEnvironmentVariable()
    {
        var sample = Mnist.LoadSample();
        using var envRoot = new TempFolder();
        Mnist.WriteSample(sample, Path.Combine(envRoot.Path, "mnist"), 10, 5);
        using var env = new EnvScope(envRoot.Path);
        using var cacheRoot = new TempFolder();
        var d = Mnist.LoadWithOptions(new DatasetLocatorOptions { CacheRoot = cacheRoot.Path, AllowDownload = false });
        Assert.Equal(10, d.TrainCount);
        Assert.Equal(Path.Combine(envRoot.Path, "mnist"), d.Source);
    }

    [Fact]
    public void MnistDownload_RejectsFilesThatAreNotTheRealMnist()
    {
        // Serving the 6,000-image sample as if it were the full set must fail the SHA-256 check.
        var sample = Mnist.LoadSample();
        using var cacheRoot = new TempFolder();
        var calls = new List<Uri>();
        DatasetDownloader serve = (url, dest, _) =>
        {
            lock (calls) calls.Add(url);
            File.Copy(Path.Combine(sample.Source, Path.GetFileName(url.AbsolutePath)), dest);
            return Task.CompletedTask;
        };
        using var env = new EnvScope(null);
        var e = Assert.Throws<FileNotFoundException>(() => Mnist.LoadWithOptions(new DatasetLocatorOptions { CacheRoot = cacheRoot.Path, Downloader = serve }));
        Assert.Contains("https://storage.googleapis.com/cvdf-datasets/mnist/train-images-idx3-ubyte.gz: InvalidDataException: SHA-256 mismatch", e.Message);
        Assert.Contains("expected ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db", e.Message);
        Assert.Equal(Mnist.Mirrors.Count, calls.Count);
        Assert.Empty(Directory.GetFiles(Path.Combine(cacheRoot.Path, "mnist")));
    }

    [Fact]
    public void MnistDownload_AcceptsTheRealFilesEvenIfRecompressed()
    {
        if (FullMnist.Folder is null) return; // the full set is not on this machine
        // The shared copies were re-packed with gzip -9 -n, so their .gz checksum differs from the published one:
        // they are accepted through the checksum of the decompressed content.
        using var cacheRoot = new TempFolder();
        DatasetDownloader serve = (url, dest, _) =>
        {
            File.Copy(Path.Combine(FullMnist.Folder, Path.GetFileName(url.AbsolutePath)), dest);
            return Task.CompletedTask;
        };
        using var env = new EnvScope(null);
        var d = Mnist.LoadWithOptions(new DatasetLocatorOptions { CacheRoot = cacheRoot.Path, Downloader = serve });
        Assert.Equal(60000, d.TrainCount);
        Assert.Equal(10000, d.TestCount);
        Assert.Equal(Path.Combine(cacheRoot.Path, "mnist"), d.Source);
    }
}
