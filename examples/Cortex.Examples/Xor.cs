using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Examples;

/// <summary>
/// XOR with a 2-2-1 network (tanh hidden units, sigmoid output, binary cross-entropy, Adam) trained from scratch.
/// Two hidden units are the fewest that can solve XOR, and from some initialisations training settles in a local
/// minimum (loss ≈ 0.347, one pattern stuck at 0.5); like a person would, the example then starts again from a new
/// initialisation and says so.
/// </summary>
internal static class Xor
{
    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        var x = Tensor.FromArray(new float[] { 0, 0, 0, 1, 1, 0, 1, 1 }, 4, 2);
        var y = Tensor.FromArray(new float[] { 0, 1, 1, 0 }, 4, 1);
        for (int attempt = 1; attempt <= 10; attempt++)
        {
            var model = new Sequential(
                new Dense(2, activation: "tanh", inputShape: new[] { 2 }),
                new Dense(1, activation: "sigmoid"));
            if (attempt == 1) model.Summary();
            model.Compile(new Adam(learningRate: 0.05f), "binary_crossentropy", new[] { "accuracy" });
            var h = model.Fit(x, y, batchSize: 4, epochs: o.Epochs ?? 1000, verbose: 0);
            Console.WriteLine($"attempt {attempt}: final loss {h["loss"][^1]:0.0000}, accuracy {h["accuracy"][^1]:0.00}");
            if (h["accuracy"][^1] < 1f) continue;
            var p = model.Predict(x);
            for (int i = 0; i < 4; i++)
                Console.WriteLine($"  {x[i, 0]} XOR {x[i, 1]} -> {p[i, 0]:0.000} (target {y[i, 0]})");
            return 0;
        }
        Console.WriteLine("no attempt solved XOR");
        return 1;
    }
}
