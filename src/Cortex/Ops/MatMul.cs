using Cortex.Autodiff;
using Cortex.Kernels;

namespace Cortex;

public static partial class Ops
{
    /// <summary>
    /// Matrix product op(a)·op(b) on the blocked, multi-threaded <see cref="Gemm"/>. <paramref name="a"/> may have more
    /// than two axes when not transposed: its leading axes are batch axes, as in a Dense layer on a sequence.
    /// Transposed operands are never copied: the flags go to the GEMM, which packs them as it reads.
    /// </summary>
    public static Tensor MatMul(Tensor a, Tensor b, bool transposeA = false, bool transposeB = false)
    {
        if (b.Rank != 2) throw new ArgumentException($"MatMul needs a 2-D right operand; got shape {b.ShapeString}.", nameof(b));
        if (a.Rank < 2 || (transposeA && a.Rank != 2))
            throw new ArgumentException($"MatMul needs a 2-D left operand (or N-D without transposeA); got shape {a.ShapeString}.", nameof(a));
        int k = transposeA ? a.Dims[0] : a.Dims[^1];
        int m = a.Size / Math.Max(k, 1);
        if (k == 0) m = transposeA ? a.Dims[1] : TensorShape.Size(a.Dims.AsSpan(0, a.Rank - 1));
        int kb = transposeB ? b.Dims[1] : b.Dims[0];
        int n = transposeB ? b.Dims[0] : b.Dims[1];
        if (k != kb)
            throw new ArgumentException($"MatMul shapes do not match: {a.ShapeString}{(transposeA ? "ᵀ" : "")} · {b.ShapeString}{(transposeB ? "ᵀ" : "")} (inner sizes {k} and {kb}).");
        var outDims = transposeA ? new[] { m, n } : a.Dims[..^1].Append(n).ToArray();
        var y = Empty(outDims);
        GemmInto(transposeA, transposeB, m, n, k, a, b, y, 0f);
        GradientTape.Record(y, new[] { a, b }, g =>
        {
            Tensor? da = null, db = null;
            if (GradientTape.NeedsGradient(a))
            {
                da = Empty((int[])a.Dims.Clone());
                if (!transposeA) GemmInto(false, !transposeB, m, k, n, g, b, da, 0f);        // g·op(b)ᵀ
                else GemmInto(transposeB, true, k, m, n, b, g, da, 0f);                      // op(b)·gᵀ
            }
            if (GradientTape.NeedsGradient(b))
            {
                db = Empty((int[])b.Dims.Clone());
                if (!transposeB) GemmInto(!transposeA, false, k, n, m, a, g, db, 0f);       // op(a)ᵀ·g
                else GemmInto(true, transposeA, n, k, m, g, a, db, 0f);                     // gᵀ·op(a)
            }
            return new[] { da, db };
        });
        return y;
    }

    /// <summary>c = op(a)·op(b) + beta·c, where a and b are read as row-major matrices of the given logical sizes.</summary>
    internal static void GemmInto(bool ta, bool tb, int m, int n, int k, Tensor a, Tensor b, Tensor c, float beta)
    {
        var ac = a.Contiguous(); var bc = b.Contiguous();
        int lda = ta ? m : k, ldb = tb ? k : n;
        Gemm.Sgemm(ta, tb, m, n, k, 1f, ac.Span, lda, bc.Span, ldb, beta, c.Span, n);
    }
}
