using Cortex.Keras.Applications;
using Cortex.Keras.Datasets;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Examples;

/// <summary>
/// The application models of "Deep Learning with Keras" ch.3 and their transfer-learning recipe.
/// <c>--variant summary</c> (default) prints the summaries of VGG16, ResNet50 and InceptionV3 (Keras's parameter
/// totals: 138,357,544, 25,636,712 and 23,851,784). <c>--variant transfer</c> shows the recipe on CIFAR-10: VGG16
/// without its top as a frozen feature extractor cut at block3_pool, a new classifier trained on top, then the last
/// convolution block unfrozen for fine-tuning.
/// </summary>
/// <remarks>
/// Cortex does not download ImageNet weights, so the base here is randomly initialised: the transfer variant shows the
/// mechanics (freezing, cutting at a named layer, fine-tuning) and its accuracy says nothing about pretrained features.
/// </remarks>
internal static class Applications
{
    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        if ((o.Variant ?? "summary") == "summary")
        {
            VGG.VGG16().Summary();
            ResNet50.Build().Summary();
            InceptionV3.Build().Summary();
            return 0;
        }
        var data = o.Data is null ? Cifar10.LoadSample() : Cifar10.Load(o.Data);
        if (data.Train.IsEmpty) data = data.Split(data.Test.Count * 4 / 5, o.Seed);
        var (x, y, xTest, yTest) = data.ToTensors();
        // Keras's preprocess_input expects 0..255 pixels.
        x = VGG.PreprocessInput(x * 255f); xTest = VGG.PreprocessInput(xTest * 255f);

        var baseModel = VGG.VGG16(includeTop: false, inputShape: new[] { 32, 32, 3 });
        baseModel.Trainable = false;
        var features = baseModel.GetLayer("block3_pool").Output;           // (None, 4, 4, 256)
        var h = new Flatten().Apply(features);
        h = new Dense(256, activation: "relu").Apply(h);
        var output = new Dense(10, activation: "softmax").Apply(h);
        var model = new Functional(baseModel.Inputs, output, "vgg16_transfer");
        model.Summary();
        model.Compile("adam", "categorical_crossentropy", new[] { "accuracy" });
        model.Fit(x, y, batchSize: 64, epochs: o.Epochs ?? 3, verbose: 2);
        Console.WriteLine($"frozen base: test accuracy {model.Evaluate(xTest, yTest, verbose: 0)["accuracy"]:0.0000}");

        foreach (var name in new[] { "block3_conv1", "block3_conv2", "block3_conv3" }) baseModel.GetLayer(name).Trainable = true;
        model.Compile(new Cortex.Keras.Optimizers.SGD(learningRate: 1e-3f, momentum: 0.9f), "categorical_crossentropy", new[] { "accuracy" });
        Console.WriteLine($"fine-tuning block3: {model.TrainableWeights.Sum(w => w.Value.Size):N0} trainable parameters");
        model.Fit(x, y, batchSize: 64, epochs: o.Epochs ?? 3, verbose: 2);
        Console.WriteLine($"fine-tuned: test accuracy {model.Evaluate(xTest, yTest, verbose: 0)["accuracy"]:0.0000}");
        return 0;
    }
}
