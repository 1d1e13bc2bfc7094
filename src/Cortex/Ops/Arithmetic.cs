using System.Numerics.Tensors;
using Cortex.Autodiff;
using Cortex.Kernels;

namespace Cortex;

public static partial class Ops
{
    /// <summary>a + b with broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryKind.Add, a, b);
        GradientTape.Record(y, new[] { a, b }, g => new[] { SumTo(g, a.Dims), SumTo(g, b.Dims) });
        return y;
    }

    /// <summary>a − b with broadcasting.</summary>
    public static Tensor Subtract(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryKind.Subtract, a, b);
        GradientTape.Record(y, new[] { a, b }, g => new[] { SumTo(g, a.Dims), SumTo(NegateRaw(g), b.Dims) });
        return y;
    }

    /// <summary>a · b element-wise with broadcasting.</summary>
    public static Tensor Multiply(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryKind.Multiply, a, b);
        GradientTape.Record(y, new[] { a, b }, g => new[]
        {
            GradientTape.NeedsGradient(a) ? SumTo(BinaryRaw(BinaryKind.Multiply, g, b), a.Dims) : null,
            GradientTape.NeedsGradient(b) ? SumTo(BinaryRaw(BinaryKind.Multiply, g, a), b.Dims) : null,
        });
        return y;
    }

    /// <summary>a / b element-wise with broadcasting.</summary>
    public static Tensor Divide(Tensor a, Tensor b)
    {
        var y = BinaryRaw(BinaryKind.Divide, a, b);
        GradientTape.Record(y, new[] { a, b }, g =>
        {
            var ga = BinaryRaw(BinaryKind.Divide, g, b);
            var gb = NegateRaw(BinaryRaw(BinaryKind.Multiply, ga, BinaryRaw(BinaryKind.Divide, a, b)));
            return new[] { SumTo(ga, a.Dims), SumTo(gb, b.Dims) };
        });
        return y;
    }

    /// <summary>Element-wise maximum; the gradient goes to <paramref name="a"/> where a ≥ b, else to b.</summary>
    public static Tensor Maximum(Tensor a, Tensor b) => MinMax(BinaryKind.Maximum, a, b);

    /// <summary>Element-wise minimum; the gradient goes to <paramref name="a"/> where a ≤ b, else to b.</summary>
    public static Tensor Minimum(Tensor a, Tensor b) => MinMax(BinaryKind.Minimum, a, b);

    private static Tensor MinMax(BinaryKind kind, Tensor a, Tensor b)
    {
        var y = BinaryRaw(kind, a, b);
        GradientTape.Record(y, new[] { a, b }, g =>
        {
            var diff = kind == BinaryKind.Maximum ? BinaryRaw(BinaryKind.Subtract, a, b) : BinaryRaw(BinaryKind.Subtract, b, a);
            var toA = Mask(diff, ElementwiseKernels.Step);
            var ga = BinaryRaw(BinaryKind.Multiply, g, toA);
            var gb = BinaryRaw(BinaryKind.Subtract, g, ga);
            return new[] { SumTo(ga, a.Dims), SumTo(gb, b.Dims) };
        });
        return y;
    }

    /// <summary>x + c.</summary>
    public static Tensor AddScalar(Tensor x, float c)
        => Unary(x, (s, d) => TensorPrimitives.Add(s, c, d), static (x, y, g) => g);

    /// <summary>x · c.</summary>
    public static Tensor MultiplyScalar(Tensor x, float c)
        => Unary(x, (s, d) => TensorPrimitives.Multiply(s, c, d), (x, y, g) => MultiplyScalarRaw(g, c));

    /// <summary>−x.</summary>
    public static Tensor Negate(Tensor x) => Unary(x, static (s, d) => TensorPrimitives.Negate(s, d), static (x, y, g) => NegateRaw(g));

    internal static Tensor NegateRaw(Tensor x) => MultiplyScalarRaw(x, -1f);

    internal static Tensor MultiplyScalarRaw(Tensor x, float c)
    {
        var y = Empty((int[])x.Dims.Clone());
        TensorPrimitives.Multiply(Read(x), c, y.Span);
        return y;
    }

    /// <summary>x².</summary>
    public static Tensor Square(Tensor x)
        => Unary(x, static (s, d) => TensorPrimitives.Multiply(s, s, d), static (x, y, g) => BinaryRaw(BinaryKind.Multiply, g, MultiplyScalarRaw(x, 2f)));

    /// <summary>√x.</summary>
    public static Tensor Sqrt(Tensor x)
        => Unary(x, static (s, d) => TensorPrimitives.Sqrt(s, d), static (x, y, g) => BinaryRaw(BinaryKind.Divide, g, MultiplyScalarRaw(y, 2f)));

    /// <summary>x^p for a constant exponent p.</summary>
    public static Tensor Pow(Tensor x, float p)
        => Unary(x, (s, d) => TensorPrimitives.Pow(s, p, d), (x, y, g) =>
        {
            var t = Empty((int[])x.Dims.Clone());
            TensorPrimitives.Pow(Read(x), p - 1f, t.Span);
            TensorPrimitives.Multiply(t.Span, p, t.Span);
            return BinaryRaw(BinaryKind.Multiply, g, t);
        });

    /// <summary>eˣ.</summary>
    public static Tensor Exp(Tensor x)
        => Unary(x, static (s, d) => TensorPrimitives.Exp(s, d), static (x, y, g) => BinaryRaw(BinaryKind.Multiply, g, y));

    /// <summary>Natural logarithm.</summary>
    public static Tensor Log(Tensor x)
        => Unary(x, static (s, d) => TensorPrimitives.Log(s, d), static (x, y, g) => BinaryRaw(BinaryKind.Divide, g, x));

    /// <summary>|x|; the gradient at 0 is 0.</summary>
    public static Tensor Abs(Tensor x)
        => Unary(x, static (s, d) => TensorPrimitives.Abs(s, d), static (x, y, g) => BinaryRaw(BinaryKind.Multiply, g, Mask(x, ElementwiseKernels.Sign)));

    /// <summary>sign(x), with no gradient (like TensorFlow's, it is zero everywhere).</summary>
    public static Tensor Sign(Tensor x) => Mask(x, ElementwiseKernels.Sign);

    /// <summary>Clamps to [min, max]; the gradient passes where min ≤ x ≤ max.</summary>
    public static Tensor Clip(Tensor x, float min, float max)
    {
        if (min > max) throw new ArgumentException($"min must not exceed max. Received: min={min}, max={max}");
        return Unary(x, (s, d) => ElementwiseKernels.Clip(s, min, max, d), (x, y, g) =>
        {
            var dx = Empty((int[])x.Dims.Clone());
            ElementwiseKernels.ClipBackward(Read(x), min, max, Read(g), dx.Span);
            return dx;
        });
    }

    /// <summary>Element-wise a == b as 0/1 (no gradient).</summary>
    public static Tensor Equal(Tensor a, Tensor b) => Compare(0, a, b);

    /// <summary>Element-wise a ≥ b as 0/1 (no gradient).</summary>
    public static Tensor GreaterEqual(Tensor a, Tensor b) => Compare(1, a, b);

    /// <summary>Element-wise a &gt; b as 0/1 (no gradient).</summary>
    public static Tensor Greater(Tensor a, Tensor b) => Compare(2, a, b);

    /// <summary>IEEE comparisons (so ∞ == ∞ and NaN compares false), broadcast; kind 0: ==, 1: ≥, 2: &gt;.</summary>
    private static Tensor Compare(int kind, Tensor a, Tensor b)
    {
        var dims = TensorShape.SameShape(a.Dims, b.Dims) ? (int[])a.Dims.Clone() : TensorShape.Broadcast(a.Dims, b.Dims);
        var av = Read(BroadcastToRaw(a, dims)); var bv = Read(BroadcastToRaw(b, dims));
        var y = Empty(dims); var d = y.Span;
        for (int i = 0; i < d.Length; i++)
            d[i] = (kind == 0 ? av[i] == bv[i] : kind == 1 ? av[i] >= bv[i] : av[i] > bv[i]) ? 1f : 0f;
        return y;
    }

    /// <summary>
    /// Picks <paramref name="a"/> where <paramref name="condition"/> is non-zero, else <paramref name="b"/>, with
    /// broadcasting (differentiable in a and b). The other branch is never read, so NaN or ∞ there does not leak.
    /// </summary>
    public static Tensor Where(Tensor condition, Tensor a, Tensor b)
    {
        var dims = TensorShape.Broadcast(TensorShape.Broadcast(condition.Dims, a.Dims), b.Dims);
        var cond = BroadcastToRaw(condition, dims).Contiguous();
        var c = cond.Span;
        var av = Read(BroadcastToRaw(a, dims)); var bv = Read(BroadcastToRaw(b, dims));
        var y = Empty(dims); var d = y.Span;
        for (int i = 0; i < d.Length; i++) d[i] = c[i] != 0f ? av[i] : bv[i];
        GradientTape.Record(y, new[] { a, b }, g =>
        {
            var gs = Read(g); var c = cond.Span;
            var ga = Empty((int[])dims.Clone()); var gb = Empty((int[])dims.Clone());
            var das = ga.Span; var dbs = gb.Span;
            for (int i = 0; i < gs.Length; i++) { bool pick = c[i] != 0f; das[i] = pick ? gs[i] : 0f; dbs[i] = pick ? 0f : gs[i]; }
            return new[] { SumTo(ga, a.Dims), SumTo(gb, b.Dims) };
        });
        return y;
    }
}
