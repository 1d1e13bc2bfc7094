using Cortex.Keras.Losses;
using Cortex.Tests.Engine;

namespace Cortex.Tests.Losses;

/// <summary>
/// SparseCategoricalCrossentropy's ignore_class (Keras 3): entries labelled with it have loss 0 and no gradient, and the
/// averaging reductions divide by the number of the other entries; the value need not be a class index.
/// </summary>
public class IgnoreClassTests
{
    // Keras's docstring case: per-sample losses [0.0513, 2.3026].
    private static readonly Tensor Probs = Tensor.FromArray(new float[] { 0.05f, 0.95f, 0f, 0.1f, 0.8f, 0.1f }, 2, 3);

    [Fact]
    public void IgnoredEntriesCountNeitherInTheSumNorInTheMean()
    {
        var labels = Tensor.FromArray(new float[] { 1, 2 }, 2);
        Assert.Equal(0.0513f, new SparseCategoricalCrossentropy(ignoreClass: 2).Call(labels, Probs).Item(), 1e-4f);
        Assert.Equal(2.3026f, new SparseCategoricalCrossentropy(ignoreClass: 1).Call(labels, Probs).Item(), 1e-4f);
        Assert.Equal(0.0513f, new SparseCategoricalCrossentropy(ignoreClass: 2, reduction: "sum").Call(labels, Probs).Item(), 1e-4f);
        var none = new SparseCategoricalCrossentropy(ignoreClass: 2, reduction: "none").Call(labels, Probs).ToArray();
        Assert.Equal(0.0513f, none[0], 1e-4f);
        Assert.Equal(0f, none[1]);
        // Every entry ignored: 0, not NaN (Keras divides by valid + epsilon).
        Assert.Equal(0f, new SparseCategoricalCrossentropy(ignoreClass: 1).Call(Tensor.FromArray(new float[] { 1, 1 }, 2), Probs).Item());
        // No ignore_class: the plain mean.
        Assert.Equal((0.0513f + 2.3026f) / 2, new SparseCategoricalCrossentropy().Call(labels, Probs).Item(), 1e-4f);
    }

    [Fact]
    public void PaddedSequenceLabelsAverageOverTheRealTokensOnly()
    {
        // (2 sequences, 3 steps, 4 tags) from logits; tag 0 pads the first step of sequence 0 and two steps of sequence 1.
        var logits = Tensor.FromArray(Enumerable.Range(0, 24).Select(i => MathF.Sin(i * 1.3f)).ToArray(), 2, 3, 4);
        var labels = Tensor.FromArray(new float[] { 0, 2, 3, 0, 0, 1 }, 2, 3);
        var loss = new SparseCategoricalCrossentropy(fromLogits: true, ignoreClass: 0);
        var perEntry = new SparseCategoricalCrossentropy(fromLogits: true, reduction: "none").Call(labels, logits).ToArray();
        float expected = (perEntry[1] + perEntry[2] + perEntry[5]) / 3;
        Assert.Equal(expected, loss.Call(labels, logits).Item(), 1e-5f);
        GradientCheck.Assert(t => loss.Call(labels, t[0]), logits);
    }

    [Fact]
    public void TheIgnoredValueNeedNotBeAClassAndIsInTheConfig()
    {
        var loss = new SparseCategoricalCrossentropy(ignoreClass: -1);
        Assert.Equal(2.3026f, loss.Call(Tensor.FromArray(new float[] { -1, 2 }, 2), Probs).Item(), 1e-4f);
        Assert.Equal(-1, loss.GetConfig()["ignore_class"]);
        Assert.Null(new SparseCategoricalCrossentropy().GetConfig()["ignore_class"]);
        // Out-of-range labels that are not ignored are still an error.
        Assert.ThrowsAny<Exception>(() => loss.Call(Tensor.FromArray(new float[] { 5, 2 }, 2), Probs).Item());
    }
}
