using Cortex.Keras.Layers;

namespace Cortex.Keras;

/// <summary>
/// One call of a layer on symbolic tensors (Keras's <c>Node</c>): the inbound tensors it read and the tensors it
/// produced. A layer called twice (a shared layer) has two nodes and one set of weights.
/// </summary>
public sealed class Node
{
    internal Node(Layer layer, IReadOnlyList<KerasTensor> inputs, bool listCall)
    {
        Layer = layer;
        InputTensors = inputs;
        ListCall = listCall;
    }

    /// <summary>The layer that was called.</summary>
    public Layer Layer { get; }

    /// <summary>The tensors the call read (empty for an input node).</summary>
    public IReadOnlyList<KerasTensor> InputTensors { get; }

    /// <summary>The tensors the call produced.</summary>
    public IReadOnlyList<KerasTensor> OutputTensors { get; internal set; } = Array.Empty<KerasTensor>();

    /// <summary>The layers that produced <see cref="InputTensors"/>, in order.</summary>
    public IEnumerable<Layer> InboundLayers => InputTensors.Select(t => t.Layer);

    /// <summary>True for the node of an <see cref="InputLayer"/>, which reads nothing.</summary>
    public bool IsInput => Layer is InputLayer;

    /// <summary>Whether the layer was called on a list of tensors (merge layers), rather than on one tensor.</summary>
    internal bool ListCall { get; }

    /// <summary>
    /// Runs the call on concrete tensors, in the same form (one tensor or a list) as it was recorded, with the
    /// inputs' masks (null where an input has none) and returns the outputs with their masks
    /// (see <see cref="Layer.ComputeMask"/>).
    /// </summary>
    internal (IReadOnlyList<Tensor> Outputs, IReadOnlyList<Tensor?> Masks) Run(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, bool training)
    {
        if (ListCall || OutputTensors.Count != 1)
            return (Layer.CallOutputs(inputs, masks, training), Layer.ComputeMasks(inputs, masks, OutputTensors.Count));
        var x = inputs[0];
        var y = masks[0] is null ? Layer.Call(x, training) : Layer.Call(x, masks[0], training);
        return (new[] { y }, new[] { Layer.ComputeMask(x, masks[0]) });
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"<Node of layer '{Layer.Name}' from [{string.Join(", ", InputTensors.Select(t => $"{t.Layer.Name}[{t.NodeIndex}][{t.TensorIndex}]"))}]>";
}
