using Cortex.Keras.Layers;

namespace Cortex.Onnx;

/// <summary>
/// Converts one call of a layer type to ONNX nodes (registered per layer type in <see cref="OnnxConverters"/>).
/// </summary>
/// <remarks>
/// A converter reads the layer's configuration and weights, asks the <see cref="OnnxConversionContext"/> for each input
/// in the <see cref="OnnxLayout"/> its operators need, adds nodes and initializers, and returns one
/// <see cref="OnnxValue"/> per layer output (<see cref="OnnxConversionContext.Result"/> gives them the output shapes).
/// Unsupported configurations throw <see cref="OnnxConversionContext.Unsupported"/>.
/// </remarks>
public interface IOnnxLayerConverter
{
    /// <summary>Emits the nodes computing <paramref name="layer"/>'s outputs (inference mode) from <paramref name="inputs"/>.</summary>
    IReadOnlyList<OnnxValue> Convert(OnnxConversionContext context, Layer layer, IReadOnlyList<OnnxValue> inputs);
}

/// <summary>A converter for layers of type <typeparamref name="TLayer"/> (and its subclasses) called on one input.</summary>
public abstract class OnnxLayerConverter<TLayer> : IOnnxLayerConverter where TLayer : Layer
{
    /// <inheritdoc/>
    public IReadOnlyList<OnnxValue> Convert(OnnxConversionContext context, Layer layer, IReadOnlyList<OnnxValue> inputs)
    {
        if (inputs.Count != 1)
            throw OnnxConversionContext.Unsupported(layer, $"it takes one input, and was called on {inputs.Count}");
        return new[] { Convert(context, (TLayer)layer, inputs[0]) };
    }

    /// <summary>Emits the nodes for <paramref name="layer"/> on <paramref name="input"/> and returns the output.</summary>
    protected abstract OnnxValue Convert(OnnxConversionContext context, TLayer layer, OnnxValue input);
}

/// <summary>A converter for layers of type <typeparamref name="TLayer"/> called on a list of inputs (merge layers).</summary>
public abstract class OnnxMultiInputConverter<TLayer> : IOnnxLayerConverter where TLayer : Layer
{
    /// <inheritdoc/>
    public IReadOnlyList<OnnxValue> Convert(OnnxConversionContext context, Layer layer, IReadOnlyList<OnnxValue> inputs)
        => new[] { Convert(context, (TLayer)layer, inputs) };

    /// <summary>Emits the nodes for <paramref name="layer"/> on <paramref name="inputs"/> and returns the output.</summary>
    protected abstract OnnxValue Convert(OnnxConversionContext context, TLayer layer, IReadOnlyList<OnnxValue> inputs);
}
