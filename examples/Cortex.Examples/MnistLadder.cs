using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Examples;

/// <summary>
/// "Deep Learning with Keras" ch.1 (keras_MINST_V1..V4): improving a simple MNIST net step by step. Batch 128,
/// 20% of the training data held out for validation, categorical cross-entropy. The book reports: v1 one softmax
/// layer with SGD 92.2% (200 epochs); v2 two hidden layers of 128 94.4% (20 epochs); v3 with dropout 0.3 (250
/// epochs); v4 RMSprop 97.8% and v5 Adam 97.9% (20 epochs). <c>--variant vN</c> runs one; <c>--epochs</c> overrides.
/// </summary>
internal static class MnistLadder
{
    private sealed record Variant(string Name, string About, int Epochs, Func<Sequential> Model, Func<Optimizer> Optimizer);

    private static readonly Variant[] Variants =
    {
        new("v1", "one Dense softmax layer, SGD", 200, () => new Sequential(new Dense(10, inputShape: new[] { 784 }), new Activation("softmax")), () => new SGD()),
        new("v2", "two hidden layers of 128, SGD", 20, () => Hidden(0f), () => new SGD()),
        new("v3", "two hidden layers with Dropout 0.3, SGD", 250, () => Hidden(0.3f), () => new SGD()),
        new("v4", "Dropout 0.3, RMSprop", 20, () => Hidden(0.3f), () => new RMSprop()),
        new("v5", "Dropout 0.3, Adam", 20, () => Hidden(0.3f), () => new Adam()),
    };

    /// <summary>The chapter's 784-128-128-10 net (ReLU, optional dropout after each hidden layer, softmax); also Deep Learning with Keras ch.2's callback examples' net.</summary>
    internal static Sequential Hidden(float dropout)
    {
        var layers = new List<Layer> { new Dense(128, inputShape: new[] { 784 }), new Activation("relu") };
        if (dropout > 0) layers.Add(new Dropout(dropout));
        layers.Add(new Dense(128)); layers.Add(new Activation("relu"));
        if (dropout > 0) layers.Add(new Dropout(dropout));
        layers.Add(new Dense(10)); layers.Add(new Activation("softmax"));
        return new Sequential(layers);
    }

    public static int Run(ExampleOptions o)
    {
        var d = MnistSet.Load(o.Data);
        foreach (var v in Variants.Where(v => o.Variant is null || v.Name == o.Variant))
        {
            RandomGenerator.SetGlobalSeed(o.Seed);
            Console.WriteLine($"--- {v.Name}: {v.About}");
            var model = v.Model();
            model.Summary();
            model.Compile(v.Optimizer(), "categorical_crossentropy", new[] { "accuracy" });
            model.Fit(d.XTrain, d.YTrain, batchSize: 128, epochs: o.Epochs ?? v.Epochs, verbose: 2, validationSplit: 0.2f);
            var score = model.Evaluate(d.XTest, d.YTest, verbose: 0);
            Console.WriteLine($"{v.Name} test accuracy: {score["accuracy"]:0.0000}");
        }
        return 0;
    }
}
