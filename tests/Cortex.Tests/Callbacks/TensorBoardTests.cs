using Cortex.Keras;
using System.Text;
using Cortex.Keras.Callbacks;
using Cortex.Keras.Layers;
using static Cortex.Tests.Callbacks.CallbackTestUtil;

namespace Cortex.Tests.Callbacks;

public class Crc32CTests
{
    [Fact]
    public void Rfc3720TestVectors()
    {
        // RFC 3720 appendix B.4 (iSCSI CRC32C examples).
        Assert.Equal(0x8A9136AAu, Crc32C.Compute(new byte[32]));
        Assert.Equal(0x62A8AB43u, Crc32C.Compute(Enumerable.Repeat((byte)0xFF, 32).ToArray()));
        Assert.Equal(0x46DD794Eu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)i).ToArray()));
        Assert.Equal(0x113FDB5Cu, Crc32C.Compute(Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray()));
        var iscsiRead = new byte[48];
        new byte[] { 0x01, 0xc0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
                     0x14, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x14, 0x00, 0x00, 0x00, 0x18,
                     0x28, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00 }.CopyTo(iscsiRead, 0);
        Assert.Equal(0xD9963A56u, Crc32C.Compute(iscsiRead));
        Assert.Equal(0xE3069283u, Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")));
        Assert.Equal(Crc32C.Compute(Encoding.ASCII.GetBytes("123456789")),
            Crc32C.Extend(Crc32C.Compute(Encoding.ASCII.GetBytes("1234")), Encoding.ASCII.GetBytes("56789")));
    }

    [Fact]
    public void MaskIsTensorFlowsAndInvertible()
    {
        uint crc = 0xE3069283u;
        uint expected = ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
        Assert.Equal(expected, Crc32C.Mask(crc));
        Assert.Equal(crc, Crc32C.Unmask(Crc32C.Mask(crc)));
    }
}

public class EventFileTests
{
    [Fact]
    public void WriterAndReaderRoundTripEveryKindOfEvent()
    {
        using var dir = new TempDir();
        string path;
        using (var w = new EventFileWriter(dir.Path))
        {
            path = w.Path;
            w.WriteGraph(new[] { new GraphNode("a", "InputLayer", Array.Empty<string>()), new GraphNode("b", "Dense", new[] { "a" }) });
            w.WriteScalars(3, new Dictionary<string, float> { ["epoch_loss"] = 0.25f, ["epoch_accuracy"] = 0.75f });
            w.WriteHistogram("w/histogram", new[] { -1f, 0f, 0.5f, 0.5f, 2f, float.NaN }, 7);
        }
        Assert.Matches(@"^events\.out\.tfevents\.\d{10}\.", Path.GetFileName(path));
        var events = EventFileReader.Read(path);
        Assert.Equal(4, events.Count);
        Assert.Equal("brain.Event:2", events[0].FileVersion);
        Assert.Equal(0, events[0].Offset);
        Assert.InRange(events[0].WallTime, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 1);
        Assert.Equal(new[] { "a", "b" }, events[1].Graph!.Select(n => n.Name));
        Assert.Equal("Dense", events[1].Graph![1].Op);
        Assert.Equal(new[] { "a" }, events[1].Graph![1].Inputs);
        Assert.Equal(3, events[2].Step);
        Assert.Equal(new[] { ("epoch_loss", (float?)0.25f), ("epoch_accuracy", 0.75f) }, events[2].Values.Select(v => (v.Tag, v.Scalar)));
        var h = events[3].Values.Single().Histogram!;
        Assert.Equal(7, events[3].Step);
        Assert.Equal((-1.0, 2.0, 5.0, 2.0, 5.5), (h.Min, h.Max, h.Num, h.Sum, h.SumSquares));
        Assert.Equal(5.0, h.Buckets.Sum());
        // Each non-empty bucket holds exactly the values in [previous limit, limit).
        var values = new[] { -1.0, 0.0, 0.5, 0.5, 2.0 };
        for (int i = 0; i < h.Buckets.Count; i++)
        {
            double lo = i == 0 ? double.NegativeInfinity : h.BucketLimits[i - 1], hi = h.BucketLimits[i];
            Assert.Equal(values.Count(v => v >= lo && v < hi), h.Buckets[i]);
        }
        Assert.Contains(h.BucketLimits, l => l == double.MaxValue);
        Assert.Equal(EventFileReader.FindFiles(dir.Path), new[] { path });
    }

    [Fact]
    public void HistogramBucketLimitsAreTensorFlowsDefaults()
    {
        var limits = HistogramBuckets.Limits;
        int positive = 0;
        for (double v = 1e-12; v < 1e20; v *= 1.1) positive++;
        Assert.Equal(2 * (positive + 1) + 1, limits.Length);
        Assert.Equal(0.0, limits[positive + 1]);
        Assert.Equal(1e-12, limits[positive + 2]);
        Assert.Equal(1e-12 * 1.1, limits[positive + 3]);
        Assert.Equal(-double.MaxValue, limits[0]);
        Assert.Equal(double.MaxValue, limits[^1]);
        for (int i = 1; i < limits.Length; i++) Assert.True(limits[i] > limits[i - 1]);
    }

    [Fact]
    public void ACorruptedByteIsACrcErrorNamingTheFileAndOffset()
    {
        using var dir = new TempDir();
        string path;
        using (var w = new EventFileWriter(dir.Path)) { path = w.Path; w.WriteScalar("x", 1f, 1); w.WriteScalar("y", 2f, 2); }
        var bytes = File.ReadAllBytes(path);
        int firstLength = (int)BitConverter.ToUInt64(bytes, 0);
        long second = 12 + firstLength + 4;
        var corrupt = (byte[])bytes.Clone();
        corrupt[second + 12 + 3] ^= 0x40;                  // a data byte of the second record
        File.WriteAllBytes(path, corrupt);
        var e = Assert.Throws<InvalidDataException>(() => EventFileReader.Read(path));
        Assert.Contains(path, e.Message);
        Assert.Contains($"offset {second}", e.Message);
        Assert.Contains("CRC32C of its", e.Message);

        corrupt = (byte[])bytes.Clone();
        corrupt[second + 1] ^= 0x01;                        // the length field
        File.WriteAllBytes(path, corrupt);
        e = Assert.Throws<InvalidDataException>(() => EventFileReader.Read(path));
        Assert.Contains("CRC32C of the length field", e.Message);

        File.WriteAllBytes(path, bytes[..^3]);              // cut short
        e = Assert.Throws<InvalidDataException>(() => EventFileReader.Read(path));
        Assert.Contains("truncated record", e.Message);
        Assert.Throws<FileNotFoundException>(() => EventFileReader.Read(Path.Combine(dir.Path, "missing")));
    }
}

[Collection(nameof(GlobalRandomCollection))]
public class TensorBoardTests
{
    [Fact]
    public void FitWritesOneScalarPerEpochPerMetricMatchingHistory()
    {
        using var dir = new TempDir();
        var model = SmallModel();
        var (x, y) = Cortex.Tests.Keras.ModelTests.Blobs(16, 4);
        var tb = new TensorBoard(dir.Path, histogramFreq: 2);
        var h = model.Fit(x, y, batchSize: 4, epochs: 3, verbose: 0, validationSplit: 0.25f, callbacks: new[] { tb });

        var train = EventFileReader.ReadScalars(Path.Combine(dir.Path, "train"));
        var val = EventFileReader.ReadScalars(Path.Combine(dir.Path, "validation"));
        Assert.Equal(new[] { "epoch_accuracy", "epoch_learning_rate", "epoch_loss" }, train.Keys.Order());
        Assert.Equal(h["loss"], train["epoch_loss"].Select(p => p.Value));
        Assert.Equal(new long[] { 0, 1, 2 }, train["epoch_loss"].Select(p => p.Step));
        Assert.Equal(h["accuracy"], train["epoch_accuracy"].Select(p => p.Value));
        Assert.All(train["epoch_learning_rate"], p => Assert.Equal(0.1f, p.Value));
        Assert.Equal(h["val_loss"], val["epoch_loss"].Select(p => p.Value));
        Assert.Equal(h["val_accuracy"], val["epoch_accuracy"].Select(p => p.Value));
        Assert.Equal(new long[] { 3, 6, 9 }, val["evaluation_loss_vs_iterations"].Select(p => p.Step));   // 3 steps per epoch

        var events = EventFileReader.Read(tb.TrainFile ?? EventFileReader.FindFiles(Path.Combine(dir.Path, "train")).Single());
        var graph = events.Single(e => e.Graph is not null).Graph!;
        Assert.Equal(model.Layers.Select(l => l.Name), graph.Select(n => n.Name));
        Assert.Equal(new[] { "Dense", "Dense" }, graph.Select(n => n.Op));
        Assert.Equal(new[] { model.Layers[0].Name }, graph[1].Inputs);
        var histos = events.SelectMany(e => e.Values.Where(v => v.Histogram is not null).Select(v => (e.Step, v))).ToList();
        Assert.Equal(2 * model.Weights.Count, histos.Count);              // epochs 0 and 2
        Assert.Equal(new long[] { 0, 2 }, histos.Select(p => p.Step).Distinct());
        var kernel = model.Layers[0].Weights[0];
        var last = histos.Last(p => p.v.Tag == kernel.Name + "/histogram").v.Histogram!;
        Assert.Equal(kernel.Value.Size, last.Num);
        Assert.Equal(kernel.ToArray().Min(), last.Min, 6);
    }

    [Fact]
    public void BatchUpdateFrequencyAndAFunctionalGraph()
    {
        using var dir = new TempDir();
        var input = new Input(new[] { 3 }, name: "in");
        var a = new Dense(4, name: "left").Apply(input);
        var b = new Dense(4, name: "right").Apply(input);
        var merged = new Add(name: "sum").Apply(a, b);
        var output = new Dense(3, activation: "softmax", name: "out").Apply(merged);
        var model = new Cortex.Keras.Models.Functional(input, output);
        model.Compile("sgd", "categorical_crossentropy");
        var (x, y) = Cortex.Tests.Keras.ModelTests.Blobs(12, 4);
        model.Fit(x, y, batchSize: 2, epochs: 2, verbose: 0, callbacks: new[] { new TensorBoard(dir.Path, updateFreq: 4) });
        var train = EventFileReader.ReadScalars(Path.Combine(dir.Path, "train"));
        Assert.Equal(new long[] { 4, 8, 12 }, train["batch_loss"].Select(p => p.Step));   // 12 batches, every 4th
        Assert.False(Directory.Exists(Path.Combine(dir.Path, "validation")));
        var graph = EventFileReader.Read(EventFileReader.FindFiles(Path.Combine(dir.Path, "train")).Single()).Single(e => e.Graph is not null).Graph!;
        var byName = graph.ToDictionary(n => n.Name);
        Assert.Equal("InputLayer", byName["in"].Op);
        Assert.Equal(new[] { "in" }, byName["left"].Inputs);
        Assert.Equal(new[] { "left", "right" }, byName["sum"].Inputs.Order());
        Assert.Equal("Add", byName["sum"].Op);
        Assert.Equal(new[] { "sum" }, byName["out"].Inputs);
    }

    [Fact]
    public void UpdateFreqAcceptsKerasValuesOnly()
    {
        Assert.Equal(0, ((UpdateFreq)"epoch").Batches);
        Assert.Equal(1, ((UpdateFreq)"batch").Batches);
        Assert.Equal(50, ((UpdateFreq)50).Batches);
        Assert.Throws<ArgumentException>(() => (UpdateFreq)"step");
        Assert.Throws<ArgumentException>(() => (UpdateFreq)0);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TensorBoard(histogramFreq: -1));
    }
}
