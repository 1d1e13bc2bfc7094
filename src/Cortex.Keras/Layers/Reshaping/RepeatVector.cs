namespace Cortex.Keras.Layers;

/// <summary>
/// Repeats the input <c>n</c> times (Keras's <c>keras.layers.RepeatVector</c>): <c>(batch, features)</c> becomes
/// <c>(batch, n, features)</c>. Typical use: feeding an encoder's summary vector to every step of a decoder.
/// </summary>
public sealed class RepeatVector : Layer
{
    /// <summary>Creates a RepeatVector layer.</summary>
    /// <param name="n">The repetition factor (positive).</param>
    /// <param name="inputShape">Keras's input_shape (one sample: <c>(features,)</c>).</param>
    /// <param name="name">The layer's name.</param>
    public RepeatVector(int n, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (n <= 0) throw new ArgumentException($"`n` must be a positive integer. Received: n={n}", nameof(n));
        N = n;
    }

    /// <summary>The repetition factor.</summary>
    public int N { get; }

    /// <inheritdoc/>
    public override void Build(int[] inputShape)
    {
        CheckRank(inputShape);
        Built = true;
    }

    private void CheckRank(IReadOnlyList<int> shape)
    {
        if (shape.Count != 2)
            throw new ArgumentException($"Input 0 of layer \"{Name}\" is incompatible with the layer: expected ndim=2, found ndim={shape.Count}. Full shape received: {TensorShape.Format(shape.ToArray())}");
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        CheckRank(inputs.Shape);
        int b = inputs.Shape[0], f = inputs.Shape[1];
        return Ops.BroadcastTo(Ops.Reshape(inputs, b, 1, f), b, N, f);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        CheckRank(inputShape);
        return new[] { inputShape[0], N, inputShape[1] };
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["n"] = N; return c; }
}
