using System.Numerics;
using System.Runtime.InteropServices;

namespace Cortex.Keras.Optimizers;

/// <summary>
/// Adadelta (Keras's <c>keras.optimizers.Adadelta</c>): steps scaled by the ratio of running RMS of past updates to
/// running RMS of gradients.
/// </summary>
/// <remarks>
/// <para>With slots <c>accumulated_grad</c> E[g²] and <c>accumulated_delta_var</c> E[Δ²] (both starting at 0), per step:</para>
/// <para>E[g²] ← ρ·E[g²] + (1 − ρ)·g²; Δ = −√(E[Δ²] + ε)·g / √(E[g²] + ε); E[Δ²] ← ρ·E[Δ²] + (1 − ρ)·Δ²;
/// w ← w + lr·Δ.</para>
/// <para>Defaults (Keras 3): learning_rate 0.001 (the paper's form uses 1.0), rho 0.95, epsilon 1e-7, name "adadelta".</para>
/// </remarks>
public sealed class Adadelta : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">The step size. Defaults to 0.001.</param>
    /// <param name="rho">Decay rate ρ. Defaults to 0.95.</param>
    /// <param name="epsilon">ε, added under both square roots. Defaults to 1e-7.</param>
    public Adadelta(float learningRate = 0.001f, float rho = 0.95f, float epsilon = 1e-7f) : base(learningRate, "adadelta")
    {
        Rho = rho;
        Epsilon = epsilon;
    }

    /// <summary>Decay rate ρ.</summary>
    public float Rho { get; }
    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    protected override void CreateSlots(Variable variable)
    {
        Slot(variable, "accumulated_grad");
        Slot(variable, "accumulated_delta_var");
    }

    /// <inheritdoc/>
    protected override void UpdateStep(ReadOnlySpan<float> gradient, Variable variable, float learningRate)
    {
        var w = variable.Value.Span;
        var eg = Slot(variable, "accumulated_grad");
        var ed = Slot(variable, "accumulated_delta_var");
        float lr = learningRate, rho = Rho, eps = Epsilon;
        var wv = MemoryMarshal.Cast<float, Vector<float>>(w);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(gradient);
        var egv = MemoryMarshal.Cast<float, Vector<float>>(eg);
        var edv = MemoryMarshal.Cast<float, Vector<float>>(ed);
        var vlr = new Vector<float>(lr);
        var vrho = new Vector<float>(rho);
        var vone = new Vector<float>(1f - rho);
        var veps = new Vector<float>(eps);
        for (int j = 0; j < wv.Length; j++)
        {
            var gj = gv[j];
            var egj = vrho * egv[j] + vone * (gj * gj);
            egv[j] = egj;
            var delta = -(Vector.SquareRoot(edv[j] + veps) * gj / Vector.SquareRoot(egj + veps));
            edv[j] = vrho * edv[j] + vone * (delta * delta);
            wv[j] += vlr * delta;
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            float gi = gradient[i];
            float egi = rho * eg[i] + (1f - rho) * (gi * gi);
            eg[i] = egi;
            float delta = -(MathF.Sqrt(ed[i] + eps) * gi / MathF.Sqrt(egi + eps));
            ed[i] = rho * ed[i] + (1f - rho) * (delta * delta);
            w[i] += lr * delta;
        }
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["rho"] = Rho;
        c["epsilon"] = Epsilon;
        return c;
    }
}
