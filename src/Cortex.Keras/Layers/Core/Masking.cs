namespace Cortex.Keras.Layers;

/// <summary>
/// Masks a sequence by a value to skip timesteps (Keras's <c>keras.layers.Masking</c>): a step whose features all
/// equal <see cref="MaskValue"/> is masked (mask 0) for the layers downstream that read masks, and its output
/// values are set to 0.
/// </summary>
/// <remarks>Input shape: <c>(batch, timesteps, features)</c> (any rank ≥ 2; the last axis is the features).
/// Output: the same shape. Mask: <c>(batch, timesteps)</c>, 1 where any feature differs from mask_value.</remarks>
public sealed class Masking : Layer
{
    /// <summary>Creates a Masking layer.</summary>
    public Masking(float maskValue = 0f, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        MaskValue = maskValue;
    }

    /// <summary>The value that marks a step to skip.</summary>
    public float MaskValue { get; }

    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    public override void Build(int[] inputShape)
    {
        if (inputShape.Length < 2)
            throw new ArgumentException($"layer \"{Name}\" needs inputs of at least 2 dimensions (batch, ..., features); got shape {TensorShape.Format(inputShape)}.");
        Built = true;
    }

    /// <summary>The steps' mask, (input shape without the last axis): 1 where any feature differs from mask_value.</summary>
    private Tensor StepMask(Tensor inputs)
    {
        if (inputs.Rank < 2)
            throw new ArgumentException($"layer \"{Name}\" needs inputs of at least 2 dimensions (batch, ..., features); got shape {inputs.ShapeString}.");
        int features = inputs.Shape[^1], steps = inputs.Size / Math.Max(features, 1);
        var src = inputs.Contiguous().Span;
        var m = Tensor.Zeros(inputs.Shape.Take(inputs.Rank - 1).ToArray());
        var d = m.Span;
        for (int s = 0; s < steps; s++)
        {
            var row = src.Slice(s * features, features);
            for (int f = 0; f < features; f++)
                if (row[f] != MaskValue) { d[s] = 1f; break; }
        }
        return m;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        var m = StepMask(inputs);
        return Ops.Multiply(inputs, Ops.Reshape(m, m.Shape.Append(1).ToArray()));
    }

    /// <inheritdoc/>
    public override Tensor? ComputeMask(Tensor inputs, Tensor? mask) => StepMask(inputs);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["mask_value"] = MaskValue; return c; }
}
