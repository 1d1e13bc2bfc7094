using System.Numerics.Tensors;
using Cortex.Autodiff;

namespace Cortex;

public static partial class Ops
{
    /// <summary>
    /// Fused softmax + categorical cross-entropy along the last axis: loss = −Σ t·log softmax(z) per row, shape = z's
    /// without its last axis. One pass forward; the gradient is (softmax(z)·Σt − t)·g, never forming log(0).
    /// </summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor targets)
    {
        if (!TensorShape.SameShape(logits.Dims, targets.Dims))
            throw new ArgumentException($"targets of shape {targets.ShapeString} do not match logits of shape {logits.ShapeString}.");
        int n = logits.Dims[^1], rows = logits.Size / Math.Max(n, 1);
        var logp = Empty((int[])logits.Dims.Clone());
        var loss = Empty(logits.Dims[..^1]);
        var zs = Read(logits); var ts = Read(targets); var lp = logp.Span; var ls = loss.Span;
        for (int r = 0; r < rows; r++)
        {
            LogSoftmaxRow(zs.Slice(r * n, n), lp.Slice(r * n, n));
            ls[r] = -TensorPrimitives.Dot(ts.Slice(r * n, n), lp.Slice(r * n, n));
        }
        GradientTape.Record(loss, new[] { logits, targets }, g =>
        {
            var dz = Empty((int[])logits.Dims.Clone());
            var gs = Read(g); var d = dz.Span; var tv = Read(targets); var lv = logp.Span;
            for (int r = 0; r < rows; r++)
            {
                var dr = d.Slice(r * n, n); var tr = tv.Slice(r * n, n);
                float tsum = TensorPrimitives.Sum(tr);
                TensorPrimitives.Exp(lv.Slice(r * n, n), dr);
                TensorPrimitives.Multiply(dr, tsum, dr);
                TensorPrimitives.Subtract(dr, tr, dr);
                TensorPrimitives.Multiply(dr, gs[r], dr);
            }
            Tensor? dt = null;
            if (GradientTape.NeedsGradient(targets))
            {
                dt = Empty((int[])targets.Dims.Clone());
                var dts = dt.Span;
                for (int r = 0; r < rows; r++) TensorPrimitives.Multiply(lv.Slice(r * n, n), -gs[r], dts.Slice(r * n, n));
            }
            return new[] { dz, dt };
        });
        return loss;
    }

    /// <summary>
    /// Fused softmax + sparse categorical cross-entropy: <paramref name="labels"/> hold class indices (shape = logits'
    /// without the last axis); loss = −log softmax(z)[label].
    /// </summary>
    public static Tensor SparseSoftmaxCrossEntropy(Tensor logits, Tensor labels)
    {
        int n = logits.Dims[^1], rows = logits.Size / Math.Max(n, 1);
        if (labels.Size != rows)
            throw new ArgumentException($"labels of shape {labels.ShapeString} do not match logits of shape {logits.ShapeString}: expected {rows} class indices.");
        var ids = Read(labels);
        var cls = new int[rows];
        for (int r = 0; r < rows; r++)
        {
            int c = (int)ids[r];
            if (c != ids[r] || (uint)c >= (uint)n)
                throw new ArgumentOutOfRangeException(nameof(labels), $"label {ids[r]} at position {r} is not a class index in [0, {n}).");
            cls[r] = c;
        }
        var logp = Empty((int[])logits.Dims.Clone());
        var loss = Empty(logits.Dims[..^1]);
        var zs = Read(logits); var lp = logp.Span; var ls = loss.Span;
        for (int r = 0; r < rows; r++)
        {
            LogSoftmaxRow(zs.Slice(r * n, n), lp.Slice(r * n, n));
            ls[r] = -lp[r * n + cls[r]];
        }
        GradientTape.Record(loss, logits, g =>
        {
            var dz = Empty((int[])logits.Dims.Clone());
            var gs = Read(g); var d = dz.Span; var lv = logp.Span;
            for (int r = 0; r < rows; r++)
            {
                var dr = d.Slice(r * n, n);
                TensorPrimitives.Exp(lv.Slice(r * n, n), dr);
                dr[cls[r]] -= 1f;
                TensorPrimitives.Multiply(dr, gs[r], dr);
            }
            return new[] { dz };
        });
        return loss;
    }
}
