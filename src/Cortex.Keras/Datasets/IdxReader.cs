using System.Buffers.Binary;
using System.IO.Compression;

namespace Cortex.Keras.Datasets;

/// <summary>
/// An n-dimensional array of unsigned bytes as stored in an IDX file: its <see cref="Shape"/> (outermost dimension
/// first, e.g. <c>[60000, 28, 28]</c> for MNIST training images) and its elements in row-major order.
/// </summary>
public sealed class IdxArray
{
    /// <summary>Creates an array; the product of <paramref name="shape"/> must equal the length of <paramref name="data"/>.</summary>
    /// <param name="shape">The dimensions, outermost first; between 1 and 255 of them, each positive.</param>
    /// <param name="data">The elements in row-major order (not copied).</param>
    /// <exception cref="ArgumentException">The shape is empty, has a dimension ≤ 0, or does not match the data length.</exception>
    public IdxArray(int[] shape, byte[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (shape.Length is 0 or > 255)
            throw new ArgumentException($"an IDX array has 1 to 255 dimensions, got {shape.Length}", nameof(shape));
        long product = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] <= 0)
                throw new ArgumentException($"dimension {i} is {shape[i]}; dimensions must be positive", nameof(shape));
            product *= shape[i];
            if (product > Array.MaxLength)
                throw new ArgumentException($"shape {IdxReader.FormatShape(shape)} has more elements than an array can hold", nameof(shape));
        }
        if (product != data.Length)
            throw new ArgumentException(
                $"shape {IdxReader.FormatShape(shape)} = {product} elements, but data has {data.Length}", nameof(data));
        Shape = shape;
        Data = data;
    }

    /// <summary>The dimensions, outermost first.</summary>
    public int[] Shape { get; }

    /// <summary>The elements in row-major order.</summary>
    public byte[] Data { get; }

    /// <summary>The size of the outermost dimension (the number of items, e.g. images or labels).</summary>
    public int Count => Shape[0];

    /// <summary>The shape written as in error messages, e.g. <c>60000×28×28</c>.</summary>
    public override string ToString() => $"IdxArray {IdxReader.FormatShape(Shape)}";
}

/// <summary>
/// Reads and writes the IDX format of the MNIST files (<see href="http://yann.lecun.com/exdb/mnist/"/>):
/// a big-endian 32-bit magic number <c>0x0000TTNN</c> (two zero bytes, the data type <c>TT</c>, the number of
/// dimensions <c>NN</c>), then <c>NN</c> big-endian int32 dimension sizes, then the elements in row-major order.
/// Only data type <c>0x08</c> (unsigned byte) is supported. Files may be gzip-compressed; compression is recognised
/// by the gzip magic bytes <c>1F 8B</c>, not by the file name.
/// </summary>
public static class IdxReader
{
    /// <summary>The IDX data-type byte for unsigned bytes, the only type supported.</summary>
    public const byte UnsignedByteType = 0x08;

    /// <summary>
    /// Reads an IDX file (plain or gzip-compressed).
    /// </summary>
    /// <param name="path">The file to read.</param>
    /// <returns>The array the file holds.</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">
    /// The file is not a valid unsigned-byte IDX file: empty, a broken gzip stream, a bad magic number, an
    /// unsupported data type, a dimension ≤ 0, fewer or more data bytes than the header says. The message starts
    /// with the file path and says what is wrong.
    /// </exception>
    public static IdxArray Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string full = Path.GetFullPath(path);
        if (!File.Exists(full))
            throw new FileNotFoundException($"{full}: no such file", full);
        using var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(file, full);
    }

    /// <summary>
    /// Reads an IDX array from a stream (plain or gzip-compressed), up to the end of the stream.
    /// </summary>
    /// <param name="stream">The stream, positioned at the start of the IDX (or gzip) data; it is read to its end and not disposed.</param>
    /// <param name="sourceName">The name used in error messages (usually the file path).</param>
    /// <returns>The array the stream holds.</returns>
    /// <exception cref="InvalidDataException">The data is not a valid unsigned-byte IDX array (see <see cref="Read(string)"/>).</exception>
    public static IdxArray Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);

        Span<byte> head = stackalloc byte[4];
        int got = ReadFully(stream, head, sourceName, compressed: false);
        if (got == 0) throw Bad(sourceName, "empty file");
        if (got >= 2 && head[0] == 0x1F && head[1] == 0x8B)
        {
            long start = stream.CanSeek ? stream.Position - got : -1;
            var prefix = new MemoryStream(head[..got].ToArray());
            IdxArray result;
            using (var gz = new GZipStream(new ConcatStream(prefix, stream), CompressionMode.Decompress, leaveOpen: true))
                result = ReadPlain(gz, sourceName, compressed: true, alreadyRead: ReadOnlySpan<byte>.Empty);
            if (start >= 0) CheckGzipTrailer(stream, start, 4L + 4L * result.Shape.Length + result.Data.Length, sourceName);
            return result;
        }
        return ReadPlain(stream, sourceName, compressed: false, alreadyRead: head[..got]);
    }

    /// <summary>
    /// zlib verifies the CRC-32 and size in the gzip trailer when the trailer is there, but a stream cut off inside
    /// its last bytes still decompresses without error. So check that the file ends with the trailer of what was
    /// decompressed: its last 4 bytes are the uncompressed size modulo 2^32. A file of several concatenated gzip
    /// members (whose last trailer covers only the last member) is recognised by a further gzip header and let pass.
    /// </summary>
    private static void CheckGzipTrailer(Stream stream, long start, long decompressed, string source)
    {
        long length = stream.Length - start;
        Span<byte> tail = stackalloc byte[4];
        if (length >= 18)
        {
            stream.Position = start + length - 4;
            if (ReadFully(stream, tail, source, compressed: false) == 4
                && BinaryPrimitives.ReadUInt32LittleEndian(tail) == (uint)decompressed)
                return;
        }
        // Mismatch: is this a multi-member file? Look for another member header (1F 8B 08) after the first one.
        stream.Position = start + 10;
        var buf = new byte[1 << 16];
        int carry = 0;
        while (true)
        {
            int n = stream.Read(buf, carry, buf.Length - carry);
            if (n == 0) break;
            int end = carry + n;
            if (buf.AsSpan(0, end).IndexOf([(byte)0x1F, (byte)0x8B, (byte)0x08]) >= 0) return;
            carry = Math.Min(2, end);
            buf.AsSpan(end - carry, carry).CopyTo(buf);
        }
        throw Bad(source, length >= 18
            ? $"truncated or damaged gzip stream: the gzip trailer is missing or wrong (its size field reads {BinaryPrimitives.ReadUInt32LittleEndian(tail)}, but the data decompressed to {decompressed} bytes); is the file cut short?"
            : $"truncated gzip stream: {length} bytes is too short to hold a gzip header and trailer");
    }

    private static IdxArray ReadPlain(Stream s, string source, bool compressed, ReadOnlySpan<byte> alreadyRead)
    {
        string what = compressed ? "decompressed data" : "file";
        Span<byte> magic = stackalloc byte[4];
        alreadyRead.CopyTo(magic);
        int got = alreadyRead.Length + (alreadyRead.Length < 4 ? ReadFully(s, magic[alreadyRead.Length..], source, compressed) : 0);
        if (got == 0) throw Bad(source, compressed ? "not a valid gzip stream: it decompresses to nothing (cut short, or empty)" : "empty file");
        if (got < 4)
            throw Bad(source, $"truncated: {what} ends inside the 4-byte magic number ({got} bytes)");

        uint m = BinaryPrimitives.ReadUInt32BigEndian(magic);
        if (magic[0] != 0 || magic[1] != 0)
            throw Bad(source, $"bad magic 0x{m:X8}, expected 0x00000801 or 0x00000803 (IDX unsigned byte; 0x000008NN for NN dimensions)");
        if (magic[2] != UnsignedByteType)
            throw Bad(source, $"unsupported IDX data type 0x{magic[2]:X2} ({TypeName(magic[2])}) in magic 0x{m:X8}; only 0x08 (unsigned byte) is supported");
        int ndims = magic[3];
        if (ndims == 0)
            throw Bad(source, $"bad magic 0x{m:X8}: zero dimensions");

        var dimBytes = new byte[4 * ndims];
        int dgot = ReadFully(s, dimBytes, source, compressed);
        if (dgot < dimBytes.Length)
            throw Bad(source, $"truncated: {what} ends inside the header ({4 + dgot} of {4 + dimBytes.Length} header bytes for {ndims} dimensions)");
        var shape = new int[ndims];
        long expected = 1;
        for (int i = 0; i < ndims; i++)
        {
            shape[i] = BinaryPrimitives.ReadInt32BigEndian(dimBytes.AsSpan(4 * i));
            if (shape[i] <= 0)
                throw Bad(source, $"dimension {i} of {ndims} is {shape[i]} (header {FormatShape(shape.AsSpan(0, i + 1))}); dimensions must be positive");
            expected *= shape[i];
            if (expected > Array.MaxLength)
                throw Bad(source, $"header says {FormatShape(shape.AsSpan(0, i + 1))}{(i + 1 < ndims ? "×…" : "")} elements, more than an array can hold");
        }

        var data = new byte[expected];
        int n = ReadFully(s, data, source, compressed);
        if (n < expected)
            throw Bad(source, $"truncated: header says {FormatShape(shape)} = {expected} bytes of data, {what} has {n}");
        long extra = CountRest(s, source, compressed);
        if (extra > 0)
            throw Bad(source, $"data longer than the header says: header says {FormatShape(shape)} = {expected} bytes of data, {what} has {expected + extra} ({extra} extra)");
        return new IdxArray(shape, data);
    }

    /// <summary>
    /// Writes an IDX file (data type unsigned byte), gzip-compressed (<see cref="CompressionLevel.SmallestSize"/>)
    /// when <paramref name="path"/> ends in <c>.gz</c>. The file is written to a temporary file in the same folder
    /// and then moved over <paramref name="path"/>, so no half-written file is ever left at <paramref name="path"/>.
    /// Missing parent folders are created.
    /// </summary>
    /// <param name="path">The file to write; replaced if it exists.</param>
    /// <param name="array">The array to write.</param>
    public static void Write(string path, IdxArray array)
    {
        ArgumentNullException.ThrowIfNull(array);
        Write(path, array.Shape, array.Data);
    }

    /// <summary>
    /// Writes an IDX file from a shape and row-major data; see <see cref="Write(string, IdxArray)"/>.
    /// </summary>
    /// <param name="path">The file to write; gzip-compressed when it ends in <c>.gz</c>; replaced if it exists.</param>
    /// <param name="shape">The dimensions, outermost first (1 to 255 of them, each positive).</param>
    /// <param name="data">The elements; its length must equal the product of <paramref name="shape"/>.</param>
    /// <exception cref="ArgumentException">The shape is invalid or does not match the data length.</exception>
    public static void Write(string path, int[] shape, ReadOnlySpan<byte> data)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length is 0 or > 255)
            throw new ArgumentException($"an IDX array has 1 to 255 dimensions, got {shape.Length}", nameof(shape));
        long product = 1;
        foreach (int d in shape)
        {
            if (d <= 0) throw new ArgumentException($"shape {FormatShape(shape)} has a dimension ≤ 0", nameof(shape));
            product *= d;
            if (product > Array.MaxLength) throw new ArgumentException($"shape {FormatShape(shape)} is too large", nameof(shape));
        }
        if (product != data.Length)
            throw new ArgumentException($"shape {FormatShape(shape)} = {product} elements, but data has {data.Length}", nameof(data));

        var header = new byte[4 + 4 * shape.Length];
        header[2] = UnsignedByteType;
        header[3] = (byte)shape.Length;
        for (int i = 0; i < shape.Length; i++)
            BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * i), shape[i]);

        bool gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        // Write to a temporary file in the same folder, then rename it over the target: readers never see a
        // half-written file, and a failure leaves the old file (if any) untouched.
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                if (gzip)
                {
                    using var gz = new GZipStream(fs, CompressionLevel.SmallestSize, leaveOpen: true);
                    gz.Write(header);
                    gz.Write(data);
                }
                else
                {
                    fs.Write(header);
                    fs.Write(data);
                }
                fs.Flush(flushToDisk: true);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch { /* best effort */ }
            throw;
        }
    }

    /// <summary>Formats a shape as <c>60000×28×28</c>.</summary>
    internal static string FormatShape(ReadOnlySpan<int> shape)
    {
        var parts = new string[shape.Length];
        for (int i = 0; i < shape.Length; i++) parts[i] = shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return string.Join("×", parts);
    }

    private static string TypeName(byte t) => t switch
    {
        0x08 => "unsigned byte",
        0x09 => "signed byte",
        0x0B => "int16",
        0x0C => "int32",
        0x0D => "float32",
        0x0E => "float64",
        _ => "not an IDX type",
    };

    private static InvalidDataException Bad(string source, string what, Exception? inner = null) =>
        new($"{source}: {what}", inner);

    /// <summary>Reads until <paramref name="buffer"/> is full or the stream ends; returns the bytes read.</summary>
    private static int ReadFully(Stream s, Span<byte> buffer, string source, bool compressed)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n;
            try { n = s.Read(buffer[total..]); }
            catch (InvalidDataException e) when (compressed) { throw GzipError(source, e); }
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    private static long CountRest(Stream s, string source, bool compressed)
    {
        var buf = new byte[1 << 16];
        long total = 0;
        while (true)
        {
            int n;
            try { n = s.Read(buf); }
            catch (InvalidDataException e) when (compressed) { throw GzipError(source, e); }
            if (n == 0) return total;
            total += n;
        }
    }

    private static InvalidDataException GzipError(string source, InvalidDataException e) =>
        Bad(source, $"not a valid gzip stream ({e.Message.TrimEnd('.')}); the file is corrupt or truncated", e);

    /// <summary>A read-only stream that reads one stream and then another (used to put back the sniffed magic bytes).</summary>
    private sealed class ConcatStream(Stream first, Stream second) : Stream
    {
        private bool _firstDone;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (buffer.IsEmpty) return 0;
            if (!_firstDone)
            {
                int n = first.Read(buffer);
                if (n > 0) return n;
                _firstDone = true;
            }
            return second.Read(buffer);
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
