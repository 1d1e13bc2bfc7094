using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Examples;

/// <summary>
/// "Deep Learning: From Basics to Practice" ch.23: one hidden layer as wide as the input (784-784-10, ReLU, softmax),
/// 623,290 parameters; the book reports about 98.3% after 20 epochs. Adam, batch 256.
/// </summary>
internal static class DeepDense
{
    /// <summary>The book's 784-784-10 net (ReLU, softmax); also the checkpoint_schedule example's net.</summary>
    internal static Sequential Net() => new(
        new Dense(784, activation: "relu", inputShape: new[] { 784 }),
        new Dense(10, activation: "softmax"));

    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        var d = MnistSet.Load(o.Data);
        var model = Net();
        model.Summary();
        model.Compile(new Adam(), "categorical_crossentropy", new[] { "accuracy" });
        model.Fit(d.XTrain, d.YTrain, batchSize: 256, epochs: o.Epochs ?? 20, verbose: 2, validationData: (d.XTest, d.YTest));
        Console.WriteLine($"Parameters: {model.CountParams():N0}");
        Console.WriteLine($"Test accuracy: {model.Evaluate(d.XTest, d.YTest, verbose: 0)["accuracy"]:0.0000}");
        return 0;
    }
}
