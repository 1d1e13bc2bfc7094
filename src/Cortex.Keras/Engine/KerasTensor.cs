using Cortex.Keras.Layers;

namespace Cortex.Keras;

/// <summary>
/// A symbolic tensor of Keras's functional API (Keras's <c>KerasTensor</c>): no values, only a shape (batch axis
/// first, −1 for <c>None</c>) and its history — the layer that produced it, the node (call) of that layer and the
/// output index. Create inputs with <see cref="Input"/>; calling a layer on symbolic tensors
/// (<see cref="Layer.Apply(KerasTensor)"/>) returns new ones; a <see cref="Models.Functional"/> model is built from them.
/// </summary>
public class KerasTensor
{
    private readonly int[] _shape;

    internal KerasTensor(int[] shape, Layer layer, int nodeIndex, int tensorIndex)
    {
        _shape = (int[])shape.Clone();
        Layer = layer;
        NodeIndex = nodeIndex;
        TensorIndex = tensorIndex;
    }

    /// <summary>The shape, batch axis first; −1 where the size is unknown (Keras's <c>None</c>).</summary>
    public int[] Shape => (int[])_shape.Clone();

    internal int[] ShapeRef => _shape;

    /// <summary>The number of axes, batch included.</summary>
    public int Rank => _shape.Length;

    /// <summary>The layer whose call produced this tensor (an <see cref="InputLayer"/> for inputs).</summary>
    public Layer Layer { get; }

    /// <summary>The index of the producing call in <see cref="Layers.Layer.InboundNodes"/>.</summary>
    public int NodeIndex { get; }

    /// <summary>Which output of that call this tensor is.</summary>
    public int TensorIndex { get; }

    /// <summary>The call that produced this tensor.</summary>
    public Node Node => Layer.InboundNodes[NodeIndex];

    /// <inheritdoc/>
    public override string ToString() =>
        $"<KerasTensor shape={TensorShape.Format(_shape)}, created by layer '{Layer.Name}'{(NodeIndex == 0 && TensorIndex == 0 ? "" : $" (node {NodeIndex}, output {TensorIndex})")}>";
}

/// <summary>
/// Keras's <c>keras.Input(shape, batch_size, name)</c>: the symbolic input of a functional model, written
/// <c>new Input(new[] { 224, 224, 3 })</c>. It creates an <see cref="InputLayer"/> (named <c>input_1</c>,
/// <c>input_2</c>, ... as in Keras 2 unless a name is given) and is that layer's output.
/// </summary>
public sealed class Input : KerasTensor
{
    /// <summary>Declares an input whose samples have <paramref name="shape"/> (without the batch axis; −1 for an unknown size).</summary>
    /// <param name="shape">The shape of one sample.</param>
    /// <param name="name">The input layer's name.</param>
    /// <param name="batchSize">A fixed batch size, if any (the batch axis is otherwise <c>None</c>).</param>
    public Input(int[] shape, string? name = null, int? batchSize = null) : this(new InputLayer(shape, name, batchSize)) { }

    private Input(InputLayer layer) : base(layer.BatchInputShape!, layer, 0, 0) => layer.SetInputTensor(this);
}
