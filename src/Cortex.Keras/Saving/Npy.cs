using System.Buffers.Binary;
using System.Text;
using System.Text.RegularExpressions;

namespace Cortex.Keras.Saving;

/// <summary>
/// Reads numpy's <c>.npy</c> files (format versions 1–3, C order, little- or big-endian float32/float64/int8–int64/
/// uint8/bool) into float32 tensors, as inputs to a model saved by Keras.
/// </summary>
public static partial class Npy
{
    private static readonly byte[] Magic = { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y' };

    /// <summary>Loads <paramref name="path"/> as a float32 tensor of the array's shape.</summary>
    /// <exception cref="InvalidDataException">Not a .npy file, Fortran order, an unsupported dtype, or truncated data.</exception>
    public static Tensor Load(string path)
    {
        using var fs = File.OpenRead(path);
        return Read(fs, path);
    }

    /// <summary>Reads a .npy stream; <paramref name="name"/> names it in errors.</summary>
    public static Tensor Read(Stream stream, string name)
    {
        var pre = new byte[10];
        if (stream.ReadAtLeast(pre, 10, throwOnEndOfStream: false) < 10 || !pre.AsSpan(0, 6).SequenceEqual(Magic))
            throw new InvalidDataException($"{name} is not a .npy file (no \\x93NUMPY header).");
        int major = pre[6];
        int headerLen;
        if (major == 1) headerLen = BinaryPrimitives.ReadUInt16LittleEndian(pre.AsSpan(8));
        else
        {
            var more = new byte[2];
            stream.ReadExactly(more);
            headerLen = (int)BinaryPrimitives.ReadUInt32LittleEndian(new[] { pre[8], pre[9], more[0], more[1] });
        }
        var hb = new byte[headerLen];
        stream.ReadExactly(hb);
        var header = (major >= 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(hb);
        var descr = DescrRe().Match(header);
        var order = OrderRe().Match(header);
        var shapeM = ShapeRe().Match(header);
        if (!descr.Success || !shapeM.Success) throw new InvalidDataException($"{name} has an unreadable .npy header: {header.Trim()}");
        if (order.Success && order.Groups[1].Value == "True") throw new InvalidDataException($"{name} is in Fortran order; only C-order arrays are supported.");
        var shape = shapeM.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(int.Parse).ToArray();
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var d = descr.Groups[1].Value;
        bool big = d[0] == '>';
        char kind = d[1];
        int size = int.Parse(d[2..]);
        var raw = new byte[count * size];
        if (stream.ReadAtLeast(raw, raw.Length, throwOnEndOfStream: false) < raw.Length)
            throw new InvalidDataException($"{name} is truncated: its header announces {count} values of {size} bytes.");
        var values = new float[count];
        for (long i = 0; i < count; i++)
        {
            var s = raw.AsSpan((int)(i * size), size);
            values[i] = (kind, size) switch
            {
                ('f', 4) => big ? BinaryPrimitives.ReadSingleBigEndian(s) : BinaryPrimitives.ReadSingleLittleEndian(s),
                ('f', 8) => (float)(big ? BinaryPrimitives.ReadDoubleBigEndian(s) : BinaryPrimitives.ReadDoubleLittleEndian(s)),
                ('i', 1) => (sbyte)s[0],
                ('u', 1) or ('b', 1) => s[0],
                ('i', 2) => big ? BinaryPrimitives.ReadInt16BigEndian(s) : BinaryPrimitives.ReadInt16LittleEndian(s),
                ('i', 4) => big ? BinaryPrimitives.ReadInt32BigEndian(s) : BinaryPrimitives.ReadInt32LittleEndian(s),
                ('i', 8) => big ? BinaryPrimitives.ReadInt64BigEndian(s) : BinaryPrimitives.ReadInt64LittleEndian(s),
                _ => throw new InvalidDataException($"{name} has dtype '{d}', which Npy does not read (float32/64, int8-64, uint8, bool)."),
            };
        }
        return Tensor.FromArray(values, shape.Length == 0 ? Array.Empty<int>() : shape);
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([<>|=][a-z]\d+)'")] private static partial Regex DescrRe();
    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")] private static partial Regex OrderRe();
    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")] private static partial Regex ShapeRe();
}
