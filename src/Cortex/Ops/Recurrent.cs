using Cortex.Autodiff;
using Cortex.Kernels;

namespace Cortex;

/// <summary>The options of <see cref="Ops.Recurrent"/>: the cell, its two activations, the direction and the masked-output rule.</summary>
/// <param name="Cell">SimpleRNN, LSTM, GRU (reset_after) or GRU with the reset gate before the matmul (Keras 2's reset_after=false).</param>
/// <param name="Activation">The candidate/output activation (Keras's <c>activation</c>, tanh by default).</param>
/// <param name="RecurrentActivation">The gates' activation (Keras's <c>recurrent_activation</c>; unused by SimpleRNN).</param>
/// <param name="GoBackwards">Process the sequence from its last step; outputs come in processing order, as Keras returns them.</param>
/// <param name="ZeroOutputForMask">Output zeros at masked steps instead of the previous output (Keras's <c>zero_output_for_mask</c>).</param>
public sealed record RecurrentOptions(RecurrentCellKind Cell, RecurrentActivation Activation, RecurrentActivation RecurrentActivation,
    bool GoBackwards = false, bool ZeroOutputForMask = false);

public static partial class Ops
{
    /// <summary>
    /// A whole recurrent layer's sequence computation, fused and differentiable (backward through time).
    /// </summary>
    /// <param name="options">The cell and its options.</param>
    /// <param name="x">Inputs (batch, timesteps, input_dim).</param>
    /// <param name="kernel">(input_dim, G·units), Keras's layout (G = 1, 4 or 3 gate blocks).</param>
    /// <param name="recurrentKernel">(units, G·units).</param>
    /// <param name="bias">(G·units), or (2, 3·units) for GRU reset_after (input bias, recurrent bias); null for none.</param>
    /// <param name="h0">Initial hidden state (batch, units).</param>
    /// <param name="c0">LSTM: initial cell state (batch, units); null otherwise.</param>
    /// <param name="mask">Optional (batch, timesteps) 1/0: a 0 step keeps the previous states (never differentiated).</param>
    /// <param name="recurrentDropoutMask">Optional (batch, units) multiplier of h before the recurrent matmul (never differentiated).</param>
    /// <returns>
    /// The packed result (batch, timesteps + S, units), S = 1 (h) or 2 (h, c): rows 0..T−1 the outputs in processing
    /// order, row T the final h, row T+1 the final c (LSTM). Slice it with <see cref="Slice"/>.
    /// </returns>
    public static Tensor Recurrent(RecurrentOptions options, Tensor x, Tensor kernel, Tensor recurrentKernel, Tensor? bias, Tensor h0,
        Tensor? c0 = null, Tensor? mask = null, Tensor? recurrentDropoutMask = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (x.Rank != 3) throw new ArgumentException($"Recurrent needs inputs of shape (batch, timesteps, features); got {x.ShapeString}.", nameof(x));
        int B = x.Dims[0], T = x.Dims[1], I = x.Dims[2];
        if (recurrentKernel.Rank != 2) throw new ArgumentException($"recurrent kernel must be 2-D; got {recurrentKernel.ShapeString}.", nameof(recurrentKernel));
        int u = recurrentKernel.Dims[0];
        var geo = new RecurrentGeometry(options.Cell, B, T, I, u, options.Activation, options.RecurrentActivation, options.GoBackwards, options.ZeroOutputForMask);
        int G = geo.G;
        Expect(kernel, nameof(kernel), I, G);
        Expect(recurrentKernel, nameof(recurrentKernel), u, G);
        if (bias is not null && bias.Size != (options.Cell == RecurrentCellKind.Gru ? 2 * G : G))
            throw new ArgumentException($"bias has shape {bias.ShapeString}; {options.Cell} with {u} units needs {(options.Cell == RecurrentCellKind.Gru ? $"(2, {G})" : $"({G})")}.", nameof(bias));
        Expect(h0, nameof(h0), B, u);
        if (geo.HasCellState) { if (c0 is null) throw new ArgumentNullException(nameof(c0), "an LSTM needs an initial cell state."); Expect(c0, nameof(c0), B, u); }
        if (mask is not null) Expect(mask, nameof(mask), B, T);
        if (recurrentDropoutMask is not null) Expect(recurrentDropoutMask, nameof(recurrentDropoutMask), B, u);

        int outRows = T + (geo.HasCellState ? 2 : 1);
        var y = Empty(new[] { B, outRows, u });
        var gates = Empty(new[] { B * T, G });
        var hPrev = Empty(new[] { B * T, u });
        var hIn = recurrentDropoutMask is null ? hPrev : Empty(new[] { B * T, u });
        var cPrev = geo.HasCellState ? Empty(new[] { B * T, u }) : null;
        var extra = options.Cell == RecurrentCellKind.SimpleRnn ? null : Empty(new[] { B * T, u });
        var scratch = Empty(new[] { B * G + 2 * B * u });
        var xs = x.Contiguous(); var ks = kernel.Contiguous(); var rs = recurrentKernel.Contiguous();
        var bs = bias?.Contiguous(); var hs = h0.Contiguous(); var cs = c0?.Contiguous();
        var ms = mask?.Contiguous(); var ds = recurrentDropoutMask?.Contiguous();
        RecurrentTrace Trace() => new()
        {
            Gates = gates.Span, HPrev = hPrev.Span, HIn = hIn.Span,
            CPrev = cPrev is null ? default : cPrev.Span, Extra = extra is null ? default : extra.Span,
        };
        RecurrentKernels.Forward(geo, xs.Span, ks.Span, rs.Span, Span(bs), hs.Span, Span(cs), Span(ms), Span(ds), Trace(), y.Span, scratch.Span);

        var inputs = c0 is null ? new[] { x, kernel, recurrentKernel, bias ?? h0, h0 } : new[] { x, kernel, recurrentKernel, bias ?? h0, h0, c0 };
        GradientTape.Record(y, inputs, g =>
        {
            var dGx = Empty(new[] { B * T, G });
            var dGh = options.Cell == RecurrentCellKind.Gru ? Empty(new[] { B * T, G }) : dGx;
            var dh0 = Empty(new[] { B, u });
            var dc0 = geo.HasCellState ? Empty(new[] { B, u }) : null;
            var sc = Empty(new[] { 2 * B * u });
            RecurrentKernels.Backward(geo, rs.Span, Span(ms), Span(ds), Trace(), Read(g), dGx.Span, dGh.Span, dh0.Span,
                dc0 is null ? default : dc0.Span, sc.Span);
            var dx = GradientTape.NeedsGradient(x) ? Empty(new[] { B, T, I }) : null;
            var dk = GradientTape.NeedsGradient(kernel) ? Empty((int[])kernel.Dims.Clone()) : null;
            var dr = GradientTape.NeedsGradient(recurrentKernel) ? Empty((int[])recurrentKernel.Dims.Clone()) : null;
            var db = bias is not null && GradientTape.NeedsGradient(bias) ? Empty((int[])bias.Dims.Clone()) : null;
            RecurrentKernels.WeightGradients(geo, xs.Span, ks.Span, Trace(), dGx.Span, dGh.Span,
                dx is null ? default : dx.Span, dk is null ? default : dk.Span, dr is null ? default : dr.Span, db is null ? default : db.Span);
            var grads = new Tensor?[inputs.Length];
            grads[0] = dx; grads[1] = dk; grads[2] = dr; grads[3] = bias is null ? null : db; grads[4] = dh0;
            if (c0 is not null) grads[5] = dc0;
            return grads;
        });
        return y;
    }

    private static ReadOnlySpan<float> Span(Tensor? t) => t is null ? default : t.Span;

    private static void Expect(Tensor t, string name, int rows, int cols)
    {
        if (t.Rank != 2 || t.Dims[0] != rows || t.Dims[1] != cols)
            throw new ArgumentException($"{name} has shape {t.ShapeString}; expected ({rows}, {cols}).", name);
    }
}

public static partial class Ops
{
    /// <summary>Reverses a (batch, timesteps, ...) tensor along its time axis (axis 1), differentiably.</summary>
    public static Tensor ReverseTime(Tensor x)
    {
        if (x.Rank < 2) throw new ArgumentException($"ReverseTime needs a tensor of rank 2 or more; got {x.ShapeString}.", nameof(x));
        var y = ReverseTimeRaw(x);
        GradientTape.Record(y, x, g => new[] { ReverseTimeRaw(g) });
        return y;
    }

    private static Tensor ReverseTimeRaw(Tensor x)
    {
        var y = Empty((int[])x.Dims.Clone());
        int B = x.Dims[0], T = x.Dims[1], inner = x.Size / Math.Max(B * T, 1);
        var s = Read(x); var d = y.Span;
        for (int b = 0; b < B; b++)
            for (int t = 0; t < T; t++)
                s.Slice((b * T + t) * inner, inner).CopyTo(d.Slice((b * T + T - 1 - t) * inner, inner));
        return y;
    }
}
