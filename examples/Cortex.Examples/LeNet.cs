using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Examples;

/// <summary>
/// LeNet from "Deep Learning with Keras" ch.3, written channels-first as the book does (Theano ordering, inputs
/// (1, 28, 28)): Conv 20 5×5 same relu, MaxPool 2×2, Conv 50 5×5 same relu, MaxPool 2×2, Dense 500 relu, softmax;
/// Adam, batch 128, 20 epochs, 20% of the training set held out for validation. The book reports 99.06%.
/// </summary>
/// <remarks>
/// Variant <c>small</c> repeats the book's reduced-training-set experiment: LeNet against the dense net of ch.1
/// (784-128-128-10 with dropout 0.3, RMSprop) trained on the first 5,900, 3,000, 1,800, 600 and 300 training images
/// (book: 96.68% vs 85.56% at 5,900, 72.44% vs 48.26% at 300).
/// </remarks>
internal static class LeNet
{
    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        var d = MnistSet.Load(o.Data);
        if (o.Variant == "small") return SmallTrainingSets(d, o);
        var score = Train(Build(), d, o.Epochs ?? 20, verbose: 1, summary: true);
        Console.WriteLine($"Test accuracy: {score:0.0000}");
        return 0;
    }

    /// <summary>Trains with the book's settings and returns the test accuracy.</summary>
    private static float Train(Sequential model, MnistSet d, int epochs, int verbose, bool summary)
    {
        bool conv = model.Layers[0] is Conv2D;
        var (x, xTest) = conv ? ChannelsFirst(d) : (d.XTrain, d.XTest);
        if (summary) model.Summary();
        model.Compile(conv ? new Adam() : new RMSprop(), "categorical_crossentropy", new[] { "accuracy" });
        model.Fit(x, d.YTrain, batchSize: 128, epochs: epochs, verbose: verbose, validationSplit: 0.2f);
        return model.Evaluate(xTest, d.YTest, verbose: 0)["accuracy"];
    }

    private static (Tensor, Tensor) ChannelsFirst(MnistSet d)
        => (Ops.Reshape(d.XTrain, d.XTrain.Shape[0], 1, 28, 28), Ops.Reshape(d.XTest, d.XTest.Shape[0], 1, 28, 28));

    /// <summary>LeNet as the book writes it, channels-first.</summary>
    public static Sequential Build() => new(
        new Conv2D(20, (5, 5), padding: "same", dataFormat: "channels_first", activation: "relu", inputShape: new[] { 1, 28, 28 }),
        new MaxPooling2D(poolSize: (2, 2), strides: (2, 2), dataFormat: "channels_first"),
        new Conv2D(50, (5, 5), padding: "same", dataFormat: "channels_first", activation: "relu"),
        new MaxPooling2D(poolSize: (2, 2), strides: (2, 2), dataFormat: "channels_first"),
        new Flatten(),
        new Dense(500, activation: "relu"),
        new Dense(10, activation: "softmax"));

    /// <summary>The dense network of ch.1 (v4: two hidden layers of 128 with dropout 0.3).</summary>
    private static Sequential Dense() => new(
        new Dense(128, activation: "relu", inputShape: new[] { 784 }),
        new Dropout(0.3f),
        new Dense(128, activation: "relu"),
        new Dropout(0.3f),
        new Dense(10, activation: "softmax"));

    private static int SmallTrainingSets(MnistSet d, ExampleOptions o)
    {
        Console.WriteLine("training images   LeNet    dense");
        foreach (int n in new[] { 5900, 3000, 1800, 600, 300 })
        {
            if (n > d.XTrain.Shape[0]) continue;
            var small = d.TakeTrain(n);
            float lenet = Train(Build(), small, o.Epochs ?? 20, verbose: 0, summary: false);
            float dense = Train(Dense(), small, o.Epochs ?? 20, verbose: 0, summary: false);
            Console.WriteLine($"{n,15}   {lenet * 100,5:0.00}%   {dense * 100,5:0.00}%");
        }
        return 0;
    }
}
