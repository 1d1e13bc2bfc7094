using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Examples;

/// <summary>Keras's examples/mnist_mlp.py: Keras reports 98.40% test accuracy after 20 epochs.</summary>
internal static class MnistMlp
{
    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        var d = MnistSet.Load(o.Data);
        var model = new Sequential(
            new Dense(512, activation: "relu", inputShape: new[] { 784 }),
            new Dropout(0.2f),
            new Dense(512, activation: "relu"),
            new Dropout(0.2f),
            new Dense(10, activation: "softmax"));
        model.Summary();
        model.Compile(new RMSprop(), "categorical_crossentropy", new[] { "accuracy" });
        model.Fit(d.XTrain, d.YTrain, batchSize: 128, epochs: o.Epochs ?? 20, verbose: 1, validationData: (d.XTest, d.YTest));
        var score = model.Evaluate(d.XTest, d.YTest, verbose: 0);
        Console.WriteLine($"Test loss: {score["loss"]:0.0000}");
        Console.WriteLine($"Test accuracy: {score["accuracy"]:0.0000}");
        return 0;
    }
}
