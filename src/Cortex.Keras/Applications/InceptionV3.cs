using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Keras.Applications;

/// <summary>
/// Inception v3 (Szegedy et al., "Rethinking the Inception Architecture for Computer Vision", 2015) as Keras's
/// <c>keras.applications.InceptionV3</c> builds it: a convolutional stem, three 35×35 Inception blocks (mixed0-2), a
/// grid reduction (mixed3), four 17×17 blocks with factorised 7×7 convolutions (mixed4-7), a second reduction (mixed8)
/// and two 8×8 blocks with expanded filter banks (mixed9, mixed10). Every convolution is Keras's <c>conv2d_bn</c>:
/// a bias-free convolution, batch normalisation without scale, ReLU; those layers keep Keras's automatic names
/// (conv2d, batch_normalization, activation, with counters), the concatenations are named mixed0 ... mixed10.
/// Default input 299×299×3 (at least 75×75). 23,851,784 parameters, 34,432 of them non-trainable.
/// </summary>
public static class InceptionV3
{
    /// <summary>Builds InceptionV3; arguments as <see cref="VGG.VGG16"/>.</summary>
    public static Functional Build(bool includeTop = true, string? weights = null, int[]? inputShape = null, string? pooling = null,
        int classes = 1000, string? classifierActivation = "softmax")
    {
        ApplicationInputs.CheckWeights("inception_v3", weights, includeTop, classes);
        var input = new Input(ApplicationInputs.Resolve("inception_v3", inputShape, 299, 75, includeTop));

        var x = ConvBn(input, 32, 3, 3, strides: 2, padding: "valid");
        x = ConvBn(x, 32, 3, 3, padding: "valid");
        x = ConvBn(x, 64, 3, 3);
        x = new MaxPooling2D((3, 3), strides: (2, 2)).Apply(x);
        x = ConvBn(x, 80, 1, 1, padding: "valid");
        x = ConvBn(x, 192, 3, 3, padding: "valid");
        x = new MaxPooling2D((3, 3), strides: (2, 2)).Apply(x);

        // mixed 0, 1, 2: 35 × 35 × 256, 288, 288
        for (int i = 0; i < 3; i++)
        {
            var b1 = ConvBn(x, 64, 1, 1);
            var b5 = ConvBn(ConvBn(x, 48, 1, 1), 64, 5, 5);
            var b3 = ConvBn(ConvBn(ConvBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
            var bp = ConvBn(AvgPool(x), i == 0 ? 32 : 64, 1, 1);
            x = Concat($"mixed{i}", b1, b5, b3, bp);
        }

        // mixed 3: 17 × 17 × 768
        {
            var b3 = ConvBn(x, 384, 3, 3, strides: 2, padding: "valid");
            var bd = ConvBn(ConvBn(ConvBn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3, strides: 2, padding: "valid");
            var bp = new MaxPooling2D((3, 3), strides: (2, 2)).Apply(x);
            x = Concat("mixed3", b3, bd, bp);
        }

        // mixed 4, 5, 6, 7: 17 × 17 × 768, the 7×7 convolutions factorised into 1×7 and 7×1
        int[] widths = { 128, 160, 160, 192 };
        for (int i = 0; i < 4; i++)
        {
            int c = widths[i];
            var b1 = ConvBn(x, 192, 1, 1);
            var b7 = ConvBn(ConvBn(ConvBn(x, c, 1, 1), c, 1, 7), 192, 7, 1);
            var bd = ConvBn(ConvBn(ConvBn(ConvBn(ConvBn(x, c, 1, 1), c, 7, 1), c, 1, 7), c, 7, 1), 192, 1, 7);
            var bp = ConvBn(AvgPool(x), 192, 1, 1);
            x = Concat($"mixed{4 + i}", b1, b7, bd, bp);
        }

        // mixed 8: 8 × 8 × 1280
        {
            var b3 = ConvBn(ConvBn(x, 192, 1, 1), 320, 3, 3, strides: 2, padding: "valid");
            var b7 = ConvBn(ConvBn(ConvBn(ConvBn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1), 192, 3, 3, strides: 2, padding: "valid");
            var bp = new MaxPooling2D((3, 3), strides: (2, 2)).Apply(x);
            x = Concat("mixed8", b3, b7, bp);
        }

        // mixed 9, 10: 8 × 8 × 2048
        for (int i = 0; i < 2; i++)
        {
            var b1 = ConvBn(x, 320, 1, 1);
            var b3 = ConvBn(x, 384, 1, 1);
            b3 = Concat($"mixed9_{i}", ConvBn(b3, 384, 1, 3), ConvBn(b3, 384, 3, 1));
            var bd = ConvBn(ConvBn(x, 448, 1, 1), 384, 3, 3);
            bd = Concat(null, ConvBn(bd, 384, 1, 3), ConvBn(bd, 384, 3, 1));
            var bp = ConvBn(AvgPool(x), 192, 1, 1);
            x = Concat($"mixed{9 + i}", b1, b3, bd, bp);
        }

        if (includeTop)
        {
            x = new GlobalAveragePooling2D(name: "avg_pool").Apply(x);
            x = new Dense(classes, activation: classifierActivation, name: "predictions").Apply(x);
        }
        else x = ApplicationInputs.Pool(x, pooling, "inception_v3", named: false);
        return new Functional(input, x, "inception_v3");
    }

    /// <summary>Scales pixels to [−1, 1], Keras's <c>inception_v3.preprocess_input</c>.</summary>
    public static Tensor PreprocessInput(Tensor x) => ImageNetUtils.PreprocessInput(x, "tf");

    /// <summary>The top classes of ImageNet predictions, Keras's <c>decode_predictions</c>.</summary>
    public static IReadOnlyList<IReadOnlyList<(string ClassId, string Name, float Score)>> DecodePredictions(Tensor preds, int top = 5)
        => ImageNetUtils.DecodePredictions(preds, top);

    /// <summary>Keras's <c>conv2d_bn</c>: convolution without bias, batch normalisation without scale, ReLU.</summary>
    private static KerasTensor ConvBn(KerasTensor x, int filters, int rows, int cols, int strides = 1, string padding = "same")
    {
        x = new Conv2D(filters, (rows, cols), strides: strides, padding: padding, useBias: false).Apply(x);
        x = new BatchNormalization(axis: 3, scale: false).Apply(x);
        return new Activation("relu").Apply(x);
    }

    private static KerasTensor AvgPool(KerasTensor x) => new AveragePooling2D((3, 3), strides: (1, 1), padding: "same").Apply(x);

    private static KerasTensor Concat(string? name, params KerasTensor[] xs) => new Concatenate(axis: 3, name: name).Apply(xs);
}
