using System.Numerics;
using System.Runtime.InteropServices;

namespace Cortex.Keras.Optimizers;

/// <summary>
/// RMSprop (Keras's <c>keras.optimizers.RMSprop</c>): divides the gradient by a running root mean square of past gradients.
/// </summary>
/// <remarks>
/// <para>With slot <c>velocity</c> v (starting at 0), per step:</para>
/// <para>v ← ρ·v + (1 − ρ)·g²; increment = lr·g / √(v + ε) — ε inside the square root, as Keras (PyTorch adds it
/// outside).</para>
/// <para>Centered (slot <c>average_gradient</c> a): a ← ρ·a + (1 − ρ)·g and the denominator is √(v − a² + ε).</para>
/// <para>Without momentum w ← w − increment; with momentum μ &gt; 0 (slot <c>momentum</c> m): m ← μ·m + increment,
/// w ← w − m.</para>
/// <para>Defaults (Keras 3): learning_rate 0.001, rho 0.9, momentum 0.0, epsilon 1e-7, centered false, name "rmsprop".</para>
/// </remarks>
public sealed class RMSprop : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">The step size. Defaults to 0.001.</param>
    /// <param name="rho">Discounting factor ρ for the old squared gradients. Defaults to 0.9.</param>
    /// <param name="momentum">Momentum μ; 0 turns it off. Defaults to 0.</param>
    /// <param name="epsilon">ε, added under the square root. Defaults to 1e-7.</param>
    /// <param name="centered">Whether to divide by the estimated variance instead of the second moment. Defaults to false.</param>
    public RMSprop(float learningRate = 0.001f, float rho = 0.9f, float momentum = 0f, float epsilon = 1e-7f, bool centered = false)
        : base(learningRate, "rmsprop")
    {
        Rho = rho;
        Momentum = momentum;
        Epsilon = epsilon;
        Centered = centered;
    }

    /// <summary>Discounting factor ρ.</summary>
    public float Rho { get; }
    /// <summary>Momentum μ.</summary>
    public float Momentum { get; }
    /// <summary>ε.</summary>
    public float Epsilon { get; }
    /// <summary>Whether the centered variant is used.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    protected override void CreateSlots(Variable variable)
    {
        Slot(variable, "velocity");
        if (Momentum > 0f) Slot(variable, "momentum");
        if (Centered) Slot(variable, "average_gradient");
    }

    /// <inheritdoc/>
    protected override void UpdateStep(ReadOnlySpan<float> gradient, Variable variable, float learningRate)
    {
        var w = variable.Value.Span;
        var v = Slot(variable, "velocity");
        if (!Centered && Momentum <= 0f)
        {
            Plain(w, gradient, v, learningRate, Rho, Epsilon);
            return;
        }
        var m = Momentum > 0f ? Slot(variable, "momentum") : Span<float>.Empty;
        var a = Centered ? Slot(variable, "average_gradient") : Span<float>.Empty;
        General(w, gradient, v, m, a, learningRate, Rho, Momentum, Epsilon);
    }

    // v = ρv + (1−ρ)g²;  w −= lr·g / √(v + ε)   — the default, in one pass.
    private static void Plain(Span<float> w, ReadOnlySpan<float> g, Span<float> v, float lr, float rho, float eps)
    {
        var wv = MemoryMarshal.Cast<float, Vector<float>>(w);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(g);
        var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
        var vrho = new Vector<float>(rho);
        var vone = new Vector<float>(1f - rho);
        var veps = new Vector<float>(eps);
        var vlr = new Vector<float>(lr);
        for (int j = 0; j < wv.Length; j++)
        {
            var gj = gv[j];
            var vj = vrho * vv[j] + vone * (gj * gj);
            vv[j] = vj;
            wv[j] -= vlr * gj / Vector.SquareRoot(vj + veps);
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            float gi = g[i];
            float vi = rho * v[i] + (1f - rho) * (gi * gi);
            v[i] = vi;
            w[i] -= lr * gi / MathF.Sqrt(vi + eps);
        }
    }

    // Centered and/or momentum: m and a are empty when unused.
    private static void General(Span<float> w, ReadOnlySpan<float> g, Span<float> v, Span<float> m, Span<float> a,
        float lr, float rho, float mu, float eps)
    {
        bool centered = !a.IsEmpty, momentum = !m.IsEmpty;
        var wv = MemoryMarshal.Cast<float, Vector<float>>(w);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(g);
        var vv = MemoryMarshal.Cast<float, Vector<float>>(v);
        var mv = MemoryMarshal.Cast<float, Vector<float>>(m);
        var av = MemoryMarshal.Cast<float, Vector<float>>(a);
        var vrho = new Vector<float>(rho);
        var vone = new Vector<float>(1f - rho);
        var veps = new Vector<float>(eps);
        var vlr = new Vector<float>(lr);
        var vmu = new Vector<float>(mu);
        for (int j = 0; j < wv.Length; j++)
        {
            var gj = gv[j];
            var vj = vrho * vv[j] + vone * (gj * gj);
            vv[j] = vj;
            var denom = vj;
            if (centered)
            {
                var aj = vrho * av[j] + vone * gj;
                av[j] = aj;
                denom -= aj * aj;
            }
            var inc = vlr * gj / Vector.SquareRoot(denom + veps);
            if (momentum)
            {
                inc = vmu * mv[j] + inc;
                mv[j] = inc;
            }
            wv[j] -= inc;
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            float gi = g[i];
            float vi = rho * v[i] + (1f - rho) * (gi * gi);
            v[i] = vi;
            float denom = vi;
            if (centered)
            {
                float ai = rho * a[i] + (1f - rho) * gi;
                a[i] = ai;
                denom -= ai * ai;
            }
            float inc = lr * gi / MathF.Sqrt(denom + eps);
            if (momentum)
            {
                inc = mu * m[i] + inc;
                m[i] = inc;
            }
            w[i] -= inc;
        }
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["rho"] = Rho;
        c["momentum"] = Momentum;
        c["epsilon"] = Epsilon;
        c["centered"] = Centered;
        return c;
    }
}
