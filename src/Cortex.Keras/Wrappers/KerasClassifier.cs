using Cortex.Keras.Losses;
using Cortex.Keras.ModelSelection;
using Cortex.Keras.Models;

namespace Cortex.Keras.Wrappers;

/// <summary>
/// A Keras classifier with scikit-learn's interface (Keras's former <c>KerasClassifier</c> / SciKeras's): labels are
/// class values, <see cref="Predict"/> returns class labels, <see cref="PredictProba"/> probabilities and
/// <see cref="Score"/> the accuracy.
/// </summary>
/// <remarks>
/// <para>Labels: y is (n) or (n, 1) class values (any floats, e.g. 0/1/2), or one-hot rows (n, k) taken by their
/// arg-max. <see cref="Classes"/> is their sorted distinct values; the model trains on class indices
/// 0..classes−1, encoded from the compiled loss and the model's output width:
/// <list type="bullet">
/// <item><see cref="SparseCategoricalCrossentropy"/>: the indices as they are (n);</item>
/// <item>an output of width 1 (sigmoid + binary cross-entropy, two classes): the index 0/1 as (n, 1);</item>
/// <item>any other loss on an output of width ≥ classes (softmax + categorical cross-entropy): one-hot rows of that width.</item>
/// </list>
/// Probabilities are the model's outputs: for width 1, p is taken as P(class 1) and the columns are (1 − p, p).</para>
/// <para>See <see cref="KerasEstimator"/> for the parameters and seeding.</para>
/// </remarks>
public sealed class KerasClassifier : KerasEstimator, IClassifier
{
    private float[]? _classes;
    private int _width;

    /// <summary>Creates the wrapper.</summary>
    /// <param name="buildFn">Returns a new compiled model for the build parameters.</param>
    /// <param name="epochs">Training epochs per fit.</param>
    /// <param name="batchSize">Samples per gradient step.</param>
    /// <param name="verbose">Fit's verbosity (0 silent).</param>
    /// <param name="seed">The seed each fit starts from.</param>
    /// <param name="shuffle">Whether fit shuffles each epoch.</param>
    /// <param name="buildParams">The build function's parameters with their defaults.</param>
    public KerasClassifier(Func<IReadOnlyDictionary<string, object?>, Model> buildFn, int epochs = 1, int batchSize = 32,
        int verbose = 0, long seed = 0, bool shuffle = true, IReadOnlyDictionary<string, object?>? buildParams = null)
        : base(buildFn, epochs, batchSize, verbose, seed, shuffle, buildParams) { }

    /// <inheritdoc/>
    public IReadOnlyList<float> Classes => _classes ?? throw new InvalidOperationException("This KerasClassifier instance is not fitted yet.");

    /// <inheritdoc/>
    protected override Tensor PrepareTargets(Tensor y, Model model, int[] outputShape)
    {
        var values = Labels.ClassValues(y, "KerasClassifier.Fit");
        _classes = values.Distinct().Order().ToArray();
        var index = _classes.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
        int n = values.Length, k = _classes.Length;
        _width = outputShape[^1];
        var idx = values.Select(v => (float)index[v]).ToArray();
        if (model.Loss is SparseCategoricalCrossentropy) return Tensor.FromArray(idx, n);
        if (_width == 1)
        {
            if (k > 2)
                throw new ArgumentException($"KerasClassifier: the model has one output but y has {k} classes ({string.Join(", ", _classes)}); use a softmax output with one unit per class.");
            return Tensor.FromArray(idx, n, 1);
        }
        if (_width < k)
            throw new ArgumentException($"KerasClassifier: the model's output has {_width} units but y has {k} classes ({string.Join(", ", _classes)}).");
        var oneHot = new float[n * _width];
        for (int i = 0; i < n; i++) oneHot[i * _width + (int)idx[i]] = 1f;
        return Tensor.FromArray(oneHot, n, _width);
    }

    /// <inheritdoc/>
    public Tensor PredictProba(Tensor x)
    {
        var raw = PredictRaw(x).Contiguous().ToArray();
        int n = x.Shape[0];
        if (_width == 1)
        {
            var two = new float[n * 2];
            for (int i = 0; i < n; i++) { two[2 * i] = 1f - raw[i]; two[2 * i + 1] = raw[i]; }
            return Tensor.FromArray(two, n, 2);
        }
        int k = Classes.Count;
        var p = new float[n * k];
        for (int i = 0; i < n; i++) Array.Copy(raw, i * _width, p, i * k, k);
        return Tensor.FromArray(p, n, k);
    }

    /// <summary>The predicted class label of each row (the most probable of <see cref="Classes"/>), shape (n).</summary>
    public override Tensor Predict(Tensor x)
    {
        var proba = PredictProba(x).ToArray();
        int n = x.Shape[0], k = Classes.Count;
        var labels = new float[n];
        for (int i = 0; i < n; i++)
        {
            int best = 0;
            for (int j = 1; j < k; j++) if (proba[i * k + j] > proba[i * k + best]) best = j;
            labels[i] = Classes[best];
        }
        return Tensor.FromArray(labels, n);
    }

    /// <summary>The accuracy of <see cref="Predict"/> on (x, y) (sklearn's <c>ClassifierMixin.score</c>).</summary>
    public override double Score(Tensor x, Tensor y) => Scoring.AccuracyScore(Labels.ClassValues(y, "KerasClassifier.Score"), Predict(x).ToArray());

    /// <inheritdoc/>
    public override IEstimator Clone() => new KerasClassifier(BuildFn, Epochs, BatchSize, Verbose, Seed, Shuffle, BuildParams);
}
