namespace Cortex.Keras.Layers;

/// <summary>
/// The dot product of two inputs along an axis of each, sample by sample (Keras's <c>Dot</c>, a
/// <c>batch_dot</c>): for inputs of shapes <c>(batch, n)</c> and <c>(batch, n)</c> and axes 1 the output is
/// <c>(batch, 1)</c> with <c>out[b] = Σᵢ x1[b, i]·x2[b, i]</c>; for <c>(batch, n, k)</c> and <c>(batch, k, m)</c>
/// and axes (2, 1) it is the batch of matrix products <c>(batch, n, m)</c>.
/// </summary>
/// <remarks>
/// Args: axes (one axis for both inputs, or one per input; counted with the batch axis, which cannot be contracted;
/// negative counts from the end), normalize (L2-normalise each input along its axis first, so the output is the
/// cosine similarity).<br/>
/// Input shape: a list of two tensors whose sizes on the contracted axes agree.<br/>
/// Output shape: the first input's shape without its axis, followed by the second's without the batch axis and its
/// axis; <c>(batch, 1)</c> when nothing else remains.
/// </remarks>
public sealed class Dot : Merge
{
    private readonly int[] _axes;

    /// <summary>Creates a Dot layer contracting axis <paramref name="axes"/> of both inputs.</summary>
    public Dot(int axes, bool normalize = false, string? name = null) : this((axes, axes), normalize, name) { }

    /// <summary>Creates a Dot layer contracting axis <c>axes.Item1</c> of the first input with <c>axes.Item2</c> of the second.</summary>
    public Dot((int, int) axes, bool normalize = false, string? name = null) : base(name)
    {
        _axes = new[] { axes.Item1, axes.Item2 };
        Normalize = normalize;
    }

    /// <summary>The contracted axis of each input, as given.</summary>
    public IReadOnlyList<int> Axes => _axes;

    /// <summary>Whether the inputs are L2-normalised along their axes first.</summary>
    public bool Normalize { get; }

    /// <inheritdoc/>
    protected override int MinInputs => 2;

    /// <inheritdoc/>
    protected override int MaxInputs => 2;

    private (int, int) ResolveAxes(int[] s1, int[] s2)
    {
        int a1 = _axes[0] < 0 ? _axes[0] + s1.Length : _axes[0];
        int a2 = _axes[1] < 0 ? _axes[1] + s2.Length : _axes[1];
        if (a1 <= 0 || a1 >= s1.Length || a2 <= 0 || a2 >= s2.Length)
            throw new ArgumentException($"Layer \"{Name}\": axes ({_axes[0]}, {_axes[1]}) must name a non-batch axis of each input. Full input shapes: {TensorShape.Format(s1)}, {TensorShape.Format(s2)}");
        return (a1, a2);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        CheckCount(inputShapes);
        int[] s1 = inputShapes[0], s2 = inputShapes[1];
        var (a1, a2) = ResolveAxes(s1, s2);
        if (s1[a1] >= 0 && s2[a2] >= 0 && s1[a1] != s2[a2])
            throw new ArgumentException($"Layer \"{Name}\": Incompatible input shapes: axis values {s1[a1]} (at axis {a1}) != {s2[a2]} (at axis {a2}). Full input shapes: {TensorShape.Format(s1)}, {TensorShape.Format(s2)}");
        if (s1[0] >= 0 && s2[0] >= 0 && s1[0] != s2[0])
            throw new ArgumentException($"Layer \"{Name}\": Cannot merge tensors with different batch sizes. Got tensors with shapes {FormatList(inputShapes)}");
        var output = s1.Where((_, i) => i != a1).Concat(s2.Where((_, i) => i != a2 && i != 0)).ToList();
        if (output[0] < 0) output[0] = s2[0];
        if (output.Count == 1) output.Add(1);
        return output.ToArray();
    }

    /// <inheritdoc/>
    public override Tensor Call(IReadOnlyList<Tensor> inputs, bool training)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ComputeOutputShape(inputs.Select(t => t.Shape.ToArray()).ToList());
        return MergeFunction(inputs);
    }

    /// <inheritdoc/>
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs)
    {
        Tensor x = inputs[0], y = inputs[1];
        var (a1, a2) = ResolveAxes(x.Shape.ToArray(), y.Shape.ToArray());
        if (Normalize) { x = L2Normalize(x, a1); y = L2Normalize(y, a2); }
        return BatchDot(x, y, a1, a2);
    }

    /// <summary><c>x / sqrt(max(Σ x², 1e-12))</c> along <paramref name="axis"/> (Keras's <c>normalize</c>).</summary>
    private static Tensor L2Normalize(Tensor x, int axis) =>
        Ops.Divide(x, Ops.Sqrt(Ops.Clip(Ops.Sum(Ops.Square(x), axis, keepDims: true), 1e-12f, float.MaxValue)));

    /// <summary>
    /// Keras's <c>batch_dot</c> composed of differentiable ops: x becomes <c>(b, P, k, 1)</c> and y
    /// <c>(b, 1, k, Q)</c>, their broadcast product is summed over k and reshaped to the output shape.
    /// </summary>
    private static Tensor BatchDot(Tensor x, Tensor y, int ax, int ay)
    {
        int b = x.Shape[0], k = x.Shape[ax];
        var xRest = Enumerable.Range(1, x.Rank - 1).Where(i => i != ax).ToArray();
        var yRest = Enumerable.Range(1, y.Rank - 1).Where(i => i != ay).ToArray();
        int p = xRest.Aggregate(1, (acc, i) => acc * x.Shape[i]);
        int q = yRest.Aggregate(1, (acc, i) => acc * y.Shape[i]);
        var xt = Ops.Reshape(Ops.Transpose(x, new[] { 0 }.Concat(xRest).Append(ax).ToArray()), b, p, k, 1);
        var yt = Ops.Reshape(Ops.Transpose(y, new[] { 0, ay }.Concat(yRest).ToArray()), b, 1, k, q);
        var z = Ops.Sum(Ops.Multiply(xt, yt), 2);
        var outShape = new[] { b }.Concat(xRest.Select(i => x.Shape[i])).Concat(yRest.Select(i => y.Shape[i])).ToList();
        if (outShape.Count == 1) outShape.Add(1);
        return Ops.Reshape(z, outShape.ToArray());
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["axes"] = _axes[0] == _axes[1] ? _axes[0] : _axes.ToArray();
        c["normalize"] = Normalize;
        return c;
    }
}
