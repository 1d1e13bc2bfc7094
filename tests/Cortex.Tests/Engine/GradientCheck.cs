using Cortex.Autodiff;
using Xunit.Sdk;

namespace Cortex.Tests;

/// <summary>
/// Checks the gradients a <see cref="GradientTape"/> computes against central finite differences, for ops, layers
/// and losses alike.
/// </summary>
/// <remarks>
/// <para>The objective is L(x) = Σ f(x)·u for a fixed random u (normal, seeded) of f's output shape, so every output
/// element is weighed and a gradient that is right only in sum cannot pass. The analytic gradient is that of L on a
/// tape; the numeric one is (L(x + h·eᵢ) − L(x − h·eᵢ)) / (2h) for every element i of every input.</para>
/// <para><b>Precision.</b> The engine computes f in float32; the finite differences are taken in float64: L is
/// accumulated in double from the float32 outputs, and h is the step actually realised in float32
/// (<c>(double)(float)(x + h) − x</c>), so the only errors are float32 rounding of f's outputs, about
/// 6e-8·Σ|fᵢ·uᵢ| / h, and the O(h²) truncation of the central difference. With the default relative step
/// h = 1e-2·max(1, |x|) both are well under 1e-3 of the gradient for smooth functions of inputs of order one.</para>
/// <para><b>Tolerance.</b> An input passes when ‖analytic − numeric‖ ≤ 2e-2·max(‖analytic‖, ‖numeric‖) + 1e-4 (norms over
/// that input's elements) and every element satisfies |analytic − numeric| ≤ 1e-3·(1 + max|numeric|) + 2e-2·|numeric|.
/// A gradient off by a factor of 1.1 is 9 % off in norm and a flipped sign 200 %, so both fail.
/// Keep inputs at least 2h away from kinks (relu and abs at 0, clip bounds, ties in max/min): there the two
/// one-sided slopes differ and the finite difference is meaningless.</para>
/// </remarks>
public static class GradientCheck
{
    /// <summary>Default relative step: h = <see cref="DefaultStep"/>·max(1, |x|).</summary>
    public const double DefaultStep = 1e-2;

    /// <summary>Default relative tolerance on the norm of the gradient error (and per element).</summary>
    public const double DefaultTolerance = 2e-2;

    /// <summary>
    /// Asserts that the tape's gradients of <c>Σ f(inputs)·u</c> with respect to every input match central finite
    /// differences. The inputs must be contiguous tensors that the check may perturb in place (they are restored).
    /// </summary>
    /// <param name="f">The function under test; close over any input that must not be differentiated (labels, masks).</param>
    /// <param name="inputs">The points at which to check, each differentiated.</param>
    /// <exception cref="XunitException">A gradient does not match; the message names the input and the worst element.</exception>
    public static void Assert(Func<Tensor[], Tensor> f, params Tensor[] inputs)
        => Assert(DefaultStep, DefaultTolerance, f, inputs);

    /// <summary>As <see cref="Assert(Func{Tensor[], Tensor}, Tensor[])"/>, with an explicit relative step and tolerance.</summary>
    public static void Assert(double step, double tolerance, Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        var report = Measure(step, f, inputs);
        for (int i = 0; i < inputs.Length; i++)
        {
            var (analytic, numeric) = (report.Analytic[i], report.Numeric[i]);
            double maxNumeric = numeric.Max(Math.Abs), diffNorm = 0, aNorm = 0, nNorm = 0;
            int worst = -1; double worstExcess = 0;
            for (int j = 0; j < analytic.Length; j++)
            {
                double d = analytic[j] - numeric[j];
                diffNorm += d * d; aNorm += analytic[j] * analytic[j]; nNorm += numeric[j] * numeric[j];
                double allowed = 1e-3 * (1 + maxNumeric) + tolerance * Math.Abs(numeric[j]);
                if (!(Math.Abs(d) <= allowed) && Math.Abs(d) - allowed >= worstExcess) { worst = j; worstExcess = Math.Abs(d) - allowed; }
            }
            diffNorm = Math.Sqrt(diffNorm);
            double scale = Math.Max(Math.Sqrt(aNorm), Math.Sqrt(nNorm));
            bool normOk = diffNorm <= tolerance * scale + 1e-4;
            if (normOk && worst < 0) continue;
            int at = worst >= 0 ? worst : ArgMaxAbsDiff(analytic, numeric);
            throw new XunitException(
                $"gradient check failed for input {i} of shape {inputs[i].ShapeString}: relative error of the gradient " +
                $"{diffNorm / Math.Max(scale, 1e-30):E2} (tolerance {tolerance:E1}); worst element {at}: tape {analytic[at]:G6}, " +
                $"finite difference {numeric[at]:G6}.\n tape:    [{string.Join(", ", analytic.Select(v => v.ToString("G5")))}]" +
                $"\n numeric: [{string.Join(", ", numeric.Select(v => v.ToString("G5")))}]");
        }
    }

    /// <summary>The tape's gradients and the finite-difference ones, per input, as flat row-major arrays.</summary>
    public sealed record Report(double[][] Analytic, double[][] Numeric);

    /// <summary>Computes both gradients of <c>Σ f(inputs)·u</c> without judging them.</summary>
    public static Report Measure(double step, Func<Tensor[], Tensor> f, params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(f);
        foreach (var x in inputs)
            if (!x.IsContiguous) throw new ArgumentException($"gradient-check inputs must be contiguous; got a strided view of shape {x.ShapeString}.", nameof(inputs));

        // The weights u, fixed by a seed so that runs are repeatable.
        float[] u;
        Tensor uTensor;
        using (GradientTape.NoGradient())
        {
            var y0 = f(inputs);
            var rng = new RandomGenerator(8675309);
            u = new float[y0.Size];
            rng.FillNormal(u);
            uTensor = Tensor.FromArray(u, y0.Shape.ToArray());
        }

        // Analytic gradients from the tape.
        var analytic = new double[inputs.Length][];
        using (var tape = GradientTape.Begin())
        {
            foreach (var x in inputs) tape.Watch(x);
            var y = f(inputs);
            var loss = Ops.Sum(Ops.Multiply(y, uTensor));
            var grads = tape.Gradient(loss, inputs);
            for (int i = 0; i < inputs.Length; i++)
            {
                if (!grads[i].Shape.SequenceEqual(inputs[i].Shape))
                    throw new XunitException($"the gradient of input {i} has shape {grads[i].ShapeString}, the input {inputs[i].ShapeString}.");
                analytic[i] = grads[i].ToArray().Select(v => (double)v).ToArray();
            }
        }

        // Central finite differences, the objective accumulated in double.
        var numeric = new double[inputs.Length][];
        using (GradientTape.NoGradient())
        {
            double Objective()
            {
                var y = f(inputs).ToArray();
                double s = 0;
                for (int k = 0; k < y.Length; k++) s += (double)y[k] * u[k];
                return s;
            }

            for (int i = 0; i < inputs.Length; i++)
            {
                var span = inputs[i].Span;
                numeric[i] = new double[span.Length];
                for (int j = 0; j < span.Length; j++)
                {
                    float x0 = span[j];
                    double h = step * Math.Max(1.0, Math.Abs(x0));
                    float xp = (float)(x0 + h), xm = (float)(x0 - h);
                    span[j] = xp; double lp = Objective();
                    span[j] = xm; double lm = Objective();
                    span[j] = x0;
                    numeric[i][j] = (lp - lm) / ((double)xp - xm);
                }
            }
        }
        return new Report(analytic, numeric);
    }

    private static int ArgMaxAbsDiff(double[] a, double[] n)
    {
        int best = 0;
        for (int j = 1; j < a.Length; j++) if (Math.Abs(a[j] - n[j]) > Math.Abs(a[best] - n[best])) best = j;
        return best;
    }
}
