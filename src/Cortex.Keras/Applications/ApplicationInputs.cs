using Cortex.Keras.Layers;

namespace Cortex.Keras.Applications;

/// <summary>What the application models share: Keras's input-shape rules, the weights argument and the classifier top.</summary>
internal static class ApplicationInputs
{
    /// <summary>
    /// Keras's <c>obtain_input_shape</c> for channels-last images: the default (size, size, 3) when none is given; a
    /// given shape must have 3 channels and sides of at least <paramref name="minSize"/>; with the classifier on top
    /// (<paramref name="requireFlatten"/>) every size must be known.
    /// </summary>
    public static int[] Resolve(string model, int[]? inputShape, int defaultSize, int minSize, bool requireFlatten)
    {
        if (inputShape is null) return requireFlatten ? new[] { defaultSize, defaultSize, 3 } : new[] { -1, -1, 3 };
        if (inputShape.Length != 3)
            throw new ArgumentException($"{model}: `input_shape` must be a tuple of three integers (height, width, channels). Received: input_shape={TensorShape.Format(inputShape)}");
        if (inputShape[2] != 3)
            throw new ArgumentException($"{model}: the input must have 3 channels; Received `input_shape={TensorShape.Format(inputShape)}`");
        for (int i = 0; i < 2; i++)
        {
            if (inputShape[i] == -1 && requireFlatten)
                throw new ArgumentException($"{model}: if `include_top` is true, you should specify a static `input_shape`. Received: input_shape={TensorShape.Format(inputShape)}");
            if (inputShape[i] != -1 && inputShape[i] < minSize)
                throw new ArgumentException($"{model}: input size must be at least {minSize}x{minSize}; Received: input_shape={TensorShape.Format(inputShape)}");
        }
        return (int[])inputShape.Clone();
    }

    /// <summary>
    /// Keras's <c>weights</c> argument: null (random initialisation) is what Cortex builds. Pretrained ImageNet weights
    /// cannot be downloaded here; a Keras weights file is read by the Keras import (Models.LoadWeights) once it lands.
    /// </summary>
    public static void CheckWeights(string model, string? weights, bool includeTop, int classes)
    {
        if (weights is not null)
            throw new NotSupportedException($"{model}: weights=\"{weights}\" is not available: Cortex does not download pretrained weights. Build with weights: null (random initialisation) and load a Keras weights file into the model.");
        if (classes <= 0) throw new ArgumentException($"{model}: `classes` must be positive. Received: classes={classes}");
    }

    /// <summary>
    /// Keras's <c>pooling</c> argument when the classifier is left off: null, "avg" or "max". ResNet names the pooling
    /// layer avg_pool / max_pool; VGG and InceptionV3 leave it to the automatic names.
    /// </summary>
    public static KerasTensor Pool(KerasTensor x, string? pooling, string model, bool named) => pooling switch
    {
        null => x,
        "avg" => new GlobalAveragePooling2D(name: named ? "avg_pool" : null).Apply(x),
        "max" => new GlobalMaxPooling2D(name: named ? "max_pool" : null).Apply(x),
        _ => throw new ArgumentException($"{model}: `pooling` must be null, \"avg\" or \"max\". Received: pooling={pooling}"),
    };
}
