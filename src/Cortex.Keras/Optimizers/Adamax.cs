using System.Numerics;
using System.Runtime.InteropServices;

namespace Cortex.Keras.Optimizers;

/// <summary>
/// Adamax (Keras's <c>keras.optimizers.Adamax</c>): Adam with the infinity norm in place of the second moment.
/// </summary>
/// <remarks>
/// <para>With slots <c>momentum</c> m and <c>norm</c> u (starting at 0) and t = iterations + 1, per step:</para>
/// <para>m ← m + (g − m)·(1 − β₁); u ← max(β₂·u, |g|); w ← w − lr·m / ((1 − β₁ᵗ)·(u + ε)).</para>
/// <para>PyTorch adds ε inside the max instead; the two agree when ε = 0.</para>
/// <para>Defaults (Keras 3): learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7, name "adamax".</para>
/// </remarks>
public sealed class Adamax : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">The step size. Defaults to 0.001.</param>
    /// <param name="beta1">Decay rate β₁ of the first-moment estimate. Defaults to 0.9.</param>
    /// <param name="beta2">Decay rate β₂ of the weighted infinity norm. Defaults to 0.999.</param>
    /// <param name="epsilon">ε. Defaults to 1e-7.</param>
    public Adamax(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f) : base(learningRate, "adamax")
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
    }

    /// <summary>β₁.</summary>
    public float Beta1 { get; }
    /// <summary>β₂.</summary>
    public float Beta2 { get; }
    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    protected override void CreateSlots(Variable variable)
    {
        Slot(variable, "momentum");
        Slot(variable, "norm");
    }

    /// <summary>Keras creates momentum and norm together, interleaved per variable.</summary>
    protected override int SlotGroup(string slotName, int kindIndex) => 0;

    /// <inheritdoc/>
    protected override void UpdateStep(ReadOnlySpan<float> gradient, Variable variable, float learningRate)
    {
        double t = Iterations + 1;
        float b2 = Beta2, c1 = 1f - Beta1, eps = Epsilon;
        float corr = (float)(1 - Math.Pow(Beta1, t));
        float lr = learningRate;
        var w = variable.Value.Span;
        var m = Slot(variable, "momentum");
        var u = Slot(variable, "norm");
        var wv = MemoryMarshal.Cast<float, Vector<float>>(w);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(gradient);
        var mv = MemoryMarshal.Cast<float, Vector<float>>(m);
        var uv = MemoryMarshal.Cast<float, Vector<float>>(u);
        var vlr = new Vector<float>(lr);
        var vb2 = new Vector<float>(b2);
        var vc1 = new Vector<float>(c1);
        var vcorr = new Vector<float>(corr);
        var veps = new Vector<float>(eps);
        for (int j = 0; j < wv.Length; j++)
        {
            var gj = gv[j];
            var mj = mv[j] + (gj - mv[j]) * vc1;
            mv[j] = mj;
            var uj = Vector.Max(vb2 * uv[j], Vector.Abs(gj));
            uv[j] = uj;
            wv[j] -= vlr * mj / (vcorr * (uj + veps));
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            float gi = gradient[i];
            float mi = m[i] + (gi - m[i]) * c1;
            m[i] = mi;
            float ui = MathF.Max(b2 * u[i], MathF.Abs(gi));
            u[i] = ui;
            w[i] -= lr * mi / (corr * (ui + eps));
        }
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["beta_1"] = Beta1;
        c["beta_2"] = Beta2;
        c["epsilon"] = Epsilon;
        return c;
    }
}
