using System.Numerics;
using System.Runtime.InteropServices;

namespace Cortex.Keras.Optimizers;

/// <summary>
/// Adagrad (Keras's <c>keras.optimizers.Adagrad</c>): per-parameter rates that shrink as squared gradients accumulate.
/// </summary>
/// <remarks>
/// <para>With slot <c>accumulator</c> A (starting at initial_accumulator_value), per step:</para>
/// <para>A ← A + g²; w ← w − lr·g / √(A + ε) — ε inside the square root, as Keras (PyTorch adds it outside).</para>
/// <para>Defaults (Keras 3): learning_rate 0.001, initial_accumulator_value 0.1, epsilon 1e-7, name "adagrad".</para>
/// </remarks>
public sealed class Adagrad : Optimizer
{
    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">The step size. Defaults to 0.001 (the original paper's form uses 1.0).</param>
    /// <param name="initialAccumulatorValue">Starting value of the accumulators; must be non-negative. Defaults to 0.1.</param>
    /// <param name="epsilon">ε, added under the square root. Defaults to 1e-7.</param>
    public Adagrad(float learningRate = 0.001f, float initialAccumulatorValue = 0.1f, float epsilon = 1e-7f) : base(learningRate, "adagrad")
    {
        if (!(initialAccumulatorValue >= 0f))
            throw new ArgumentOutOfRangeException(nameof(initialAccumulatorValue),
                $"`initial_accumulator_value` must be non-negative. Received: initial_accumulator_value={Fmt(initialAccumulatorValue)}");
        InitialAccumulatorValue = initialAccumulatorValue;
        Epsilon = epsilon;
    }

    /// <summary>Starting value of the accumulators.</summary>
    public float InitialAccumulatorValue { get; }
    /// <summary>ε.</summary>
    public float Epsilon { get; }

    /// <inheritdoc/>
    protected override void CreateSlots(Variable variable) => Slot(variable, "accumulator", InitialAccumulatorValue);

    /// <inheritdoc/>
    protected override void UpdateStep(ReadOnlySpan<float> gradient, Variable variable, float learningRate)
    {
        var w = variable.Value.Span;
        var acc = Slot(variable, "accumulator", InitialAccumulatorValue);
        float lr = learningRate, eps = Epsilon;
        var wv = MemoryMarshal.Cast<float, Vector<float>>(w);
        var gv = MemoryMarshal.Cast<float, Vector<float>>(gradient);
        var av = MemoryMarshal.Cast<float, Vector<float>>(acc);
        var vlr = new Vector<float>(lr);
        var veps = new Vector<float>(eps);
        for (int j = 0; j < wv.Length; j++)
        {
            var gj = gv[j];
            var aj = av[j] + gj * gj;
            av[j] = aj;
            wv[j] -= vlr * gj / Vector.SquareRoot(aj + veps);
        }
        for (int i = wv.Length * Vector<float>.Count; i < w.Length; i++)
        {
            float gi = gradient[i];
            float ai = acc[i] + gi * gi;
            acc[i] = ai;
            w[i] -= lr * gi / MathF.Sqrt(ai + eps);
        }
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["initial_accumulator_value"] = InitialAccumulatorValue;
        c["epsilon"] = Epsilon;
        return c;
    }
}
