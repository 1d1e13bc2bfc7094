using Cortex.Autodiff;
using Cortex.Keras.Models;

namespace Cortex.Keras;

/// <summary>
/// Keras's backend functions (<c>keras.backend</c>, imported as <c>K</c>; in C# <c>using K = Cortex.Keras.Backend;</c>):
/// thin, differentiable wrappers over <see cref="Ops"/> with Keras's conventions — <c>axis</c> null reduces over all
/// axes, negative axes count from the end, <c>keepDims</c> keeps reduced axes as size 1 — plus the fuzz factor
/// <see cref="Epsilon"/>, <see cref="Gradients(Func{Tensor}, IReadOnlyList{Variable})"/> and
/// <see cref="Function(IReadOnlyList{KerasTensor}, IReadOnlyList{KerasTensor})"/>.
/// </summary>
public static class Backend
{
    /// <summary>
    /// Keras's <c>keras.backend.epsilon()</c>, 1e-7: the fuzz factor that keeps probabilities away from 0 and 1 in
    /// the cross-entropies, bounds divisors (MAPE, L2 normalisation) and offsets logarithms (Poisson, MSLE).
    /// </summary>
    public const float Epsilon = 1e-7f;

    // ------------------------------------------------------------------ reductions

    /// <summary>Mean over <paramref name="axis"/> (all axes when null), Keras's <c>K.mean(x, axis, keepdims)</c>.</summary>
    public static Tensor Mean(Tensor x, int? axis = null, bool keepDims = false) => Ops.Mean(x, Axes(axis), keepDims);

    /// <summary>Mean over several axes.</summary>
    public static Tensor Mean(Tensor x, int[] axes, bool keepDims = false) => Ops.Mean(x, axes, keepDims);

    /// <summary>Sum over <paramref name="axis"/> (all axes when null), Keras's <c>K.sum</c>.</summary>
    public static Tensor Sum(Tensor x, int? axis = null, bool keepDims = false) => Ops.Sum(x, Axes(axis), keepDims);

    /// <summary>Sum over several axes.</summary>
    public static Tensor Sum(Tensor x, int[] axes, bool keepDims = false) => Ops.Sum(x, axes, keepDims);

    /// <summary>Maximum over <paramref name="axis"/> (all axes when null), Keras's <c>K.max</c>.</summary>
    public static Tensor Max(Tensor x, int? axis = null, bool keepDims = false) => Ops.Max(x, Axes(axis), keepDims);

    /// <summary>Minimum over <paramref name="axis"/> (all axes when null), Keras's <c>K.min</c>.</summary>
    public static Tensor Min(Tensor x, int? axis = null, bool keepDims = false) => Ops.Min(x, Axes(axis), keepDims);

    private static int[]? Axes(int? axis) => axis is { } a ? new[] { a } : null;

    // ------------------------------------------------------------------ element-wise

    /// <summary>x², Keras's <c>K.square</c>.</summary>
    public static Tensor Square(Tensor x) => Ops.Square(x);

    /// <summary>√x, Keras's <c>K.sqrt</c> (negative inputs are clipped to 0 first, as Keras does).</summary>
    public static Tensor Sqrt(Tensor x) => Ops.Sqrt(Ops.Relu(x));

    /// <summary>|x|, Keras's <c>K.abs</c>.</summary>
    public static Tensor Abs(Tensor x) => Ops.Abs(x);

    /// <summary>eˣ, Keras's <c>K.exp</c>.</summary>
    public static Tensor Exp(Tensor x) => Ops.Exp(x);

    /// <summary>ln x, Keras's <c>K.log</c>.</summary>
    public static Tensor Log(Tensor x) => Ops.Log(x);

    /// <summary>xᵃ, Keras's <c>K.pow</c>.</summary>
    public static Tensor Pow(Tensor x, float a) => Ops.Pow(x, a);

    /// <summary>Element-wise maximum with a constant, Keras's <c>K.maximum(x, c)</c>.</summary>
    public static Tensor Maximum(Tensor x, float c) => Ops.Maximum(x, Tensor.Scalar(c));

    /// <summary>Element-wise maximum with broadcasting, Keras's <c>K.maximum</c>.</summary>
    public static Tensor Maximum(Tensor x, Tensor y) => Ops.Maximum(x, y);

    // ------------------------------------------------------------------ products

    /// <summary>
    /// Keras's <c>K.dot</c>: the matrix product of x (…, n) and y (n, m), giving (…, m); two vectors give their inner
    /// product (a scalar).
    /// </summary>
    public static Tensor Dot(Tensor x, Tensor y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank == 1 && y.Rank == 1) return Ops.Sum(Ops.Multiply(x, y));
        if (y.Rank != 2) throw new ArgumentException($"K.dot supports a right operand of rank 2 (or two vectors); got x.shape={x.ShapeString}, y.shape={y.ShapeString}.", nameof(y));
        if (x.Shape[^1] != y.Shape[0]) throw new ArgumentException($"K.dot: x's last axis ({x.Shape[^1]}) must equal y's first ({y.Shape[0]}). Received: x.shape={x.ShapeString}, y.shape={y.ShapeString}");
        return Ops.MatMul(x, y);
    }

    /// <summary>
    /// Keras's <c>K.batch_dot</c>: per-sample dot products over axes <paramref name="axes"/> (x's, y's; batch axis 0
    /// excluded). Rank 2 with rank 2 gives (batch, 1); (b, n, k)·(b, k, m) with the default axes (2, 1) gives (b, n, m);
    /// (b, k)·(b, k, m) gives (b, m).
    /// </summary>
    public static Tensor BatchDot(Tensor x, Tensor y, (int X, int Y)? axes = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Rank < 2 || y.Rank < 2 || x.Rank > 3 || y.Rank > 3)
            throw new ArgumentException($"K.batch_dot supports inputs of rank 2 or 3. Received: x.shape={x.ShapeString}, y.shape={y.ShapeString}");
        if (x.Shape[0] != y.Shape[0])
            throw new ArgumentException($"K.batch_dot: the batch sizes differ. Received: x.shape={x.ShapeString}, y.shape={y.ShapeString}");
        int ax = Normalize(axes?.X ?? x.Rank - 1, x.Rank), ay = Normalize(axes?.Y ?? (y.Rank == 2 ? 1 : 1), y.Rank);
        if (ax == 0 || ay == 0) throw new ArgumentException("K.batch_dot cannot contract the batch axis.", nameof(axes));
        if (x.Shape[ax] != y.Shape[ay])
            throw new ArgumentException($"K.batch_dot: cannot contract axis {ax} of x ({x.Shape[ax]}) with axis {ay} of y ({y.Shape[ay]}). Received: x.shape={x.ShapeString}, y.shape={y.ShapeString}");
        // Bring x to (b, P, k) and y to (b, k, Q).
        var xk = x.Rank == 2 ? Ops.Reshape(x, x.Shape[0], 1, x.Shape[1]) : ax == 2 ? x : Ops.Transpose(x, 0, 2, 1);
        var yk = y.Rank == 2 ? Ops.Reshape(y, y.Shape[0], y.Shape[1], 1) : ay == 1 ? y : Ops.Transpose(y, 0, 2, 1);
        int b = x.Shape[0], p = xk.Shape[1], k = xk.Shape[2], q = yk.Shape[2];
        // Σ_k x[b, p, k] · y[b, k, q] by broadcasting (b, p, k, 1) · (b, 1, k, q).
        var prod = Ops.Sum(Ops.Multiply(Ops.Reshape(xk, b, p, k, 1), Ops.Reshape(yk, b, 1, k, q)), 2);
        if (x.Rank == 2 && y.Rank == 2) return Ops.Reshape(prod, b, 1);
        if (x.Rank == 2) return Ops.Reshape(prod, b, q);
        if (y.Rank == 2) return Ops.Reshape(prod, b, p);
        return prod;
    }

    private static int Normalize(int axis, int rank)
    {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new ArgumentException($"axis {axis} is out of range for a tensor of rank {rank}.", nameof(axis));
        return a;
    }

    // ------------------------------------------------------------------ shapes

    /// <summary>Joins tensors along <paramref name="axis"/>, Keras's <c>K.concatenate</c>.</summary>
    public static Tensor Concatenate(IReadOnlyList<Tensor> tensors, int axis = -1) => Ops.Concat(tensors, axis);

    /// <summary>Keras's <c>K.reshape</c>; one size may be −1 (inferred).</summary>
    public static Tensor Reshape(Tensor x, params int[] shape)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(shape);
        int unknown = Array.IndexOf(shape, -1);
        if (unknown >= 0)
        {
            int known = shape.Where((d, i) => i != unknown).Aggregate(1, (a, d) => a * d);
            if (known == 0 || x.Size % known != 0) throw new ArgumentException($"K.reshape: cannot reshape {x.ShapeString} to {TensorShape.Format(shape)}.");
            shape = (int[])shape.Clone();
            shape[unknown] = x.Size / known;
        }
        return Ops.Reshape(x, shape);
    }

    /// <summary>Reorders the axes, Keras's <c>K.permute_dimensions(x, pattern)</c>.</summary>
    public static Tensor PermuteDimensions(Tensor x, params int[] pattern) => Ops.Transpose(x, pattern);

    /// <summary>Inserts an axis of size 1 at <paramref name="axis"/> (−1: at the end), Keras's <c>K.expand_dims</c>.</summary>
    public static Tensor ExpandDims(Tensor x, int axis = -1)
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = axis < 0 ? axis + x.Rank + 1 : axis;
        if (a < 0 || a > x.Rank) throw new ArgumentException($"K.expand_dims: axis {axis} is out of range for a tensor of rank {x.Rank}.", nameof(axis));
        var dims = x.Shape.ToList();
        dims.Insert(a, 1);
        return Ops.Reshape(x, dims.ToArray());
    }

    /// <summary>Removes the axis <paramref name="axis"/>, which must have size 1, Keras's <c>K.squeeze</c>.</summary>
    public static Tensor Squeeze(Tensor x, int axis)
    {
        ArgumentNullException.ThrowIfNull(x);
        int a = Normalize(axis, x.Rank);
        if (x.Shape[a] != 1) throw new ArgumentException($"K.squeeze: axis {axis} has size {x.Shape[a]}, not 1. Received: x.shape={x.ShapeString}", nameof(axis));
        return Ops.Reshape(x, x.Shape.Where((_, i) => i != a).ToArray());
    }

    /// <summary>
    /// x / √max(Σ x², 1e-12) along <paramref name="axis"/>, Keras's <c>K.l2_normalize</c> (TensorFlow's
    /// <c>l2_normalize</c> epsilon).
    /// </summary>
    public static Tensor L2Normalize(Tensor x, int axis = -1)
    {
        ArgumentNullException.ThrowIfNull(x);
        var norm = Ops.Sqrt(Ops.Maximum(Ops.Sum(Ops.Square(x), axis, keepDims: true), Tensor.Scalar(1e-12f)));
        return Ops.Divide(x, norm);
    }

    // ------------------------------------------------------------------ gradients and functions

    /// <summary>
    /// The gradients of the scalar <paramref name="loss"/> computes with respect to <paramref name="variables"/>
    /// (Keras's <c>K.gradients(loss, variables)</c>, in eager form: the loss is a function, run under a tape).
    /// A variable the loss does not depend on gets a zero gradient.
    /// </summary>
    public static Tensor[] Gradients(Func<Tensor> loss, IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        return Gradients(loss, variables.Select(v => v.Value).ToArray());
    }

    /// <summary>The gradients of the scalar <paramref name="loss"/> computes with respect to the tensors <paramref name="sources"/>.</summary>
    public static Tensor[] Gradients(Func<Tensor> loss, params Tensor[] sources)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(sources);
        using var tape = GradientTape.Begin();
        foreach (var s in sources) tape.Watch(s);
        var value = loss();
        var grads = tape.Gradient(value, sources);
        for (int i = 0; i < grads.Length; i++) grads[i] ??= Tensor.Zeros(sources[i].Shape.ToArray());
        return grads;
    }

    /// <summary>
    /// A function evaluating the sub-graph from <paramref name="inputs"/> to <paramref name="outputs"/> of a functional
    /// model (Keras's <c>K.function(inputs, outputs)</c>), e.g. a hidden layer's activations:
    /// <c>var f = Backend.Function(model.Inputs, new[] { model.GetLayer("hidden").Output }); var h = f(new[] { x })[0];</c>.
    /// It runs in inference mode, without recording gradients, and shares the model's weights.
    /// </summary>
    public static Func<IReadOnlyList<Tensor>, Tensor[]> Function(IReadOnlyList<KerasTensor> inputs, IReadOnlyList<KerasTensor> outputs)
    {
        var graph = new Functional(inputs, outputs, name: "backend_function");
        return x =>
        {
            using (GradientTape.NoGradient()) return graph.CallOutputs(x, training: false).ToArray();
        };
    }

    /// <summary>The one-input, one-output form of <see cref="Function(IReadOnlyList{KerasTensor}, IReadOnlyList{KerasTensor})"/>.</summary>
    public static Func<Tensor, Tensor> Function(KerasTensor input, KerasTensor output)
    {
        var f = Function(new[] { input }, new[] { output });
        return x => f(new[] { x })[0];
    }
}
