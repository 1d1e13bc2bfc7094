using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Examples;

/// <summary>
/// The MNIST conv-net variants of "Deep Learning: From Basics to Practice" ch.24, which starts from a small
/// two-convolution network and changes one thing at a time: a deeper stack, max pooling, striding instead of
/// pooling, batch normalisation. The book reports 98.6% to 99.4% validation accuracy.
/// </summary>
/// <remarks>
/// The book's listings are not reproduced verbatim here (we do not have them); each variant below is our
/// reconstruction of the idea it names, with Adam, batch 256 and categorical cross-entropy, scored on the test set.
/// <c>--variant NAME</c> runs one; by default all five run and a table is printed.
/// </remarks>
internal static class MnistConvVariants
{
    private static readonly Dictionary<string, Func<Sequential>> Variants = new()
    {
        ["plain"] = () => new Sequential(
            new Conv2D(32, 3, activation: "relu", inputShape: new[] { 28, 28, 1 }),
            new Conv2D(16, 3, activation: "relu"),
            new Flatten(),
            new Dense(10, activation: "softmax")),
        ["deeper"] = () => new Sequential(
            new Conv2D(32, 3, activation: "relu", inputShape: new[] { 28, 28, 1 }),
            new Conv2D(32, 3, activation: "relu"),
            new Conv2D(16, 3, activation: "relu"),
            new Flatten(),
            new Dense(64, activation: "relu"),
            new Dense(10, activation: "softmax")),
        ["pooling"] = () => new Sequential(
            new Conv2D(32, 3, activation: "relu", inputShape: new[] { 28, 28, 1 }),
            new MaxPooling2D(),
            new Conv2D(16, 3, activation: "relu"),
            new MaxPooling2D(),
            new Flatten(),
            new Dense(10, activation: "softmax")),
        ["striding"] = () => new Sequential(
            new Conv2D(32, 3, strides: 2, activation: "relu", inputShape: new[] { 28, 28, 1 }),
            new Conv2D(16, 3, strides: 2, activation: "relu"),
            new Flatten(),
            new Dense(10, activation: "softmax")),
        ["batchnorm"] = () => new Sequential(
            new Conv2D(32, 3, inputShape: new[] { 28, 28, 1 }),
            new BatchNormalization(),
            new Activation("relu"),
            new Conv2D(16, 3),
            new BatchNormalization(),
            new Activation("relu"),
            new MaxPooling2D(),
            new Flatten(),
            new Dense(10, activation: "softmax")),
    };

    public static int Run(ExampleOptions o)
    {
        var d = MnistSet.Load(o.Data);
        var (x, xTest) = d.Images();
        var names = o.Variant is null ? Variants.Keys.ToList() : new List<string> { o.Variant };
        var results = new List<(string, int, float)>();
        foreach (var name in names)
        {
            if (!Variants.TryGetValue(name, out var build))
                throw new ArgumentException($"unknown variant '{name}'; known: {string.Join(", ", Variants.Keys)}.");
            RandomGenerator.SetGlobalSeed(o.Seed);
            var model = build();
            Console.WriteLine($"--- {name}");
            model.Summary();
            model.Compile("adam", "categorical_crossentropy", new[] { "accuracy" });
            model.Fit(x, d.YTrain, batchSize: 256, epochs: o.Epochs ?? 12, verbose: 2);
            results.Add((name, model.CountParams(), model.Evaluate(xTest, d.YTest, verbose: 0)["accuracy"]));
        }
        Console.WriteLine("variant      params   test accuracy");
        foreach (var (name, p, acc) in results) Console.WriteLine($"{name,-10} {p,8:N0}   {acc * 100:0.00}%");
        return 0;
    }
}
