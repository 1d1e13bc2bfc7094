namespace Cortex.Keras.ModelSelection;

/// <summary>
/// scikit-learn's model-selection functions: <see cref="TrainTestSplit"/> (<c>train_test_split</c>) and
/// <see cref="CrossValScore(IEstimator, Tensor, Tensor, ICrossValidator)"/> (<c>cross_val_score</c>).
/// </summary>
/// <remarks>
/// Folds run one after the other on the calling thread (sklearn's <c>n_jobs=None</c>): every fit already uses all
/// cores through the GEMM kernels, and sequential folds keep a seeded run reproducible to the last digit.
/// </remarks>
public static class CrossValidation
{
    /// <summary>
    /// Splits (x, y) into a training and a test part (sklearn's <c>train_test_split</c>). The test part has
    /// <c>ceil(testSize · n)</c> rows, as in sklearn. Shuffled (default): a permutation from
    /// <see cref="RandomGenerator"/> seeded by <paramref name="randomState"/>, test rows first, as sklearn's ShuffleSplit
    /// (indices differ from numpy's). Not shuffled: the first rows train, the last rows test. Stratified: each class
    /// gives its share of test rows (largest remainders, ties to the larger class), its rows picked at random;
    /// class proportions match sklearn's StratifiedShuffleSplit, the chosen rows do not.
    /// </summary>
    /// <param name="x">Samples along axis 0.</param>
    /// <param name="y">Targets along axis 0.</param>
    /// <param name="testSize">Fraction of the rows in the test part, in (0, 1) (sklearn's default 0.25).</param>
    /// <param name="randomState">Seed; <see langword="null"/>: <see cref="RandomGenerator.Global"/>.</param>
    /// <param name="shuffle">Whether to shuffle before splitting.</param>
    /// <param name="stratify">Class labels to stratify by (usually y), or <see langword="null"/>; needs <paramref name="shuffle"/>.</param>
    /// <returns>(XTrain, XTest, YTrain, YTest), in sklearn's order; rows keep their shuffled order.</returns>
    /// <exception cref="ArgumentException">Bad sizes, mismatched lengths, or stratify without shuffle.</exception>
    public static (Tensor XTrain, Tensor XTest, Tensor YTrain, Tensor YTest) TrainTestSplit(Tensor x, Tensor y,
        double testSize = 0.25, long? randomState = null, bool shuffle = true, Tensor? stratify = null)
    {
        var (train, test) = TrainTestIndices(CheckXY(x, y, "train_test_split"), testSize, randomState, shuffle, stratify);
        return (Rows(x, train), Rows(x, test), Rows(y, train), Rows(y, test));
    }

    /// <summary>The row indices <see cref="TrainTestSplit"/> uses: (train, test).</summary>
    public static (int[] Train, int[] Test) TrainTestIndices(int samples, double testSize = 0.25, long? randomState = null,
        bool shuffle = true, Tensor? stratify = null)
    {
        if (!(testSize > 0 && testSize < 1))
            throw new ArgumentException($"test_size={testSize} should be a float in the (0, 1) range.", nameof(testSize));
        int nTest = (int)Math.Ceiling(testSize * samples), nTrain = samples - nTest;
        if (nTrain == 0 || nTest == 0)
            throw new ArgumentException($"With n_samples={samples}, test_size={testSize} the resulting train set will be empty. Adjust any of the aforementioned parameters.");
        if (!shuffle)
        {
            if (stratify is not null) throw new ArgumentException("Stratified train/test split is not implemented for shuffle=False", nameof(stratify));
            return (Enumerable.Range(0, nTrain).ToArray(), Enumerable.Range(nTrain, nTest).ToArray());
        }
        var rng = FoldChecks.Rng(randomState);
        if (stratify is null)
        {
            var perm = rng.Permutation(samples);
            return (perm[nTest..], perm[..nTest]);
        }
        var labels = Labels.ClassValues(stratify, "train_test_split(stratify)");
        if (labels.Length != samples) throw new ArgumentException($"stratify has {labels.Length} labels for {samples} samples.", nameof(stratify));
        var (encoded, classes) = Labels.EncodeByAppearance(labels);
        var members = Enumerable.Range(0, classes).Select(c => new List<int>()).ToArray();
        for (int i = 0; i < samples; i++) members[encoded[i]].Add(i);
        if (members.Any(m => m.Count < 2))
            throw new ArgumentException("The least populated class in y has only 1 member, which is too few. The minimum number of groups for any class cannot be less than 2.", nameof(stratify));
        // Test rows per class: floor of the exact share, then the largest remainders get one more.
        var share = members.Select(m => (double)m.Count * nTest / samples).ToArray();
        var take = share.Select(s => (int)Math.Floor(s)).ToArray();
        foreach (int c in Enumerable.Range(0, classes).OrderByDescending(c => share[c] - take[c]).ThenByDescending(c => members[c].Count).Take(nTest - take.Sum()))
            take[c]++;
        var trainRows = new List<int>();
        var testRows = new List<int>();
        for (int c = 0; c < classes; c++)
        {
            var m = members[c].ToArray();
            rng.Shuffle(m.AsSpan());
            testRows.AddRange(m[..take[c]]);
            trainRows.AddRange(m[take[c]..]);
        }
        var tr = trainRows.ToArray(); rng.Shuffle(tr.AsSpan());
        var te = testRows.ToArray(); rng.Shuffle(te.AsSpan());
        return (tr, te);
    }

    /// <summary>
    /// Cross-validated scores (sklearn's <c>cross_val_score</c>): for each split of <paramref name="cv"/>, a
    /// <see cref="IEstimator.Clone"/> of <paramref name="estimator"/> is fitted on the training rows and scored
    /// (<see cref="IEstimator.Score"/>) on the test rows. Folds run sequentially.
    /// </summary>
    /// <param name="estimator">The estimator (not fitted itself; each fold fits a clone).</param>
    /// <param name="x">Samples along axis 0.</param>
    /// <param name="y">Targets along axis 0.</param>
    /// <param name="cv">The splitter.</param>
    /// <returns>One score per fold, in fold order.</returns>
    public static double[] CrossValScore(IEstimator estimator, Tensor x, Tensor y, ICrossValidator cv)
    {
        ArgumentNullException.ThrowIfNull(estimator);
        ArgumentNullException.ThrowIfNull(cv);
        int n = CheckXY(x, y, "cross_val_score");
        return cv.Split(n, y).Select(s => FitAndScore(estimator.Clone(), x, y, s.Train, s.Test)).ToArray();
    }

    /// <summary>
    /// <see cref="CrossValScore(IEstimator, Tensor, Tensor, ICrossValidator)"/> with sklearn's integer <c>cv</c>:
    /// <see cref="StratifiedKFold"/> for classifiers (also a <see cref="Pipeline"/> ending in one), <see cref="KFold"/>
    /// otherwise, both without shuffling.
    /// </summary>
    /// <param name="estimator">The estimator.</param>
    /// <param name="x">Samples along axis 0.</param>
    /// <param name="y">Targets along axis 0.</param>
    /// <param name="cv">Number of folds (sklearn's default 5).</param>
    public static double[] CrossValScore(IEstimator estimator, Tensor x, Tensor y, int cv = 5) =>
        CrossValScore(estimator, x, y, DefaultCv(estimator, cv));

    /// <summary>sklearn's <c>check_cv</c> for an integer: stratified k-fold for classifiers, k-fold otherwise.</summary>
    public static ICrossValidator DefaultCv(IEstimator estimator, int folds) =>
        IsClassifier(estimator) ? new StratifiedKFold(folds) : new KFold(folds);

    /// <summary>Whether an estimator is a classifier (sklearn's <c>is_classifier</c>); a pipeline is one when its last step is.</summary>
    public static bool IsClassifier(IEstimator estimator) =>
        estimator is IClassifier || (estimator is Pipeline p && p.FinalEstimator is IClassifier);

    /// <summary>Fits <paramref name="estimator"/> on rows <paramref name="train"/> and scores it on rows <paramref name="test"/>.</summary>
    internal static double FitAndScore(IEstimator estimator, Tensor x, Tensor y, int[] train, int[] test)
    {
        estimator.Fit(Rows(x, train), Rows(y, train));
        return estimator.Score(Rows(x, test), Rows(y, test));
    }

    /// <summary>The rows of <paramref name="t"/> at <paramref name="rows"/>, as a new tensor.</summary>
    public static Tensor Rows(Tensor t, int[] rows) => Ops.TakeRows(t.Contiguous(), rows);

    internal static int CheckXY(Tensor x, Tensor y, string what)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank == 0 || y.Rank == 0) throw new ArgumentException($"{what}: x and y need a sample axis; got shapes {x.ShapeString} and {y.ShapeString}.");
        if (x.Shape[0] != y.Shape[0])
            throw new ArgumentException($"{what}: found input variables with inconsistent numbers of samples: [{x.Shape[0]}, {y.Shape[0]}].");
        return x.Shape[0];
    }
}
