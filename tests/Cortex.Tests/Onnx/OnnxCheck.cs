using Cortex.Keras.Models;
using Cortex.Onnx;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Cortex.Tests.Onnx;

/// <summary>Runs exported models in ONNX Runtime (which also validates them on load) and compares with Cortex.</summary>
internal static class OnnxCheck
{
    /// <summary>The outputs of the ONNX model for the given inputs (in the graph's input order), with their shapes.</summary>
    public static (float[] Values, int[] Shape)[] Run(byte[] model, params Tensor[] inputs)
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL, IntraOpNumThreads = 1 };
        using var session = new InferenceSession(model, options);
        Assert.Equal(inputs.Length, session.InputNames.Count);
        var feeds = inputs.Select((t, i) => NamedOnnxValue.CreateFromTensor(session.InputNames[i],
            new DenseTensor<float>(t.Contiguous().ToArray(), t.Shape.ToArray()))).ToList();
        using var results = session.Run(feeds);
        return results.Select(r => { var t = r.AsTensor<float>(); return (t.ToArray(), t.Dimensions.ToArray()); }).ToArray();
    }

    /// <summary>Exports a one-input, one-output model, runs it on <paramref name="x"/> and checks it against <see cref="Model.Predict(Tensor, int, int, IEnumerable{Cortex.Keras.Callbacks.Callback}?)"/>.</summary>
    public static float MaxDiff(Model model, Tensor x, int opset = OnnxExporter.DefaultOpset, float tolerance = 1e-5f)
    {
        var expected = model.Predict(x, batchSize: x.Shape[0]);
        var actual = Run(OnnxExporter.ToBytes(model, opset), x).Single();
        return Compare(expected, actual, tolerance);
    }

    /// <summary>Checks that the ONNX output has Cortex's shape and values within <paramref name="tolerance"/>; returns the max abs difference.</summary>
    public static float Compare(Tensor expected, (float[] Values, int[] Shape) actual, float tolerance = 1e-5f)
    {
        Assert.Equal(expected.Shape.ToArray(), actual.Shape);
        var e = expected.Contiguous().ToArray();
        float max = 0;
        for (int i = 0; i < e.Length; i++) max = Math.Max(max, Math.Abs(e[i] - actual.Values[i]));
        Assert.True(max <= tolerance, $"max |cortex - onnx| = {max} > {tolerance}");
        return max;
    }

    /// <summary>A batch of normal(0, 1) values.</summary>
    public static Tensor Random(int seed, params int[] shape) => new RandomGenerator(seed).Normal(shape);

    /// <summary>Gives every BatchNormalization non-trivial moving statistics and affine weights (trained-looking).</summary>
    public static void RandomizeBatchNorms(Model model, int seed)
    {
        var rng = new System.Random(seed);
        foreach (var bn in model.Layers.OfType<Cortex.Keras.Layers.BatchNormalization>())
        {
            Fill(bn.MovingMean, () => (float)(rng.NextDouble() - 0.5));
            Fill(bn.MovingVariance, () => (float)(0.5 + rng.NextDouble()));
            if (bn.Gamma is { } g) Fill(g, () => (float)(0.5 + rng.NextDouble()));
            if (bn.Beta is { } b) Fill(b, () => (float)(rng.NextDouble() - 0.5));
        }
    }

    private static void Fill(Cortex.Keras.Variable v, Func<float> next)
    {
        var values = new float[v.Value.Size];
        for (int i = 0; i < values.Length; i++) values[i] = next();
        v.Assign(values);
    }
}
