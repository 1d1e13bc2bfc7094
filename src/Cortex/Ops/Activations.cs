using System.Numerics.Tensors;
using Cortex.Autodiff;
using Cortex.Kernels;

namespace Cortex;

public static partial class Ops
{
    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => Unary(x, ElementwiseKernels.Relu, static (x, y, g) =>
    {
        var dx = Empty((int[])x.Dims.Clone());
        ElementwiseKernels.ReluBackward(y.Span, Read(g), dx.Span);
        return dx;
    });

    /// <summary>1 / (1 + e⁻ˣ).</summary>
    /// <remarks>The output remembers its input as logits, so binary cross-entropy can use the stable fused form (as Keras does).</remarks>
    public static Tensor Sigmoid(Tensor x)
    {
        var y = Unary(x, static (s, d) => TensorPrimitives.Sigmoid(s, d), static (x, y, g) =>
        {
            var dx = Empty((int[])x.Dims.Clone());
            var ys = y.Span; var gs = Read(g); var d = dx.Span;
            for (int i = 0; i < d.Length; i++) d[i] = gs[i] * ys[i] * (1f - ys[i]);
            return dx;
        });
        y.Logits = x; y.LogitsActivation = "sigmoid";
        return y;
    }

    /// <summary>Hyperbolic tangent.</summary>
    public static Tensor Tanh(Tensor x) => Unary(x, static (s, d) => TensorPrimitives.Tanh(s, d), static (x, y, g) =>
    {
        var dx = Empty((int[])x.Dims.Clone());
        var ys = y.Span; var gs = Read(g); var d = dx.Span;
        for (int i = 0; i < d.Length; i++) d[i] = gs[i] * (1f - ys[i] * ys[i]);
        return dx;
    });

    /// <summary>x for x &gt; 0, else α(eˣ − 1).</summary>
    public static Tensor Elu(Tensor x, float alpha = 1f) => Unary(x, (s, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = s[i] > 0f ? s[i] : alpha * (MathF.Exp(s[i]) - 1f);
    }, (x, y, g) =>
    {
        var dx = Empty((int[])x.Dims.Clone());
        var xs = Read(x); var ys = y.Span; var gs = Read(g); var d = dx.Span;
        for (int i = 0; i < d.Length; i++) d[i] = xs[i] > 0f ? gs[i] : gs[i] * (ys[i] + alpha);
        return dx;
    });

    /// <summary>Scaled ELU with Keras's constants (α ≈ 1.6733, scale ≈ 1.0507).</summary>
    public static Tensor Selu(Tensor x)
    {
        const float Alpha = 1.67326324f, Scale = 1.05070098f;
        return MultiplyScalar(Elu(x, Alpha), Scale);
    }

    /// <summary>log(1 + eˣ), computed stably as max(x, 0) + log(1 + e^−|x|).</summary>
    public static Tensor Softplus(Tensor x) => Unary(x, static (s, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = MathF.Max(s[i], 0f) + MathF.Log(1f + MathF.Exp(-MathF.Abs(s[i])));
    }, static (x, y, g) => BinaryRaw(BinaryKind.Multiply, g, Mask(x, static (s, d) => TensorPrimitives.Sigmoid(s, d))));

    /// <summary>x / (1 + |x|).</summary>
    public static Tensor Softsign(Tensor x) => Unary(x, static (s, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = s[i] / (1f + MathF.Abs(s[i]));
    }, static (x, y, g) =>
    {
        var dx = Empty((int[])x.Dims.Clone());
        var xs = Read(x); var gs = Read(g); var d = dx.Span;
        for (int i = 0; i < d.Length; i++) { float t = 1f + MathF.Abs(xs[i]); d[i] = gs[i] / (t * t); }
        return dx;
    });

    /// <summary>
    /// Piecewise-linear sigmoid: clip(slope·x + offset, 0, 1). Keras 3's <c>hard_sigmoid</c> is slope 1/6 (the default
    /// here); Keras 2's was slope 0.2, which old saved models (and Keras 2's recurrent layers) use.
    /// </summary>
    public static Tensor HardSigmoid(Tensor x, float slope = 1f / 6f, float offset = 0.5f) => Unary(x, (s, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = Math.Clamp(slope * s[i] + offset, 0f, 1f);
    }, (x, y, g) =>
    {
        var dx = Empty((int[])x.Dims.Clone());
        var xs = Read(x); var gs = Read(g); var d = dx.Span;
        for (int i = 0; i < d.Length; i++) { float z = slope * xs[i] + offset; d[i] = z > 0f && z < 1f ? gs[i] * slope : 0f; }
        return dx;
    });

    /// <summary>x for x ≥ 0, else α·x.</summary>
    public static Tensor LeakyRelu(Tensor x, float alpha = 0.2f) => Unary(x, (s, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = s[i] >= 0f ? s[i] : alpha * s[i];
    }, (x, y, g) =>
    {
        var dx = Empty((int[])x.Dims.Clone());
        var xs = Read(x); var gs = Read(g); var d = dx.Span;
        for (int i = 0; i < d.Length; i++) d[i] = xs[i] >= 0f ? gs[i] : alpha * gs[i];
        return dx;
    });

    /// <summary>Softmax along <paramref name="axis"/>: eˣ / Σ eˣ, with the maximum subtracted first.</summary>
    public static Tensor Softmax(Tensor x, int axis = -1)
    {
        int a = TensorShape.NormalizeAxis(axis, x.Rank);
        if (a != x.Rank - 1) return MoveAxisLast(x, a, t => Softmax(t, -1));
        var y = Empty((int[])x.Dims.Clone());
        int n = x.Dims[^1];
        var xs = Read(x); var ys = y.Span;
        for (int r = 0; r < ys.Length / Math.Max(n, 1); r++) SoftmaxRow(xs.Slice(r * n, n), ys.Slice(r * n, n));
        y.Logits = x; y.LogitsActivation = "softmax";
        GradientTape.Record(y, x, g =>
        {
            // dx = y ⊙ (g − Σ g⊙y)
            var dx = Empty((int[])x.Dims.Clone());
            var gs = Read(g); var yv = y.Span; var d = dx.Span;
            for (int r = 0; r < d.Length / Math.Max(n, 1); r++)
            {
                var yr = yv.Slice(r * n, n); var gr = gs.Slice(r * n, n);
                float dot = TensorPrimitives.Dot(yr, gr);
                var dr = d.Slice(r * n, n);
                TensorPrimitives.Subtract(gr, dot, dr);
                TensorPrimitives.Multiply(dr, yr, dr);
            }
            return new[] { dx };
        });
        return y;
    }

    /// <summary>log(softmax(x)) along <paramref name="axis"/>, computed stably.</summary>
    public static Tensor LogSoftmax(Tensor x, int axis = -1)
    {
        int a = TensorShape.NormalizeAxis(axis, x.Rank);
        if (a != x.Rank - 1) return MoveAxisLast(x, a, t => LogSoftmax(t, -1));
        var y = Empty((int[])x.Dims.Clone());
        int n = x.Dims[^1];
        var xs = Read(x); var ys = y.Span;
        for (int r = 0; r < ys.Length / Math.Max(n, 1); r++) LogSoftmaxRow(xs.Slice(r * n, n), ys.Slice(r * n, n));
        GradientTape.Record(y, x, g =>
        {
            // dx = g − softmax · Σ g
            var dx = Empty((int[])x.Dims.Clone());
            var gs = Read(g); var yv = y.Span; var d = dx.Span;
            for (int r = 0; r < d.Length / Math.Max(n, 1); r++)
            {
                var dr = d.Slice(r * n, n); var gr = gs.Slice(r * n, n);
                float sum = TensorPrimitives.Sum(gr);
                TensorPrimitives.Exp(yv.Slice(r * n, n), dr);
                TensorPrimitives.Multiply(dr, -sum, dr);
                TensorPrimitives.Add(dr, gr, dr);
            }
            return new[] { dx };
        });
        return y;
    }

    /// <summary>exp(x − max x) / Σ exp(x − max x): never overflows (TensorPrimitives.SoftMax does not subtract the maximum).</summary>
    internal static void SoftmaxRow(ReadOnlySpan<float> x, Span<float> y)
    {
        TensorPrimitives.Subtract(x, TensorPrimitives.Max(x), y);
        TensorPrimitives.Exp(y, y);
        TensorPrimitives.Divide(y, TensorPrimitives.Sum(y), y);
    }

    internal static void LogSoftmaxRow(ReadOnlySpan<float> x, Span<float> y)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        float lse = 0f;
        foreach (var v in y) lse += MathF.Exp(v);
        TensorPrimitives.Subtract(y, MathF.Log(lse), y);
    }

    private static Tensor MoveAxisLast(Tensor x, int axis, Func<Tensor, Tensor> f)
    {
        var perm = Enumerable.Range(0, x.Rank).Where(i => i != axis).Append(axis).ToArray();
        var inv = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inv[perm[i]] = i;
        return Transpose(f(Transpose(x, perm)), inv);
    }
}
