namespace Cortex.Keras.Layers;

/// <summary>
/// Applies a layer to every temporal slice of an input (Keras's <c>keras.layers.TimeDistributed</c>): an input
/// <c>(batch, timesteps, ...)</c> is folded to <c>(batch·timesteps, ...)</c>, passed through the inner layer once and
/// unfolded to <c>(batch, timesteps, ...)</c>. Every step shares the inner layer's weights.
/// </summary>
/// <remarks>
/// <para>The weights (and trainable flag) are the inner layer's. A mask <c>(batch, timesteps)</c> is passed to the inner
/// layer folded as <c>(batch·timesteps,)</c> (Keras gives each step's call <c>mask[:, t]</c>), and passed through to the
/// output unchanged (Keras 3's <c>supports_masking</c>).</para>
/// </remarks>
public sealed class TimeDistributed : Layer
{
    /// <summary>Wraps <paramref name="layer"/>.</summary>
    /// <param name="layer">The layer to apply at every step; it must not be built for another input already.</param>
    /// <param name="inputShape">Keras's input_shape (one sample: <c>(timesteps, ...)</c>).</param>
    /// <param name="name">The wrapper's name (default <c>time_distributed</c>, <c>time_distributed_1</c>, ...).</param>
    public TimeDistributed(Layer layer, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(layer);
        Layer = layer;
    }

    /// <summary>The wrapped layer.</summary>
    public Layer Layer { get; }

    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    public override bool Trainable
    {
        get => base.Trainable;
        set { base.Trainable = value; Layer.Trainable = value; }
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Variable> Weights => Layer.Weights;
    /// <inheritdoc/>
    public override IReadOnlyList<Variable> TrainableWeights => Trainable ? Layer.TrainableWeights : new List<Variable>();
    /// <inheritdoc/>
    public override IReadOnlyList<Variable> NonTrainableWeights => Trainable ? Layer.NonTrainableWeights : Layer.Weights;

    private void CheckRank(IReadOnlyList<int> shape)
    {
        if (shape.Count < 3)
            throw new ArgumentException($"`TimeDistributed` Layer should be passed an `input_shape` with at least 3 dimensions, received: {TensorShape.Format(shape.ToArray())} (layer \"{Name}\")");
    }

    /// <summary>The inner layer's input shape: (batch·timesteps, ...) with −1 when either is unknown.</summary>
    private static int[] ChildShape(IReadOnlyList<int> shape)
        => new[] { shape[0] < 0 || shape[1] < 0 ? -1 : shape[0] * shape[1] }.Concat(shape.Skip(2)).ToArray();

    /// <inheritdoc/>
    public override void Build(int[] inputShape)
    {
        CheckRank(inputShape);
        Layer.EnsureBuilt(ChildShape(inputShape));
        Built = true;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training) => Call(inputs, null, training);

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, Tensor? mask, bool training)
    {
        CheckRank(inputs.Shape);
        int b = inputs.Shape[0], t = inputs.Shape[1];
        var folded = Ops.Reshape(inputs, ChildShape(inputs.Shape));
        Tensor y;
        if (mask is null) y = Layer.Call(folded, training);
        else
        {
            if (mask.Rank < 2 || mask.Shape[0] != b || mask.Shape[1] != t)
                throw new ArgumentException($"`TimeDistributed` Layer should be passed a `mask` of shape ({b}, {t}, ...), received: mask.shape={mask.ShapeString} (layer \"{Name}\")");
            y = Layer.Call(folded, Ops.Reshape(mask, ChildShape(mask.Shape)), training);
        }
        return Ops.Reshape(y, new[] { b, t }.Concat(y.Shape.Skip(1)).ToArray());
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        CheckRank(inputShape);
        var inner = Layer.ComputeOutputShape(ChildShape(inputShape));
        return new[] { inputShape[0], inputShape[1] }.Concat(inner.Skip(1)).ToArray();
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["layer"] = Saving.KerasObjects.Serialize(Layer);
        return c;
    }

    /// <inheritdoc/>
    protected override IEnumerable<Layer> Sublayers => new[] { Layer };

    /// <summary>As Keras 3 saves them: the wrapped layer's variables under <c>layer/vars</c>.</summary>
    internal override IReadOnlyList<(string Path, IReadOnlyList<Variable> Variables)> SavedVariableGroups => Nested("layer", Layer).ToList();
}
