namespace Cortex;

/// <summary>
/// A seeded pseudo-random generator (xoshiro256**) that fills tensors: uniform, normal, truncated normal,
/// Bernoulli masks and permutations. The same seed gives the same numbers on every machine.
/// </summary>
/// <remarks>
/// <see cref="SetGlobalSeed"/> plays the part of Keras's <c>keras.utils.set_random_seed</c>: initializers, dropout
/// and shuffling draw from <see cref="Global"/> (or from generators seeded from it), so one call makes a run repeatable.
/// Every method is thread-safe (each call holds the generator's lock while it draws, a fill or a shuffle as one
/// step), so a prefetching data thread and the training thread may share <see cref="Global"/>; which of them draws
/// first is then up to the scheduler, so a run repeats number for number only when one thread draws.
/// </remarks>
public sealed class RandomGenerator
{
    private ulong _s0, _s1, _s2, _s3;
    private readonly Lock _gate = new();
    private static RandomGenerator _global = new(Environment.TickCount64);
    /// <summary>Creates a generator from a seed.</summary>
    public RandomGenerator(long seed)
    {
        ulong x = (ulong)seed;
        _s0 = SplitMix(ref x); _s1 = SplitMix(ref x); _s2 = SplitMix(ref x); _s3 = SplitMix(ref x);
    }

    /// <summary>
    /// The process-wide generator that initializers, dropout and shuffling draw from. Seed it with
    /// <see cref="SetGlobalSeed"/>. It is thread-safe, but draws from several threads interleave in no fixed order.
    /// </summary>
    public static RandomGenerator Global => Volatile.Read(ref _global);

    /// <summary>Reseeds <see cref="Global"/> (Keras's <c>keras.utils.set_random_seed</c>).</summary>
    public static void SetGlobalSeed(long seed) => Volatile.Write(ref _global, new RandomGenerator(seed));

    private static ulong SplitMix(ref ulong x)
    {
        ulong z = x += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64() { lock (_gate) return Step(); }

    /// <summary>The xoshiro256** step; callers hold the lock.</summary>
    private ulong Step()
    {
        ulong result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0; _s3 ^= _s1; _s1 ^= _s2; _s0 ^= _s3; _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>A uniform double in [0, 1).</summary>
    public double NextDouble() { lock (_gate) return StepDouble(); }

    private double StepDouble() => (Step() >> 11) * (1.0 / (1UL << 53));

    /// <summary>A uniform float in [0, 1).</summary>
    public float NextFloat() { lock (_gate) return StepFloat(); }

    private float StepFloat() => (Step() >> 40) * (1f / (1 << 24));

    /// <summary>A uniform integer in [0, n).</summary>
    public int NextInt(int n)
    {
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), $"n must be positive. Received: n={n}");
        lock (_gate) return StepInt(n);
    }

    private int StepInt(int n) => (int)((Step() >> 33) * (ulong)n >> 31);

    /// <summary>A standard normal sample (Box–Muller).</summary>
    public double NextNormal() { lock (_gate) return StepNormal(); }

    private double StepNormal()
    {
        double u1 = 1.0 - StepDouble(), u2 = StepDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>Fills a span with uniform values in [min, max).</summary>
    public void FillUniform(Span<float> dst, float min = 0f, float max = 1f)
    {
        float w = max - min;
        lock (_gate) for (int i = 0; i < dst.Length; i++) dst[i] = min + w * StepFloat();
    }

    /// <summary>Fills a span with normal values.</summary>
    public void FillNormal(Span<float> dst, float mean = 0f, float stddev = 1f)
    {
        lock (_gate) for (int i = 0; i < dst.Length; i++) dst[i] = (float)(mean + stddev * StepNormal());
    }

    /// <summary>Fills a span with normal values redrawn until within two standard deviations (Keras's truncated normal).</summary>
    public void FillTruncatedNormal(Span<float> dst, float mean = 0f, float stddev = 1f)
    {
        lock (_gate)
            for (int i = 0; i < dst.Length; i++)
            {
                double z;
                do z = StepNormal(); while (z < -2.0 || z > 2.0);
                dst[i] = (float)(mean + stddev * z);
            }
    }

    /// <summary>Fills a span with 1 (probability <paramref name="p"/>) or 0.</summary>
    public void FillBernoulli(Span<float> dst, float p)
    {
        lock (_gate) for (int i = 0; i < dst.Length; i++) dst[i] = StepFloat() < p ? 1f : 0f;
    }

    /// <summary>
    /// Fills a span with <paramref name="scale"/> (probability <paramref name="p"/>) or 0: a dropout mask. Each 64-bit
    /// draw gives two 32-bit comparisons, so this is about twice as fast as drawing a float per element.
    /// </summary>
    public void FillScaledBernoulli(Span<float> dst, float p, float scale)
    {
        uint threshold = p >= 1f ? uint.MaxValue : (uint)(p * 4294967296.0);
        lock (_gate)
        {
            int i = 0;
            for (; i + 1 < dst.Length; i += 2)
            {
                ulong r = Step();
                dst[i] = (uint)r < threshold ? scale : 0f;
                dst[i + 1] = (uint)(r >> 32) < threshold ? scale : 0f;
            }
            if (i < dst.Length) dst[i] = (uint)Step() < threshold ? scale : 0f;
        }
    }

    /// <summary>A tensor of uniform values in [min, max).</summary>
    public Tensor Uniform(int[] shape, float min = 0f, float max = 1f) { var t = Tensor.Zeros(shape); FillUniform(t.Span, min, max); return t; }

    /// <summary>A tensor of normal values.</summary>
    public Tensor Normal(int[] shape, float mean = 0f, float stddev = 1f) { var t = Tensor.Zeros(shape); FillNormal(t.Span, mean, stddev); return t; }

    /// <summary>A tensor of truncated-normal values (within two standard deviations).</summary>
    public Tensor TruncatedNormal(int[] shape, float mean = 0f, float stddev = 1f) { var t = Tensor.Zeros(shape); FillTruncatedNormal(t.Span, mean, stddev); return t; }

    /// <summary>A 0/1 tensor with ones at probability <paramref name="p"/>.</summary>
    public Tensor Bernoulli(int[] shape, float p) { var t = Tensor.Zeros(shape); FillBernoulli(t.Span, p); return t; }

    /// <summary>A random permutation of 0..n−1 (Fisher–Yates).</summary>
    public int[] Permutation(int n)
    {
        var p = new int[n];
        for (int i = 0; i < n; i++) p[i] = i;
        Shuffle(p);
        return p;
    }

    /// <summary>Shuffles a span in place (Fisher–Yates).</summary>
    public void Shuffle<T>(Span<T> items)
    {
        lock (_gate)
            for (int i = items.Length - 1; i > 0; i--)
            {
                int j = StepInt(i + 1);
                (items[i], items[j]) = (items[j], items[i]);
            }
    }
}
