using Cortex.Keras.Constraints;
using Cortex.Keras.Initializers;
using Cortex.Keras.Regularizers;
using Cortex.Kernels;

namespace Cortex.Keras.Layers;

/// <summary>
/// Gated Recurrent Unit (Cho et al. 2014), as Keras's <c>GRU</c>: update gate z and reset gate r from
/// recurrent_activation, candidate <c>h̃ = activation(x_t·W_h + r⊙(h_{t−1}·U_h + b_rh))</c> (reset_after, the default) or
/// <c>activation(x_t·W_h + (r⊙h_{t−1})·U_h + b_h)</c> (reset_after=false, Keras 2's original), and
/// <c>h_t = z⊙h_{t−1} + (1 − z)⊙h̃</c>.
/// </summary>
/// <remarks>
/// Args: units (positive); activation ("tanh"); recurrent_activation ("sigmoid"; "hard_sigmoid_keras2" for Keras 2's
/// default); use_bias (true); kernel_initializer ("glorot_uniform"); recurrent_initializer ("orthogonal");
/// bias_initializer ("zeros"); dropout, recurrent_dropout (0); return_sequences, return_state, go_backwards, stateful,
/// unroll (false); reset_after (true); seed.<br/>
/// Weights, gate blocks in Keras's column order z, r, h: kernel (features, 3·units), recurrent_kernel
/// (units, 3·units), bias (2, 3·units) = input bias and recurrent bias with reset_after, else (3·units).<br/>
/// Input shape: <c>(batch, timesteps, features)</c>. Output shape: <c>(batch, timesteps, units)</c> with
/// return_sequences, else <c>(batch, units)</c>; return_state adds the final h <c>(batch, units)</c>.
/// See <see cref="BaseRNN"/> for states, masking and dropout.
/// </remarks>
public sealed class GRU : BaseRNN
{
    /// <summary>Creates a GRU layer.</summary>
    public GRU(int units, string? activation = "tanh", string? recurrentActivation = "sigmoid", bool useBias = true,
        string kernelInitializer = "glorot_uniform", string recurrentInitializer = "orthogonal", string biasInitializer = "zeros",
        float dropout = 0f, float recurrentDropout = 0f, bool returnSequences = false, bool returnState = false, bool goBackwards = false,
        bool stateful = false, bool unroll = false, bool resetAfter = true, int? seed = null, int[]? inputShape = null,
        int[]? batchInputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null, Regularizer? biasRegularizer = null,
        Regularizer? activityRegularizer = null, Constraint? kernelConstraint = null, Constraint? recurrentConstraint = null,
        Constraint? biasConstraint = null)
        : this(units, activation, recurrentActivation, useBias, Initializer.Get(kernelInitializer), Initializer.Get(recurrentInitializer),
            Initializer.Get(biasInitializer), dropout, recurrentDropout, returnSequences, returnState, goBackwards, stateful, unroll, resetAfter,
            seed, inputShape, batchInputShape, name,
            kernelRegularizer, recurrentRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, recurrentConstraint, biasConstraint) { }

    /// <summary>Creates a GRU layer with initializer objects.</summary>
    public GRU(int units, string? activation, string? recurrentActivation, bool useBias, Initializer kernelInitializer,
        Initializer recurrentInitializer, Initializer biasInitializer, float dropout = 0f, float recurrentDropout = 0f,
        bool returnSequences = false, bool returnState = false, bool goBackwards = false, bool stateful = false, bool unroll = false,
        bool resetAfter = true, int? seed = null, int[]? inputShape = null, int[]? batchInputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null, Regularizer? biasRegularizer = null,
        Regularizer? activityRegularizer = null, Constraint? kernelConstraint = null, Constraint? recurrentConstraint = null,
        Constraint? biasConstraint = null)
        : this(new RecurrentConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer, biasInitializer, dropout,
            recurrentDropout, returnSequences, returnState, goBackwards, stateful, unroll, seed, inputShape, batchInputShape, name,
            kernelRegularizer, recurrentRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, recurrentConstraint, biasConstraint), resetAfter) { }

    /// <summary>Creates the layer from the shared configuration (Bidirectional's copies, loading from a config).</summary>
    internal GRU(RecurrentConfig config, bool resetAfter) : base(config) => ResetAfter = resetAfter;

    /// <summary>Whether the reset gate applies after the recurrent matmul (Keras 3 and cuDNN) or before it (Keras 2's original).</summary>
    public bool ResetAfter { get; }

    private protected override RecurrentCellKind Cell => ResetAfter ? RecurrentCellKind.Gru : RecurrentCellKind.GruResetBefore;
    private protected override string CellName => "gru_cell";
    private protected override int[] BiasShape => ResetAfter ? new[] { 2, 3 * Units } : new[] { 3 * Units };

    private protected override BaseRNN Create(RecurrentConfig config) => new GRU(config, ResetAfter);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["reset_after"] = ResetAfter;
        return c;
    }
}
