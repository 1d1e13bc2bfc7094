namespace Cortex.Keras.Callbacks;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), the checksum of TFRecord framing, and TensorFlow's masked
/// form of it (<c>tensorflow/core/lib/hash/crc32c.h</c>: rotate right by 15 bits and add 0xa282ead8).
/// </summary>
/// <remarks>System.IO.Hashing has CRC-32 (IEEE) only, so this is a table-driven implementation (one 256-entry table,
/// a byte at a time — event records are small).</remarks>
public static class Crc32C
{
    private const uint Polynomial = 0x82F63B78u;
    private const uint MaskDelta = 0xa282ead8u;
    private static readonly uint[] Table = BuildTable();

    /// <summary>The CRC-32C of <paramref name="data"/>.</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => Extend(0u, data);

    /// <summary>Continues the CRC <paramref name="crc"/> of earlier bytes over <paramref name="data"/>.</summary>
    public static uint Extend(uint crc, ReadOnlySpan<byte> data)
    {
        uint c = ~crc;
        foreach (byte b in data) c = Table[(c ^ b) & 0xFF] ^ (c >> 8);
        return ~c;
    }

    /// <summary>TensorFlow's masked CRC (stored in TFRecord files, so that CRCs of data holding CRCs stay robust).</summary>
    public static uint Mask(uint crc) => ((crc >> 15) | (crc << 17)) + MaskDelta;

    /// <summary>The inverse of <see cref="Mask"/>.</summary>
    public static uint Unmask(uint masked)
    {
        uint rot = masked - MaskDelta;
        return (rot >> 17) | (rot << 15);
    }

    private static uint[] BuildTable()
    {
        var t = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? (c >> 1) ^ Polynomial : c >> 1;
            t[i] = c;
        }
        return t;
    }
}
