namespace Cortex.Keras.Layers;

/// <summary>
/// Declares the shape of the model's input (Keras's <c>InputLayer</c>); passes its input through unchanged. In a
/// <see cref="Models.Sequential"/> it lets the model build at once; in a functional model it is the layer behind an
/// <see cref="Input"/> tensor (its <see cref="Layer.Output"/>).
/// </summary>
public sealed class InputLayer : Layer
{
    /// <summary>Declares inputs whose samples have <paramref name="shape"/> (without the batch axis).</summary>
    /// <param name="shape">The shape of one sample.</param>
    /// <param name="name">The name; by default <c>input_1</c>, <c>input_2</c>, ... (Keras 2's names).</param>
    /// <param name="batchSize">A fixed batch size, if any.</param>
    public InputLayer(int[] shape, string? name = null, int? batchSize = null)
        : base(name ?? UniqueInputName(), shape ?? throw new ArgumentNullException(nameof(shape)))
    {
        if (batchSize is int b)
        {
            if (b <= 0) throw new ArgumentException($"batch_size must be a positive integer. Received: batch_size={b}", nameof(batchSize));
            BatchInputShape![0] = b;
        }
        EnsureBuilt(BatchInputShape!);
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training) => inputs;

    /// <summary>Records <paramref name="tensor"/> as this layer's output (its one node).</summary>
    internal void SetInputTensor(KerasTensor tensor)
    {
        if (InboundNodes.Count > 0) throw new InvalidOperationException($"InputLayer \"{Name}\" already has an input tensor.");
        var node = new Node(this, Array.Empty<KerasTensor>(), listCall: false) { OutputTensors = new[] { tensor } };
        AddInboundNode(node);
    }

    /// <summary>The input tensor, created on first use for an InputLayer made on its own.</summary>
    internal KerasTensor InputTensor
    {
        get
        {
            if (InboundNodes.Count == 0) SetInputTensor(new KerasTensor(BatchInputShape!, this, 0, 0));
            return InboundNodes[0].OutputTensors[0];
        }
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["sparse"] = false; c["ragged"] = false;
        return c;
    }
}
