using Cortex.Autodiff;

namespace Cortex;

public static partial class Ops
{
    /// <summary>One-hot rows: labels of shape S (class indices as values) give shape S + (depth,).</summary>
    public static Tensor OneHot(Tensor labels, int depth)
    {
        if (depth <= 0) throw new ArgumentException($"depth must be a positive integer. Received: depth={depth}", nameof(depth));
        var ls = Read(labels);
        var y = Tensor.Allocate(labels.Dims.Append(depth).ToArray(), clear: true);
        var d = y.Span;
        for (int i = 0; i < ls.Length; i++)
        {
            int c = (int)ls[i];
            if (c != ls[i] || (uint)c >= (uint)depth)
                throw new ArgumentOutOfRangeException(nameof(labels), $"label {ls[i]} at position {i} is not a class index in [0, {depth}).");
            d[i * depth + c] = 1f;
        }
        return y;
    }

    /// <summary>
    /// Rows of <paramref name="x"/> (along axis 0) picked by <paramref name="indices"/>; the result has shape
    /// indices.shape + x.shape[1:]. The gradient is scattered back (added) into the picked rows, as for an embedding.
    /// </summary>
    public static Tensor Gather(Tensor x, Tensor indices)
    {
        if (x.Rank < 1) throw new ArgumentException("Gather needs a tensor with at least one axis.", nameof(x));
        int rows = x.Dims[0], row = x.Size / Math.Max(rows, 1);
        var ids = Read(indices).ToArray();
        var idx = new int[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            int v = (int)ids[i];
            if (v != ids[i] || (uint)v >= (uint)rows)
                throw new ArgumentOutOfRangeException(nameof(indices), $"index {ids[i]} at position {i} is out of range for {rows} rows.");
            idx[i] = v;
        }
        var y = Empty(indices.Dims.Concat(x.Dims.Skip(1)).ToArray());
        var xs = Read(x); var d = y.Span;
        for (int i = 0; i < idx.Length; i++) xs.Slice(idx[i] * row, row).CopyTo(d.Slice(i * row, row));
        GradientTape.Record(y, x, g =>
        {
            var dx = Tensor.Allocate((int[])x.Dims.Clone(), clear: true);
            var gs = Read(g); var dd = dx.Span;
            for (int i = 0; i < idx.Length; i++)
                System.Numerics.Tensors.TensorPrimitives.Add(dd.Slice(idx[i] * row, row), gs.Slice(i * row, row), dd.Slice(idx[i] * row, row));
            return new[] { dx };
        });
        return y;
    }

    /// <summary>Picks the rows of <paramref name="x"/> at the given positions along axis 0 (no gradient; for batching data).</summary>
    public static Tensor TakeRows(Tensor x, ReadOnlySpan<int> rows)
    {
        int row = x.Size / Math.Max(x.Dims[0], 1);
        var dims = (int[])x.Dims.Clone();
        dims[0] = rows.Length;
        var y = Empty(dims);
        var xs = Read(x); var d = y.Span;
        for (int i = 0; i < rows.Length; i++) xs.Slice(rows[i] * row, row).CopyTo(d.Slice(i * row, row));
        return y;
    }
}
