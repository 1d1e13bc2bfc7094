using Cortex.Autodiff;
using Cortex.Keras.Losses;

namespace Cortex.Tests.Losses;

/// <summary>
/// The fused cross-entropy path: when y_pred comes from <see cref="Ops.Softmax"/> the categorical cross-entropies use
/// the softmax's input with the fused, stable ops (as Keras's TensorFlow backend does through <c>_get_logits</c>). On
/// moderate logits that gives the same value and gradient as the clipped probability form; on extreme logits it stays
/// exact where the probability form saturates at −log ε.
/// </summary>
public sealed class FusedCrossEntropyTests
{
    private static readonly float[] ModerateLogits = { 1.2f, -0.7f, 0.3f, -2.1f, 0.4f, 1.9f, 0.05f, 0.6f, -1.3f, 2.2f, -0.5f, 0.1f };
    private static readonly float[] OneHot = { 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0 };
    private static readonly float[] Labels = { 1, 2, 0, 0 };

    /// <summary>The loss and its gradient with respect to the logits, with y_pred = softmax(logits), fused or not.</summary>
    private static (float Loss, float[] Grad) Run(Loss loss, float[] logits, Tensor yTrue, bool fused)
    {
        var z = Tensor.FromArray(logits, 4, 3);
        using var tape = GradientTape.Begin();
        tape.Watch(z);
        var probs = Ops.Softmax(z);
        // A reshape to the same shape is the same values on the tape without the softmax's mark: the unfused path.
        var yPred = fused ? probs : Ops.Reshape(probs, 4, 3);
        Assert.Equal(fused, yPred.LogitsActivation == "softmax");
        var value = loss.Call(yTrue, yPred);
        var grad = tape.Gradient(value, z)[0];
        return (value.Item(), grad.ToArray());
    }

    public static IEnumerable<object[]> Losses() => new[]
    {
        new object[] { "categorical_crossentropy" },
        new object[] { "sparse_categorical_crossentropy" },
    };

    private static Tensor Targets(string loss) => loss == "categorical_crossentropy" ? Tensor.FromArray(OneHot, 4, 3) : Tensor.FromArray(Labels, 4);

    [Theory]
    [MemberData(nameof(Losses))]
    public void FusedMatchesUnfusedOnModerateLogits(string name)
    {
        var (fusedLoss, fusedGrad) = Run(Loss.Get(name), ModerateLogits, Targets(name), fused: true);
        var (plainLoss, plainGrad) = Run(Loss.Get(name), ModerateLogits, Targets(name), fused: false);
        Assert.Equal(plainLoss, fusedLoss, 1e-5f);
        for (int i = 0; i < fusedGrad.Length; i++) Assert.Equal(plainGrad[i], fusedGrad[i], 1e-5f);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void FusedMatchesFromLogitsOnTheLogits(string name)
    {
        var (fusedLoss, fusedGrad) = Run(Loss.Get(name), ModerateLogits, Targets(name), fused: true);
        Loss fromLogits = name == "categorical_crossentropy" ? new CategoricalCrossentropy(fromLogits: true) : new SparseCategoricalCrossentropy(fromLogits: true);
        var z = Tensor.FromArray(ModerateLogits, 4, 3);
        using var tape = GradientTape.Begin();
        tape.Watch(z);
        var value = fromLogits.Call(Targets(name), z);
        var grad = tape.Gradient(value, z)[0].ToArray();
        Assert.Equal(value.Item(), fusedLoss, 1e-6f);
        for (int i = 0; i < grad.Length; i++) Assert.Equal(grad[i], fusedGrad[i], 1e-6f);
    }

    [Theory]
    [MemberData(nameof(Losses))]
    public void FusedStaysExactOnExtremeLogitsWhereUnfusedSaturates(string name)
    {
        // Each row puts +100 on a wrong class and −100 on the target: the exact loss is 200 per row.
        var logits = new float[] { 100, -100, 0, 0, 100, -100, -100, 100, 0, -100, 0, 100 };
        var (fusedLoss, fusedGrad) = Run(Loss.Get(name), logits, Targets(name), fused: true);
        Assert.Equal(200f, fusedLoss, 1e-3f);
        // d/dz of the mean over 4 rows: (softmax(z) − onehot) / 4 = (+1 on the +100 class, −1 on the target) / 4.
        var expected = new float[] { 0.25f, -0.25f, 0, 0, 0.25f, -0.25f, -0.25f, 0.25f, 0, -0.25f, 0, 0.25f };
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(float.IsFinite(fusedGrad[i]));
            Assert.Equal(expected[i], fusedGrad[i], 1e-6f);
        }

        var (plainLoss, plainGrad) = Run(Loss.Get(name), logits, Targets(name), fused: false);
        Assert.Equal(-MathF.Log(1e-7f), plainLoss, 1e-3f);     // saturated at −log ε
        Assert.All(plainGrad, g => Assert.True(Math.Abs(g) < 1e-3f));   // and the clip has cut the gradient
    }

    [Fact]
    public void FromLogitsTrueOnASoftmaxOutputStillUsesTheLogits()
    {
        // Keras's _get_logits takes the softmax's input even when from_logits=True (it warns); so does Cortex.
        var z = Tensor.FromArray(ModerateLogits, 4, 3);
        var viaSoftmax = new CategoricalCrossentropy(fromLogits: true).Call(Tensor.FromArray(OneHot, 4, 3), Ops.Softmax(z)).Item();
        var direct = new CategoricalCrossentropy(fromLogits: true).Call(Tensor.FromArray(OneHot, 4, 3), z).Item();
        Assert.Equal(direct, viaSoftmax, 1e-6f);
    }

    [Fact]
    public void BinaryCrossentropyUsesSigmoidLogitsWhenMarked()
    {
        var z = Tensor.FromArray(new float[] { 30f, -2f, 0.5f, -40f }, 4, 1);
        var yTrue = Tensor.FromArray(new float[] { 0, 1, 1, 0 }, 4, 1);
        var probs = Ops.Sigmoid(z);
        probs.Logits = z; probs.LogitsActivation = "sigmoid";
        var fused = new BinaryCrossentropy().Call(yTrue, probs).Item();
        var fromLogits = new BinaryCrossentropy(fromLogits: true).Call(yTrue, z).Item();
        Assert.Equal(fromLogits, fused, 1e-6f);
        Assert.Equal((30f + 2.126928f + 0.474077f + 0f) / 4f, fused, 1e-4f);   // not saturated at −log ε for z = 30
    }

    [Fact]
    public void SoftmaxLogitsAreNotMistakenForSigmoidLogits()
    {
        // Keras would take any recorded logits; Cortex only takes a sigmoid's for binary cross-entropy.
        var z = Tensor.FromArray(new float[] { 0.3f, -0.2f, 1.1f, 0.4f }, 2, 2);
        var probs = Ops.Softmax(z);
        var yTrue = Tensor.FromArray(new float[] { 1, 0, 0, 1 }, 2, 2);
        var viaSoftmax = new BinaryCrossentropy().Call(yTrue, probs).Item();
        var plain = new BinaryCrossentropy().Call(yTrue, Ops.Reshape(probs, 2, 2)).Item();
        Assert.Equal(plain, viaSoftmax);
    }

    [Fact]
    public void BinaryCrossentropyFromLogitsHasTheRightGradientAtZero()
    {
        // σ(0) − t = 0.5 − t: the stable form must not lose the softplus term's slope at the kink of max(z, 0).
        var z = Tensor.FromArray(new float[] { 0f, 0f }, 2, 1);
        var yTrue = Tensor.FromArray(new float[] { 1f, 0f }, 2, 1);
        using var tape = GradientTape.Begin();
        tape.Watch(z);
        var loss = new BinaryCrossentropy(fromLogits: true).Call(yTrue, z);
        var g = tape.Gradient(loss, z)[0].ToArray();
        Assert.Equal(MathF.Log(2f), loss.Item(), 1e-6f);
        Assert.Equal(-0.25f, g[0], 1e-6f);
        Assert.Equal(0.25f, g[1], 1e-6f);
    }
}
