using System.Numerics.Tensors;

namespace Cortex.Kernels;

/// <summary>The recurrent cells the fused sequence kernel runs.</summary>
public enum RecurrentCellKind
{
    /// <summary>h = act(x·W + h·U + b); one gate block.</summary>
    SimpleRnn,
    /// <summary>Keras's LSTM: gate blocks i, f, c, o in the kernel columns.</summary>
    Lstm,
    /// <summary>Keras's GRU with reset_after=true (Keras 3 default, the cuDNN and PyTorch convention): blocks z, r, h; bias (2, 3u).</summary>
    Gru,
    /// <summary>Keras 2's GRU with reset_after=false: the reset gate multiplies h before the recurrent matmul; bias (3u).</summary>
    GruResetBefore,
}

/// <summary>The element-wise functions the fused kernel can apply to gates (each has a derivative computable from its output).</summary>
public enum RecurrentActivationKind
{
    /// <summary>f(x) = x.</summary>
    Linear,
    /// <summary>tanh(x).</summary>
    Tanh,
    /// <summary>1 / (1 + e⁻ˣ).</summary>
    Sigmoid,
    /// <summary>clip(slope·x + offset, 0, 1).</summary>
    HardSigmoid,
    /// <summary>max(x, 0).</summary>
    Relu,
}

/// <summary>A gate activation of the fused kernel; <see cref="Slope"/> and <see cref="Offset"/> are used by hard sigmoid only.</summary>
public readonly record struct RecurrentActivation(RecurrentActivationKind Kind, float Slope = 1f / 6f, float Offset = 0.5f)
{
    /// <summary>In-place activation of a span.</summary>
    internal void Apply(Span<float> v)
    {
        switch (Kind)
        {
            case RecurrentActivationKind.Tanh: TensorPrimitives.Tanh(v, v); break;
            case RecurrentActivationKind.Sigmoid: TensorPrimitives.Sigmoid(v, v); break;
            case RecurrentActivationKind.Relu: TensorPrimitives.Max(v, 0f, v); break;
            case RecurrentActivationKind.HardSigmoid:
                TensorPrimitives.Multiply(v, Slope, v);
                TensorPrimitives.Add(v, Offset, v);
                TensorPrimitives.Max(v, 0f, v);
                TensorPrimitives.Min(v, 1f, v);
                break;
        }
    }

    /// <summary>The derivative at the point whose output is <paramref name="y"/>.</summary>
    internal float Derivative(float y) => Kind switch
    {
        RecurrentActivationKind.Tanh => 1f - y * y,
        RecurrentActivationKind.Sigmoid => y * (1f - y),
        RecurrentActivationKind.Relu => y > 0f ? 1f : 0f,
        RecurrentActivationKind.HardSigmoid => y > 0f && y < 1f ? Slope : 0f,
        _ => 1f,
    };
}

/// <summary>The sizes and options of one fused recurrent pass.</summary>
internal readonly record struct RecurrentGeometry(RecurrentCellKind Cell, int Batch, int Steps, int InputDim, int Units,
    RecurrentActivation Activation, RecurrentActivation RecurrentActivation, bool GoBackwards, bool ZeroOutputForMask)
{
    /// <summary>Gate blocks per step: 1 (SimpleRNN), 4 (LSTM) or 3 (GRU).</summary>
    public int GateBlocks => Cell switch { RecurrentCellKind.SimpleRnn => 1, RecurrentCellKind.Lstm => 4, _ => 3 };
    /// <summary>Gate columns: blocks × units.</summary>
    public int G => GateBlocks * Units;
    /// <summary>Whether the cell carries a cell state c (LSTM).</summary>
    public bool HasCellState => Cell == RecurrentCellKind.Lstm;
    /// <summary>The time index of the input that processing step <paramref name="s"/> reads.</summary>
    public int TimeOf(int s) => GoBackwards ? Steps - 1 - s : s;
}

/// <summary>
/// What the forward pass keeps for backward through time, all batch-major with row <c>b·T + t</c> (t the input's time
/// index) so that the weight gradients are one GEMM over every step.
/// </summary>
internal ref struct RecurrentTrace
{
    /// <summary>(B·T, G): the gates' activations (LSTM i, f, c̃, o; GRU z, r, h̃; SimpleRNN h).</summary>
    public Span<float> Gates;
    /// <summary>(B·T, u): the hidden state entering each step.</summary>
    public Span<float> HPrev;
    /// <summary>(B·T, u): the recurrent matmul's input (h after recurrent dropout); aliases HPrev without dropout.</summary>
    public Span<float> HIn;
    /// <summary>LSTM: (B·T, u) the cell state entering each step.</summary>
    public Span<float> CPrev;
    /// <summary>LSTM: activation(c) of the step's new cell state. GRU: the candidate's recurrent part (h·U_h + b_rh) after
    /// reset (reset_after) or r ⊙ h_in (reset before).</summary>
    public Span<float> Extra;
}

/// <summary>
/// The fused recurrent kernels: the input projection of all steps as one GEMM, then per step one GEMM h·U and one
/// fused gate pass; backward through time with the same structure and one GEMM each for dX, dW and dU at the end.
/// </summary>
internal static class RecurrentKernels
{
    /// <summary>
    /// Forward pass. <paramref name="output"/> is (B, T + states, u): rows 0..T−1 the outputs in processing order,
    /// then h_T (and c_T for LSTM). <paramref name="scratch"/> holds at least B·G + 2·B·u floats.
    /// </summary>
    public static void Forward(in RecurrentGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> kernel, ReadOnlySpan<float> recurrent,
        ReadOnlySpan<float> bias, ReadOnlySpan<float> h0, ReadOnlySpan<float> c0, ReadOnlySpan<float> mask, ReadOnlySpan<float> recDropout,
        RecurrentTrace tr, Span<float> output, Span<float> scratch)
    {
        int B = g.Batch, T = g.Steps, I = g.InputDim, u = g.Units, G = g.G, outRows = T + (g.HasCellState ? 2 : 1);
        bool gru = g.Cell is RecurrentCellKind.Gru or RecurrentCellKind.GruResetBefore;
        // 1. Input projection of every step: one GEMM (B·T, I)·(I, G), then the input bias.
        Gemm.Sgemm(false, false, B * T, G, I, 1f, x, I, kernel, G, 0f, tr.Gates, G);
        var inBias = bias.IsEmpty ? bias : bias[..G];
        var recBias = g.Cell == RecurrentCellKind.Gru && !bias.IsEmpty ? bias.Slice(G, G) : ReadOnlySpan<float>.Empty;
        if (!inBias.IsEmpty) for (int r = 0; r < B * T; r++) TensorPrimitives.Add(tr.Gates.Slice(r * G, G), inBias, tr.Gates.Slice(r * G, G));

        var rec = scratch[..(B * G)];
        var h = scratch.Slice(B * G, B * u);
        var c = scratch.Slice(B * G + B * u, B * u);
        h0.CopyTo(h);
        if (g.HasCellState) c0.CopyTo(c);
        bool dropped = !recDropout.IsEmpty;
        for (int s = 0; s < T; s++)
        {
            int t = g.TimeOf(s);
            // 2. Keep the entering state; the recurrent matmul's input is h (after recurrent dropout).
            for (int b = 0; b < B; b++)
            {
                var hb = h.Slice(b * u, u);
                hb.CopyTo(tr.HPrev.Slice((b * T + t) * u, u));
                if (dropped) TensorPrimitives.Multiply(hb, recDropout.Slice(b * u, u), tr.HIn.Slice((b * T + t) * u, u));
                if (g.HasCellState) c.Slice(b * u, u).CopyTo(tr.CPrev.Slice((b * T + t) * u, u));
            }
            var hin = tr.HIn[(t * u)..];
            if (g.Cell == RecurrentCellKind.GruResetBefore)
                Gemm.Sgemm(false, false, B, 2 * u, u, 1f, hin, T * u, recurrent, G, 0f, rec, G);   // z and r blocks only
            else
                Gemm.Sgemm(false, false, B, G, u, 1f, hin, T * u, recurrent, G, 0f, rec, G);
            // 3. The fused gate pass.
            for (int b = 0; b < B; b++)
            {
                int row = b * T + t;
                var gates = tr.Gates.Slice(row * G, G);
                var rb = rec.Slice(b * G, G);
                var hb = h.Slice(b * u, u);
                float m = mask.IsEmpty ? 1f : mask[b * T + t];
                var outRow = output.Slice((b * outRows + s) * u, u);
                switch (g.Cell)
                {
                    case RecurrentCellKind.SimpleRnn:
                        TensorPrimitives.Add(gates, rb, gates);
                        g.Activation.Apply(gates);
                        Carry(hb, gates, m);
                        break;
                    case RecurrentCellKind.Lstm:
                    {
                        TensorPrimitives.Add(gates, rb, gates);
                        g.RecurrentActivation.Apply(gates[..(2 * u)]);
                        g.Activation.Apply(gates.Slice(2 * u, u));
                        g.RecurrentActivation.Apply(gates.Slice(3 * u, u));
                        var cb = c.Slice(b * u, u);
                        var tc = tr.Extra.Slice(row * u, u);
                        for (int j = 0; j < u; j++) tc[j] = gates[u + j] * cb[j] + gates[j] * gates[2 * u + j];
                        var cNew = rb[..u];                                    // rb is consumed: reuse its start
                        tc.CopyTo(cNew);
                        g.Activation.Apply(tc);
                        for (int j = 0; j < u; j++)
                        {
                            float hn = gates[3 * u + j] * tc[j];
                            hb[j] = m * hn + (1f - m) * hb[j];
                            cb[j] = m * cNew[j] + (1f - m) * cb[j];
                        }
                        break;
                    }
                    default:
                    {
                        if (!recBias.IsEmpty) TensorPrimitives.Add(rb, recBias, rb);
                        var zr = gates[..(2 * u)];
                        if (g.Cell == RecurrentCellKind.Gru)
                        {
                            TensorPrimitives.Add(zr, rb[..(2 * u)], zr);
                            g.RecurrentActivation.Apply(zr);
                            var rh = tr.Extra.Slice(row * u, u);
                            TensorPrimitives.Multiply(gates.Slice(u, u), rb.Slice(2 * u, u), rh);   // r ⊙ (h·U_h + b_rh)
                            var hh = gates.Slice(2 * u, u);
                            TensorPrimitives.Add(hh, rh, hh);
                            rb.Slice(2 * u, u).CopyTo(rh);                     // keep (h·U_h + b_rh) for dr
                            g.Activation.Apply(hh);
                        }
                        else
                        {
                            TensorPrimitives.Add(zr, rb[..(2 * u)], zr);
                            g.RecurrentActivation.Apply(zr);
                            // r ⊙ h_in, the candidate's recurrent input (its matmul runs for all rows after this pass)
                            TensorPrimitives.Multiply(gates.Slice(u, u), tr.HIn.Slice(row * u, u), tr.Extra.Slice(row * u, u));
                            continue;
                        }
                        GruBlend(hb, gates, m, u);
                        break;
                    }
                }
                if (!g.ZeroOutputForMask || m != 0f) hb.CopyTo(outRow); else outRow.Clear();
            }
            if (g.Cell == RecurrentCellKind.GruResetBefore)
            {
                // (r ⊙ h_in)·U_h for all rows, then the candidate and the blend.
                Gemm.Sgemm(false, false, B, u, u, 1f, tr.Extra[(t * u)..], T * u, recurrent[(2 * u)..], G, 0f, rec, G);
                for (int b = 0; b < B; b++)
                {
                    int row = b * T + t;
                    var gates = tr.Gates.Slice(row * G, G);
                    var hh = gates.Slice(2 * u, u);
                    TensorPrimitives.Add(hh, rec.Slice(b * G, u), hh);
                    g.Activation.Apply(hh);
                    float m = mask.IsEmpty ? 1f : mask[b * T + t];
                    var hb = h.Slice(b * u, u);
                    GruBlend(hb, gates, m, u);
                    var outRow = output.Slice((b * outRows + s) * u, u);
                    if (!g.ZeroOutputForMask || m != 0f) hb.CopyTo(outRow); else outRow.Clear();
                }
            }
        }
        for (int b = 0; b < B; b++)
        {
            h.Slice(b * u, u).CopyTo(output.Slice((b * outRows + T) * u, u));
            if (g.HasCellState) c.Slice(b * u, u).CopyTo(output.Slice((b * outRows + T + 1) * u, u));
        }
    }

    private static void Carry(Span<float> h, ReadOnlySpan<float> hNew, float m)
    {
        if (m == 1f) hNew.CopyTo(h);
        else if (m != 0f) for (int j = 0; j < h.Length; j++) h[j] = m * hNew[j] + (1f - m) * h[j];
    }

    private static void GruBlend(Span<float> h, ReadOnlySpan<float> gates, float m, int u)
    {
        for (int j = 0; j < u; j++)
        {
            float z = gates[j], hn = z * h[j] + (1f - z) * gates[2 * u + j];
            h[j] = m * hn + (1f - m) * h[j];
        }
    }

    /// <summary>
    /// Backward through time. <paramref name="dOut"/> is the gradient of the packed output. Writes the pre-activation
    /// gradients into <paramref name="dGx"/> (input side) and <paramref name="dGh"/> (recurrent side; the same span
    /// except for GRU reset_after), and the initial states' gradients into <paramref name="dh0"/> / <paramref name="dc0"/>.
    /// The caller then forms dX, dW, dU and the bias gradients with <see cref="WeightGradients"/>.
    /// <paramref name="scratch"/> holds at least 4·B·u floats.
    /// </summary>
    public static void Backward(in RecurrentGeometry g, ReadOnlySpan<float> recurrent, ReadOnlySpan<float> mask, ReadOnlySpan<float> recDropout,
        RecurrentTrace tr, ReadOnlySpan<float> dOut, Span<float> dGx, Span<float> dGh, Span<float> dh0, Span<float> dc0, Span<float> scratch)
    {
        int B = g.Batch, T = g.Steps, u = g.Units, G = g.G, outRows = T + (g.HasCellState ? 2 : 1);
        bool separate = g.Cell == RecurrentCellKind.Gru;
        var dh = dh0; var dc = dc0;                    // the running gradients of the carried states
        var dhRec = scratch[..(B * u)];
        var dRh = scratch.Slice(B * u, B * u);
        for (int b = 0; b < B; b++)
        {
            dOut.Slice((b * outRows + T) * u, u).CopyTo(dh.Slice(b * u, u));
            if (g.HasCellState) dOut.Slice((b * outRows + T + 1) * u, u).CopyTo(dc.Slice(b * u, u));
        }
        var actR = g.RecurrentActivation; var act = g.Activation;
        for (int s = T - 1; s >= 0; s--)
        {
            int t = g.TimeOf(s);
            for (int b = 0; b < B; b++)
            {
                int row = b * T + t;
                float m = mask.IsEmpty ? 1f : mask[row];
                var dhb = dh.Slice(b * u, u);
                var dy = dOut.Slice((b * outRows + s) * u, u);
                if (!g.ZeroOutputForMask || m != 0f) TensorPrimitives.Add(dhb, dy, dhb);
                var gates = tr.Gates.Slice(row * G, G);
                var dg = dGx.Slice(row * G, G);
                var hPrev = tr.HPrev.Slice(row * u, u);
                switch (g.Cell)
                {
                    case RecurrentCellKind.SimpleRnn:
                        for (int j = 0; j < u; j++) { dg[j] = m * dhb[j] * act.Derivative(gates[j]); dhb[j] *= 1f - m; }
                        break;
                    case RecurrentCellKind.Lstm:
                    {
                        var dcb = dc.Slice(b * u, u);
                        var tc = tr.Extra.Slice(row * u, u);
                        var cPrev = tr.CPrev.Slice(row * u, u);
                        for (int j = 0; j < u; j++)
                        {
                            float i = gates[j], f = gates[u + j], cc = gates[2 * u + j], o = gates[3 * u + j];
                            float dhc = m * dhb[j];
                            float dct = m * dcb[j] + dhc * o * act.Derivative(tc[j]);
                            dg[j] = dct * cc * actR.Derivative(i);
                            dg[u + j] = dct * cPrev[j] * actR.Derivative(f);
                            dg[2 * u + j] = dct * i * act.Derivative(cc);
                            dg[3 * u + j] = dhc * tc[j] * actR.Derivative(o);
                            dcb[j] = dct * f + (1f - m) * dcb[j];
                            dhb[j] *= 1f - m;
                        }
                        break;
                    }
                    case RecurrentCellKind.Gru:
                    {
                        var rh = tr.Extra.Slice(row * u, u);
                        var dgh = dGh.Slice(row * G, G);
                        for (int j = 0; j < u; j++)
                        {
                            float z = gates[j], r = gates[u + j], hh = gates[2 * u + j];
                            float dhc = m * dhb[j];
                            float dhhPre = dhc * (1f - z) * act.Derivative(hh);
                            float dz = dhc * (hPrev[j] - hh) * actR.Derivative(z);
                            float dr = dhhPre * rh[j] * actR.Derivative(r);
                            dg[j] = dgh[j] = dz;
                            dg[u + j] = dgh[u + j] = dr;
                            dg[2 * u + j] = dhhPre;
                            dgh[2 * u + j] = dhhPre * r;
                            dhb[j] = dhc * z + (1f - m) * dhb[j];
                        }
                        break;
                    }
                    default:
                        for (int j = 0; j < u; j++)
                        {
                            float z = gates[j], hh = gates[2 * u + j];
                            float dhc = m * dhb[j];
                            dg[2 * u + j] = dhc * (1f - z) * act.Derivative(hh);
                            dg[j] = dhc * (hPrev[j] - hh) * actR.Derivative(z);
                            dhb[j] = dhc * z + (1f - m) * dhb[j];
                        }
                        break;
                }
            }
            // The recurrent matmul's input gradient, one GEMM for the step (two for GRU with the reset gate first).
            var dgRec = (separate ? dGh : dGx)[(t * G)..];
            if (g.Cell == RecurrentCellKind.GruResetBefore)
            {
                Gemm.Sgemm(false, true, B, u, u, 1f, dgRec[(2 * u)..], T * G, recurrent[(2 * u)..], G, 0f, dRh, u);   // d(r ⊙ h_in)
                for (int b = 0; b < B; b++)
                {
                    int row = b * T + t;
                    var gates = tr.Gates.Slice(row * G, G);
                    var dg = dGx.Slice(row * G, G);
                    var hin = tr.HIn.Slice(row * u, u);
                    var d = dRh.Slice(b * u, u);
                    for (int j = 0; j < u; j++)
                    {
                        float r = gates[u + j];
                        dg[u + j] = d[j] * hin[j] * actR.Derivative(r);
                        d[j] *= r;                                        // now d h_in from the candidate
                    }
                }
                Gemm.Sgemm(false, true, B, u, 2 * u, 1f, dgRec, T * G, recurrent, G, 1f, dRh, u);
                AddRecurrentGradient(dh, dRh, recDropout);
            }
            else
            {
                Gemm.Sgemm(false, true, B, u, G, 1f, dgRec, T * G, recurrent, G, 0f, dhRec, u);
                AddRecurrentGradient(dh, dhRec, recDropout);
            }
        }
    }

    private static void AddRecurrentGradient(Span<float> dh, Span<float> dhIn, ReadOnlySpan<float> recDropout)
    {
        if (!recDropout.IsEmpty) TensorPrimitives.Multiply(dhIn, recDropout, dhIn);
        TensorPrimitives.Add(dh, dhIn, dh);
    }

    /// <summary>dX = dGx·Wᵀ, dW = Xᵀ·dGx, dU = H_inᵀ·dGh (GRU reset-before: (r⊙h_in)ᵀ for the candidate block), bias sums.</summary>
    public static void WeightGradients(in RecurrentGeometry g, ReadOnlySpan<float> x, ReadOnlySpan<float> kernel, RecurrentTrace tr,
        ReadOnlySpan<float> dGx, ReadOnlySpan<float> dGh, Span<float> dx, Span<float> dKernel, Span<float> dRecurrent, Span<float> dBias)
    {
        int B = g.Batch, T = g.Steps, I = g.InputDim, u = g.Units, G = g.G, n = B * T;
        if (!dx.IsEmpty) Gemm.Sgemm(false, true, n, I, G, 1f, dGx, G, kernel, G, 0f, dx, I);
        if (!dKernel.IsEmpty) Gemm.Sgemm(true, false, I, G, n, 1f, x, I, dGx, G, 0f, dKernel, G);
        if (!dRecurrent.IsEmpty)
        {
            if (g.Cell == RecurrentCellKind.GruResetBefore)
            {
                Gemm.Sgemm(true, false, u, 2 * u, n, 1f, tr.HIn, u, dGx, G, 0f, dRecurrent, G);
                Gemm.Sgemm(true, false, u, u, n, 1f, tr.Extra, u, dGx[(2 * u)..], G, 0f, dRecurrent[(2 * u)..], G);
            }
            else Gemm.Sgemm(true, false, u, G, n, 1f, tr.HIn, u, dGh, G, 0f, dRecurrent, G);
        }
        if (!dBias.IsEmpty)
        {
            ColumnSums(dGx, n, G, dBias[..G]);
            if (g.Cell == RecurrentCellKind.Gru) ColumnSums(dGh, n, G, dBias.Slice(G, G));
        }
    }

    private static void ColumnSums(ReadOnlySpan<float> a, int rows, int cols, Span<float> sums)
    {
        sums.Clear();
        for (int r = 0; r < rows; r++) TensorPrimitives.Add(sums, a.Slice(r * cols, cols), sums);
    }
}
