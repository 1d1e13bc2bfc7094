namespace Cortex.Keras.Preprocessing.Sequence;

/// <summary>
/// Keras's sequence functions (<c>keras.preprocessing.sequence</c>): padding to a common length, and helpers to turn
/// lists of sequences into tensors.
/// </summary>
public static class SequenceUtils
{
    /// <summary>
    /// Pads (or truncates) sequences to a common length, as Keras's <c>pad_sequences</c>: sequences shorter than
    /// <paramref name="maxlen"/> are filled with <paramref name="value"/> at the start ("pre", the default) or the end
    /// ("post"); longer ones lose values at the start ("pre") or the end ("post"). Without maxlen the length is the
    /// longest sequence's. Returns a (sequences, maxlen) float32 tensor.
    /// </summary>
    /// <param name="sequences">The sequences (integer ids, e.g. from <see cref="Text.Tokenizer.TextsToSequences(IEnumerable{string})"/>).</param>
    /// <param name="maxlen">The output length (non-negative); null: the longest sequence's length.</param>
    /// <param name="dtype">"int32" (Keras's default: values, including <paramref name="value"/>, are truncated toward zero)
    /// or "float32". The tensor is float32 either way.</param>
    /// <param name="padding">"pre" or "post".</param>
    /// <param name="truncating">"pre" or "post".</param>
    /// <param name="value">The padding value.</param>
    public static Tensor PadSequences(IReadOnlyList<IReadOnlyList<int>> sequences, int? maxlen = null, string dtype = "int32",
        string padding = "pre", string truncating = "pre", float value = 0f)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        return PadCore(sequences.Select(s => s?.Select(v => (float)v).ToArray()!).ToList(), maxlen, dtype, padding, truncating, value);
    }

    /// <summary>The same for sequences of real values (dtype "float32" keeps them as they are).</summary>
    public static Tensor PadSequences(IReadOnlyList<IReadOnlyList<float>> sequences, int? maxlen = null, string dtype = "float32",
        string padding = "pre", string truncating = "pre", float value = 0f)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        return PadCore(sequences.Select(s => s?.ToArray()!).ToList(), maxlen, dtype, padding, truncating, value);
    }

    /// <summary>
    /// <see cref="PadSequences(IReadOnlyList{IReadOnlyList{int}}, int?, string, string, string, float)"/> returning
    /// integer arrays (padding value <paramref name="value"/>).
    /// </summary>
    public static int[][] PadSequencesToArrays(IReadOnlyList<IReadOnlyList<int>> sequences, int? maxlen = null,
        string padding = "pre", string truncating = "pre", int value = 0)
    {
        var t = PadSequences(sequences, maxlen, "int32", padding, truncating, value);
        int n = t.Shape[0], len = t.Shape[1];
        var data = t.ToArray();
        var result = new int[n][];
        for (int i = 0; i < n; i++)
        {
            result[i] = new int[len];
            for (int j = 0; j < len; j++) result[i][j] = (int)data[i * len + j];
        }
        return result;
    }

    private static Tensor PadCore(List<float[]> sequences, int? maxlen, string dtype, string padding, string truncating, float value)
    {
        if (padding is not ("pre" or "post")) throw new ArgumentException($"Padding type \"{padding}\" not understood", nameof(padding));
        if (truncating is not ("pre" or "post")) throw new ArgumentException($"Truncating type \"{truncating}\" not understood", nameof(truncating));
        bool asInt = dtype switch
        {
            "int32" or "int64" => true,
            "float32" or "float64" => false,
            _ => throw new ArgumentException($"dtype must be \"int32\" or \"float32\" (Cortex tensors hold float32). Received: dtype={dtype}", nameof(dtype)),
        };
        for (int i = 0; i < sequences.Count; i++)
            if (sequences[i] is null) throw new ArgumentException($"`sequences` must be a list of iterables. Found non-iterable: null (sequence {i})", nameof(sequences));
        if (maxlen is int m && m < 0) throw new ArgumentException($"maxlen must be non-negative. Received: maxlen={m}", nameof(maxlen));
        int len = maxlen ?? (sequences.Count == 0 ? 0 : sequences.Max(s => s.Length));
        float fill = asInt ? MathF.Truncate(value) : value;
        var x = Tensor.Allocate(new[] { sequences.Count, len }, clear: false);
        var d = x.Span;
        d.Fill(fill);
        for (int i = 0; i < sequences.Count; i++)
        {
            var s = sequences[i];
            int keep = Math.Min(s.Length, len);
            if (keep == 0) continue;
            var trunc = truncating == "pre" ? s.AsSpan(s.Length - keep, keep) : s.AsSpan(0, keep);
            var row = d.Slice(i * len, len);
            var dst = padding == "post" ? row[..keep] : row[(len - keep)..];
            for (int j = 0; j < keep; j++) dst[j] = asInt ? MathF.Truncate(trunc[j]) : trunc[j];
        }
        return x;
    }

    /// <summary>
    /// Sequences of equal length as a (sequences, length) tensor, without padding; sequences of different lengths are an
    /// error (pad them with <see cref="PadSequences(IReadOnlyList{IReadOnlyList{int}}, int?, string, string, string, float)"/>).
    /// </summary>
    /// <exception cref="ArgumentException">Two sequences have different lengths; the message names both.</exception>
    public static Tensor ToTensor(IReadOnlyList<IReadOnlyList<int>> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        for (int i = 1; i < sequences.Count; i++)
            if (sequences[i].Count != sequences[0].Count)
                throw new ArgumentException($"sequences have unequal lengths: sequence 0 has {sequences[0].Count} values, sequence {i} has {sequences[i].Count}; pad them to a common length first with SequenceUtils.PadSequences.", nameof(sequences));
        return PadSequences(sequences);
    }

    /// <summary>
    /// Keras's <c>make_sampling_table</c>: for each word rank r (rank 0 counted as 1) the probability of keeping it
    /// when sampling skip-grams, for a Zipf-distributed vocabulary ranked by frequency:
    /// <c>min(1, f / sqrt(f))</c> (that is, min(1, √f)) with <c>f = sampling_factor · (r·(ln r + γ) + 1/2 − 1/(12r))</c>, γ = 0.577.
    /// </summary>
    /// <param name="size">The vocabulary size.</param>
    /// <param name="samplingFactor">word2vec's sampling factor.</param>
    public static double[] MakeSamplingTable(int size, double samplingFactor = 1e-5)
    {
        if (size < 0) throw new ArgumentException($"size must be non-negative. Received: size={size}", nameof(size));
        const double gamma = 0.577;
        var table = new double[size];
        for (int i = 0; i < size; i++)
        {
            double r = i == 0 ? 1 : i;
            double invFq = r * (Math.Log(r) + gamma) + 0.5 - 1.0 / (12.0 * r);
            double f = samplingFactor * invFq;
            table[i] = Math.Min(1.0, f / Math.Sqrt(f));
        }
        return table;
    }

    /// <summary>
    /// Keras's <c>skipgrams</c>: (word, context) couples of a sequence of word indices. For every non-zero word at i
    /// (kept with probability sampling_table[word] when a table is given), every non-zero word within
    /// <paramref name="windowSize"/> positions is a positive couple (label 1). Then
    /// <c>int(positives · negative_samples)</c> negative couples (label 0) pair the positives' first words, shuffled,
    /// with random words in [1, vocabulary_size). With shuffle, couples and labels are shuffled together.
    /// </summary>
    /// <param name="sequence">Word indices (0 is skipped: padding).</param>
    /// <param name="vocabularySize">One more than the largest index.</param>
    /// <param name="windowSize">Half the window.</param>
    /// <param name="negativeSamples">Negatives per positive (0: none).</param>
    /// <param name="shuffle">Shuffle the couples.</param>
    /// <param name="categorical">Labels as [1, 0] (negative) / [0, 1] (positive) instead of 0 / 1.</param>
    /// <param name="samplingTable">Keep probabilities by index (<see cref="MakeSamplingTable"/>), or null.</param>
    /// <param name="seed">Seeds the draws; null draws from <see cref="RandomGenerator.Global"/>.</param>
    /// <returns>The couples and their labels (each label one element, or two when categorical).</returns>
    public static (List<int[]> Couples, List<int[]> Labels) Skipgrams(IReadOnlyList<int> sequence, int vocabularySize, int windowSize = 4,
        double negativeSamples = 1.0, bool shuffle = true, bool categorical = false, IReadOnlyList<double>? samplingTable = null, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(sequence);
        if (windowSize < 0) throw new ArgumentException($"window_size must be non-negative. Received: window_size={windowSize}", nameof(windowSize));
        if (negativeSamples < 0) throw new ArgumentException($"negative_samples must be non-negative. Received: negative_samples={negativeSamples}", nameof(negativeSamples));
        if (negativeSamples > 0 && vocabularySize < 2) throw new ArgumentException($"vocabulary_size must be at least 2 to draw negative samples. Received: vocabulary_size={vocabularySize}", nameof(vocabularySize));
        var rng = seed is long s ? new RandomGenerator(s) : RandomGenerator.Global;
        int[] Label(bool positive) => categorical ? (positive ? new[] { 0, 1 } : new[] { 1, 0 }) : new[] { positive ? 1 : 0 };

        var couples = new List<int[]>();
        var labels = new List<int[]>();
        for (int i = 0; i < sequence.Count; i++)
        {
            int wi = sequence[i];
            if (wi == 0) continue;
            if (samplingTable is not null)
            {
                if (wi < 0 || wi >= samplingTable.Count) throw new ArgumentException($"word index {wi} at position {i} is outside the sampling table (size {samplingTable.Count}).", nameof(sequence));
                if (samplingTable[wi] < rng.NextDouble()) continue;
            }
            int start = Math.Max(0, i - windowSize), end = Math.Min(sequence.Count, i + windowSize + 1);
            for (int j = start; j < end; j++)
            {
                if (j == i || sequence[j] == 0) continue;
                couples.Add(new[] { wi, sequence[j] });
                labels.Add(Label(true));
            }
        }
        if (negativeSamples > 0)
        {
            int count = (int)(labels.Count * negativeSamples);
            var words = couples.Select(c => c[0]).ToArray();
            Shuffle(words, rng);
            for (int i = 0; i < count; i++)
            {
                couples.Add(new[] { words[i % words.Length], 1 + rng.NextInt(vocabularySize - 1) });
                labels.Add(Label(false));
            }
        }
        if (shuffle)
        {
            // One permutation for both lists (Keras reseeds Python's random to shuffle both the same way).
            var perm = Enumerable.Range(0, couples.Count).ToArray();
            Shuffle(perm, rng);
            couples = perm.Select(p => couples[p]).ToList();
            labels = perm.Select(p => labels[p]).ToList();
        }
        return (couples, labels);
    }

    private static void Shuffle<T>(T[] a, RandomGenerator rng)
    {
        for (int i = a.Length - 1; i > 0; i--)
        {
            int j = rng.NextInt(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }
    }
}
