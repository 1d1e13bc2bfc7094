using System.Numerics;
using System.Runtime.InteropServices;

namespace Cortex.Keras.Optimizers;

/// <summary>
/// Adam (Keras's <c>keras.optimizers.Adam</c>): adaptive estimates of the first and second moments of the gradient.
/// </summary>
/// <remarks>
/// <para>With slots <c>momentum</c> m and <c>velocity</c> v (starting at 0) and t = iterations + 1, per step:</para>
/// <para>α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ); m ← m + (g − m)·(1 − β₁); v ← v + (g² − v)·(1 − β₂);
/// w ← w − α·m / (√v + ε).</para>
/// <para>ε is Kingma and Ba's "epsilon hat" (added after the bias correction is folded into α), so it is not the ε of
/// PyTorch's Adam; the two agree when ε = 0.</para>
/// <para>AMSGrad (slot <c>velocity_hat</c> v̂): v̂ ← max(v̂, v) and v̂ replaces v in the step.</para>
/// <para>Defaults (Keras 3): learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7, amsgrad false, name "adam".</para>
/// </remarks>
public sealed class Adam : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">The step size. Defaults to 0.001.</param>
    /// <param name="beta1">Decay rate β₁ of the first-moment estimate. Defaults to 0.9.</param>
    /// <param name="beta2">Decay rate β₂ of the second-moment estimate. Defaults to 0.999.</param>
    /// <param name="epsilon">ε ("epsilon hat"). Defaults to 1e-7.</param>
    /// <param name="amsgrad">Whether to use the AMSGrad variant. Defaults to false.</param>
    public Adam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f, bool amsgrad = false)
        : base(learningRate, "adam")
    {
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        Amsgrad = amsgrad;
    }

    /// <summary>β₁.</summary>
    public float Beta1 { get; }
    /// <summary>β₂.</summary>
    public float Beta2 { get; }
    /// <summary>ε.</summary>
    public float Epsilon { get; }
    /// <summary>Whether the AMSGrad variant is used.</summary>
    public bool Amsgrad { get; }

    /// <inheritdoc/>
    protected override void CreateSlots(Variable variable)
    {
        Slot(variable, "momentum");
        Slot(variable, "velocity");
        if (Amsgrad) Slot(variable, "velocity_hat");
    }

    /// <inheritdoc/>
    protected override void UpdateStep(ReadOnlySpan<float> gradient, Variable variable, float learningRate)
    {
        double t = Iterations + 1;
        float alpha = (float)(learningRate * Math.Sqrt(1 - Math.Pow(Beta2, t)) / (1 - Math.Pow(Beta1, t)));
        float c1 = 1f - Beta1, c2 = 1f - Beta2, eps = Epsilon;
        bool ams = Amsgrad;
        var w = variable.Value.Span;
        var m = Slot(variable, "momentum");
        var v = Slot(variable, "velocity");
        var vhat = ams ? Slot(variable, "velocity_hat") : Span<float>.Empty;

        var wv = MemoryMarshal.Cast<float, Vector<float>>(w);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(gradient);
        var mv = MemoryMarshal.Cast<float, Vector<float>>(m);
        var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
        var hv = MemoryMarshal.Cast<float, Vector<float>>(vhat);
        var valpha = new Vector<float>(alpha);
        var vc1 = new Vector<float>(c1);
        var vc2 = new Vector<float>(c2);
        var veps = new Vector<float>(eps);
        for (int j = 0; j < wv.Length; j++)
        {
            var gj = gv[j];
            var mj = mv[j] + (gj - mv[j]) * vc1;
            mv[j] = mj;
            var vj = vv[j] + (gj * gj - vv[j]) * vc2;
            vv[j] = vj;
            if (ams)
            {
                vj = Vector.Max(hv[j], vj);
                hv[j] = vj;
            }
            wv[j] -= mj * valpha / (Vector.SquareRoot(vj) + veps);
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            float gi = gradient[i];
            float mi = m[i] + (gi - m[i]) * c1;
            m[i] = mi;
            float vi = v[i] + (gi * gi - v[i]) * c2;
            v[i] = vi;
            if (ams)
            {
                vi = MathF.Max(vhat[i], vi);
                vhat[i] = vi;
            }
            w[i] -= mi * alpha / (MathF.Sqrt(vi) + eps);
        }
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["beta_1"] = Beta1;
        c["beta_2"] = Beta2;
        c["epsilon"] = Epsilon;
        c["amsgrad"] = Amsgrad;
        return c;
    }
}
