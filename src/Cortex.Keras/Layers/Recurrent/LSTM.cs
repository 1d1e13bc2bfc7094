using Cortex.Keras.Constraints;
using Cortex.Keras.Initializers;
using Cortex.Keras.Regularizers;
using Cortex.Kernels;

namespace Cortex.Keras.Layers;

/// <summary>
/// Long Short-Term Memory layer (Hochreiter 1997), as Keras's <c>LSTM</c>:
/// <c>i, f, o = recurrent_activation(…)</c>, <c>c̃ = activation(…)</c>, <c>c_t = f⊙c_{t−1} + i⊙c̃</c>,
/// <c>h_t = o⊙activation(c_t)</c>, each gate from <c>x_t·kernel + h_{t−1}·recurrent_kernel + bias</c>.
/// </summary>
/// <remarks>
/// Args: units (positive); activation ("tanh"); recurrent_activation ("sigmoid"; Keras 2's default was its own hard
/// sigmoid: pass "hard_sigmoid_keras2" for it); use_bias (true); kernel_initializer ("glorot_uniform");
/// recurrent_initializer ("orthogonal"); bias_initializer ("zeros"); unit_forget_bias (true: the forget gate's bias
/// starts at 1); dropout, recurrent_dropout (0); return_sequences, return_state, go_backwards, stateful, unroll
/// (false); seed.<br/>
/// Weights, gate blocks in Keras's column order i, f, c, o: kernel (features, 4·units), recurrent_kernel
/// (units, 4·units), bias (4·units).<br/>
/// Input shape: <c>(batch, timesteps, features)</c>. Output shape: <c>(batch, timesteps, units)</c> with
/// return_sequences, else <c>(batch, units)</c>; return_state adds the final h and c, each <c>(batch, units)</c>.
/// See <see cref="BaseRNN"/> for states, masking and dropout.
/// </remarks>
public sealed class LSTM : BaseRNN
{
    /// <summary>Creates an LSTM layer.</summary>
    public LSTM(int units, string? activation = "tanh", string? recurrentActivation = "sigmoid", bool useBias = true,
        string kernelInitializer = "glorot_uniform", string recurrentInitializer = "orthogonal", string biasInitializer = "zeros",
        bool unitForgetBias = true, float dropout = 0f, float recurrentDropout = 0f, bool returnSequences = false, bool returnState = false,
        bool goBackwards = false, bool stateful = false, bool unroll = false, int? seed = null, int[]? inputShape = null,
        int[]? batchInputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null, Regularizer? biasRegularizer = null,
        Regularizer? activityRegularizer = null, Constraint? kernelConstraint = null, Constraint? recurrentConstraint = null,
        Constraint? biasConstraint = null)
        : this(units, activation, recurrentActivation, useBias, Initializer.Get(kernelInitializer), Initializer.Get(recurrentInitializer),
            Initializer.Get(biasInitializer), unitForgetBias, dropout, recurrentDropout, returnSequences, returnState, goBackwards, stateful,
            unroll, seed, inputShape, batchInputShape, name,
            kernelRegularizer, recurrentRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, recurrentConstraint, biasConstraint) { }

    /// <summary>Creates an LSTM layer with initializer objects.</summary>
    public LSTM(int units, string? activation, string? recurrentActivation, bool useBias, Initializer kernelInitializer,
        Initializer recurrentInitializer, Initializer biasInitializer, bool unitForgetBias = true, float dropout = 0f,
        float recurrentDropout = 0f, bool returnSequences = false, bool returnState = false, bool goBackwards = false, bool stateful = false,
        bool unroll = false, int? seed = null, int[]? inputShape = null, int[]? batchInputShape = null, string? name = null,
        Regularizer? kernelRegularizer = null, Regularizer? recurrentRegularizer = null, Regularizer? biasRegularizer = null,
        Regularizer? activityRegularizer = null, Constraint? kernelConstraint = null, Constraint? recurrentConstraint = null,
        Constraint? biasConstraint = null)
        : this(new RecurrentConfig(units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer, biasInitializer, dropout,
            recurrentDropout, returnSequences, returnState, goBackwards, stateful, unroll, seed, inputShape, batchInputShape, name,
            kernelRegularizer, recurrentRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, recurrentConstraint, biasConstraint), unitForgetBias) { }

    /// <summary>Creates the layer from the shared configuration (Bidirectional's copies, loading from a config).</summary>
    internal LSTM(RecurrentConfig config, bool unitForgetBias) : base(config) => UnitForgetBias = unitForgetBias;

    /// <summary>Whether the forget gate's bias is initialised to ones (Keras's <c>unit_forget_bias</c>).</summary>
    public bool UnitForgetBias { get; }

    private protected override RecurrentCellKind Cell => RecurrentCellKind.Lstm;
    private protected override string CellName => "lstm_cell";
    private protected override Initializer EffectiveBiasInitializer => UnitForgetBias ? new ForgetBiasOnes(BiasInitializer, Units) : BiasInitializer;

    private protected override BaseRNN Create(RecurrentConfig config) => new LSTM(config, UnitForgetBias);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["unit_forget_bias"] = UnitForgetBias;
        return c;
    }

    /// <summary>Keras's unit_forget_bias: bias_initializer for i, ones for f, bias_initializer for c and o.</summary>
    private sealed class ForgetBiasOnes(Initializer inner, int units) : Initializer
    {
        public override Tensor Call(int[] shape)
        {
            var a = inner.Call(new[] { units }).ToArray();
            var rest = inner.Call(new[] { 2 * units }).ToArray();
            var all = new float[4 * units];
            a.CopyTo(all, 0);
            Array.Fill(all, 1f, units, units);
            rest.CopyTo(all, 2 * units);
            return Tensor.FromArray(all, 4 * units);
        }
    }
}
