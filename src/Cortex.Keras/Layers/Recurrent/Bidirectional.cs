namespace Cortex.Keras.Layers;

/// <summary>
/// Bidirectional wrapper for recurrent layers (Keras's <c>Bidirectional</c>): runs a copy of the layer forwards and
/// another backwards over the sequence and merges their outputs.
/// </summary>
/// <remarks>
/// Args: layer (a <see cref="SimpleRNN"/>, <see cref="LSTM"/> or <see cref="GRU"/>; the wrapper makes its own copies,
/// named <c>forward_NAME</c> and <c>backward_NAME</c> as Keras does, so their weights are
/// <c>forward_lstm/lstm_cell/kernel</c> and so on); merge_mode ("concat" (default), "sum", "mul", "ave", or null for a
/// list of both outputs); backward_layer (optional: its go_backwards must differ from layer's, and
/// return_sequences, return_state and stateful must match).<br/>
/// With return_sequences the backward output is reversed back to the input's time order before merging. Masked steps
/// output zeros when returning sequences (Keras forces <c>zero_output_for_mask</c> there).<br/>
/// Input shape: <c>(batch, timesteps, features)</c>. Output shape: the wrapped layer's, with the last axis doubled by
/// "concat". With return_state the outputs are <c>[merged, forward states..., backward states...]</c>; initial states
/// are given the same way: <c>[x, forward states..., backward states...]</c>.
/// </remarks>
public sealed class Bidirectional : RecurrentLayer
{
    private static readonly string[] MergeModes = { "concat", "sum", "mul", "ave" };

    /// <summary>Wraps <paramref name="layer"/>.</summary>
    public Bidirectional(BaseRNN layer, string? mergeMode = "concat", BaseRNN? backwardLayer = null, string? name = null) : base(name)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (mergeMode is not null && !MergeModes.Contains(mergeMode))
            throw new ArgumentException($"Invalid merge mode. Received: {mergeMode}. Merge mode should be one of {{\"sum\", \"mul\", \"ave\", \"concat\", None}}", nameof(mergeMode));
        MergeMode = mergeMode;
        ForwardLayer = layer.CloneAs("forward_" + StripPrefix(layer.Name, "forward_"), layer.GoBackwards);
        if (backwardLayer is null) BackwardLayer = layer.CloneAs("backward_" + StripPrefix(layer.Name, "backward_"), !layer.GoBackwards);
        else
        {
            if (backwardLayer.GoBackwards == layer.GoBackwards)
                throw new ArgumentException($"Forward layer and backward layer should have different `go_backwards` value. Received: forward_layer.go_backwards={layer.GoBackwards}, backward_layer.go_backwards={backwardLayer.GoBackwards}", nameof(backwardLayer));
            foreach (var (attr, f, b) in new[] { ("return_sequences", layer.ReturnSequences, backwardLayer.ReturnSequences),
                         ("return_state", layer.ReturnState, backwardLayer.ReturnState), ("stateful", layer.Stateful, backwardLayer.Stateful) })
                if (f != b)
                    throw new ArgumentException($"Forward layer and backward layer are expected to have the same value for attribute \"{attr}\", got \"{f}\" for forward layer and \"{b}\" for backward layer", nameof(backwardLayer));
            BackwardLayer = backwardLayer;
        }
        ForwardLayer.ZeroOutputForMask = ReturnSequences;
        BackwardLayer.ZeroOutputForMask = ReturnSequences;
        if (layer.BatchInputShape is not null) BatchInputShape = (int[])layer.BatchInputShape.Clone();
    }

    /// <summary>The forward copy.</summary>
    public BaseRNN ForwardLayer { get; }
    /// <summary>The backward copy (or the given backward layer).</summary>
    public BaseRNN BackwardLayer { get; }
    /// <summary>How the two outputs are combined; null returns both.</summary>
    public string? MergeMode { get; }
    /// <summary>Whether the wrapped layers return sequences.</summary>
    public override bool ReturnSequences => ForwardLayer.ReturnSequences;
    /// <summary>Whether the wrapped layers return their states.</summary>
    public bool ReturnState => ForwardLayer.ReturnState;

    private static string StripPrefix(string s, string p) => s.StartsWith(p, StringComparison.Ordinal) ? s[p.Length..] : s;

    /// <inheritdoc/>
    public override IReadOnlyList<Tensor?> ComputeMasks(IReadOnlyList<Tensor> inputs, IReadOnlyList<Tensor?> masks, int outputCount)
    {
        var r = new Tensor?[outputCount];
        int outs = MergeMode is null ? 2 : 1;
        for (int i = 0; i < Math.Min(outs, outputCount); i++) r[i] = ReturnSequences && masks.Count > 0 ? masks[0] : null;
        return r;
    }

    /// <inheritdoc/>
    public override bool Trainable
    {
        get => base.Trainable;
        set { base.Trainable = value; ForwardLayer.Trainable = value; BackwardLayer.Trainable = value; }
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Variable> TrainableWeights => ForwardLayer.TrainableWeights.Concat(BackwardLayer.TrainableWeights).ToList();

    /// <inheritdoc/>
    public override IReadOnlyList<Variable> NonTrainableWeights => ForwardLayer.NonTrainableWeights.Concat(BackwardLayer.NonTrainableWeights).ToList();

    /// <inheritdoc/>
    public override void Build(int[] inputShape)
    {
        ForwardLayer.EnsureBuilt(inputShape);
        BackwardLayer.EnsureBuilt(inputShape);
        Built = true;
    }

    /// <inheritdoc/>
    public override void Build(IReadOnlyList<int[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        int states = inputShapes.Count - 1, expected = ForwardLayer.StateCount + BackwardLayer.StateCount;
        if (states != 0 && states != expected)
            throw new ArgumentException($"Layer \"{Name}\" expects {expected} initial state tensors (forward then backward), but it received {states}.");
        Build(inputShapes[0]);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => ComputeOutputShapes(new[] { inputShape })[0];

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(IReadOnlyList<int[]> inputShapes) => ComputeOutputShape(inputShapes[0]);

    /// <inheritdoc/>
    public override IReadOnlyList<int[]> ComputeOutputShapes(IReadOnlyList<int[]> inputShapes)
    {
        var f = ForwardLayer.ComputeOutputShapes(new[] { inputShapes[0] });
        var b = BackwardLayer.ComputeOutputShapes(new[] { inputShapes[0] });
        var outs = new List<int[]>();
        if (MergeMode is null) { outs.Add(f[0]); outs.Add(b[0]); }
        else if (MergeMode == "concat") outs.Add(f[0][..^1].Append(f[0][^1] + b[0][^1]).ToArray());
        else outs.Add(f[0]);
        outs.AddRange(f.Skip(1)); outs.AddRange(b.Skip(1));
        return outs;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training) => Single(Run(inputs, null, null, training));

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, Tensor? mask, bool training) => Single(Run(inputs, null, mask, training));


    private Tensor Single(IReadOnlyList<Tensor> outs) => outs.Count == 1 ? outs[0]
        : throw new InvalidOperationException($"Layer \"{Name}\" has {outs.Count} outputs (merge_mode=None or return_state); call CallOutputs to get them all.");

    /// <summary>Resets both directions' states (stateful layers).</summary>
    public void ResetStates() { ForwardLayer.ResetStates(); BackwardLayer.ResetStates(); }

    /// <inheritdoc/>
    private protected override IReadOnlyList<Tensor> Run(Tensor x, IReadOnlyList<Tensor>? initial, Tensor? mask, bool training)
    {
        EnsureBuilt(x.Shape.ToArray());
        IReadOnlyList<Tensor>? fInit = null, bInit = null;
        if (initial is not null && initial.Count > 0)
        {
            int nf = ForwardLayer.StateCount, expected = nf + BackwardLayer.StateCount;
            if (initial.Count != expected)
                throw new ArgumentException($"Layer \"{Name}\" expects {expected} initial state tensors (forward then backward), but it received {initial.Count}.");
            fInit = initial.Take(nf).ToList(); bInit = initial.Skip(nf).ToList();
        }
        var f = ForwardLayer.Apply(x, mask, fInit, training);
        var b = BackwardLayer.Apply(x, mask, bInit, training);
        var y = f[0];
        var yRev = ReturnSequences ? Ops.ReverseTime(b[0]) : b[0];
        var outs = new List<Tensor>();
        switch (MergeMode)
        {
            case null: outs.Add(y); outs.Add(yRev); break;
            case "concat": outs.Add(Ops.Concat(new[] { y, yRev }, -1)); break;
            case "sum": outs.Add(Ops.Add(y, yRev)); break;
            case "mul": outs.Add(Ops.Multiply(y, yRev)); break;
            default: outs.Add(Ops.MultiplyScalar(Ops.Add(y, yRev), 0.5f)); break;
        }
        outs.AddRange(f.Skip(1)); outs.AddRange(b.Skip(1));
        return outs;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["merge_mode"] = MergeMode;
        c["layer"] = Saving.KerasObjects.Serialize(ForwardLayer);
        c["backward_layer"] = Saving.KerasObjects.Serialize(BackwardLayer);
        return c;
    }

    /// <inheritdoc/>
    protected override IEnumerable<Layer> Sublayers => new Layer[] { ForwardLayer, BackwardLayer };

    /// <summary>As Keras 3 saves them: <c>forward_layer/cell/vars</c>, then <c>backward_layer/cell/vars</c>.</summary>
    internal override IReadOnlyList<(string Path, IReadOnlyList<Variable> Variables)> SavedVariableGroups =>
        Nested("forward_layer", ForwardLayer).Concat(Nested("backward_layer", BackwardLayer)).ToList();
}
