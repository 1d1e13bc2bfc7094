using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Tests.Recurrent;

/// <summary>End to end: a small LSTM learns a task that needs memory (the sign of the first step, read at the end).</summary>
[Collection(nameof(GlobalRandomCollection))]
public class RecurrentTrainingTests
{
    [Fact]
    public void SmallLstmLearnsToRememberTheFirstStep()
    {
        RandomGenerator.SetGlobalSeed(21);
        int n = 256, T = 6;
        var x = Tensor.Zeros(n, T, 1); var y = Tensor.Zeros(n, 1);
        var rng = new RandomGenerator(22);
        rng.FillNormal(x.Span);
        for (int i = 0; i < n; i++) y[i, 0] = x[i, 0, 0] > 0f ? 1f : 0f;
        var model = new Sequential();
        model.Add(new LSTM(8, inputShape: new[] { T, 1 }));
        model.Add(new Dense(1, "sigmoid"));
        model.Compile(new Cortex.Keras.Optimizers.Adam(learningRate: 0.02f), "binary_crossentropy", new[] { "accuracy" });
        var h = model.Fit(x, y, batchSize: 32, epochs: 15, verbose: 0);
        Assert.True(h["loss"][^1] < 0.5f * h["loss"][0], $"loss {h["loss"][0]} -> {h["loss"][^1]}");
        Assert.True(h["accuracy"][^1] > 0.9f, $"accuracy {h["accuracy"][^1]}");
    }
}
