namespace Cortex;

/// <summary>Shape arithmetic shared by tensors, ops and layers: sizes, strides, broadcasting, axes.</summary>
public static class TensorShape
{
    /// <summary>The number of elements of a shape (1 for a scalar).</summary>
    public static int Size(ReadOnlySpan<int> dims)
    {
        long n = 1;
        foreach (var d in dims) n *= d;
        if (n > int.MaxValue) throw new ArgumentException($"shape {Format(dims)} has {n} elements, more than a tensor can hold.");
        return (int)n;
    }

    /// <summary>Row-major strides of a shape.</summary>
    public static int[] ContiguousStrides(ReadOnlySpan<int> dims)
    {
        var s = new int[dims.Length];
        int acc = 1;
        for (int i = dims.Length - 1; i >= 0; i--) { s[i] = acc; acc *= dims[i]; }
        return s;
    }

    internal static bool IsContiguous(int[] dims, int[] strides)
    {
        int acc = 1;
        for (int i = dims.Length - 1; i >= 0; i--)
        {
            if (dims[i] != 1 && strides[i] != acc) return false;
            acc *= dims[i];
        }
        return true;
    }

    /// <summary>Writes a shape the way Keras prints it: <c>(None, 784)</c>, <c>(10,)</c>, <c>()</c>. Negative sizes print as None.</summary>
    public static string Format(ReadOnlySpan<int> dims)
    {
        if (dims.Length == 0) return "()";
        var parts = new string[dims.Length];
        for (int i = 0; i < dims.Length; i++) parts[i] = dims[i] < 0 ? "None" : dims[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return dims.Length == 1 ? $"({parts[0]},)" : "(" + string.Join(", ", parts) + ")";
    }

    /// <summary>Formats a shape whose first (batch) dimension is unknown, as Keras does: <c>(None, 512)</c>.</summary>
    public static string FormatWithBatch(ReadOnlySpan<int> dims)
    {
        var all = new int[dims.Length + 1];
        all[0] = -1;
        dims.CopyTo(all.AsSpan(1));
        return Format(all);
    }

    internal static void Validate(int[] shape, string param)
    {
        ArgumentNullException.ThrowIfNull(shape, param);
        foreach (var d in shape)
            if (d < 0) throw new ArgumentException($"shape sizes must be non-negative. Received: shape=({string.Join(", ", shape)}{(shape.Length == 1 ? "," : "")})", param);
    }

    /// <summary>Turns a possibly negative axis into 0..rank-1.</summary>
    public static int NormalizeAxis(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if ((uint)a >= (uint)rank)
            throw new ArgumentOutOfRangeException(nameof(axis), $"axis {axis} is out of range for a tensor of rank {rank}.");
        return a;
    }

    /// <summary>The NumPy broadcast of two shapes.</summary>
    public static int[] Broadcast(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new int[rank];
        for (int i = 0; i < rank; i++)
        {
            int da = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1;
            int db = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"shapes {Format(a)} and {Format(b)} cannot be broadcast together (axis {i}: {da} vs {db}).");
            r[i] = da == 1 ? db : da;
        }
        return r;
    }

    internal static bool SameShape(int[] a, int[] b) => a.AsSpan().SequenceEqual(b);
}
