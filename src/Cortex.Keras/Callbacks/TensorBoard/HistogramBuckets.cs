namespace Cortex.Keras.Callbacks;

/// <summary>
/// TensorFlow's default histogram (<c>tensorflow/core/lib/histogram/histogram.cc</c>, used by TF 1.x / Keras 2's
/// <c>tf.summary.histogram</c>): bucket limits growing by 10% from 1e-12 to 1e20, mirrored for negatives, with 0 and
/// ±DBL_MAX; a value goes in the first bucket whose limit is greater than it; empty runs are collapsed into one bucket
/// when encoded, as <c>Histogram::EncodeToProto(proto, preserve_zero_buckets=false)</c> does.
/// </summary>
internal static class HistogramBuckets
{
    /// <summary>The default bucket limits (1549 of them), increasing.</summary>
    public static readonly double[] Limits = BuildLimits();

    private static double[] BuildLimits()
    {
        var pos = new List<double>();
        for (double v = 1.0e-12; v < 1.0e20; v *= 1.1) pos.Add(v);
        pos.Add(double.MaxValue);
        var all = new List<double>(pos.Count * 2 + 1);
        for (int i = pos.Count - 1; i >= 0; i--) all.Add(-pos[i]);
        all.Add(0.0);
        all.AddRange(pos);
        return all.ToArray();
    }

    /// <summary>The histogram of the finite values in <paramref name="values"/> (NaN and ±∞ are skipped).</summary>
    public static Histogram Compute(ReadOnlySpan<float> values)
    {
        var counts = new double[Limits.Length];
        double min = Limits[^1], max = -Limits[^1], num = 0, sum = 0, sumSquares = 0;
        foreach (float f in values)
        {
            if (!float.IsFinite(f)) continue;
            double v = f;
            int b = UpperBound(v);
            counts[b] += 1;
            min = Math.Min(min, v); max = Math.Max(max, v);
            num++; sum += v; sumSquares += v * v;
        }
        var limits = new List<double>();
        var buckets = new List<double>();
        for (int i = 0; i < counts.Length;)
        {
            double end = Limits[i], count = counts[i];
            int j = i + 1;
            while (count <= 0 && j < counts.Length && counts[j] <= 0) { end = Limits[j]; count = counts[j]; j++; }
            limits.Add(end); buckets.Add(count);
            i = j;
        }
        return new Histogram(min, max, num, sum, sumSquares, limits, buckets);
    }

    /// <summary>std::upper_bound: the index of the first limit greater than <paramref name="v"/>.</summary>
    private static int UpperBound(double v)
    {
        int lo = 0, hi = Limits.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (Limits[mid] > v) hi = mid; else lo = mid + 1;
        }
        return Math.Min(lo, Limits.Length - 1);
    }
}
