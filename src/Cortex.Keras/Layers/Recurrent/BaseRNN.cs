using Cortex.Keras.Constraints;
using Cortex.Keras.Initializers;
using Cortex.Keras.Regularizers;
using Cortex.Kernels;
using Cortex.Memory;

namespace Cortex.Keras.Layers;

/// <summary>
/// The shared machinery of <see cref="SimpleRNN"/>, <see cref="LSTM"/> and <see cref="GRU"/> (Keras's <c>RNN</c> base
/// with the built-in cells): configuration, weights, initial and stateful states, dropout masks, masking, and the
/// single fused sequence op <see cref="Ops.Recurrent"/> that does the work.
/// </summary>
/// <remarks>
/// <para>Common args: units; activation ("tanh"); use_bias (true); kernel_initializer ("glorot_uniform"),
/// recurrent_initializer ("orthogonal"), bias_initializer ("zeros"); dropout and recurrent_dropout (fractions in
/// [0, 1], clipped as Keras does); return_sequences, return_state, go_backwards, stateful (false); unroll (accepted and
/// ignored: the fused kernel is already a tight loop); seed (of the dropout masks; null draws from
/// <see cref="RandomGenerator.Global"/>); kernel_regularizer, recurrent_regularizer, bias_regularizer,
/// activity_regularizer (applied to every returned output), kernel_constraint, recurrent_constraint, bias_constraint
/// (null).</para>
/// <para>Activations the fused kernel runs: linear, tanh, sigmoid, hard_sigmoid (Keras 3's, slope 1/6),
/// hard_sigmoid_keras2 (Keras 2's, slope 0.2), relu.</para>
/// <para>Input shape: <c>(batch, timesteps, features)</c>. Output shape: <c>(batch, timesteps, units)</c> with
/// return_sequences, else <c>(batch, units)</c>; with return_state the final states follow, each <c>(batch, units)</c>
/// (call <see cref="Layer.ApplyOutputs"/> in the functional API or <see cref="RecurrentLayer.CallOutputs(IReadOnlyList{Tensor}, bool)"/>).</para>
/// <para>Initial states: in the functional API <c>layer.Apply(x, h0)</c> (LSTM: <c>layer.Apply(x, h0, c0)</c>); eagerly
/// <see cref="Apply(Tensor, IReadOnlyList{Tensor}, bool)"/>.</para>
/// <para>Masking: a masked step (mask 0) keeps the previous states and outputs the previous output, as Keras's
/// default <c>zero_output_for_mask=False</c>; inside a <see cref="Bidirectional"/> returning sequences masked
/// outputs are zeros, as Keras forces there. The output mask is the input mask with return_sequences, else none.</para>
/// <para>Dropout (Keras 3): one input mask (batch, features) and one recurrent mask (batch, units) are drawn per call
/// and used at every step, in training only.</para>
/// <para>Weights are named <c>layer/cell/kernel</c>, <c>layer/cell/recurrent_kernel</c>, <c>layer/cell/bias</c> as Keras 3
/// names its variables (e.g. <c>lstm/lstm_cell/kernel</c>).</para>
/// </remarks>
public abstract class BaseRNN : RecurrentLayer
{
    private readonly RandomGenerator? _rng;
    private readonly RecurrentActivation _activation, _recurrentActivation;
    private Variable? _kernel, _recurrentKernel, _bias;
    private Tensor[]? _states;
    private int _statefulBatch;
    private readonly RecurrentConfig _config;

    /// <summary>Stores and validates the common configuration.</summary>
    private protected BaseRNN(RecurrentConfig config)
        : base(config.Name, config.InputShape ?? (config.BatchInputShape is null ? null : config.BatchInputShape[1..]))
    {
        _config = config;
        var (units, activation, recurrentActivation, useBias, kernelInitializer, recurrentInitializer, biasInitializer, dropout, recurrentDropout,
            returnSequences, returnState, goBackwards, stateful, unroll, seed, _, batchInputShape, _,
            kernelRegularizer, recurrentRegularizer, biasRegularizer, activityRegularizer, kernelConstraint, recurrentConstraint, biasConstraint) = config;
        if (units <= 0) throw new ArgumentException($"Received an invalid value for argument `units`, expected a positive integer. Received: units={units}", nameof(units));
        if (batchInputShape is not null)
        {
            if (batchInputShape.Length < 2 || batchInputShape[0] <= 0 && batchInputShape[0] != -1)
                throw new ArgumentException($"batch_input_shape must be (batch_size, ...) with a positive or unknown (-1) batch size. Received: batch_input_shape={TensorShape.Format(batchInputShape)}", nameof(batchInputShape));
            BatchInputShape = (int[])batchInputShape.Clone();
        }
        Units = units;
        ActivationName = activation ?? "linear";
        RecurrentActivationName = recurrentActivation ?? "linear";
        _activation = FusedActivation(ActivationName, "activation");
        _recurrentActivation = FusedActivation(RecurrentActivationName, "recurrent_activation");
        UseBias = useBias;
        KernelInitializer = kernelInitializer ?? throw new ArgumentNullException(nameof(kernelInitializer));
        RecurrentInitializer = recurrentInitializer ?? throw new ArgumentNullException(nameof(recurrentInitializer));
        BiasInitializer = biasInitializer ?? throw new ArgumentNullException(nameof(biasInitializer));
        DropoutRate = Math.Clamp(dropout, 0f, 1f);
        RecurrentDropoutRate = Math.Clamp(recurrentDropout, 0f, 1f);
        ReturnSequences = returnSequences;
        ReturnState = returnState;
        GoBackwards = goBackwards;
        Stateful = stateful;
        Unroll = unroll;
        Seed = seed;
        if (seed is int s) _rng = new RandomGenerator(s);
        KernelRegularizer = kernelRegularizer; RecurrentRegularizer = recurrentRegularizer; BiasRegularizer = biasRegularizer;
        ActivityRegularizer = activityRegularizer;
        KernelConstraint = kernelConstraint; RecurrentConstraint = recurrentConstraint; BiasConstraint = biasConstraint;
    }

    /// <summary>Penalty on the input kernel (Keras's <c>kernel_regularizer</c>), or null.</summary>
    public Regularizer? KernelRegularizer { get; }
    /// <summary>Penalty on the recurrent kernel (Keras's <c>recurrent_regularizer</c>), or null.</summary>
    public Regularizer? RecurrentRegularizer { get; }
    /// <summary>Penalty on the bias (Keras's <c>bias_regularizer</c>), or null.</summary>
    public Regularizer? BiasRegularizer { get; }
    /// <summary>Constraint on the input kernel, applied after each optimizer update, or null.</summary>
    public Constraint? KernelConstraint { get; }
    /// <summary>Constraint on the recurrent kernel, or null.</summary>
    public Constraint? RecurrentConstraint { get; }
    /// <summary>Constraint on the bias, or null.</summary>
    public Constraint? BiasConstraint { get; }

    /// <summary>The number of units (the size of the output and of each state).</summary>
    public int Units { get; }
    /// <summary>The activation's Keras name.</summary>
    public string ActivationName { get; }
    /// <summary>The gates' activation's Keras name (unused by SimpleRNN).</summary>
    public string RecurrentActivationName { get; }
    /// <summary>Whether the layer has a bias.</summary>
    public bool UseBias { get; }
    /// <summary>Initializer of the input kernel.</summary>
    public Initializer KernelInitializer { get; }
    /// <summary>Initializer of the recurrent kernel.</summary>
    public Initializer RecurrentInitializer { get; }
    /// <summary>Initializer of the bias.</summary>
    public Initializer BiasInitializer { get; }
    /// <summary>Fraction of the inputs dropped in training (Keras's <c>dropout</c>).</summary>
    public float DropoutRate { get; }
    /// <summary>Fraction of the recurrent state dropped in training (Keras's <c>recurrent_dropout</c>).</summary>
    public float RecurrentDropoutRate { get; }
    /// <inheritdoc/>
    public override bool ReturnSequences { get; }
    /// <summary>Whether the final states are returned after the output.</summary>
    public bool ReturnState { get; }
    /// <summary>Whether the sequence is processed from its end (the output sequence comes reversed, as in Keras).</summary>
    public bool GoBackwards { get; }
    /// <summary>Whether the final states of a batch are the initial states of the next one.</summary>
    public bool Stateful { get; }
    /// <summary>Keras's <c>unroll</c>: accepted and ignored (the fused kernel needs no unrolling).</summary>
    public bool Unroll { get; }
    /// <summary>The seed of the dropout masks, if any.</summary>
    public int? Seed { get; }

    /// <summary>Keras's <c>zero_output_for_mask</c>: masked steps output zeros instead of the previous output (set by Bidirectional).</summary>
    internal bool ZeroOutputForMask { get; set; }

    /// <summary>The input kernel (features, G·units), once built.</summary>
    public Variable Kernel => _kernel ?? throw NotBuilt();
    /// <summary>The recurrent kernel (units, G·units), once built.</summary>
    public Variable RecurrentKernel => _recurrentKernel ?? throw NotBuilt();
    /// <summary>The bias, once built (null without bias).</summary>
    public Variable? Bias => _bias;

    /// <summary>The cell the fused op runs.</summary>
    private protected abstract RecurrentCellKind Cell { get; }
    /// <summary>The cell's name in the weight names (simple_rnn_cell, lstm_cell, gru_cell).</summary>
    private protected abstract string CellName { get; }
    /// <summary>The number of states (1, or 2 for LSTM).</summary>
    public int StateCount => Cell == RecurrentCellKind.Lstm ? 2 : 1;
    /// <summary>The bias shape.</summary>
    private protected virtual int[] BiasShape => new[] { GateBlocks * Units };
    /// <summary>The bias initializer actually used (LSTM's unit_forget_bias wraps it).</summary>
    private protected virtual Initializer EffectiveBiasInitializer => BiasInitializer;
    private int GateBlocks => Cell switch { RecurrentCellKind.SimpleRnn => 1, RecurrentCellKind.Lstm => 4, _ => 3 };

    /// <summary>A copy with the same configuration under another name and direction (for <see cref="Bidirectional"/>).</summary>
    internal BaseRNN CloneAs(string name, bool goBackwards)
        => Create(_config with { Name = name, GoBackwards = goBackwards, InputShape = null, BatchInputShape = BatchInputShape });

    /// <summary>A new layer of this kind with the shared configuration <paramref name="config"/> and this layer's own arguments.</summary>
    private protected abstract BaseRNN Create(RecurrentConfig config);

    /// <summary>The states a stateful layer carries into its next call (null before the first call or after <see cref="ResetStates"/>).</summary>
    public IReadOnlyList<Tensor>? States => _states;

    /// <summary>Resets a stateful layer's states to zeros (Keras's <c>reset_states</c>).</summary>
    /// <exception cref="InvalidOperationException">The layer is not stateful.</exception>
    public void ResetStates()
    {
        if (!Stateful) throw new InvalidOperationException($"Layer \"{Name}\" is not stateful; only a stateful RNN (stateful: true) has states to reset.");
        _states = null;
    }

    /// <inheritdoc/>
    public override void Build(int[] inputShape)
    {
        if (inputShape.Length != 3 || inputShape[2] <= 0)
            throw new ArgumentException($"Input 0 of layer \"{Name}\" is incompatible with the layer: expected ndim=3 (batch, timesteps, features) with a known feature size, found shape={TensorShape.Format(inputShape)}");
        if (Stateful)
        {
            int b = BatchInputShape is { } d && d[0] > 0 ? d[0] : inputShape[0];
            if (b <= 0)
                throw new ArgumentException($"Layer \"{Name}\": if a RNN is stateful, it needs to know its batch size. Specify the batch size of your input tensors: pass batchInputShape to the layer (Sequential), or batchSize to Input (functional API).");
            _statefulBatch = b;
        }
        int g = GateBlocks * Units;
        _kernel = AddWeight($"{CellName}/kernel", new[] { inputShape[2], g }, KernelInitializer, regularizer: KernelRegularizer, constraint: KernelConstraint);
        _recurrentKernel = AddWeight($"{CellName}/recurrent_kernel", new[] { Units, g }, RecurrentInitializer, regularizer: RecurrentRegularizer, constraint: RecurrentConstraint);
        if (UseBias) _bias = AddWeight($"{CellName}/bias", BiasShape, EffectiveBiasInitializer, regularizer: BiasRegularizer, constraint: BiasConstraint);
        Built = true;
    }

    /// <inheritdoc/>
    public override void Build(IReadOnlyList<int[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        CheckStateCount(inputShapes.Count - 1);
        Build(inputShapes[0]);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) =>
        ReturnSequences ? new[] { inputShape[0], inputShape[1], Units } : new[] { inputShape[0], Units };

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(IReadOnlyList<int[]> inputShapes) => ComputeOutputShape(inputShapes[0]);

    /// <inheritdoc/>
    public override IReadOnlyList<int[]> ComputeOutputShapes(IReadOnlyList<int[]> inputShapes)
    {
        var outs = new List<int[]> { ComputeOutputShape(inputShapes[0]) };
        if (ReturnState) for (int i = 0; i < StateCount; i++) outs.Add(new[] { inputShapes[0][0], Units });
        return outs;
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor?> ComputeMasks(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, int outputCount)
    {
        var r = new Tensor?[outputCount];
        if (outputCount > 0 && masks.Count > 0) r[0] = ReturnSequences ? masks[0] : null;
        return r;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training) => Run(inputs, null, null, training)[0];

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, Tensor? mask, bool training) => Run(inputs, null, mask, training)[0];


    /// <summary>Eager call with initial states (Keras's <c>layer(x, initial_state=[...])</c>): builds if needed, returns every output.</summary>
    public IReadOnlyList<Tensor> Apply(Tensor inputs, IReadOnlyList<Tensor> initialState, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(initialState);
        EnsureBuilt(inputs.Shape.ToArray());
        return Run(inputs, initialState, null, training);
    }

    /// <summary>Eager call with a mask (batch, timesteps) of 1/0: builds if needed, returns every output.</summary>
    public IReadOnlyList<Tensor> Apply(Tensor inputs, Tensor? mask, IReadOnlyList<Tensor>? initialState = null, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        EnsureBuilt(inputs.Shape.ToArray());
        return Run(inputs, initialState, mask, training);
    }

    private void CheckStateCount(int given)
    {
        if (given != 0 && given != StateCount)
            throw new ArgumentException($"Layer \"{Name}\" expects {StateCount} initial state tensor(s) ({(StateCount == 2 ? "h and c" : "h")}), but it received {given}.");
    }

    /// <summary>The computation: every output (output, then the final states when <see cref="ReturnState"/>).</summary>
    private protected override IReadOnlyList<Tensor> Run(Tensor x, IReadOnlyList<Tensor>? initial, Tensor? mask, bool training)
    {
        if (x.Rank != 3) throw new ArgumentException($"Input 0 of layer \"{Name}\" is incompatible with the layer: expected ndim=3 (batch, timesteps, features), found shape={x.ShapeString}");
        CheckInput(x.Shape.ToArray());
        int B = x.Shape[0], T = x.Shape[1];
        if (T == 0) throw new ArgumentException($"Layer \"{Name}\" received a sequence with 0 timesteps (shape {x.ShapeString}).");
        if (Stateful && B != _statefulBatch)
            throw new ArgumentException($"Layer \"{Name}\" is stateful and was built for batches of {_statefulBatch}, but it received a batch of {B}. Every batch a stateful RNN sees must have the batch size it was built with.");
        var states = InitialStates(initial, B);
        if (mask is not null && (mask.Rank != 2 || mask.Shape[0] != B || mask.Shape[1] != T))
            throw new ArgumentException($"Layer \"{Name}\": the mask has shape {mask.ShapeString}; expected (batch, timesteps) = ({B}, {T}).");

        if (training && DropoutRate > 0f) x = Ops.Multiply(x, DropoutMask(B, 1, x.Shape[2], DropoutRate));
        var recMask = training && RecurrentDropoutRate > 0f ? DropoutMask(B, Units, 0, RecurrentDropoutRate) : null;
        var options = new RecurrentOptions(Cell, _activation, _recurrentActivation, GoBackwards, ZeroOutputForMask);
        var packed = Ops.Recurrent(options, x, Kernel.Value, RecurrentKernel.Value, _bias?.Value, states[0],
            StateCount == 2 ? states[1] : null, mask, recMask);

        var output = ReturnSequences ? Ops.Slice(packed, new[] { 0, 0, 0 }, new[] { -1, T, -1 }) : Row(packed, T - 1, B);
        var finals = new Tensor[StateCount];
        for (int i = 0; i < StateCount; i++) finals[i] = Row(packed, T + i, B);
        if (Stateful)
            using (TensorScope.Persistent()) _states = finals.Select(f => f.Detach()).ToArray();
        // Keras 3's Layer.__call__ applies the activity regularizer to every output (the states too, with return_state).
        RegularizeActivity(output);
        if (!ReturnState) return new[] { output };
        foreach (var f in finals) RegularizeActivity(f);
        return new[] { output }.Concat(finals).ToArray();
    }

    private static Tensor Row(Tensor packed, int row, int batch) =>
        Ops.Reshape(Ops.Slice(packed, new[] { 0, row, 0 }, new[] { -1, 1, -1 }), batch, packed.Shape[2]);

    private Tensor[] InitialStates(IReadOnlyList<Tensor>? initial, int batch)
    {
        if (initial is not null && initial.Count > 0)
        {
            CheckStateCount(initial.Count);
            foreach (var s in initial)
                if (s.Rank != 2 || s.Shape[0] != batch || s.Shape[1] != Units)
                    throw new ArgumentException($"Layer \"{Name}\": an initial state has shape {s.ShapeString}; expected (batch, units) = ({batch}, {Units}).");
            return initial.ToArray();
        }
        if (Stateful && _states is not null) return _states;
        var zeros = new Tensor[StateCount];
        for (int i = 0; i < StateCount; i++) zeros[i] = Tensor.Zeros(batch, Units);
        return zeros;
    }

    /// <summary>A Keras dropout mask of ones scaled by 1/(1 − rate), zeroed with probability rate; shape (a, b[, c]).</summary>
    private Tensor DropoutMask(int a, int b, int c, float rate)
    {
        var mask = c > 0 ? Tensor.Allocate(new[] { a, b, c }, clear: false) : Tensor.Allocate(new[] { a, b }, clear: false);
        float keep = 1f - rate;
        if (keep <= 0f) mask.Span.Clear();
        else (_rng ?? RandomGenerator.Global).FillScaledBernoulli(mask.Span, keep, 1f / keep);
        return mask;
    }

    /// <summary>The fused kernel's form of a Keras activation name.</summary>
    internal static RecurrentActivation FusedActivation(string name, string argument) => name switch
    {
        "linear" => new RecurrentActivation(RecurrentActivationKind.Linear),
        "tanh" => new RecurrentActivation(RecurrentActivationKind.Tanh),
        "sigmoid" => new RecurrentActivation(RecurrentActivationKind.Sigmoid),
        "relu" => new RecurrentActivation(RecurrentActivationKind.Relu),
        "hard_sigmoid" => new RecurrentActivation(RecurrentActivationKind.HardSigmoid, 1f / 6f, 0.5f),
        "hard_sigmoid_keras2" => new RecurrentActivation(RecurrentActivationKind.HardSigmoid, 0.2f, 0.5f),
        _ => throw new ArgumentException($"Recurrent layers support the activations linear, tanh, sigmoid, hard_sigmoid, hard_sigmoid_keras2 and relu (the fused kernel needs their derivatives from their outputs). Received: {argument}={name}", argument),
    };

    private InvalidOperationException NotBuilt() => new($"layer \"{Name}\" is not built yet.");

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["units"] = Units; c["activation"] = ActivationName; c["use_bias"] = UseBias;
        c["kernel_initializer"] = Saving.KerasObjects.Serialize(KernelInitializer);
        c["recurrent_initializer"] = Saving.KerasObjects.Serialize(RecurrentInitializer);
        c["bias_initializer"] = Saving.KerasObjects.Serialize(BiasInitializer);
        c["kernel_regularizer"] = Regularizer.Serialize(KernelRegularizer); c["recurrent_regularizer"] = Regularizer.Serialize(RecurrentRegularizer);
        c["bias_regularizer"] = Regularizer.Serialize(BiasRegularizer); c["activity_regularizer"] = Regularizer.Serialize(ActivityRegularizer);
        c["kernel_constraint"] = Constraint.Serialize(KernelConstraint); c["recurrent_constraint"] = Constraint.Serialize(RecurrentConstraint);
        c["bias_constraint"] = Constraint.Serialize(BiasConstraint);
        c["dropout"] = DropoutRate; c["recurrent_dropout"] = RecurrentDropoutRate; c["seed"] = Seed;
        c["return_sequences"] = ReturnSequences; c["return_state"] = ReturnState; c["go_backwards"] = GoBackwards;
        c["stateful"] = Stateful; c["unroll"] = Unroll; c["zero_output_for_mask"] = ZeroOutputForMask;
        if (Cell != RecurrentCellKind.SimpleRnn) c["recurrent_activation"] = RecurrentActivationName;
        return c;
    }

    /// <summary>Keras 3 keeps a recurrent layer's variables on its cell: saved under <c>layers/NAME/cell/vars</c>.</summary>
    internal override IReadOnlyList<(string Path, IReadOnlyList<Variable> Variables)> SavedVariableGroups => new[] { ("cell", SavedVariables) };
}
