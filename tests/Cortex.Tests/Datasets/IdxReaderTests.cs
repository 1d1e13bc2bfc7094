using System.Buffers.Binary;
using System.IO.Compression;
using Cortex.Keras.Datasets;

namespace Cortex.Tests.Datasets;

/// <summary>A temporary folder deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cortex-ds-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string this[string name] => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch { /* best effort */ }
    }
}

public class IdxReaderTests
{
    /// <summary>Raw IDX bytes: a 4-byte magic, the dimensions, the data, all as given (so they can be inconsistent).</summary>
    internal static byte[] RawIdx(uint magic, int[] dims, byte[] data)
    {
        var bytes = new byte[4 + 4 * dims.Length + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++) BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        data.CopyTo(bytes, 4 + 4 * dims.Length);
        return bytes;
    }

    internal static byte[] Gzip(byte[] bytes)
    {
        using var ms = new MemoryStream();
        using (var gz = new GZipStream(ms, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(bytes);
        return ms.ToArray();
    }

    private static byte[] Ramp(int n) => Enumerable.Range(0, n).Select(i => (byte)(i * 7 + 3)).ToArray();

    [Theory]
    [InlineData("a.idx", new[] { 5 })]
    [InlineData("a.idx.gz", new[] { 5 })]
    [InlineData("images-idx3-ubyte", new[] { 4, 28, 28 })]
    [InlineData("images-idx3-ubyte.gz", new[] { 4, 28, 28 })]
    [InlineData("four.gz", new[] { 2, 3, 1, 5 })]
    public void WriteThenRead_RoundTrips(string name, int[] shape)
    {
        using var tmp = new TempFolder();
        int n = shape.Aggregate(1, (a, b) => a * b);
        var data = Ramp(n);
        IdxReader.Write(tmp[name], new IdxArray(shape, data));

        var back = IdxReader.Read(tmp[name]);
        Assert.Equal(shape, back.Shape);
        Assert.Equal(data, back.Data);
        Assert.Equal(shape[0], back.Count);

        byte[] onDisk = File.ReadAllBytes(tmp[name]);
        bool isGzip = onDisk[0] == 0x1F && onDisk[1] == 0x8B;
        Assert.Equal(name.EndsWith(".gz"), isGzip);
        Assert.Single(Directory.GetFiles(tmp.Path)); // no temp file left behind
    }

    [Fact]
    public void Write_PlainHeaderIsStandardIdx()
    {
        using var tmp = new TempFolder();
        IdxReader.Write(tmp["l"], [3], new byte[] { 7, 8, 9 });
        Assert.Equal(RawIdx(0x00000801, [3], [7, 8, 9]), File.ReadAllBytes(tmp["l"]));
    }

    [Fact]
    public void Read_DetectsGzipByMagicNotByName()
    {
        using var tmp = new TempFolder();
        var raw = RawIdx(0x00000803, [2, 2, 2], Ramp(8));
        File.WriteAllBytes(tmp["compressed.bin"], Gzip(raw));
        File.WriteAllBytes(tmp["plain.gz"], raw);
        Assert.Equal(Ramp(8), IdxReader.Read(tmp["compressed.bin"]).Data);
        Assert.Equal(Ramp(8), IdxReader.Read(tmp["plain.gz"]).Data);
    }

    [Fact]
    public void Write_ReplacesExistingFileAndLeavesNoTempFile()
    {
        using var tmp = new TempFolder();
        IdxReader.Write(tmp["x.gz"], [10], Ramp(10));
        IdxReader.Write(tmp["x.gz"], [3], new byte[] { 1, 2, 3 });
        Assert.Equal(new byte[] { 1, 2, 3 }, IdxReader.Read(tmp["x.gz"]).Data);
        Assert.Equal(new[] { tmp["x.gz"] }, Directory.GetFiles(tmp.Path));
    }

    [Fact]
    public void Write_CreatesMissingFolders()
    {
        using var tmp = new TempFolder();
        string path = Path.Combine(tmp.Path, "a", "b", "c.gz");
        IdxReader.Write(path, [1], new byte[] { 42 });
        Assert.Equal(new byte[] { 42 }, IdxReader.Read(path).Data);
    }

    [Fact]
    public void Write_RejectsInconsistentShape()
    {
        using var tmp = new TempFolder();
        Assert.Throws<ArgumentException>(() => IdxReader.Write(tmp["a"], [2, 3], new byte[5]));
        Assert.Throws<ArgumentException>(() => IdxReader.Write(tmp["a"], [0], Array.Empty<byte>()));
        Assert.Throws<ArgumentException>(() => IdxReader.Write(tmp["a"], [], Array.Empty<byte>()));
        Assert.Empty(Directory.GetFiles(tmp.Path));
        Assert.Throws<ArgumentException>(() => new IdxArray([2, 2], new byte[3]));
        Assert.Throws<ArgumentException>(() => new IdxArray([-1], new byte[0]));
    }

    public static TheoryData<string, byte[], string> CorruptFiles()
    {
        var d = new TheoryData<string, byte[], string>
        {
            { "empty", Array.Empty<byte>(), "empty file" },
            { "bad magic", RawIdx(0x12345678, [1], [0]), "bad magic 0x12345678, expected 0x00000801 or 0x00000803" },
            { "float type", RawIdx(0x00000D01, [1], [0, 0, 0, 0]), "unsupported IDX data type 0x0D (float32)" },
            { "zero dims", RawIdx(0x00000800, [], []), "zero dimensions" },
            { "zero dimension", RawIdx(0x00000803, [3, 0, 2], []), "dimension 1 of 3 is 0" },
            { "negative dimension", RawIdx(0x00000802, [-5, 2], []), "dimension 0 of 2 is -5" },
            { "short magic", new byte[] { 0, 0, 8 }, "truncated: file ends inside the 4-byte magic number" },
            { "short header", RawIdx(0x00000803, [3, 28], []), "truncated: file ends inside the header (12 of 16 header bytes" },
            { "short data", RawIdx(0x00000803, [3, 2, 2], Ramp(5)), "truncated: header says 3×2×2 = 12 bytes of data, file has 5" },
            { "long data", RawIdx(0x00000801, [3], Ramp(5)), "data longer than the header says: header says 3 = 3 bytes of data, file has 5 (2 extra)" },
            { "gz short data", Gzip(RawIdx(0x00000803, [3, 2, 2], Ramp(5))), "truncated: header says 3×2×2 = 12 bytes of data, decompressed data has 5" },
            { "gz long data", Gzip(RawIdx(0x00000801, [3], Ramp(4))), "data longer than the header says" },
            { "gz bad magic", Gzip(RawIdx(0x12345678, [1], [0])), "bad magic 0x12345678" },
            { "gz garbage", new byte[] { 0x1F, 0x8B, 0x08, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF }, "not a valid gzip stream" },
        };
        return d;
    }

    [Theory]
    [MemberData(nameof(CorruptFiles))]
    public void Read_CorruptFile_ThrowsInvalidDataNamingFile(string name, byte[] content, string expected)
    {
        using var tmp = new TempFolder();
        string path = tmp[name.Replace(' ', '-') + "-idx-ubyte.gz"];
        File.WriteAllBytes(path, content);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains(expected, e.Message);
    }

    [Fact]
    public void Read_TruncatedGzipFile_ThrowsInvalidDataNamingFile()
    {
        using var tmp = new TempFolder();
        string good = tmp["good.gz"];
        IdxReader.Write(good, [50, 28, 28], Ramp(50 * 28 * 28));
        byte[] bytes = File.ReadAllBytes(good);
        foreach (int keep in new[] { 2, 10, bytes.Length / 2, bytes.Length - 4, bytes.Length - 1 })
        {
            string path = tmp[$"cut{keep}.gz"];
            File.WriteAllBytes(path, bytes[..keep]);
            var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
            Assert.StartsWith(path + ": ", e.Message);
        }
    }

    [Fact]
    public void Read_TruncatedGzipTrailer_IsDetectedEvenThoughTheDataIsComplete()
    {
        using var tmp = new TempFolder();
        string good = tmp["good.gz"];
        IdxReader.Write(good, [50, 28, 28], Ramp(50 * 28 * 28));
        byte[] bytes = File.ReadAllBytes(good);
        string path = tmp["no-trailer.gz"];
        File.WriteAllBytes(path, bytes[..^3]);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.StartsWith(path + ": truncated or damaged gzip stream", e.Message);
    }

    [Fact]
    public void Read_MultiMemberGzip_IsAccepted()
    {
        using var tmp = new TempFolder();
        var raw = RawIdx(0x00000803, [40, 28, 28], Ramp(40 * 784));
        string path = tmp["multi.gz"];
        File.WriteAllBytes(path, [.. Gzip(raw[..1000]), .. Gzip(raw[1000..])]);
        var a = IdxReader.Read(path);
        Assert.Equal(new[] { 40, 28, 28 }, a.Shape);
        Assert.Equal(Ramp(40 * 784), a.Data);
    }

    [Fact]
    public void Read_CorruptedGzipBytes_ThrowsInvalidDataNamingFile()
    {
        using var tmp = new TempFolder();
        string good = tmp["good.gz"];
        IdxReader.Write(good, [20, 28, 28], Ramp(20 * 28 * 28));
        byte[] bytes = File.ReadAllBytes(good);
        bytes[^6] ^= 0xFF; // inside the CRC-32 of the gzip trailer
        string path = tmp["bad-crc.gz"];
        File.WriteAllBytes(path, bytes);
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.StartsWith(path + ": ", e.Message);
        Assert.Contains("not a valid gzip stream", e.Message);
    }

    [Fact]
    public void Read_TruncationMessageSpellsOutTheSizes()
    {
        using var tmp = new TempFolder();
        string path = tmp["train-images-idx3-ubyte.gz"];
        File.WriteAllBytes(path, Gzip(RawIdx(0x00000803, [60000, 28, 28], Ramp(1234))));
        var e = Assert.Throws<InvalidDataException>(() => IdxReader.Read(path));
        Assert.Equal($"{path}: truncated: header says 60000×28×28 = 47040000 bytes of data, decompressed data has 1234", e.Message);
    }

    [Fact]
    public void Read_MissingFile_ThrowsFileNotFound()
    {
        using var tmp = new TempFolder();
        var e = Assert.Throws<FileNotFoundException>(() => IdxReader.Read(tmp["nope"]));
        Assert.Contains(tmp["nope"], e.Message);
    }
}
