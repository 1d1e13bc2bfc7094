using Cortex.Keras.Layers;
using Cortex.Onnx.Proto;
using static Cortex.Onnx.Converters.OnnxSequenceOps;

namespace Cortex.Onnx.Converters;

/// <summary>
/// The ONNX recurrent operators (<c>LSTM</c>, <c>GRU</c>, <c>RNN</c>) for Keras's recurrent layers: weights in ONNX's
/// gate order and layout, activations, and the node itself. Shared by <see cref="RecurrentConverter"/> and
/// <see cref="BidirectionalConverter"/>.
/// </summary>
/// <remarks>
/// ONNX keeps W (num_directions, G·units, features), R (num_directions, G·units, units) and
/// B (num_directions, 2·G·units) = [Wb; Rb], i.e. Keras's kernels transposed. Gate blocks: Keras LSTM i, f, c, o →
/// ONNX i, o, f, c; GRU z, r, h in both; SimpleRNN one block. The input is time-major (time, batch, features): the
/// converters transpose in and out (rather than <c>layout=1</c>, which needs opset 14).
/// </remarks>
internal static class OnnxRecurrent
{
    /// <summary>The ONNX outputs of a recurrent node: Y (time, dirs, batch, units), Y_h and Y_c (dirs, batch, units).</summary>
    public readonly record struct Outputs(string Y, string Yh, string? Yc);

    /// <summary>The ONNX operator of a layer: LSTM, GRU or RNN.</summary>
    public static string OpType(BaseRNN layer) => layer switch
    {
        LSTM => "LSTM",
        GRU => "GRU",
        SimpleRNN => "RNN",
        _ => throw OnnxConversionContext.Unsupported(layer, $"{layer.GetType().Name} has no ONNX recurrent operator"),
    };

    /// <summary>For each ONNX gate block, the Keras block it comes from.</summary>
    private static int[] GateOrder(BaseRNN layer) => layer switch
    {
        LSTM => new[] { 0, 3, 1, 2 }, // ONNX i, o, f, c ← Keras i, f, c, o
        GRU => new[] { 0, 1, 2 },     // z, r, h in both
        _ => new[] { 0 },
    };

    /// <summary>Refuses what an ONNX graph cannot compute: stateful layers (states carried between calls).</summary>
    public static void CheckExportable(Layer owner, BaseRNN layer)
    {
        if (layer.Stateful)
            throw OnnxConversionContext.Unsupported(owner, $"it is stateful (it carries its states from one batch to the next, which an ONNX graph cannot hold); " +
                "export a stateless copy: the same layer with stateful: false and the trained weights copied into it");
    }

    /// <summary>
    /// Emits one recurrent node for <paramref name="layers"/> (one layer: direction forward or reverse; two: the forward
    /// and backward layers of a "bidirectional" node, which must have the same type and configuration) on the
    /// time-major input <paramref name="xTimeMajor"/>, with optional initial states (dirs, batch, units).
    /// </summary>
    public static Outputs Emit(OnnxConversionContext ctx, string hint, IReadOnlyList<BaseRNN> layers, string direction,
        string xTimeMajor, string? initialH, string? initialC)
    {
        var first = layers[0];
        string op = OpType(first);
        int u = first.Units, features = first.Kernel.Value.Shape[0];
        var order = GateOrder(first);
        int g = order.Length, dirs = layers.Count;
        var w = new float[dirs * g * u * features];
        var r = new float[dirs * g * u * u];
        var b = new float[dirs * 2 * g * u];
        for (int d = 0; d < dirs; d++)
        {
            var layer = layers[d];
            Transposed(layer.Kernel.Value.Contiguous().ToArray(), features, order, u, w.AsSpan(d * g * u * features, g * u * features));
            Transposed(layer.RecurrentKernel.Value.Contiguous().ToArray(), u, order, u, r.AsSpan(d * g * u * u, g * u * u));
            if (layer.Bias is { } bias)
            {
                var values = bias.Value.Contiguous().ToArray();
                var wb = b.AsSpan(d * 2 * g * u, g * u);
                var rb = b.AsSpan(d * 2 * g * u + g * u, g * u);
                // GRU with reset_after keeps two biases (2, 3·units): the input one → Wb, the recurrent one → Rb (it sits
                // inside r ⊙ (h·U + b_rh), as ONNX's linear_before_reset = 1). Every other layer has one bias → Wb, Rb = 0.
                Reordered(values.AsSpan(0, g * u), order, u, wb);
                if (values.Length == 2 * g * u) Reordered(values.AsSpan(g * u, g * u), order, u, rb);
            }
        }
        var inputs = new List<string>
        {
            xTimeMajor,
            ctx.AddInitializer($"{hint}/W", w, dirs, g * u, features),
            ctx.AddInitializer($"{hint}/R", r, dirs, g * u, u),
            ctx.AddInitializer($"{hint}/B", b, dirs, 2 * g * u),
        };
        if (initialH is not null || initialC is not null)
        {
            inputs.Add(""); // sequence_lens: every sequence has all its steps
            inputs.Add(initialH ?? "");
            if (initialC is not null) inputs.Add(initialC);
        }

        var attributes = new List<OnnxAttributeProto>
        {
            OnnxAttributeProto.Int("hidden_size", u),
            OnnxAttributeProto.String("direction", direction),
        };
        var names = new List<string>();
        var alphas = new List<float>();
        var betas = new List<float>();
        foreach (var layer in layers)
            foreach (var keras in ActivationNames(layer))
            {
                var (name, alpha, beta) = Activation(ctx, keras);
                names.Add(name);
                // activation_alpha/beta are consumed in order by the activations that take them (Affine, HardSigmoid:
                // both take alpha and beta, so the two lists stay aligned).
                if (alpha is float a) { alphas.Add(a); betas.Add(beta!.Value); }
            }
        attributes.Add(OnnxAttributeProto.StringList("activations", names.ToArray()));
        if (alphas.Count > 0)
        {
            attributes.Add(OnnxAttributeProto.FloatList("activation_alpha", alphas.ToArray()));
            attributes.Add(OnnxAttributeProto.FloatList("activation_beta", betas.ToArray()));
        }
        if (first is GRU gru) attributes.Add(OnnxAttributeProto.Int("linear_before_reset", gru.ResetAfter ? 1 : 0));

        var hints = first is LSTM ? new[] { $"{hint}/Y", $"{hint}/Y_h", $"{hint}/Y_c" } : new[] { $"{hint}/Y", $"{hint}/Y_h" };
        var outs = AddNode(ctx, op, inputs, hints, attributes.ToArray());
        return new Outputs(outs[0], outs[1], outs.Length > 2 ? outs[2] : null);
    }

    /// <summary>Keras's activations in the order of ONNX's list: LSTM (f, g, h), GRU (f, g), RNN (f).</summary>
    private static string[] ActivationNames(BaseRNN layer) => layer switch
    {
        LSTM => new[] { layer.RecurrentActivationName, layer.ActivationName, layer.ActivationName },
        GRU => new[] { layer.RecurrentActivationName, layer.ActivationName },
        _ => new[] { layer.ActivationName },
    };

    /// <summary>A Keras activation the recurrent kernel runs, as an ONNX recurrent activation (with alpha, beta when it takes them).</summary>
    private static (string Name, float? Alpha, float? Beta) Activation(OnnxConversionContext ctx, string keras) => keras switch
    {
        "tanh" => ("Tanh", null, null),
        "sigmoid" => ("Sigmoid", null, null),
        "relu" => ("Relu", null, null),
        "linear" => ("Affine", 1f, 0f),
        // Keras 3's hard sigmoid clip(x/6 + 0.5, 0, 1); Keras 2's clip(0.2x + 0.5, 0, 1).
        "hard_sigmoid" => ("HardSigmoid", 1f / 6f, 0.5f),
        "hard_sigmoid_keras2" => ("HardSigmoid", 0.2f, 0.5f),
        _ => throw OnnxConversionContext.Unsupported(ctx.Layer, $"the activation \"{keras}\" has no ONNX recurrent activation"),
    };

    /// <summary>A Keras kernel (rows, G·units) as ONNX's (G·units, rows), gate blocks reordered.</summary>
    private static void Transposed(float[] kernel, int rows, int[] order, int units, Span<float> dst)
    {
        int cols = order.Length * units;
        for (int gate = 0; gate < order.Length; gate++)
            for (int j = 0; j < units; j++)
            {
                int src = order[gate] * units + j, row = gate * units + j;
                for (int i = 0; i < rows; i++) dst[row * rows + i] = kernel[i * cols + src];
            }
    }

    /// <summary>A bias vector (G·units) with its gate blocks in ONNX's order.</summary>
    private static void Reordered(ReadOnlySpan<float> bias, int[] order, int units, Span<float> dst)
    {
        for (int gate = 0; gate < order.Length; gate++) bias.Slice(order[gate] * units, units).CopyTo(dst.Slice(gate * units, units));
    }

    /// <summary>
    /// One layer on the Keras-layout (batch, time, features) input <paramref name="x"/>, with optional initial states
    /// (batch, units): Keras's outputs (output, then the final states with return_state), all in Keras's layout.
    /// </summary>
    public static List<string> ConvertSingle(OnnxConversionContext ctx, BaseRNN layer, string x, IReadOnlyList<string> initialStates)
    {
        string hint = layer.Name;
        var xt = SwapBatchAndTime(ctx, x, $"{hint}/time_major");
        string? h0 = initialStates.Count > 0 ? Unsqueeze(ctx, initialStates[0], 0, $"{hint}/initial_h") : null;
        string? c0 = initialStates.Count > 1 ? Unsqueeze(ctx, initialStates[1], 0, $"{hint}/initial_c") : null;
        var op = Emit(ctx, hint, new[] { layer }, layer.GoBackwards ? "reverse" : "forward", xt, h0, c0);

        string h = Squeeze(ctx, op.Yh, 0, layer.ReturnSequences ? $"{hint}/h" : hint);
        var outs = new List<string>();
        if (layer.ReturnSequences)
        {
            var y = Squeeze(ctx, op.Y, 1, $"{hint}/y");
            // ONNX's reverse direction writes each step's output at that step's position; Keras (and Cortex) with
            // go_backwards return the outputs in processing order, i.e. reversed in time.
            if (layer.GoBackwards) y = Reverse(ctx, y, 0, $"{hint}/y_processing_order");
            outs.Add(SwapBatchAndTime(ctx, y, hint));
        }
        else outs.Add(h);
        if (layer.ReturnState)
        {
            outs.Add(h);
            if (op.Yc is not null) outs.Add(Squeeze(ctx, op.Yc, 0, $"{hint}/c"));
        }
        return outs;
    }
}

/// <summary>
/// SimpleRNN, LSTM, GRU → ONNX <c>RNN</c> / <c>LSTM</c> / <c>GRU</c> between two Transposes (Keras's batch-major ↔
/// ONNX's time-major), the output picked from Y (return_sequences) or Y_h, final states from Y_h / Y_c (return_state),
/// initial states (extra inputs) as initial_h / initial_c. go_backwards → direction "reverse" with Y reversed back
/// to Keras's processing order. Stateful layers are refused. Dropout vanishes (inference).
/// </summary>
internal sealed class RecurrentConverter : IOnnxLayerConverter
{
    public IReadOnlyList<OnnxValue> Convert(OnnxConversionContext ctx, Layer layer, IReadOnlyList<OnnxValue> inputs)
    {
        var rnn = (BaseRNN)layer;
        OnnxRecurrent.CheckExportable(rnn, rnn);
        var x = ctx.Get(inputs[0], OnnxLayout.Keras);
        var states = inputs.Skip(1).Select(v => ctx.Get(v, OnnxLayout.Keras)).ToList();
        var outs = OnnxRecurrent.ConvertSingle(ctx, rnn, x, states);
        return outs.Select((name, i) => ctx.Result(name, OnnxLayout.Keras, i)).ToList();
    }
}

/// <summary>
/// Bidirectional(layer, merge_mode) → one ONNX recurrent node with direction "bidirectional" (forward and backward
/// weights stacked), whose two directions are taken apart (<c>Gather</c> on the direction axis) and merged: concat
/// (<c>Concat</c> on the last axis), sum, mul, ave (<c>Add</c>/<c>Mul</c>), or both outputs for merge_mode=None.
/// ONNX's backward direction already returns its outputs in input time order, as Keras's merge uses them. A custom
/// backward_layer of another type or configuration (or a forward layer with go_backwards) becomes two
/// single-direction nodes instead.
/// </summary>
internal sealed class BidirectionalConverter : IOnnxLayerConverter
{
    public IReadOnlyList<OnnxValue> Convert(OnnxConversionContext ctx, Layer layer, IReadOnlyList<OnnxValue> inputs)
    {
        var bi = (Bidirectional)layer;
        BaseRNN f = bi.ForwardLayer, b = bi.BackwardLayer;
        OnnxRecurrent.CheckExportable(bi, f);
        OnnxRecurrent.CheckExportable(bi, b);
        string hint = bi.Name;
        var x = ctx.Get(inputs[0], OnnxLayout.Keras);
        var states = inputs.Skip(1).Select(v => ctx.Get(v, OnnxLayout.Keras)).ToList();
        List<string> fStates = states.Take(f.StateCount).ToList(), bStates = states.Skip(f.StateCount).ToList();

        string yf, yb;
        var finals = new List<string>();
        if (Fused(f, b))
        {
            var xt = SwapBatchAndTime(ctx, x, $"{hint}/time_major");
            string? h0 = null, c0 = null;
            if (states.Count > 0)
            {
                h0 = Stack(ctx, fStates[0], bStates[0], $"{hint}/initial_h");
                if (f.StateCount == 2) c0 = Stack(ctx, fStates[1], bStates[1], $"{hint}/initial_c");
            }
            var op = OnnxRecurrent.Emit(ctx, hint, new[] { f, b }, "bidirectional", xt, h0, c0);
            if (bi.ReturnSequences)
            {
                yf = SwapBatchAndTime(ctx, Take(ctx, op.Y, 0, 1, $"{hint}/forward_time_major"), $"{hint}/forward");
                yb = SwapBatchAndTime(ctx, Take(ctx, op.Y, 1, 1, $"{hint}/backward_time_major"), $"{hint}/backward");
            }
            else
            {
                yf = Take(ctx, op.Yh, 0, 0, $"{hint}/forward_h");
                yb = Take(ctx, op.Yh, 1, 0, $"{hint}/backward_h");
            }
            if (bi.ReturnState)
            {
                foreach (int d in new[] { 0, 1 })
                {
                    var side = d == 0 ? "forward" : "backward";
                    finals.Add(bi.ReturnSequences ? Take(ctx, op.Yh, d, 0, $"{hint}/{side}_h") : d == 0 ? yf : yb);
                    if (op.Yc is not null) finals.Add(Take(ctx, op.Yc, d, 0, $"{hint}/{side}_c"));
                }
            }
        }
        else
        {
            var fo = OnnxRecurrent.ConvertSingle(ctx, f, x, fStates);
            var bo = OnnxRecurrent.ConvertSingle(ctx, b, x, bStates);
            yf = fo[0];
            yb = bi.ReturnSequences ? Reverse(ctx, bo[0], 1, $"{hint}/backward") : bo[0];
            finals.AddRange(fo.Skip(1));
            finals.AddRange(bo.Skip(1));
        }

        var outs = new List<string>();
        switch (bi.MergeMode)
        {
            case null: outs.Add(yf); outs.Add(yb); break;
            case "concat": outs.Add(ctx.AddNode("Concat", new[] { yf, yb }, hint, OnnxAttributeProto.Int("axis", -1))); break;
            case "sum": outs.Add(ctx.AddNode("Add", new[] { yf, yb }, hint)); break;
            case "mul": outs.Add(ctx.AddNode("Mul", new[] { yf, yb }, hint)); break;
            case "ave":
                var sum = ctx.AddNode("Add", new[] { yf, yb }, $"{hint}/sum");
                outs.Add(ctx.AddNode("Mul", new[] { sum, ctx.AddScalar($"{hint}/half", 0.5f) }, hint));
                break;
            default: throw OnnxConversionContext.Unsupported(bi, $"merge_mode \"{bi.MergeMode}\" has no ONNX mapping");
        }
        outs.AddRange(finals);
        return outs.Select((name, i) => ctx.Result(name, OnnxLayout.Keras, i)).ToList();
    }

    /// <summary>Whether one "bidirectional" node computes both layers: same type and configuration, forward then backward.</summary>
    private static bool Fused(BaseRNN f, BaseRNN b)
        => f.GetType() == b.GetType() && !f.GoBackwards && b.GoBackwards && f.Units == b.Units && f.UseBias == b.UseBias
           && f.ActivationName == b.ActivationName && f.RecurrentActivationName == b.RecurrentActivationName
           && f.Kernel.Value.Shape[0] == b.Kernel.Value.Shape[0]
           && (f is not GRU gf || gf.ResetAfter == ((GRU)b).ResetAfter);

    /// <summary>Two (batch, units) states as ONNX's (2, batch, units).</summary>
    private static string Stack(OnnxConversionContext ctx, string forward, string backward, string hint)
        => ctx.AddNode("Concat", new[] { Unsqueeze(ctx, forward, 0, $"{hint}/forward"), Unsqueeze(ctx, backward, 0, $"{hint}/backward") },
            hint, OnnxAttributeProto.Int("axis", 0));
}
