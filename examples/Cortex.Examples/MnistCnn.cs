using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Examples;

/// <summary>
/// Keras's examples/mnist_cnn.py: Conv 32, Conv 64, MaxPool, Dropout 0.25, Dense 128, Dropout 0.5, softmax, trained
/// with Adadelta (lr 1.0, rho 0.95) in batches of 128 for 12 epochs. Keras reports 99.25% test accuracy.
/// </summary>
internal static class MnistCnn
{
    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        var d = MnistSet.Load(o.Data);
        var (x, xTest) = d.Images();
        var model = Build();
        model.Summary();
        model.Compile(new Adadelta(learningRate: 1f, rho: 0.95f, epsilon: 1e-7f), "categorical_crossentropy", new[] { "accuracy" });
        model.Fit(x, d.YTrain, batchSize: 128, epochs: o.Epochs ?? 12, verbose: 1, validationData: (xTest, d.YTest));
        var score = model.Evaluate(xTest, d.YTest, verbose: 0);
        Console.WriteLine($"Test loss: {score["loss"]:0.0000}");
        Console.WriteLine($"Test accuracy: {score["accuracy"]:0.0000}");
        return 0;
    }

    /// <summary>The network of mnist_cnn.py (1,199,882 parameters).</summary>
    public static Sequential Build() => new(
        new Conv2D(32, (3, 3), activation: "relu", inputShape: new[] { 28, 28, 1 }),
        new Conv2D(64, (3, 3), activation: "relu"),
        new MaxPooling2D(poolSize: (2, 2)),
        new Dropout(0.25f),
        new Flatten(),
        new Dense(128, activation: "relu"),
        new Dropout(0.5f),
        new Dense(10, activation: "softmax"));
}
