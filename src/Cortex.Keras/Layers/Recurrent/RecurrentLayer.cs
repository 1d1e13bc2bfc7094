namespace Cortex.Keras.Layers;

/// <summary>
/// What the recurrent layers (<see cref="BaseRNN"/>) and their <see cref="Bidirectional"/> wrapper share: the list
/// call <c>[x, initial states...]</c> with the mask on <c>x</c>, and Keras's RNN masking rule (the input mask is the
/// output mask with return_sequences, else none).
/// </summary>
public abstract class RecurrentLayer : Layer
{
    /// <summary>Passes the name and input shape to <see cref="Layer"/>.</summary>
    private protected RecurrentLayer(string? name, int[]? inputShape = null) : base(name, inputShape) { }

    /// <summary>Whether the whole output sequence is returned (else the last output).</summary>
    public abstract bool ReturnSequences { get; }

    /// <summary>The computation: every output for sequence <paramref name="x"/>, optional initial states and mask.</summary>
    private protected abstract IReadOnlyList<Tensor> Run(Tensor x, IReadOnlyList<Tensor>? initial, Tensor? mask, bool training);

    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    /// <inheritdoc/>
    public override Tensor? ComputeMask(Tensor inputs, Tensor? mask) => ReturnSequences ? mask : null;

    /// <summary>The list form: <c>[x, initial states...]</c>; returns the first output.</summary>
    public override Tensor Call(IReadOnlyList<Tensor> inputs, bool training) => CallOutputs(inputs, training)[0];

    /// <summary>The list form: <c>[x, initial states...]</c>; returns every output.</summary>
    public override IReadOnlyList<Tensor> CallOutputs(IReadOnlyList<Tensor> inputs, bool training) => CallOutputs(inputs, new Tensor?[inputs.Count], training);

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> CallOutputs(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, bool training)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count == 0) throw new ArgumentException($"Layer \"{Name}\" needs an input sequence.", nameof(inputs));
        return Run(inputs[0], inputs.Count > 1 ? inputs.Skip(1).ToList() : null, masks.Count > 0 ? masks[0] : null, training);
    }
}
