using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Keras.Applications;

/// <summary>
/// VGG16 and VGG19 (Simonyan and Zisserman, "Very Deep Convolutional Networks for Large-Scale Image Recognition",
/// 2014) as Keras builds them: five blocks of 3×3 "same" convolutions with ReLU (64, 128, 256, 512, 512 filters;
/// 2, 2, 3, 3, 3 convolutions in VGG16, 2, 2, 4, 4, 4 in VGG19), each closed by 2×2 max pooling, then fc1 and fc2
/// (4096 ReLU units) and the classifier. Layer names are Keras's (block1_conv1 ... block5_pool, flatten, fc1, fc2,
/// predictions), so weights and feature-extraction cuts carry over by name. VGG16 has 138,357,544 parameters,
/// VGG19 143,667,240.
/// </summary>
public static class VGG
{
    /// <summary>VGG16 (Keras's <c>keras.applications.VGG16</c>).</summary>
    /// <param name="includeTop">Whether to include the three fully-connected layers at the top.</param>
    /// <param name="weights">Null (random initialisation); pretrained weights are loaded from a Keras file instead.</param>
    /// <param name="inputShape">(height, width, 3); default (224, 224, 3); at least 32×32.</param>
    /// <param name="pooling">Without the top: null (4-D output of the last block), "avg" or "max".</param>
    /// <param name="classes">Number of classes of the classifier.</param>
    /// <param name="classifierActivation">The classifier's activation (softmax, or null for logits).</param>
    public static Functional VGG16(bool includeTop = true, string? weights = null, int[]? inputShape = null, string? pooling = null,
        int classes = 1000, string? classifierActivation = "softmax")
        => Build("vgg16", new[] { 2, 2, 3, 3, 3 }, includeTop, weights, inputShape, pooling, classes, classifierActivation);

    /// <summary>VGG19 (Keras's <c>keras.applications.VGG19</c>); arguments as <see cref="VGG16"/>.</summary>
    public static Functional VGG19(bool includeTop = true, string? weights = null, int[]? inputShape = null, string? pooling = null,
        int classes = 1000, string? classifierActivation = "softmax")
        => Build("vgg19", new[] { 2, 2, 4, 4, 4 }, includeTop, weights, inputShape, pooling, classes, classifierActivation);

    /// <summary>Caffe-style preprocessing (RGB→BGR, minus the ImageNet means), Keras's <c>vgg16.preprocess_input</c>.</summary>
    public static Tensor PreprocessInput(Tensor x) => ImageNetUtils.PreprocessInput(x, "caffe");

    /// <summary>The top classes of ImageNet predictions, Keras's <c>decode_predictions</c>.</summary>
    public static IReadOnlyList<IReadOnlyList<(string ClassId, string Name, float Score)>> DecodePredictions(Tensor preds, int top = 5)
        => ImageNetUtils.DecodePredictions(preds, top);

    private static Functional Build(string name, int[] convsPerBlock, bool includeTop, string? weights, int[]? inputShape, string? pooling,
        int classes, string? classifierActivation)
    {
        ApplicationInputs.CheckWeights(name, weights, includeTop, classes);
        var input = new Input(ApplicationInputs.Resolve(name, inputShape, 224, 32, includeTop));
        KerasTensor x = input;
        int[] filters = { 64, 128, 256, 512, 512 };
        for (int b = 0; b < 5; b++)
        {
            for (int c = 0; c < convsPerBlock[b]; c++)
                x = new Conv2D(filters[b], (3, 3), activation: "relu", padding: "same", name: $"block{b + 1}_conv{c + 1}").Apply(x);
            x = new MaxPooling2D((2, 2), strides: (2, 2), name: $"block{b + 1}_pool").Apply(x);
        }
        if (includeTop)
        {
            x = new Flatten(name: "flatten").Apply(x);
            x = new Dense(4096, activation: "relu", name: "fc1").Apply(x);
            x = new Dense(4096, activation: "relu", name: "fc2").Apply(x);
            x = new Dense(classes, activation: classifierActivation, name: "predictions").Apply(x);
        }
        else x = ApplicationInputs.Pool(x, pooling, name, named: false);
        return new Functional(input, x, name);
    }
}
