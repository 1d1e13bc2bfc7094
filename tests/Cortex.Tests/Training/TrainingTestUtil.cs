using Cortex.Keras.Models;

namespace Cortex.Tests.Training;

/// <summary>Helpers shared by the training-loop tests.</summary>
internal static class TrainingTestUtil
{
    public static Tensor Random(int seed, params int[] shape) => new RandomGenerator(seed).Normal(shape);

    /// <summary>Copies every weight of <paramref name="from"/> into <paramref name="to"/> (same architecture).</summary>
    public static void CopyWeights(Model from, Model to)
    {
        var a = from.Weights; var b = to.Weights;
        Assert.Equal(a.Count, b.Count);
        for (int i = 0; i < a.Count; i++) a[i].Value.Contiguous().Span.CopyTo(b[i].Value.Span);
    }

    public static float[][] Snapshot(IEnumerable<Cortex.Keras.Variable> weights) => weights.Select(w => w.Value.ToArray()).ToArray();

    public static void AssertClose(float[] expected, float[] actual, float tol = 1e-5f, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tol * (1 + Math.Abs(expected[i])), $"{what} element {i}: expected {expected[i]}, got {actual[i]}");
    }

    public static void AssertWeightsClose(Model expected, Model actual, float tol = 1e-5f)
    {
        var e = expected.Weights; var a = actual.Weights;
        for (int i = 0; i < e.Count; i++) AssertClose(e[i].Value.ToArray(), a[i].Value.ToArray(), tol, e[i].Name);
    }
}
