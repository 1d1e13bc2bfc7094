using Cortex.Autodiff;
using Cortex.Kernels;

namespace Cortex;

public static partial class Ops
{
    /// <summary>
    /// Batch normalisation with the batch's statistics (training mode), over the last axis as channels:
    /// y = γ·(x − μ) / √(σ² + ε) + β, where μ and σ² are the per-channel mean and biased variance over every other axis.
    /// </summary>
    /// <param name="x">Input of shape (..., C).</param>
    /// <param name="gamma">Scale γ of shape (C), or null for 1.</param>
    /// <param name="beta">Offset β of shape (C), or null for 0.</param>
    /// <param name="epsilon">Added to the variance.</param>
    /// <param name="batchMean">The batch mean μ (C), not differentiated.</param>
    /// <param name="batchVariance">The biased batch variance σ² (C), not differentiated.</param>
    /// <remarks>
    /// One fused kernel computes the statistics and the output; the backward is the closed form
    /// dx = γ/(R·σ̂)·(R·g − Σg − x̂·Σ(g·x̂)), dγ = Σ g·x̂, dβ = Σ g (sums over the R rows, x̂ the normalised input,
    /// σ̂ = √(σ² + ε)).
    /// </remarks>
    public static Tensor BatchNormTraining(Tensor x, Tensor? gamma, Tensor? beta, float epsilon, out Tensor batchMean, out Tensor batchVariance)
    {
        var (rows, c) = BatchNormCheck("BatchNormTraining", x, gamma, beta, epsilon);
        var xc = x.Contiguous();
        var scratch = Empty(new[] { BatchNormKernels.ScratchLength(rows, c) });
        var mean = Empty(new[] { c });
        var variance = Empty(new[] { c });
        BatchNormKernels.Moments(xc.Span, rows, c, mean.Span, variance.Span, scratch.Span);
        var (invStd, scale, shift) = NormalizationCoefficients(mean, variance, gamma, beta, epsilon, c);
        var y = Empty((int[])x.Dims.Clone());
        BatchNormKernels.ScaleShift(xc.Span, rows, c, scale.Span, shift.Span, y.Span);
        batchMean = mean;
        batchVariance = variance;

        if (GradientTape.IsRecording)
            GradientTape.Record(y, Present(x, gamma, beta), g =>
            {
                var sumG = Empty(new[] { c });
                var sumGC = Empty(new[] { c });
                var gc = Read(g);
                BatchNormKernels.GradientSums(gc, xc.Span, mean.Span, rows, c, sumG.Span, sumGC.Span,
                    Empty(new[] { BatchNormKernels.ScratchLength(rows, c) }).Span);
                Tensor? dx = null, dGamma = null;
                var s = invStd.Span; var m = mean.Span; var sg = sumG.Span; var sgc = sumGC.Span;
                if (GradientTape.NeedsGradient(x))
                {
                    // dx = a·g + b·x + k with a = γσ̂⁻¹, b = −a·σ̂⁻²·Σg(x−μ)/R, k = a·(σ̂⁻²·Σg(x−μ)/R·μ − Σg/R).
                    var a = Empty(new[] { c }); var b = Empty(new[] { c }); var k = Empty(new[] { c });
                    var av = a.Span; var bv = b.Span; var kv = k.Span;
                    var gs = gamma is null ? default : Read(gamma);
                    float invRows = 1f / rows;
                    for (int i = 0; i < c; i++)
                    {
                        av[i] = (gamma is null ? 1f : gs[i]) * s[i];
                        float k3 = s[i] * s[i] * sgc[i] * invRows;
                        bv[i] = -av[i] * k3;
                        kv[i] = av[i] * (k3 * m[i] - sg[i] * invRows);
                    }
                    dx = Empty((int[])x.Dims.Clone());
                    BatchNormKernels.Affine2(gc, xc.Span, rows, c, av, bv, kv, dx.Span);
                }
                if (gamma is not null && GradientTape.NeedsGradient(gamma))
                {
                    dGamma = Empty(new[] { c });
                    var d = dGamma.Span;
                    for (int i = 0; i < c; i++) d[i] = sgc[i] * s[i];
                }
                return Gradients(dx, gamma is null ? null : dGamma, beta is null ? null : sumG, gamma, beta);
            });
        return y;
    }

    /// <summary>
    /// Batch normalisation with given statistics (inference mode), over the last axis as channels:
    /// y = γ·(x − mean) / √(variance + ε) + β, as one fused scale-and-shift pass. Differentiable in x, γ and β; the
    /// statistics (moving averages) get no gradient.
    /// </summary>
    public static Tensor BatchNormInference(Tensor x, Tensor mean, Tensor variance, Tensor? gamma, Tensor? beta, float epsilon)
    {
        var (rows, c) = BatchNormCheck("BatchNormInference", x, gamma, beta, epsilon);
        CheckChannelVector("BatchNormInference", "mean", mean, c, x);
        CheckChannelVector("BatchNormInference", "variance", variance, c, x);
        var xc = x.Contiguous();
        var (invStd, scale, shift) = NormalizationCoefficients(mean, variance, gamma, beta, epsilon, c);
        var y = Empty((int[])x.Dims.Clone());
        BatchNormKernels.ScaleShift(xc.Span, rows, c, scale.Span, shift.Span, y.Span);

        if (GradientTape.IsRecording)
            GradientTape.Record(y, Present(x, gamma, beta), g =>
            {
                var gc = Read(g);
                Tensor? dx = null, dGamma = null, dBeta = null;
                if (GradientTape.NeedsGradient(x))
                {
                    dx = Empty((int[])x.Dims.Clone());
                    var zero = Tensor.Allocate(new[] { c }, clear: true);
                    BatchNormKernels.ScaleShift(gc, rows, c, scale.Span, zero.Span, dx.Span);
                }
                bool wantGamma = gamma is not null && GradientTape.NeedsGradient(gamma);
                bool wantBeta = beta is not null && GradientTape.NeedsGradient(beta);
                if (wantGamma || wantBeta)
                {
                    var sumG = Empty(new[] { c });
                    var sumGC = Empty(new[] { c });
                    var meanC = mean.Contiguous();
                    BatchNormKernels.GradientSums(gc, xc.Span, meanC.Span, rows, c, sumG.Span, sumGC.Span,
                        Empty(new[] { BatchNormKernels.ScratchLength(rows, c) }).Span);
                    dBeta = sumG;
                    dGamma = Empty(new[] { c });
                    var d = dGamma.Span; var s = invStd.Span; var sgc = sumGC.Span;
                    for (int i = 0; i < c; i++) d[i] = sgc[i] * s[i];
                }
                return Gradients(dx, dGamma, dBeta, gamma, beta);
            });
        return y;
    }

    private static (int Rows, int Channels) BatchNormCheck(string op, Tensor x, Tensor? gamma, Tensor? beta, float epsilon)
    {
        if (x.Rank < 1 || x.Dims[^1] <= 0)
            throw new ArgumentException($"{op} needs an input with a non-empty last (channel) axis; got shape {x.ShapeString}.", nameof(x));
        if (!(epsilon >= 0f)) throw new ArgumentException($"{op} needs a non-negative epsilon. Received: epsilon={epsilon}", nameof(epsilon));
        int c = x.Dims[^1];
        if (gamma is not null) CheckChannelVector(op, "gamma", gamma, c, x);
        if (beta is not null) CheckChannelVector(op, "beta", beta, c, x);
        return (x.Size / c, c);
    }

    private static void CheckChannelVector(string op, string what, Tensor t, int c, Tensor x)
    {
        if (t.Rank != 1 || t.Dims[0] != c)
            throw new ArgumentException($"{op}: {what} must have shape ({c},) for an input of shape {x.ShapeString}; got {t.ShapeString}.", what);
    }

    private static Tensor[] Present(Tensor x, Tensor? gamma, Tensor? beta)
        => gamma is null ? (beta is null ? new[] { x } : new[] { x, beta }) : (beta is null ? new[] { x, gamma } : new[] { x, gamma, beta });

    /// <summary>The gradients in the order of <see cref="Present"/>.</summary>
    private static Tensor?[] Gradients(Tensor? dx, Tensor? dGamma, Tensor? dBeta, Tensor? gamma, Tensor? beta)
        => gamma is null ? (beta is null ? new[] { dx } : new[] { dx, dBeta }) : (beta is null ? new[] { dx, dGamma } : new[] { dx, dGamma, dBeta });

    /// <summary>
    /// Per channel: 1/sqrt(var + ε), the scale γ/sqrt(var + ε) and the shift β − mean·scale, so that the normalised
    /// output is one multiply-add (γ = 1 and β = 0 when absent).
    /// </summary>
    private static (Tensor InvStd, Tensor Scale, Tensor Shift) NormalizationCoefficients(Tensor mean, Tensor variance, Tensor? gamma, Tensor? beta, float epsilon, int c)
    {
        var invStd = Empty(new[] { c });
        var scale = Empty(new[] { c });
        var shift = Empty(new[] { c });
        var m = Read(mean); var v = Read(variance); var s = invStd.Span; var a = scale.Span; var b = shift.Span;
        var gs = gamma is null ? default : Read(gamma);
        var bs = beta is null ? default : Read(beta);
        for (int i = 0; i < c; i++)
        {
            s[i] = 1f / MathF.Sqrt(v[i] + epsilon);
            a[i] = (gamma is null ? 1f : gs[i]) * s[i];
            b[i] = (beta is null ? 0f : bs[i]) - m[i] * a[i];
        }
        return (invStd, scale, shift);
    }
}
