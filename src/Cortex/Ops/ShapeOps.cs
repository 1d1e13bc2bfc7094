using Cortex.Autodiff;
using Cortex.Kernels;

namespace Cortex;

public static partial class Ops
{
    /// <summary>
    /// The same elements with a new shape; one size may be −1 and is inferred. A view when the tensor is contiguous.
    /// </summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        var dims = InferShape(x, shape);
        var y = ReshapeRaw(x, dims);
        GradientTape.Record(y, x, g => new[] { ReshapeRaw(g, x.Dims) });
        return y;
    }

    internal static Tensor ReshapeRaw(Tensor x, int[] dims)
    {
        var c = x.Contiguous();
        return new Tensor(c.Buffer, c.Offset, (int[])dims.Clone(), TensorShape.ContiguousStrides(dims)) { Owner = c.Owner };
    }

    private static int[] InferShape(Tensor x, int[] shape)
    {
        var dims = (int[])shape.Clone();
        int unknown = -1, known = 1;
        for (int i = 0; i < dims.Length; i++)
        {
            if (dims[i] == -1)
            {
                if (unknown >= 0) throw new ArgumentException($"only one size may be -1. Received: shape={TensorShape.Format(shape)}");
                unknown = i;
            }
            else if (dims[i] < 0) throw new ArgumentException($"sizes must be non-negative or -1. Received: shape={TensorShape.Format(shape)}");
            else known *= dims[i];
        }
        if (unknown >= 0)
        {
            if (known == 0 || x.Size % known != 0)
                throw new ArgumentException($"cannot reshape a tensor of shape {x.ShapeString} ({x.Size} elements) to {TensorShape.Format(shape)}.");
            dims[unknown] = x.Size / known;
        }
        if (TensorShape.Size(dims) != x.Size)
            throw new ArgumentException($"cannot reshape a tensor of shape {x.ShapeString} ({x.Size} elements) to {TensorShape.Format(shape)} ({TensorShape.Size(dims)} elements).");
        return dims;
    }

    /// <summary>Reorders the axes (a view, no copy): output axis i is input axis <c>perm[i]</c>. With no permutation, reverses the axes.</summary>
    public static Tensor Transpose(Tensor x, params int[] perm)
    {
        if (perm.Length == 0) perm = Enumerable.Range(0, x.Rank).Reverse().ToArray();
        if (perm.Length != x.Rank || perm.Select(p => TensorShape.NormalizeAxis(p, x.Rank)).Distinct().Count() != x.Rank)
            throw new ArgumentException($"perm must be a permutation of the {x.Rank} axes of a tensor of shape {x.ShapeString}. Received: perm=[{string.Join(", ", perm)}]");
        var p = perm.Select(a => TensorShape.NormalizeAxis(a, x.Rank)).ToArray();
        var y = new Tensor(x.Buffer, x.Offset, p.Select(a => x.Dims[a]).ToArray(), p.Select(a => x.Strides[a]).ToArray()) { Owner = x.Owner };
        var inverse = new int[p.Length];
        for (int i = 0; i < p.Length; i++) inverse[p[i]] = i;
        GradientTape.Record(y, x, g => new[] { Transpose(g, inverse).Contiguous() });
        return y;
    }

    /// <summary>
    /// A view of the elements <c>start[i] .. start[i]+size[i]</c> on each axis (size −1: to the end).
    /// </summary>
    public static Tensor Slice(Tensor x, int[] start, int[] size)
    {
        if (start.Length != x.Rank || size.Length != x.Rank)
            throw new ArgumentException($"start and size need one entry per axis of a tensor of shape {x.ShapeString}.");
        var dims = new int[x.Rank];
        int offset = x.Offset;
        for (int i = 0; i < x.Rank; i++)
        {
            int s = start[i] < 0 ? start[i] + x.Dims[i] : start[i];
            int n = size[i] == -1 ? x.Dims[i] - s : size[i];
            if (s < 0 || n < 0 || s + n > x.Dims[i])
                throw new ArgumentOutOfRangeException(nameof(start), $"slice [{start[i]}, +{size[i]}) is out of range for axis {i} of size {x.Dims[i]} (shape {x.ShapeString}).");
            dims[i] = n;
            offset += s * x.Strides[i];
        }
        var y = new Tensor(x.Buffer, offset, dims, (int[])x.Strides.Clone()) { Owner = x.Owner };
        GradientTape.Record(y, x, g =>
        {
            var dx = Tensor.Allocate((int[])x.Dims.Clone(), clear: true);
            var view = new Tensor(dx.Buffer, dx.Offset + SliceOffset(x, start), dims, TensorShape.ContiguousStrides(x.Dims)) { Owner = dx.Owner };
            ScatterInto(view, g);
            return new[] { dx };
        });
        return y;
    }

    /// <summary>Rows <c>start .. start+count</c> along axis 0 (a view).</summary>
    public static Tensor SliceRows(Tensor x, int start, int count)
    {
        var st = new int[x.Rank]; var sz = Enumerable.Repeat(-1, x.Rank).ToArray();
        st[0] = start; sz[0] = count;
        return Slice(x, st, sz);
    }

    private static int SliceOffset(Tensor x, int[] start)
    {
        var strides = TensorShape.ContiguousStrides(x.Dims);
        int off = 0;
        for (int i = 0; i < x.Rank; i++) off += (start[i] < 0 ? start[i] + x.Dims[i] : start[i]) * strides[i];
        return off;
    }

    /// <summary>Writes the contiguous values of <paramref name="src"/> into the strided view <paramref name="dst"/>.</summary>
    private static void ScatterInto(Tensor dst, Tensor src)
    {
        var s = Read(src);
        int rank = dst.Rank;
        if (rank == 0) { dst.Buffer[dst.Offset] = s[0]; return; }
        int inner = dst.Dims[rank - 1];
        if (inner == 0) return;
        int outer = dst.Size / inner;
        Span<int> idx = stackalloc int[rank];
        for (int o = 0; o < outer; o++)
        {
            int p = dst.Offset;
            for (int i = 0; i < rank - 1; i++) p += idx[i] * dst.Strides[i];
            for (int j = 0; j < inner; j++) dst.Buffer[p + j * dst.Strides[rank - 1]] = s[o * inner + j];
            for (int i = rank - 2; i >= 0; i--) { if (++idx[i] < dst.Dims[i]) break; idx[i] = 0; }
        }
    }

    /// <summary>Joins tensors along an existing axis; all other sizes must agree.</summary>
    public static Tensor Concat(IReadOnlyList<Tensor> xs, int axis = -1)
    {
        if (xs.Count == 0) throw new ArgumentException("Concat needs at least one tensor.", nameof(xs));
        int rank = xs[0].Rank;
        int a = TensorShape.NormalizeAxis(axis, rank);
        var dims = (int[])xs[0].Dims.Clone();
        dims[a] = 0;
        foreach (var x in xs)
        {
            if (x.Rank != rank) throw new ArgumentException($"Concat needs tensors of one rank; got shapes {string.Join(", ", xs.Select(t => t.ShapeString))}.");
            for (int i = 0; i < rank; i++)
                if (i != a && x.Dims[i] != xs[0].Dims[i])
                    throw new ArgumentException($"Concat along axis {axis} needs equal sizes on the other axes; got shapes {string.Join(", ", xs.Select(t => t.ShapeString))}.");
            dims[a] += x.Dims[a];
        }
        var y = Empty(dims);
        var (outer, _, inner) = Split(dims, a);
        var dst = y.Span;
        int rowOut = dims[a] * inner, pos = 0;
        foreach (var x in xs)
        {
            var s = Read(x);
            int chunk = x.Dims[a] * inner;
            for (int o = 0; o < outer; o++) s.Slice(o * chunk, chunk).CopyTo(dst.Slice(o * rowOut + pos, chunk));
            pos += chunk;
        }
        var inputs = xs.ToArray();
        GradientTape.Record(y, inputs, g =>
        {
            var grads = new Tensor?[inputs.Length];
            int at = 0;
            for (int k = 0; k < inputs.Length; k++)
            {
                var st = new int[rank]; var sz = (int[])g.Dims.Clone();
                st[a] = at; sz[a] = inputs[k].Dims[a];
                at += sz[a];
                grads[k] = GradientTape.NeedsGradient(inputs[k]) ? SliceRaw(g, st, sz) : null;
            }
            return grads;
        });
        return y;
    }

    private static Tensor SliceRaw(Tensor x, int[] start, int[] size)
    {
        int offset = x.Offset;
        for (int i = 0; i < x.Rank; i++) offset += start[i] * x.Strides[i];
        return new Tensor(x.Buffer, offset, size, (int[])x.Strides.Clone()) { Owner = x.Owner }.Contiguous();
    }

    /// <summary>Stacks tensors of one shape along a new axis.</summary>
    public static Tensor Stack(IReadOnlyList<Tensor> xs, int axis = 0)
    {
        if (xs.Count == 0) throw new ArgumentException("Stack needs at least one tensor.", nameof(xs));
        int a = TensorShape.NormalizeAxis(axis, xs[0].Rank + 1);
        var expanded = xs.Select(x =>
        {
            if (!TensorShape.SameShape(x.Dims, xs[0].Dims))
                throw new ArgumentException($"Stack needs tensors of one shape; got shapes {string.Join(", ", xs.Select(t => t.ShapeString))}.");
            var d = x.Dims.ToList(); d.Insert(a, 1);
            return Reshape(x, d.ToArray());
        }).ToList();
        return Concat(expanded, a);
    }

    /// <summary>Flattens all axes after the first: (n, ...) → (n, product).</summary>
    public static Tensor Flatten(Tensor x) => Reshape(x, x.Rank == 0 ? 1 : x.Dims[0], -1);
}
