namespace Cortex.Keras.Layers;

/// <summary>
/// Concatenates a list of inputs along an axis (Keras's <c>Concatenate</c>).
/// </summary>
/// <remarks>
/// Args: axis (the concatenation axis, default −1; counted with the batch axis).<br/>
/// Input shape: a list of tensors of one rank whose sizes agree on every axis but <c>axis</c>.<br/>
/// Output shape: the common shape with the sizes on <c>axis</c> added.
/// </remarks>
public sealed class Concatenate : Merge
{
    /// <summary>Creates a Concatenate layer.</summary>
    public Concatenate(int axis = -1, string? name = null) : base(name) => Axis = axis;

    /// <summary>The concatenation axis (batch axis included; negative counts from the end).</summary>
    public int Axis { get; }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        CheckCount(inputShapes);
        int rank = inputShapes[0].Length;
        string Error() => $"Layer \"{Name}\": A `Concatenate` layer requires inputs with matching shapes except for the concatenation axis. Received: input_shape={FormatList(inputShapes)}";
        if (inputShapes.Any(s => s.Length != rank)) throw new ArgumentException(Error());
        if (Axis < -rank || Axis >= rank)
            throw new ArgumentException($"Layer \"{Name}\": axis {Axis} is out of range for inputs of rank {rank}. Received: input_shape={FormatList(inputShapes)}");
        int a = Axis < 0 ? Axis + rank : Axis;
        var output = (int[])inputShapes[0].Clone();
        for (int d = 0; d < rank; d++)
        {
            if (d == a) continue;
            var known = inputShapes.Select(s => s[d]).Where(v => v >= 0).Distinct().ToList();
            if (known.Count > 1) throw new ArgumentException(Error());
            output[d] = known.Count == 1 ? known[0] : -1;
        }
        output[a] = inputShapes.Any(s => s[a] < 0) ? -1 : inputShapes.Sum(s => s[a]);
        return output;
    }

    /// <inheritdoc/>
    public override Tensor Call(IReadOnlyList<Tensor> inputs, bool training)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ComputeOutputShape(inputs.Select(t => t.Shape.ToArray()).ToList());
        return MergeFunction(inputs);
    }

    /// <inheritdoc/>
    protected override Tensor MergeFunction(IReadOnlyList<Tensor> inputs) => inputs.Count == 1 ? inputs[0] : Ops.Concat(inputs, Axis);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["axis"] = Axis;
        return c;
    }
}
