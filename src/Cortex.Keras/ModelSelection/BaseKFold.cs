namespace Cortex.Keras.ModelSelection;

/// <summary>
/// What the k-fold splitters share (scikit-learn's <c>_BaseKFold</c>): the number of folds, whether rows are
/// shuffled, the shuffle's seed, their validation and sklearn's <c>repr</c>.
/// </summary>
public abstract class BaseKFold : ICrossValidator
{
    /// <summary>Validates and stores the configuration.</summary>
    /// <param name="nSplits">Number of folds, at least 2.</param>
    /// <param name="shuffle">Whether to shuffle the rows (how, depends on the splitter).</param>
    /// <param name="randomState">Seed of the shuffle; <see langword="null"/>: <see cref="RandomGenerator.Global"/>. Only with <paramref name="shuffle"/>.</param>
    /// <exception cref="ArgumentException">nSplits &lt; 2, or a random state without shuffle (as sklearn).</exception>
    protected BaseKFold(int nSplits, bool shuffle, long? randomState)
    {
        FoldChecks.Check(nSplits, shuffle, randomState, GetType().Name);
        NSplits = nSplits;
        Shuffle = shuffle;
        RandomState = randomState;
    }

    /// <inheritdoc/>
    public int NSplits { get; }

    /// <summary>Whether rows are shuffled (all rows before cutting them into folds, or each class's rows when stratified).</summary>
    public bool Shuffle { get; }

    /// <summary>The shuffle's seed.</summary>
    public long? RandomState { get; }

    /// <inheritdoc/>
    public abstract IEnumerable<(int[] Train, int[] Test)> Split(int samples, Tensor? y = null);

    /// <summary>sklearn's repr, e.g. <c>KFold(n_splits=5, random_state=None, shuffle=False)</c>.</summary>
    public override string ToString() => $"{GetType().Name}(n_splits={NSplits}, random_state={RandomState?.ToString() ?? "None"}, shuffle={Shuffle})";
}
