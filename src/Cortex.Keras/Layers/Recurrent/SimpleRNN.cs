using Cortex.Keras.Constraints;
using Cortex.Keras.Initializers;
using Cortex.Keras.Regularizers;
using Cortex.Kernels;

namespace Cortex.Keras.Layers;

/// <summary>
/// Fully-connected RNN whose output is fed back as its next input (Keras's <c>SimpleRNN</c>):
/// <c>h_t = activation(x_t·kernel + h_{t−1}·recurrent_kernel + bias)</c>.
/// </summary>
/// <remarks>
/// Args: units (positive); activation ("tanh"); use_bias (true); kernel_initializer ("glorot_uniform");
/// recurrent_initializer ("orthogonal"); bias_initializer ("zeros"); dropout, recurrent_dropout (0);
/// return_sequences, return_state, go_backwards, stateful, unroll (false); seed.<br/>
/// Weights: kernel (features, units), recurrent_kernel (units, units), bias (units).<br/>
/// Input shape: <c>(batch, timesteps, features)</c>. Output shape: <c>(batch, timesteps, units)</c> with
/// return_sequences, else <c>(batch, units)</c>; return_state adds the final h <c>(batch, units)</c>.
/// See <see cref="BaseRNN"/> for states, masking and dropout.
/// </remarks>
public sealed class SimpleRNN : BaseRNN
{
    /// <summary>Creates a SimpleRNN layer.</summary>
    public SimpleRNN(int units, string? activation = "tanh", bool useBias = true, string kernelInitializer = "glorot_uniform",
        string recurrentInitializer = "orthogonal", string biasInitializer = "zeros", float dropout = 0f, float recurrentDropout = 0f,
        bool returnSequences = false, bool returnState = false, bool goBackwards = false, bool stateful = false, bool unroll = false,
        int? seed = null, int[]? inputShape = null, int[]? batchInputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null, Regularizer? biasRegularizer = null,
        Regularizer? activityRegularizer = null, Constraint? kernelConstraint = null, Constraint? recurrentConstraint = null,
        Constraint? biasConstraint = null)
        : this(units, activation, useBias, Initializer.Get(kernelInitializer), Initializer.Get(recurrentInitializer), Initializer.Get(biasInitializer),
            dropout, recurrentDropout, returnSequences, returnState, goBackwards, stateful, unroll, seed, inputShape, batchInputShape, name,
            kernelRegularizer, recurrentRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, recurrentConstraint, biasConstraint) { }

    /// <summary>Creates a SimpleRNN layer with initializer objects.</summary>
    public SimpleRNN(int units, string? activation, bool useBias, Initializer kernelInitializer, Initializer recurrentInitializer,
        Initializer biasInitializer, float dropout = 0f, float recurrentDropout = 0f, bool returnSequences = false, bool returnState = false,
        bool goBackwards = false, bool stateful = false, bool unroll = false, int? seed = null, int[]? inputShape = null,
        int[]? batchInputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null, Regularizer? biasRegularizer = null,
        Regularizer? activityRegularizer = null, Constraint? kernelConstraint = null, Constraint? recurrentConstraint = null,
        Constraint? biasConstraint = null)
        : base(new RecurrentConfig(units, activation, "sigmoid", useBias, kernelInitializer, recurrentInitializer, biasInitializer, dropout,
            recurrentDropout, returnSequences, returnState, goBackwards, stateful, unroll, seed, inputShape, batchInputShape, name,
            kernelRegularizer, recurrentRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, recurrentConstraint, biasConstraint)) { }

    /// <summary>Creates the layer from the shared configuration (Bidirectional's copies, loading from a config).</summary>
    internal SimpleRNN(RecurrentConfig config) : base(config) { }

    private protected override RecurrentCellKind Cell => RecurrentCellKind.SimpleRnn;
    private protected override string CellName => "simple_rnn_cell";

    private protected override BaseRNN Create(RecurrentConfig config) => new SimpleRNN(config);
}
