using Cortex.Keras.ModelSelection;
using Cortex.Keras.Models;

namespace Cortex.Keras.Wrappers;

/// <summary>
/// A Keras regressor with scikit-learn's interface (Keras's former <c>KerasRegressor</c>): targets are passed to the
/// model as they are ((n) becomes (n, 1) when the model's output is (n, 1)); <see cref="Predict"/> returns the model's
/// outputs (a single output as (n)) and <see cref="Score"/> the coefficient of determination R² (sklearn's
/// <c>RegressorMixin.score</c>). See <see cref="KerasEstimator"/> for the parameters and seeding.
/// </summary>
public sealed class KerasRegressor : KerasEstimator
{
    /// <summary>Creates the wrapper.</summary>
    /// <param name="buildFn">Returns a new compiled model for the build parameters.</param>
    /// <param name="epochs">Training epochs per fit.</param>
    /// <param name="batchSize">Samples per gradient step.</param>
    /// <param name="verbose">Fit's verbosity (0 silent).</param>
    /// <param name="seed">The seed each fit starts from.</param>
    /// <param name="shuffle">Whether fit shuffles each epoch.</param>
    /// <param name="buildParams">The build function's parameters with their defaults.</param>
    public KerasRegressor(Func<IReadOnlyDictionary<string, object?>, Model> buildFn, int epochs = 1, int batchSize = 32,
        int verbose = 0, long seed = 0, bool shuffle = true, IReadOnlyDictionary<string, object?>? buildParams = null)
        : base(buildFn, epochs, batchSize, verbose, seed, shuffle, buildParams) { }

    /// <inheritdoc/>
    protected override Tensor PrepareTargets(Tensor y, Model model, int[] outputShape) =>
        y.Rank == 1 && outputShape.Length == 2 && outputShape[1] == 1 ? Ops.Reshape(y.Contiguous(), y.Shape[0], 1) : y;

    /// <inheritdoc/>
    public override Tensor Predict(Tensor x)
    {
        var raw = PredictRaw(x);
        return raw.Rank == 2 && raw.Shape[1] == 1 ? Tensor.FromArray(raw.Contiguous().ToArray(), raw.Shape[0]) : raw;
    }

    /// <summary>R² of <see cref="Predict"/> on (x, y), averaged over outputs (sklearn's <c>r2_score</c>, <c>uniform_average</c>).</summary>
    public override double Score(Tensor x, Tensor y) => Scoring.R2Score(y, Predict(x));

    /// <inheritdoc/>
    public override IEstimator Clone() => new KerasRegressor(BuildFn, Epochs, BatchSize, Verbose, Seed, Shuffle, BuildParams);
}
