using System.Numerics;
using System.Runtime.InteropServices;

namespace Cortex.Keras.Optimizers;

/// <summary>
/// Nadam (Keras's <c>keras.optimizers.Nadam</c>): Adam with Nesterov momentum and Dozat's momentum schedule.
/// </summary>
/// <remarks>
/// <para>With slots <c>momentum</c> m and <c>velocity</c> v (starting at 0), the optimizer-wide product Π
/// (<c>u_product</c>, starting at 1) and t = iterations + 1, per step:</para>
/// <para>μₜ = β₁·(1 − ½·0.96ᵗ), μₜ₊₁ = β₁·(1 − ½·0.96ᵗ⁺¹); Π ← Π·μₜ (once per step, before the variables);</para>
/// <para>m ← m + (g − m)·(1 − β₁); v ← v + (g² − v)·(1 − β₂);
/// m̂ = μₜ₊₁·m / (1 − Π·μₜ₊₁) + (1 − μₜ)·g / (1 − Π); v̂ = v / (1 − β₂ᵗ); w ← w − lr·m̂ / (√v̂ + ε).</para>
/// <para>PyTorch's NAdam uses 0.96^(0.004·t) by default (momentum_decay 0.004) and ε outside the bias correction; it
/// matches with momentum_decay = 1 and ε = 0.</para>
/// <para>Defaults (Keras 3): learning_rate 0.001, beta_1 0.9, beta_2 0.999, epsilon 1e-7, name "nadam".</para>
/// </remarks>
public sealed class Nadam : Optimizer
{
    private Variable? _uProduct;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">The step size. Defaults to 0.001.</param>
    /// <param name="beta1">Decay rate β₁ of the first-moment estimate. Defaults to 0.9.</param>
    /// <param name="beta2">Decay rate β₂ of the second-moment estimate. Defaults to 0.999.</param>
    /// <param name="epsilon">ε ("epsilon hat"). Defaults to 1e-7.</param>
    public Nadam(float learningRate = 0.001f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-7f) : base(learningRate, "nadam")
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

    private Variable UProduct => _uProduct ??= AddVariable("u_product", Array.Empty<int>(), 1f);

    /// <inheritdoc/>
    protected override void CreateSlots(Variable variable)
    {
        Slot(variable, "momentum");
        Slot(variable, "velocity");
        _ = UProduct;
    }

    /// <summary>Advances Π by μₜ, once per step (Keras's <c>_backend_update_step</c>).</summary>
    protected override void PrepareStep()
    {
        var p = UProduct.Value.Span;
        p[0] = (float)(p[0] * Beta1 * (1 - 0.5 * Math.Pow(0.96, Iterations + 1)));
    }

    /// <inheritdoc/>
    protected override void UpdateStep(ReadOnlySpan<float> gradient, Variable variable, float learningRate)
    {
        double t = Iterations + 1;
        double b1 = Beta1, b2 = Beta2;
        double ut = b1 * (1 - 0.5 * Math.Pow(0.96, t));
        double ut1 = b1 * (1 - 0.5 * Math.Pow(0.96, t + 1));
        double prod = UProduct.Value.Span[0];
        double prod1 = prod * ut1;
        // m̂ = k1·m + k2·g;  √v̂ = √v · k3
        float k1 = (float)(ut1 / (1 - prod1));
        float k2 = (float)((1 - ut) / (1 - prod));
        float k3 = (float)(1 / Math.Sqrt(1 - Math.Pow(b2, t)));
        float c1 = (float)(1 - b1), c2 = (float)(1 - b2), lr = learningRate, eps = Epsilon;

        var w = variable.Value.Span;
        var m = Slot(variable, "momentum");
        var v = Slot(variable, "velocity");
        var wv = MemoryMarshal.Cast<float, Vector<float>>(w);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(gradient);
        var mv = MemoryMarshal.Cast<float, Vector<float>>(m);
        var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
        var vk1 = new Vector<float>(k1);
        var vk2 = new Vector<float>(k2);
        var vk3 = new Vector<float>(k3);
        var vc1 = new Vector<float>(c1);
        var vc2 = new Vector<float>(c2);
        var vlr = new Vector<float>(lr);
        var veps = new Vector<float>(eps);
        for (int j = 0; j < wv.Length; j++)
        {
            var gj = gv[j];
            var mj = mv[j] + (gj - mv[j]) * vc1;
            mv[j] = mj;
            var vj = vv[j] + (gj * gj - vv[j]) * vc2;
            vv[j] = vj;
            var mhat = vk1 * mj + vk2 * gj;
            wv[j] -= mhat * vlr / (Vector.SquareRoot(vj) * vk3 + veps);
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            float gi = gradient[i];
            float mi = m[i] + (gi - m[i]) * c1;
            m[i] = mi;
            float vi = v[i] + (gi * gi - v[i]) * c2;
            v[i] = vi;
            float mhat = k1 * mi + k2 * gi;
            w[i] -= mhat * lr / (MathF.Sqrt(vi) * k3 + eps);
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
