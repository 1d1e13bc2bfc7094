using System.IO.Compression;
using Cortex.Keras.Datasets;
using Cortex.Keras.Preprocessing.Image;

namespace Cortex.Tests.Datasets;

[Collection(DatasetEnvironmentCollection.Name)]
public class ImageDatasetTests
{
    /// <summary>A CIFAR record whose planes hold recognisable values: R = 10 + p % 50, G = 100 + p % 50, B = 200 + p % 50 (+ label).</summary>
    private static byte[] Record(byte label)
    {
        var rec = new byte[Cifar10.RecordBytes];
        rec[0] = label;
        for (int p = 0; p < 1024; p++)
        {
            rec[1 + p] = (byte)(10 + p % 50 + label);
            rec[1 + 1024 + p] = (byte)(100 + p % 50 + label);
            rec[1 + 2048 + p] = (byte)(200 + p % 50 + label);
        }
        return rec;
    }

    private static void WriteRecords(string path, bool gzip, params byte[] labels)
    {
        var all = labels.SelectMany(Record).ToArray();
        if (!gzip) { File.WriteAllBytes(path, all); return; }
        using var fs = File.Create(path);
        using var gz = new GZipStream(fs, CompressionLevel.Fastest);
        gz.Write(all);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CifarRecordsParseToNhwc(bool gzip)
    {
        using var dir = new TempFolder();
        // A gzip stream under a plain name: compression is recognised by content, not by the name.
        string path = dir["test_batch_jpegq75.bin"];
        WriteRecords(path, gzip, 3, 7);
        var split = Cifar10.ReadBatch(path);
        Assert.Equal(new byte[] { 3, 7 }, split.Labels);
        Assert.Equal(2 * 3072, split.Images.Length);
        // Image 1 (label 7), pixel p = 33 (row 1, column 1): R G B interleaved.
        int p = 33, at = 3072 + p * 3;
        Assert.Equal(new byte[] { (byte)(10 + 33 + 7), (byte)(100 + 33 + 7), (byte)(200 + 33 + 7) }, split.Images[at..(at + 3)]);

        var data = Cifar10.LoadFolder(dir.Path);
        Assert.Equal(Cifar10Source.TestOnlyJpeg, data.Kind);
        Assert.True(data.Train.IsEmpty);
        Assert.Equal(new[] { "test" }, data.AvailableSplits);
        Assert.Contains("no training split", data.ToString());
        var (xtr, ytr, xte, yte) = data.ToTensors();
        Assert.Equal(new[] { 0, 32, 32, 3 }, xtr.Shape);
        Assert.Equal(new[] { 0, 10 }, ytr.Shape);
        Assert.Equal(new[] { 2, 32, 32, 3 }, xte.Shape);
        Assert.Equal(1f, yte[1, 7]);
        Assert.Equal((10 + 33 + 7) / 255f, xte[1, 1, 1, 0], 5);
        Assert.Equal((200 + 33 + 7) / 255f, xte[1, 1, 1, 2], 5);
    }

    [Fact]
    public void CifarFullSetPreferredAndSplit()
    {
        using var dir = new TempFolder();
        for (int i = 1; i <= 5; i++) WriteRecords(dir[$"data_batch_{i}.bin"], gzip: i % 2 == 0, (byte)i, (byte)(i - 1));
        WriteRecords(dir["test_batch.bin.gz"], gzip: true, 9);
        WriteRecords(dir["test_batch_jpegq75.bin"], gzip: false, 8, 8, 8);
        var data = Cifar10.Load(dir.Path);
        Assert.Equal(Cifar10Source.Full, data.Kind);
        Assert.Equal(10, data.Train.Count);
        Assert.Equal(new byte[] { 1, 0, 2, 1, 3, 2, 4, 3, 5, 4 }, data.Train.Labels);
        Assert.Equal(new byte[] { 9 }, data.Test.Labels);

        var split = data.Split(trainCount: 8, seed: 5);
        Assert.Equal(8, split.Train.Count);
        Assert.Equal(3, split.Test.Count);
        var all = split.Train.Labels.Concat(split.Test.Labels).Order().ToArray();
        Assert.Equal(data.Train.Labels.Concat(data.Test.Labels).Order().ToArray(), all);
        Assert.Equal(split.Train.Labels, data.Split(8, 5).Train.Labels);
        // Every image moved with its label (the pixel values encode the label).
        for (int i = 0; i < split.Train.Count; i++) Assert.Equal(10 + split.Train.Labels[i], split.Train.Images[i * 3072]);
        Assert.Throws<ArgumentOutOfRangeException>(() => data.Split(11, 0));
    }

    [Fact]
    public void CifarBadFilesNameTheFile()
    {
        using var dir = new TempFolder();
        File.WriteAllBytes(dir["test_batch_jpegq75.bin"], new byte[3073 + 100]);
        var ex = Assert.Throws<InvalidDataException>(() => Cifar10.LoadFolder(dir.Path));
        Assert.Contains(dir["test_batch_jpegq75.bin"], ex.Message);
        Assert.Contains("3073", ex.Message);
        var rec = Record(0);
        rec[0] = 12;
        File.WriteAllBytes(dir["test_batch_jpegq75.bin"], rec);
        Assert.Contains("label 12", Assert.Throws<InvalidDataException>(() => Cifar10.LoadFolder(dir.Path)).Message);
    }

    [Fact]
    public void MissingFolderListsPlacesLooked()
    {
        using var empty = new TempFolder();
        using var cache = new TempFolder();
        using var env = new EnvScope(null);
        var ex = Assert.Throws<FileNotFoundException>(() => Cifar10.LoadWithOptions(new() { Folder = empty.Path, CacheRoot = cache.Path }));
        Assert.Contains("data_batch_1.bin", ex.Message);
        Assert.Contains(Cifar10.JpegTestFile, ex.Message);
        Assert.Contains(empty.Path, ex.Message);
        Assert.Contains(Path.Combine(cache.Path, "cifar10"), ex.Message);
        Assert.Contains("CORTEX_DATASETS: not set", ex.Message);

        var fe = Assert.Throws<FileNotFoundException>(() => FashionMnist.LoadWithOptions(new() { Folder = empty.Path, CacheRoot = cache.Path, AllowDownload = false }));
        Assert.Contains("'fashion-mnist'", fe.Message);
        Assert.Contains(Path.Combine(empty.Path, "fashion-mnist"), fe.Message);
        Assert.Contains(Path.Combine(cache.Path, "fashion-mnist"), fe.Message);
    }

    [Fact]
    public void CifarFoundThroughEnvironmentVariable()
    {
        using var root = new TempFolder();
        Directory.CreateDirectory(root["cifar10"]);
        WriteRecords(Path.Combine(root["cifar10"], "test_batch_jpegq75.bin.gz"), true, 1, 2, 3);
        using var cache = new TempFolder();
        using var env = new EnvScope(root.Path);
        var data = Cifar10.LoadWithOptions(new() { CacheRoot = cache.Path });
        Assert.Equal(new byte[] { 1, 2, 3 }, data.Test.Labels);
        Assert.Equal(root["cifar10"], data.Source);
    }

    [Fact]
    public void FashionMnistSampleLoads()
    {
        var s = FashionMnist.LoadSample();
        Assert.Equal("Fashion-MNIST", s.DatasetName);
        Assert.Equal(2000, s.TrainCount);
        Assert.Equal(500, s.TestCount);
        Assert.Equal(2000 * 784, s.TrainImages.Length);
        Assert.Equal(Enumerable.Repeat(200, 10), MnistData.ClassCounts(s.TrainLabels));
        Assert.Equal(Enumerable.Repeat(50, 10), MnistData.ClassCounts(s.TestLabels));
        Assert.Equal(new byte[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }, s.TrainLabels[..10]);
        Assert.Equal("Ankle boot", FashionMnist.ClassNames[9]);
        var (x, y, _, _) = s.ToFlatTensors();
        Assert.Equal(new[] { 2000, 784 }, x.Shape);
        Assert.Equal(new[] { 2000, 10 }, y.Shape);
        double mean = s.TrainImages.Average(b => (double)b) / 255;
        Assert.InRange(mean, 0.2, 0.4); // Fashion-MNIST's pixel mean is about 0.286
    }

    [Fact]
    public void FashionMnistSampleIsTheLeadingSliceOfTheFullSet()
    {
        string full = Path.Combine(Path.GetDirectoryName(FullMnist.Folder ?? "/work/shared/datasets/mnist")!, "fashion-mnist");
        if (!Mnist.HasAllFiles(full)) return; // the shared copy is not on this machine
        var all = FashionMnist.Load(full, allowDownload: false);
        var s = FashionMnist.LoadSample();
        Assert.Equal(all.TrainImages.AsSpan(0, 2000 * 784).ToArray(), s.TrainImages);
        Assert.Equal(all.TestLabels.AsSpan(0, 500).ToArray(), s.TestLabels);
    }

    [Fact]
    public void CifarSampleLoadsAndMakesAGrid()
    {
        var s = Cifar10.LoadSample();
        Assert.Equal(Cifar10Source.TestOnlyJpeg, s.Kind);
        Assert.Equal(1000, s.Test.Count);
        Assert.Equal(Enumerable.Repeat(100, 10), MnistData.ClassCounts(s.Test.Labels));
        Assert.Equal("truck", Cifar10.ClassNames[9]);
        var (_, _, x, _) = s.ToTensors();
        // Per-channel means of the JPEG copy are about 0.494 / 0.485 / 0.450.
        var v = x.ToArray();
        double r = 0, b = 0;
        for (int i = 0; i < v.Length; i += 3) { r += v[i]; b += v[i + 2]; }
        Assert.InRange(r / (v.Length / 3), 0.44, 0.55);
        Assert.InRange(b / (v.Length / 3), 0.40, 0.50);
        using var dir = new TempFolder();
        var (gh, gw) = ImageGrid.Save(dir["cifar.png"], Ops.SliceRows(x, 0, 20), columns: 10);
        Assert.Equal((2 * 32 + 3 * 2, 10 * 32 + 11 * 2), (gh, gw));
        Assert.Equal(new[] { gh, gw, 3 }, ImageUtils.LoadImg(dir["cifar.png"]).Shape);
    }
}
