using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Keras.Applications;

/// <summary>
/// ResNet50 (He et al., "Deep Residual Learning for Image Recognition", 2015) exactly as Keras's
/// <c>keras.applications.ResNet50</c> builds it: a 7×7/2 stem with batch normalisation and 3×3/2 max pooling, then four
/// stages of bottleneck blocks (3, 4, 6, 3 blocks of 1×1, 3×3, 1×1 convolutions with 64, 128, 256, 512 filters and
/// 4× wider outputs), each block adding its input (or a 1×1 projection of it in the first block of a stage) to its
/// output. Batch normalisation uses epsilon 1.001e-5 as Keras does. Layer names are Keras's (conv1_pad, conv1_conv,
/// conv2_block1_0_conv, ..., conv5_block3_out, avg_pool, predictions). 25,636,712 parameters, 53,120 of them the
/// non-trainable moving statistics.
/// </summary>
public static class ResNet50
{
    private const float BnEpsilon = 1.001e-5f;

    /// <summary>Builds ResNet50; arguments as <see cref="VGG.VGG16"/> (input at least 32×32).</summary>
    public static Functional Build(bool includeTop = true, string? weights = null, int[]? inputShape = null, string? pooling = null,
        int classes = 1000, string? classifierActivation = "softmax")
    {
        ApplicationInputs.CheckWeights("resnet50", weights, includeTop, classes);
        var input = new Input(ApplicationInputs.Resolve("resnet50", inputShape, 224, 32, includeTop));
        KerasTensor x = new ZeroPadding2D(3, name: "conv1_pad").Apply(input);
        x = new Conv2D(64, 7, strides: 2, name: "conv1_conv").Apply(x);
        x = new BatchNormalization(axis: 3, epsilon: BnEpsilon, name: "conv1_bn").Apply(x);
        x = new Activation("relu", name: "conv1_relu").Apply(x);
        x = new ZeroPadding2D(1, name: "pool1_pad").Apply(x);
        x = new MaxPooling2D(3, strides: 2, name: "pool1_pool").Apply(x);

        x = Stack(x, 64, 3, stride: 1, "conv2");
        x = Stack(x, 128, 4, stride: 2, "conv3");
        x = Stack(x, 256, 6, stride: 2, "conv4");
        x = Stack(x, 512, 3, stride: 2, "conv5");

        if (includeTop)
        {
            x = new GlobalAveragePooling2D(name: "avg_pool").Apply(x);
            x = new Dense(classes, activation: classifierActivation, name: "predictions").Apply(x);
        }
        else x = ApplicationInputs.Pool(x, pooling, "resnet50", named: true);
        return new Functional(input, x, "resnet50");
    }

    /// <summary>Caffe-style preprocessing, Keras's <c>resnet.preprocess_input</c>.</summary>
    public static Tensor PreprocessInput(Tensor x) => ImageNetUtils.PreprocessInput(x, "caffe");

    /// <summary>The top classes of ImageNet predictions, Keras's <c>decode_predictions</c>.</summary>
    public static IReadOnlyList<IReadOnlyList<(string ClassId, string Name, float Score)>> DecodePredictions(Tensor preds, int top = 5)
        => ImageNetUtils.DecodePredictions(preds, top);

    /// <summary>A stage: one block with a projection shortcut (and the stage's stride), then identity blocks.</summary>
    private static KerasTensor Stack(KerasTensor x, int filters, int blocks, int stride, string name)
    {
        x = Block(x, filters, stride, projection: true, $"{name}_block1");
        for (int i = 2; i <= blocks; i++) x = Block(x, filters, 1, projection: false, $"{name}_block{i}");
        return x;
    }

    /// <summary>A bottleneck residual block (Keras's <c>block1</c>).</summary>
    private static KerasTensor Block(KerasTensor x, int filters, int stride, bool projection, string name)
    {
        var shortcut = x;
        if (projection)
        {
            shortcut = new Conv2D(4 * filters, 1, strides: stride, name: $"{name}_0_conv").Apply(x);
            shortcut = new BatchNormalization(axis: 3, epsilon: BnEpsilon, name: $"{name}_0_bn").Apply(shortcut);
        }
        x = new Conv2D(filters, 1, strides: stride, name: $"{name}_1_conv").Apply(x);
        x = new BatchNormalization(axis: 3, epsilon: BnEpsilon, name: $"{name}_1_bn").Apply(x);
        x = new Activation("relu", name: $"{name}_1_relu").Apply(x);
        x = new Conv2D(filters, 3, padding: "same", name: $"{name}_2_conv").Apply(x);
        x = new BatchNormalization(axis: 3, epsilon: BnEpsilon, name: $"{name}_2_bn").Apply(x);
        x = new Activation("relu", name: $"{name}_2_relu").Apply(x);
        x = new Conv2D(4 * filters, 1, name: $"{name}_3_conv").Apply(x);
        x = new BatchNormalization(axis: 3, epsilon: BnEpsilon, name: $"{name}_3_bn").Apply(x);
        x = new Add(name: $"{name}_add").Apply(shortcut, x);
        return new Activation("relu", name: $"{name}_out").Apply(x);
    }
}
