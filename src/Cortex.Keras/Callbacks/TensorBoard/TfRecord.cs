using System.Buffers.Binary;

namespace Cortex.Keras.Callbacks;

/// <summary>
/// TFRecord framing (<c>tensorflow/core/lib/io/record_writer.cc</c>): each record is
/// <c>uint64 length | uint32 masked_crc32c(length bytes) | data[length] | uint32 masked_crc32c(data)</c>, little-endian.
/// </summary>
internal static class TfRecord
{
    public const int HeaderSize = 12, FooterSize = 4;

    /// <summary>Writes one record whole (one <c>Write</c> call, so a reader never sees half a header).</summary>
    public static void Write(Stream stream, ReadOnlySpan<byte> data)
    {
        var buffer = new byte[HeaderSize + data.Length + FooterSize];
        BinaryPrimitives.WriteUInt64LittleEndian(buffer, (ulong)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(8), Crc32C.Mask(Crc32C.Compute(buffer.AsSpan(0, 8))));
        data.CopyTo(buffer.AsSpan(HeaderSize));
        BinaryPrimitives.WriteUInt32LittleEndian(buffer.AsSpan(HeaderSize + data.Length), Crc32C.Mask(Crc32C.Compute(data)));
        stream.Write(buffer);
    }

    /// <summary>
    /// The records of <paramref name="bytes"/> with their offsets, each CRC checked.
    /// </summary>
    /// <exception cref="InvalidDataException">A CRC does not match or a record is cut short; the message names
    /// <paramref name="source"/> and the record's byte offset.</exception>
    public static IEnumerable<(long Offset, byte[] Data)> Read(byte[] bytes, string source)
    {
        long pos = 0;
        while (pos < bytes.Length)
        {
            if (bytes.Length - pos < HeaderSize)
                throw new InvalidDataException($"{source}: truncated record header at offset {pos} ({bytes.Length - pos} of {HeaderSize} bytes).");
            var header = bytes.AsSpan((int)pos, HeaderSize);
            ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
            uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
            if (Crc32C.Mask(Crc32C.Compute(header[..8])) != lengthCrc)
                throw new InvalidDataException($"{source}: corrupted record at offset {pos}: the CRC32C of the length field does not match.");
            if (length > (ulong)(bytes.Length - pos - HeaderSize - FooterSize))
                throw new InvalidDataException($"{source}: truncated record at offset {pos}: it declares {length} bytes of data but the file ends first.");
            var data = bytes.AsSpan((int)pos + HeaderSize, (int)length);
            uint dataCrc = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan((int)pos + HeaderSize + (int)length, FooterSize));
            if (Crc32C.Mask(Crc32C.Compute(data)) != dataCrc)
                throw new InvalidDataException($"{source}: corrupted record at offset {pos}: the CRC32C of its {length} data bytes does not match.");
            yield return (pos, data.ToArray());
            pos += HeaderSize + (long)length + FooterSize;
        }
    }
}
