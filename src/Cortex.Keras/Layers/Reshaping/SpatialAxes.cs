namespace Cortex.Keras.Layers;

/// <summary>Shared input checks of the reshaping layers: the rank they need and where the spatial axes are.</summary>
internal static class SpatialAxes
{
    /// <summary>Keras's input-spec error: "Input 0 of layer "x" is incompatible with the layer: expected ndim=4, found ndim=3. Full shape received: (2, 3, 4)".</summary>
    public static void RequireRank(Layer layer, IReadOnlyList<int> shape, int rank)
    {
        if (shape.Count != rank)
            throw new ArgumentException($"Input 0 of layer \"{layer.Name}\" is incompatible with the layer: expected ndim={rank}, found ndim={shape.Count}. Full shape received: {TensorShape.Format(shape.ToArray())}");
    }

    /// <summary>The (height, width) axes of a 4-D image batch in the given data format.</summary>
    public static (int H, int W) Of2D(string dataFormat) => DataFormat.IsChannelsFirst(dataFormat) ? (2, 3) : (1, 2);
}
