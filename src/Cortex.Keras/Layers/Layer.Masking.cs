namespace Cortex.Keras.Layers;

/// <summary>
/// Masking, as Keras propagates it: a layer that makes a mask (<c>Embedding(mask_zero: true)</c>, <c>Masking</c>)
/// returns it from <see cref="ComputeMask(Tensor, Tensor?)"/>; the model passes it to the next layer's
/// <see cref="Call(Tensor, Tensor?, bool)"/> and asks that layer for the mask of its own output.
/// </summary>
/// <remarks>
/// <para>A mask is a float32 tensor of the input's leading axes, (batch, timesteps) for sequences, holding 1 for a step
/// that counts and 0 for one to skip. Only <see cref="Models.Sequential"/> and <see cref="Models.Functional"/> pass
/// masks; a direct <see cref="Apply(Tensor, bool)"/> call carries none.</para>
/// <para>A layer that leaves the time axis alone (Dense, Dropout, activations, ...) sets <see cref="SupportsMasking"/>
/// and passes the mask through unchanged, as Keras 3 does. A layer that does not support masking drops the mask: the
/// layers after it see none (Keras 3 behaviour).</para>
/// </remarks>
public abstract partial class Layer
{
    /// <summary>Whether the layer passes an incoming mask through unchanged (Keras's <c>supports_masking</c>).</summary>
    public virtual bool SupportsMasking => false;

    /// <summary>
    /// The mask of this layer's output, given its input and the input's mask (Keras's <c>compute_mask</c>); by default
    /// the input's mask if <see cref="SupportsMasking"/>, else none.
    /// </summary>
    public virtual Tensor? ComputeMask(Tensor inputs, Tensor? mask) => SupportsMasking ? mask : null;

    /// <summary>
    /// The computation with the input's mask (null when there is none). Layers that use masks (recurrent layers,
    /// TimeDistributed, pooling over time) override it; by default the mask is ignored and
    /// <see cref="Call(Tensor, bool)"/> runs.
    /// </summary>
    public virtual Tensor Call(Tensor inputs, Tensor? mask, bool training) => Call(inputs, training);

    /// <summary>
    /// The list form with masks, one per input (null where an input has none): every output. By default a call on one
    /// tensor with one output goes to <see cref="Call(Tensor, Tensor?, bool)"/>, anything else to
    /// <see cref="CallOutputs(IReadOnlyList{Tensor}, bool)"/> without the masks.
    /// </summary>
    public virtual IReadOnlyList<Tensor> CallOutputs(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, bool training)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return CallOutputs(inputs, training);
    }

    /// <summary>The masks of every output for the list form (by default none).</summary>
    public virtual IReadOnlyList<Tensor?> ComputeMasks(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, int outputCount)
        => new Tensor?[outputCount];
}
