using Cortex.Autodiff;
using Cortex.Keras.Losses;

namespace Cortex.Tests.Losses;

/// <summary>Names, aliases, arguments, errors and Keras's documented examples for the losses.</summary>
public sealed class LossApiTests
{
    [Theory]
    [InlineData("mean_squared_error", typeof(MeanSquaredError), "mean_squared_error")]
    [InlineData("mse", typeof(MeanSquaredError), "mean_squared_error")]
    [InlineData("MSE", typeof(MeanSquaredError), "mean_squared_error")]
    [InlineData("mean_absolute_error", typeof(MeanAbsoluteError), "mean_absolute_error")]
    [InlineData("mae", typeof(MeanAbsoluteError), "mean_absolute_error")]
    [InlineData("mean_absolute_percentage_error", typeof(MeanAbsolutePercentageError), "mean_absolute_percentage_error")]
    [InlineData("mape", typeof(MeanAbsolutePercentageError), "mean_absolute_percentage_error")]
    [InlineData("mean_squared_logarithmic_error", typeof(MeanSquaredLogarithmicError), "mean_squared_logarithmic_error")]
    [InlineData("msle", typeof(MeanSquaredLogarithmicError), "mean_squared_logarithmic_error")]
    [InlineData("binary_crossentropy", typeof(BinaryCrossentropy), "binary_crossentropy")]
    [InlineData("bce", typeof(BinaryCrossentropy), "binary_crossentropy")]
    [InlineData("categorical_crossentropy", typeof(CategoricalCrossentropy), "categorical_crossentropy")]
    [InlineData("sparse_categorical_crossentropy", typeof(SparseCategoricalCrossentropy), "sparse_categorical_crossentropy")]
    [InlineData("hinge", typeof(Hinge), "hinge")]
    [InlineData("squared_hinge", typeof(SquaredHinge), "squared_hinge")]
    [InlineData("categorical_hinge", typeof(CategoricalHinge), "categorical_hinge")]
    [InlineData("kl_divergence", typeof(KLDivergence), "kl_divergence")]
    [InlineData("kld", typeof(KLDivergence), "kl_divergence")]
    [InlineData("kullback_leibler_divergence", typeof(KLDivergence), "kl_divergence")]
    [InlineData("poisson", typeof(Poisson), "poisson")]
    [InlineData("cosine_similarity", typeof(CosineSimilarity), "cosine_similarity")]
    [InlineData("huber", typeof(Huber), "huber_loss")]
    [InlineData("huber_loss", typeof(Huber), "huber_loss")]
    [InlineData("log_cosh", typeof(LogCosh), "log_cosh")]
    [InlineData("logcosh", typeof(LogCosh), "log_cosh")]
    [InlineData("CategoricalCrossentropy", typeof(CategoricalCrossentropy), "categorical_crossentropy")]
    public void GetResolvesKerasNamesAndAliases(string name, Type type, string kerasName)
    {
        var loss = Loss.Get(name);
        Assert.IsType(type, loss);
        Assert.Equal(kerasName, loss.Name);
        Assert.Equal("sum_over_batch_size", loss.Reduction);
    }

    [Fact]
    public void UnknownNameListsTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Loss.Get("categorical_crossentropi"));
        Assert.Contains("Unknown loss: 'categorical_crossentropi'", e.Message);
        Assert.Contains("categorical_crossentropy", e.Message);
        Assert.Contains("sparse_categorical_crossentropy", e.Message);
        Assert.Contains("mse", e.Message);
    }

    [Fact]
    public void InvalidReductionIsRejectedWithTheValueReceived()
    {
        var e = Assert.Throws<ArgumentException>(() => new MeanSquaredError(reduction: "average"));
        Assert.Contains("Received: reduction=average", e.Message);
        Assert.Contains("sum_over_batch_size", e.Message);
    }

    [Fact]
    public void NullReductionMeansNone()
    {
        var loss = new MeanSquaredError(reduction: null);
        Assert.Equal("none", loss.Reduction);
        var values = loss.Call(Tensor.FromArray(new float[] { 0, 0, 0, 0 }, 2, 2), Tensor.FromArray(new float[] { 1, 1, 2, 2 }, 2, 2));
        Assert.Equal(new float[] { 1, 4 }, values.ToArray());
    }

    [Fact]
    public void MeanReductionIsSumOverBatchSize()
    {
        var t = Tensor.FromArray(new float[] { 0, 0, 0, 0, 0, 0 }, 3, 2);
        var p = Tensor.FromArray(new float[] { 1, 1, 2, 2, 3, 3 }, 3, 2);
        Assert.Equal(14f / 3f, new MeanSquaredError(reduction: "mean").Call(t, p).Item(), 1e-6f);
        Assert.Equal(14f, new MeanSquaredError(reduction: "sum").Call(t, p).Item(), 1e-6f);
    }

    [Fact]
    public void ShapeMismatchNamesTheLossAndBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new MeanSquaredError().Call(Tensor.Zeros(4, 1), Tensor.Zeros(4, 3)));
        Assert.Contains("mean_squared_error", e.Message);
        Assert.Contains("y_true.shape=(4, 1)", e.Message);
        Assert.Contains("y_pred.shape=(4, 3)", e.Message);

        e = Assert.Throws<ArgumentException>(() => new CategoricalCrossentropy().Call(Tensor.Zeros(4), Tensor.Zeros(4, 3)));
        Assert.Contains("categorical_crossentropy", e.Message);
        Assert.Contains("(4,)", e.Message);

        e = Assert.Throws<ArgumentException>(() => new SparseCategoricalCrossentropy().Call(Tensor.Zeros(5), Tensor.Zeros(4, 3)));
        Assert.Contains("sparse_categorical_crossentropy", e.Message);
        Assert.Contains("y_true.shape=(5,)", e.Message);
    }

    [Fact]
    public void RankOneTargetsAreExpandedAgainstAColumnOfPredictions()
    {
        // Keras's squeeze_or_expand_to_same_rank: y_true (n,) with y_pred (n, 1) is one value per sample, not a broadcast.
        var loss = new MeanSquaredError(reduction: "none");
        var values = loss.Call(Tensor.FromArray(new float[] { 1, 2, 3 }, 3), Tensor.FromArray(new float[] { 1, 0, 6 }, 3, 1));
        Assert.Equal(new[] { 3 }, values.Shape);
        Assert.Equal(new float[] { 0, 4, 9 }, values.ToArray());
    }

    [Fact]
    public void SparseLabelsMayBeAColumn()
    {
        var probs = Tensor.FromArray(new float[] { 0.05f, 0.95f, 0f, 0.1f, 0.8f, 0.1f }, 2, 3);
        var flat = new SparseCategoricalCrossentropy(reduction: "none").Call(Tensor.FromArray(new float[] { 1, 2 }, 2), probs).ToArray();
        var column = new SparseCategoricalCrossentropy(reduction: "none").Call(Tensor.FromArray(new float[] { 1, 2 }, 2, 1), probs).ToArray();
        Assert.Equal(flat, column);
        // Keras's docstring: [0.0513, 2.303].
        Assert.Equal(0.0513f, flat[0], 1e-4f);
        Assert.Equal(2.3026f, flat[1], 1e-4f);
    }

    [Fact]
    public void KerasDocumentedExamples()
    {
        // keras.losses.BinaryCrossentropy(from_logits=True): 0.8654 for this batch (and per sample [0.235, 1.496] as 2×2).
        var bce = new BinaryCrossentropy(fromLogits: true);
        Assert.Equal(0.8654f, bce.Call(Tensor.FromArray(new float[] { 0, 1, 0, 0 }, 4), Tensor.FromArray(new float[] { -18.6f, 0.51f, 2.94f, -12.8f }, 4)).Item(), 1e-4f);
        var perRow = new BinaryCrossentropy(fromLogits: true, reduction: null)
            .Call(Tensor.FromArray(new float[] { 0, 1, 0, 0 }, 2, 2), Tensor.FromArray(new float[] { -18.6f, 0.51f, 2.94f, -12.8f }, 2, 2)).ToArray();
        Assert.Equal(0.235f, perRow[0], 1e-3f);
        Assert.Equal(1.496f, perRow[1], 1e-3f);

        // keras.losses.binary_crossentropy([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]) = [0.916, 0.714].
        var b = new BinaryCrossentropy(reduction: "none").Call(Tensor.FromArray(new float[] { 0, 1, 0, 0 }, 2, 2), Tensor.FromArray(new float[] { 0.6f, 0.4f, 0.4f, 0.6f }, 2, 2)).ToArray();
        Assert.Equal(0.916f, b[0], 1e-3f);
        Assert.Equal(0.714f, b[1], 1e-3f);

        // keras.losses.categorical_crossentropy([[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]]) = [0.0513, 2.303].
        var c = new CategoricalCrossentropy(reduction: "none").Call(Tensor.FromArray(new float[] { 0, 1, 0, 0, 0, 1 }, 2, 3), Tensor.FromArray(new float[] { 0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f }, 2, 3)).ToArray();
        Assert.Equal(0.0513f, c[0], 1e-4f);
        Assert.Equal(2.3026f, c[1], 1e-4f);

        // keras.losses.SparseCategoricalCrossentropy()([1, 2], ...) = 1.177.
        Assert.Equal(1.177f, new SparseCategoricalCrossentropy().Call(Tensor.FromArray(new float[] { 1, 2 }, 2), Tensor.FromArray(new float[] { 0.05f, 0.95f, 0, 0.1f, 0.8f, 0.1f }, 2, 3)).Item(), 1e-3f);

        // keras.losses.cosine_similarity([[0, 1], [1, 1], [1, 1]], [[1, 0], [1, 1], [-1, -1]]) = [-0, -0.99999994, 0.99999994].
        var cos = new CosineSimilarity(reduction: "none").Call(Tensor.FromArray(new float[] { 0, 1, 1, 1, 1, 1 }, 3, 2), Tensor.FromArray(new float[] { 1, 0, 1, 1, -1, -1 }, 3, 2)).ToArray();
        Assert.Equal(0f, cos[0], 1e-6f);
        Assert.Equal(-1f, cos[1], 1e-6f);
        Assert.Equal(1f, cos[2], 1e-6f);

        // keras.losses.huber([[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]]) reduced: 0.155; log_cosh(...) reduced: 0.108.
        Assert.Equal(0.155f, new Huber().Call(Tensor.FromArray(new float[] { 0, 1, 0, 0 }, 2, 2), Tensor.FromArray(new float[] { 0.6f, 0.4f, 0.4f, 0.6f }, 2, 2)).Item(), 1e-3f);
        Assert.Equal(0.108f, new LogCosh().Call(Tensor.FromArray(new float[] { 0, 1, 0, 0 }, 2, 2), Tensor.FromArray(new float[] { 1, 1, 0, 0 }, 2, 2)).Item(), 1e-3f);
    }

    [Fact]
    public void HingeConvertsOnlyBinaryLabels()
    {
        var p = Tensor.FromArray(new float[] { 0.3f, -0.4f }, 1, 2);
        var fromBinary = new Hinge().Call(Tensor.FromArray(new float[] { 1, 0 }, 1, 2), p).Item();
        var fromSigned = new Hinge().Call(Tensor.FromArray(new float[] { 1, -1 }, 1, 2), p).Item();
        Assert.Equal(fromSigned, fromBinary);
        Assert.Equal((0.7f + 0.6f) / 2f, fromBinary, 1e-6f);
        // Labels that are not all 0/1 are used as they are: 0.5 stays 0.5.
        Assert.Equal((1f - 0.5f * 0.3f + 1f + 0.4f) / 2f, new Hinge().Call(Tensor.FromArray(new float[] { 0.5f, 1 }, 1, 2), p).Item(), 1e-6f);
    }

    [Fact]
    public void ConfigsCarryKerasArguments()
    {
        var bce = new BinaryCrossentropy(fromLogits: true, labelSmoothing: 0.1f).GetConfig();
        Assert.Equal("binary_crossentropy", bce["name"]);
        Assert.Equal("sum_over_batch_size", bce["reduction"]);
        Assert.Equal(true, bce["from_logits"]);
        Assert.Equal(0.1f, bce["label_smoothing"]);
        Assert.Equal(-1, bce["axis"]);
        var cce = new CategoricalCrossentropy(name: "my_cce", reduction: "sum").GetConfig();
        Assert.Equal("my_cce", cce["name"]);
        Assert.Equal("sum", cce["reduction"]);
        Assert.Equal(1.5f, new Huber(1.5f).GetConfig()["delta"]);
        Assert.Equal(false, new SparseCategoricalCrossentropy().GetConfig()["from_logits"]);
    }

    [Fact]
    public void ArgumentsAreValidated()
    {
        Assert.Contains("label_smoothing", Assert.Throws<ArgumentException>(() => new BinaryCrossentropy(labelSmoothing: 1.5f)).Message);
        Assert.Contains("label_smoothing", Assert.Throws<ArgumentException>(() => new CategoricalCrossentropy(labelSmoothing: -0.1f)).Message);
        Assert.Contains("delta", Assert.Throws<ArgumentException>(() => new Huber(0f)).Message);
    }

    [Fact]
    public void EmptyBatchComesBackUnreducedAsInKeras()
    {
        // Keras's reduce_values returns values of shape (0,) as they are.
        var loss = new MeanSquaredError().Call(Tensor.Zeros(0, 3), Tensor.Zeros(0, 3));
        Assert.Equal(new[] { 0 }, loss.Shape);
        Assert.Equal(0f, Loss.Reduce(Tensor.Zeros(0, 2), "sum_over_batch_size").Item());
    }

    [Fact]
    public void CategoricalCrossentropyAlongAnotherAxis()
    {
        // Classes on axis 0: the same as the transposed problem with classes last.
        var t = new float[] { 1, 0, 0, 1, 0, 0 };              // (3, 2): column j is sample j's one-hot
        var p = new float[] { 0.7f, 0.2f, 0.2f, 0.5f, 0.1f, 0.3f };
        var alongAxis0 = new CategoricalCrossentropy(axis: 0, reduction: "none").Call(Tensor.FromArray(t, 3, 2), Tensor.FromArray(p, 3, 2)).ToArray();
        var transposed = new CategoricalCrossentropy(reduction: "none").Call(
            Ops.Transpose(Tensor.FromArray(t, 3, 2)).Contiguous(), Ops.Transpose(Tensor.FromArray(p, 3, 2)).Contiguous()).ToArray();
        Assert.Equal(transposed.Length, alongAxis0.Length);
        for (int i = 0; i < transposed.Length; i++) Assert.Equal(transposed[i], alongAxis0[i], 1e-6f);
    }

    [Fact]
    public void LossesAreDifferentiableUnderATrainingScope()
    {
        // Inside Model.Fit the step's tensors come from a pool; a loss must work there too.
        using var scope = Cortex.Memory.TensorScope.Begin();
        var z = Tensor.FromArray(new float[] { 0.2f, -0.1f, 0.4f, 1.0f, 0.3f, -0.8f }, 2, 3);
        using var tape = GradientTape.Begin();
        tape.Watch(z);
        var loss = Loss.Get("sparse_categorical_crossentropy").Call(Tensor.FromArray(new float[] { 2, 0 }, 2), Ops.Softmax(z));
        var g = tape.Gradient(loss, z)[0].ToArray();
        Assert.All(g, v => Assert.True(float.IsFinite(v)));
        Assert.Equal(0f, g.Take(3).Sum(), 1e-6f);
    }
}
