using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Examples;

/// <summary>XOR with a 2-2-1 network (tanh hidden units, sigmoid output) trained from scratch.</summary>
internal static class Xor
{
    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        var x = Tensor.FromArray(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, 4, 2);
        var y = Tensor.FromArray(new float[] { 0, 1, 1, 0 }, 4, 1);
        var model = new Sequential(
            new Dense(2, activation: "tanh", inputShape: new[] { 2 }),
            new Dense(1, activation: "sigmoid"));
        model.Summary();
        model.Compile(new Adam(learningRate: 0.05f), "binary_crossentropy", new[] { "accuracy" });
        var h = model.Fit(x, y, batchSize: 4, epochs: o.Epochs ?? 1000, verbose: 0);
        Console.WriteLine($"final loss {h["loss"][^1]:0.0000}, accuracy {h["accuracy"][^1]:0.00}");
        var p = model.Predict(x);
        for (int i = 0; i < 4; i++)
            Console.WriteLine($"  {x[i, 0]} XOR {x[i, 1]} -> {p[i, 0]:0.000} (target {y[i, 0]})");
        return 0;
    }
}
