using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Cli;

/// <summary>The main job: Keras's mnist_mlp example, trained and evaluated.</summary>
internal static class TrainCommand
{
    public static int Run(Options o)
    {
        int epochs = o.GetInt("epochs", o.Get("data") is null ? 10 : 20);
        int batch = o.GetInt("batch-size", 128);
        RandomGenerator.SetGlobalSeed(o.GetInt("seed", 42));
        var data = MnistTensors.Load(o.Get("data"));
        Console.WriteLine($"MNIST from {data.Source}: {data.XTrain.Shape[0]} train, {data.XTest.Shape[0]} test samples");

        var model = BuildMlp();
        model.Summary();
        model.Compile(new RMSprop(), "categorical_crossentropy", new[] { "accuracy" });
        model.Fit(data.XTrain, data.YTrain, batchSize: batch, epochs: epochs, verbose: 1, validationData: (data.XTest, data.YTest));
        var score = model.Evaluate(data.XTest, data.YTest, verbose: 0);
        Console.WriteLine($"Test loss: {score["loss"]:0.0000}");
        Console.WriteLine($"Test accuracy: {score["accuracy"]:0.0000}");
        return 0;
    }

    /// <summary>784-512-512-10 with ReLU, dropout 0.2 and softmax, as in Keras's examples/mnist_mlp.py.</summary>
    public static Sequential BuildMlp() => new(
        new Dense(512, activation: "relu", inputShape: new[] { 784 }),
        new Dropout(0.2f),
        new Dense(512, activation: "relu"),
        new Dropout(0.2f),
        new Dense(10, activation: "softmax"));

    /// <summary>
    /// Keras's examples/mnist_cnn.py: Conv 32 3×3 relu, Conv 64 3×3 relu, MaxPool 2×2, Dropout 0.25, Flatten,
    /// Dense 128 relu, Dropout 0.5, Dense 10 softmax (1,199,882 parameters).
    /// </summary>
    public static Sequential BuildCnn() => new(
        new Conv2D(32, (3, 3), activation: "relu", inputShape: new[] { 28, 28, 1 }),
        new Conv2D(64, (3, 3), activation: "relu"),
        new MaxPooling2D(poolSize: (2, 2)),
        new Dropout(0.25f),
        new Flatten(),
        new Dense(128, activation: "relu"),
        new Dropout(0.5f),
        new Dense(10, activation: "softmax"));
}
