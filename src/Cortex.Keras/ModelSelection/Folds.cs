namespace Cortex.Keras.ModelSelection;

/// <summary>A cross-validation splitter (sklearn's CV splitter): yields (train, test) row indices, ascending.</summary>
public interface ICrossValidator
{
    /// <summary>The number of (train, test) splits <see cref="Split"/> yields.</summary>
    int NSplits { get; }

    /// <summary>The splits of <paramref name="samples"/> rows; <paramref name="y"/> is needed by stratified splitters.</summary>
    /// <param name="samples">The number of samples.</param>
    /// <param name="y">The targets (class labels, or one-hot rows), or <see langword="null"/> where not needed.</param>
    IEnumerable<(int[] Train, int[] Test)> Split(int samples, Tensor? y = null);
}

/// <summary>
/// K-fold cross-validation (scikit-learn's <c>KFold</c>): the rows, optionally shuffled, are cut into
/// <see cref="BaseKFold.NSplits"/> consecutive folds, the first <c>n % k</c> one row larger; each fold is the test set once.
/// Without shuffling the folds are exactly sklearn's; with shuffling the permutation comes from Cortex's
/// <see cref="RandomGenerator"/> (seeded by <see cref="BaseKFold.RandomState"/>), so the folds differ from numpy's.
/// </summary>
public sealed class KFold : BaseKFold
{
    /// <summary>Creates the splitter.</summary>
    /// <param name="nSplits">Number of folds, at least 2 (sklearn's default 5).</param>
    /// <param name="shuffle">Whether to shuffle the rows before cutting them into folds.</param>
    /// <param name="randomState">Seed of the shuffle; <see langword="null"/>: <see cref="RandomGenerator.Global"/>. Only with <paramref name="shuffle"/>.</param>
    /// <exception cref="ArgumentException">nSplits &lt; 2, or a random state without shuffle (as sklearn).</exception>
    public KFold(int nSplits = 5, bool shuffle = false, long? randomState = null) : base(nSplits, shuffle, randomState) { }

    /// <inheritdoc/>
    public override IEnumerable<(int[] Train, int[] Test)> Split(int samples, Tensor? y = null)
    {
        FoldChecks.CheckSamples(NSplits, samples);
        var order = Enumerable.Range(0, samples).ToArray();
        if (Shuffle) FoldChecks.Rng(RandomState).Shuffle(order.AsSpan());
        var folds = new int[samples];
        int start = 0;
        for (int k = 0; k < NSplits; k++)
        {
            int size = samples / NSplits + (k < samples % NSplits ? 1 : 0);
            for (int i = start; i < start + size; i++) folds[order[i]] = k;
            start += size;
        }
        return FoldChecks.FromAssignment(folds, NSplits);
    }
}

/// <summary>
/// Stratified k-fold (scikit-learn's <c>StratifiedKFold</c>, fold assignment of sklearn ≥ 0.22): each fold keeps the
/// class proportions. Classes are numbered in order of first appearance; the sorted labels are dealt round-robin to
/// the folds to fix how many rows of each class each fold gets, and each class's rows are given their folds in order
/// (shuffled per class with <see cref="BaseKFold.Shuffle"/>). Without shuffling the folds are index-for-index sklearn's; with
/// shuffling the per-class permutations come from Cortex's <see cref="RandomGenerator"/> and differ from numpy's.
/// Labels are class values (n) or (n, 1), or one-hot rows (n, k), taken by their arg-max.
/// </summary>
public sealed class StratifiedKFold : BaseKFold
{
    /// <summary>Creates the splitter.</summary>
    /// <param name="nSplits">Number of folds, at least 2 (sklearn's default 5).</param>
    /// <param name="shuffle">Whether to shuffle each class's rows before assigning them to folds.</param>
    /// <param name="randomState">Seed of the shuffle; <see langword="null"/>: <see cref="RandomGenerator.Global"/>. Only with <paramref name="shuffle"/>.</param>
    /// <exception cref="ArgumentException">nSplits &lt; 2, or a random state without shuffle (as sklearn).</exception>
    public StratifiedKFold(int nSplits = 5, bool shuffle = false, long? randomState = null) : base(nSplits, shuffle, randomState) { }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">y is missing, has another length, or every class has fewer than n_splits members.</exception>
    public override IEnumerable<(int[] Train, int[] Test)> Split(int samples, Tensor? y = null)
    {
        if (y is null) throw new ArgumentException("StratifiedKFold.Split needs the class labels y.", nameof(y));
        FoldChecks.CheckSamples(NSplits, samples);
        var labels = Labels.ClassValues(y, "StratifiedKFold");
        if (labels.Length != samples) throw new ArgumentException($"y has {labels.Length} labels for {samples} samples.", nameof(y));
        var (encoded, classes) = Labels.EncodeByAppearance(labels);
        var counts = new int[classes];
        foreach (int c in encoded) counts[c]++;
        if (counts.All(c => NSplits > c))
            throw new ArgumentException($"n_splits={NSplits} cannot be greater than the number of members in each class.");
        var sorted = encoded.OrderBy(c => c).ToArray();
        // allocation[k, c]: how many rows of class c fold k gets (sorted labels dealt round-robin).
        var allocation = new int[NSplits, classes];
        for (int i = 0; i < sorted.Length; i++) allocation[i % NSplits, sorted[i]]++;
        var rng = Shuffle ? FoldChecks.Rng(RandomState) : null;
        var folds = new int[samples];
        for (int c = 0; c < classes; c++)
        {
            var forClass = new List<int>();
            for (int k = 0; k < NSplits; k++) forClass.AddRange(Enumerable.Repeat(k, allocation[k, c]));
            var arr = forClass.ToArray();
            rng?.Shuffle(arr.AsSpan());
            int j = 0;
            for (int i = 0; i < samples; i++) if (encoded[i] == c) folds[i] = arr[j++];
        }
        return FoldChecks.FromAssignment(folds, NSplits);
    }
}

/// <summary>Checks and helpers shared by the fold splitters.</summary>
internal static class FoldChecks
{
    public static void Check(int nSplits, bool shuffle, long? randomState, string owner)
    {
        if (nSplits < 2)
            throw new ArgumentException($"k-fold cross-validation requires at least one train/test split by setting n_splits=2 or more, got n_splits={nSplits}.", nameof(nSplits));
        if (!shuffle && randomState is not null)
            throw new ArgumentException($"Setting a random_state has no effect since shuffle is False. You should leave random_state to its default (None), or set shuffle=True. ({owner})", nameof(randomState));
    }

    public static void CheckSamples(int nSplits, int samples)
    {
        if (nSplits > samples)
            throw new ArgumentException($"Cannot have number of splits n_splits={nSplits} greater than the number of samples: n_samples={samples}.");
    }

    public static RandomGenerator Rng(long? seed) => seed is { } s ? new RandomGenerator(s) : RandomGenerator.Global;

    /// <summary>The (train, test) index sets of a fold assignment, each ascending.</summary>
    public static IEnumerable<(int[] Train, int[] Test)> FromAssignment(int[] folds, int nSplits)
    {
        for (int k = 0; k < nSplits; k++)
        {
            var test = new List<int>();
            var train = new List<int>();
            for (int i = 0; i < folds.Length; i++) (folds[i] == k ? test : train).Add(i);
            yield return (train.ToArray(), test.ToArray());
        }
    }
}

/// <summary>Label handling shared by the stratified splitters and the classifier wrapper.</summary>
public static class Labels
{
    /// <summary>
    /// One class value per sample: y as (n) or (n, 1) values, or the arg-max of one-hot rows (n, k &gt; 1).
    /// </summary>
    /// <param name="y">The labels.</param>
    /// <param name="owner">Who asks, for the error message.</param>
    /// <exception cref="ArgumentException">y is not (n), (n, 1) or (n, k).</exception>
    public static float[] ClassValues(Tensor y, string owner)
    {
        ArgumentNullException.ThrowIfNull(y);
        var v = y.Contiguous().ToArray();
        if (y.Rank == 1 || (y.Rank == 2 && y.Shape[1] == 1)) return v;
        if (y.Rank != 2) throw new ArgumentException($"{owner}: labels must be (n,), (n, 1) or one-hot (n, classes); got shape {y.ShapeString}.", nameof(y));
        int n = y.Shape[0], k = y.Shape[1];
        var result = new float[n];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int j = 1; j < k; j++) if (v[i * k + j] > v[i * k + best]) best = j;
            result[i] = best;
        }
        return result;
    }

    /// <summary>Numbers the distinct values in order of first appearance (sklearn's StratifiedKFold encoding).</summary>
    public static (int[] Encoded, int Classes) EncodeByAppearance(float[] labels)
    {
        var ids = new Dictionary<float, int>();
        var encoded = new int[labels.Length];
        for (int i = 0; i < labels.Length; i++)
        {
            if (!ids.TryGetValue(labels[i], out int id)) ids[labels[i]] = id = ids.Count;
            encoded[i] = id;
        }
        return (encoded, ids.Count);
    }
}
