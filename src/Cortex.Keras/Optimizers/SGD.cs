using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Cortex.Keras.Optimizers;

/// <summary>
/// Gradient descent with optional momentum (Keras's <c>keras.optimizers.SGD</c>).
/// </summary>
/// <remarks>
/// <para>With momentum 0: w ← w − lr·g.</para>
/// <para>With momentum μ &gt; 0 (slot <c>momentum</c>, starting at 0): m ← μ·m − lr·g, then w ← w + m,
/// or with Nesterov w ← w + μ·m − lr·g.</para>
/// <para>Keras folds the learning rate into the velocity; PyTorch's <c>torch.optim.SGD</c> keeps b ← μ·b + g and
/// w ← w − lr·b. The two give the same trajectory while the learning rate is constant (m = −lr·b), not when it changes.</para>
/// <para>Defaults (Keras 3): learning_rate 0.01, momentum 0.0, nesterov false, name "SGD".</para>
/// </remarks>
public sealed class SGD : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">The step size. Defaults to 0.01.</param>
    /// <param name="momentum">μ in [0, 1]; 0 is plain gradient descent. Defaults to 0.</param>
    /// <param name="nesterov">Whether to use Nesterov momentum. Defaults to false.</param>
    public SGD(float learningRate = 0.01f, float momentum = 0f, bool nesterov = false) : base(learningRate, "SGD")
    {
        if (!(momentum >= 0f && momentum <= 1f))
            throw new ArgumentOutOfRangeException(nameof(momentum), $"`momentum` must be a float between [0, 1]. Received: momentum={Fmt(momentum)}");
        Momentum = momentum;
        Nesterov = nesterov;
    }

    /// <summary>The momentum μ.</summary>
    public float Momentum { get; }

    /// <summary>Whether Nesterov momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    protected override void CreateSlots(Variable variable)
    {
        if (Momentum != 0f) Slot(variable, "momentum");
    }

    /// <inheritdoc/>
    protected override void UpdateStep(ReadOnlySpan<float> gradient, Variable variable, float learningRate)
    {
        var w = variable.Value.Span;
        if (Momentum == 0f)
        {
            TensorPrimitives.MultiplyAdd(gradient, -learningRate, w, w);   // w − lr·g
            return;
        }
        Update(w, gradient, Slot(variable, "momentum"), learningRate, Momentum, Nesterov);
    }

    private static void Update(Span<float> w, ReadOnlySpan<float> g, Span<float> m, float lr, float mu, bool nesterov)
    {
        var wv = MemoryMarshal.Cast<float, Vector<float>>(w);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(g);
        var mv = MemoryMarshal.Cast<float, Vector<float>>(m);
        var vlr = new Vector<float>(lr);
        var vmu = new Vector<float>(mu);
        if (nesterov)
            for (int j = 0; j < wv.Length; j++)
            {
                var step = gv[j] * vlr;
                var mj = mv[j] * vmu - step;
                mv[j] = mj;
                wv[j] += mj * vmu - step;
            }
        else
            for (int j = 0; j < wv.Length; j++)
            {
                var mj = mv[j] * vmu - gv[j] * vlr;
                mv[j] = mj;
                wv[j] += mj;
            }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            float step = g[i] * lr;
            float mi = m[i] * mu - step;
            m[i] = mi;
            w[i] += nesterov ? mi * mu - step : mi;
        }
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["momentum"] = Momentum;
        c["nesterov"] = Nesterov;
        return c;
    }
}
