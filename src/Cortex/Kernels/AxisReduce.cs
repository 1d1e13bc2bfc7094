using System.Numerics.Tensors;

namespace Cortex.Kernels;

/// <summary>The reductions <see cref="AxisReduce"/> computes.</summary>
internal enum ReduceKind { Sum, Max, Min }

/// <summary>
/// Reduces the middle axis of a contiguous tensor viewed as (outer, r, inner). Reducing the last axis uses one
/// vectorised <see cref="TensorPrimitives"/> call per row; reducing an earlier axis accumulates whole rows.
/// </summary>
internal static class AxisReduce
{
    public static void Reduce(ReduceKind kind, ReadOnlySpan<float> x, int outer, int r, int inner, Span<float> dst)
    {
        if (r == 0)
        {
            dst.Fill(kind switch { ReduceKind.Sum => 0f, ReduceKind.Max => float.NegativeInfinity, _ => float.PositiveInfinity });
            return;
        }
        if (inner == 1)
        {
            for (int o = 0; o < outer; o++)
            {
                var row = x.Slice(o * r, r);
                dst[o] = kind switch { ReduceKind.Sum => TensorPrimitives.Sum(row), ReduceKind.Max => TensorPrimitives.Max(row), _ => TensorPrimitives.Min(row) };
            }
            return;
        }
        for (int o = 0; o < outer; o++)
        {
            var acc = dst.Slice(o * inner, inner);
            var block = x.Slice(o * r * inner, r * inner);
            block.Slice(0, inner).CopyTo(acc);
            for (int j = 1; j < r; j++)
            {
                var row = block.Slice(j * inner, inner);
                switch (kind)
                {
                    case ReduceKind.Sum: TensorPrimitives.Add(acc, row, acc); break;
                    case ReduceKind.Max: TensorPrimitives.Max(acc, row, acc); break;
                    default: TensorPrimitives.Min(acc, row, acc); break;
                }
            }
        }
    }

    /// <summary>Index of the largest value along the middle axis (first one on ties).</summary>
    public static void ArgMax(ReadOnlySpan<float> x, int outer, int r, int inner, Span<float> dst)
    {
        for (int o = 0; o < outer; o++)
        {
            if (inner == 1) { dst[o] = TensorPrimitives.IndexOfMax(x.Slice(o * r, r)); continue; }
            for (int i = 0; i < inner; i++)
            {
                int best = 0; float bv = x[o * r * inner + i];
                for (int j = 1; j < r; j++)
                {
                    float v = x[(o * r + j) * inner + i];
                    if (v > bv) { bv = v; best = j; }
                }
                dst[o * inner + i] = best;
            }
        }
    }
}
