using Cortex.Keras.Datasets;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Preprocessing.Image;

namespace Cortex.Examples;

/// <summary>
/// The CIFAR-10 conv-nets of "Deep Learning with Keras" ch.3: <c>--variant basic</c> (Conv 32, MaxPool, Dropout 0.25,
/// Dense 512, Dropout 0.5; RMSprop, 20 epochs; the book reports 66.4%), <c>deeper</c> (two Conv 32 and two Conv 64
/// blocks; 40 epochs; 76.9%) and <c>augmented</c> (the deeper net on images from an ImageDataGenerator with
/// rotation 40°, shifts 0.2, zoom 0.2, horizontal flips; 50 epochs; 78.3%). Batch 128, 20% of the training data for
/// validation, as the book does.
/// </summary>
/// <remarks>
/// The book trains on the 50,000 CIFAR-10 training images. The data available here (../shared/datasets/cifar10) is
/// the 10,000-image test set, re-encoded as JPEG at quality 75, so this example splits it (8,000 to train, of which 20%
/// validate, and 2,000 to test), and its accuracies are not comparable to the book's: five times less data, and
/// degraded. Without --data it uses the 1,000-image sample in data/cifar10-sample.
/// </remarks>
internal static class Cifar10Cnn
{
    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        var data = o.Data is null ? LoadDefault() : Cifar10.Load(o.Data);
        if (data.Train.IsEmpty) data = data.Split(data.Test.Count * 4 / 5, o.Seed);
        Console.WriteLine($"CIFAR-10 from {data.Source}: {data.Train.Count} train, {data.Test.Count} test images");
        var (x, y, xTest, yTest) = data.ToTensors();
        string variant = o.Variant ?? "basic";
        var model = variant == "basic" ? Basic() : Deeper();
        model.Summary();
        model.Compile(new RMSprop(), "categorical_crossentropy", new[] { "accuracy" });
        int epochs = o.Epochs ?? variant switch { "basic" => 20, "deeper" => 40, _ => 50 };
        if (variant == "augmented")
        {
            int n = x.Shape[0], nTrain = (int)(n * 0.8f);
            var (xt, yt) = (Ops.SliceRows(x, 0, nTrain), Ops.SliceRows(y, 0, nTrain));
            var (xv, yv) = (Ops.SliceRows(x, nTrain, n - nTrain), Ops.SliceRows(y, nTrain, n - nTrain));
            var gen = new ImageDataGenerator(rotationRange: 40, widthShiftRange: 0.2f, heightShiftRange: 0.2f, zoomRange: 0.2f,
                horizontalFlip: true, fillMode: "nearest");
            model.Fit(gen.Flow(xt, yt, batchSize: 128, seed: o.Seed), (xv, yv), epochs: epochs, verbose: 1);
        }
        else if (variant is "basic" or "deeper")
            model.Fit(x, y, batchSize: 128, epochs: epochs, verbose: 1, validationSplit: 0.2f);
        else throw new ArgumentException($"unknown variant '{variant}'; known: basic, deeper, augmented.");
        var score = model.Evaluate(xTest, yTest, batchSize: 128, verbose: 0);
        Console.WriteLine($"Test loss: {score["loss"]:0.0000}");
        Console.WriteLine($"Test accuracy: {score["accuracy"]:0.0000}");
        return 0;
    }

    private static Cifar10Data LoadDefault()
    {
        try { return Cifar10.Load(); }
        catch (FileNotFoundException) { return Cifar10.LoadSample(); }
    }

    private static Sequential Basic() => WithClassifier(
        new Conv2D(32, (3, 3), padding: "same", activation: "relu", inputShape: new[] { 32, 32, 3 }),
        new MaxPooling2D((2, 2)),
        new Dropout(0.25f));

    private static Sequential Deeper() => WithClassifier(
        new Conv2D(32, (3, 3), padding: "same", activation: "relu", inputShape: new[] { 32, 32, 3 }),
        new Conv2D(32, (3, 3), padding: "same", activation: "relu"),
        new MaxPooling2D((2, 2)),
        new Dropout(0.25f),
        new Conv2D(64, (3, 3), padding: "same", activation: "relu"),
        new Conv2D(64, (3, 3), activation: "relu"),
        new MaxPooling2D((2, 2)),
        new Dropout(0.25f));

    /// <summary>The book's classifier on top of the convolutions: Flatten, Dense 512 relu, Dropout 0.5, softmax.</summary>
    private static Sequential WithClassifier(params Layer[] features) => new(features.Concat(new Layer[]
    {
        new Flatten(),
        new Dense(512, activation: "relu"),
        new Dropout(0.5f),
        new Dense(10, activation: "softmax"),
    }));
}
