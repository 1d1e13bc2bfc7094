namespace Cortex.Keras.Layers;

/// <summary>
/// The base of the element-wise merge layers (Keras's <c>Merge</c>): called on a list of tensors, it checks their
/// shapes and combines them. Shapes after the batch axis must be equal or broadcastable (a size of 1 stretches);
/// an input of lower rank gets size-1 axes inserted after the batch axis. Batch sizes must agree.
/// </summary>
public abstract class Merge : Layer
{
    /// <summary>Stores the name.</summary>
    protected Merge(string? name) : base(name) { }

    /// <summary>The smallest number of inputs the layer accepts.</summary>
    protected virtual int MinInputs => 1;

    /// <summary>The largest number of inputs the layer accepts.</summary>
    protected virtual int MaxInputs => int.MaxValue;

    /// <summary>Combines inputs that have the same rank (already broadcast-compatible).</summary>
    protected abstract Tensor MergeFunction(IReadOnlyList<Tensor> inputs);

    /// <summary>Refuses a single tensor: a merge layer is called on a list.</summary>
    public override void Build(int[] inputShape) => throw NotAList(TensorShape.Format(inputShape));

    /// <summary>Refuses a single tensor: a merge layer is called on a list.</summary>
    public override Tensor Call(Tensor inputs, bool training) => throw NotAList(inputs.ShapeString);

    /// <summary>Refuses a single shape: a merge layer is called on a list.</summary>
    public override int[] ComputeOutputShape(int[] inputShape) => throw NotAList(TensorShape.Format(inputShape));

    private ArgumentException NotAList(string shape) =>
        new($"Layer \"{Name}\": A merge layer should be called on a list of inputs. Received: input_shape={shape} (not a list of shapes)");

    /// <inheritdoc/>
    public override void Build(IReadOnlyList<int[]> inputShapes)
    {
        ComputeOutputShape(inputShapes);
        Built = true;
    }

    /// <summary>Keras's merge shape rule; throws, naming the layer and the shapes, when the inputs cannot be merged.</summary>
    public override int[] ComputeOutputShape(IReadOnlyList<int[]> inputShapes)
    {
        CheckCount(inputShapes);
        var batch = inputShapes.Where(s => s.Length > 0 && s[0] >= 0).Select(s => s[0]).Distinct().ToList();
        if (batch.Count > 1)
            throw new ArgumentException($"Layer \"{Name}\": Cannot merge tensors with different batch sizes. Got tensors with shapes {FormatList(inputShapes)}");
        var output = inputShapes[0][1..];
        for (int i = 1; i < inputShapes.Count; i++) output = ElementwiseShape(output, inputShapes[i][1..]);
        return new[] { batch.Count == 1 ? batch[0] : -1 }.Concat(output).ToArray();
    }

    /// <summary>Checks the number of inputs (and that each has a batch axis).</summary>
    protected void CheckCount(IReadOnlyList<int[]> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        if (inputShapes.Count < MinInputs || inputShapes.Count > MaxInputs)
        {
            string expected = MinInputs == MaxInputs ? $"exactly {MinInputs}" : $"at least {MinInputs}";
            throw new ArgumentException($"Layer \"{Name}\": A `{GetType().Name}` layer should be called on a list of {expected} input{(MinInputs == 1 && MaxInputs != 1 ? "" : "s")}. " +
                $"Got {inputShapes.Count} inputs. Full input_shape received: {FormatList(inputShapes)}");
        }
        foreach (var s in inputShapes)
            if (s.Length == 0) throw new ArgumentException($"Layer \"{Name}\": inputs need a batch axis. Received: input_shape={FormatList(inputShapes)}");
    }

    /// <summary>NumPy broadcasting of two shapes aligned on the right (Keras's <c>_compute_elemwise_op_output_shape</c>).</summary>
    private int[] ElementwiseShape(int[] a, int[] b)
    {
        if (a.Length < b.Length) return ElementwiseShape(b, a);
        var output = a[..(a.Length - b.Length)].ToList();
        for (int k = 0; k < b.Length; k++)
        {
            int i = a[a.Length - b.Length + k], j = b[k];
            if (i == -1 || j == -1) output.Add(-1);
            else if (i == 1) output.Add(j);
            else if (j == 1) output.Add(i);
            else if (i != j)
                throw new ArgumentException($"Layer \"{Name}\": Inputs have incompatible shapes. Received shapes {TensorShape.Format(a)} and {TensorShape.Format(b)}");
            else output.Add(i);
        }
        return output.ToArray();
    }

    /// <summary>Checks the shapes, brings the inputs to one rank and merges them.</summary>
    public override Tensor Call(IReadOnlyList<Tensor> inputs, bool training)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ComputeOutputShape(inputs.Select(t => t.Shape.ToArray()).ToList());
        int rank = inputs.Max(t => t.Rank);
        var same = inputs.Select(t => t.Rank == rank ? t
            : Ops.Reshape(t, new[] { t.Shape[0] }.Concat(Enumerable.Repeat(1, rank - t.Rank)).Concat(t.Shape.Skip(1)).ToArray())).ToList();
        return MergeFunction(same);
    }

    /// <summary>A list of shapes as Python prints it: <c>[(None, 4), (None, 5)]</c>.</summary>
    protected static string FormatList(IEnumerable<int[]> shapes) => "[" + string.Join(", ", shapes.Select(s => TensorShape.Format(s))) + "]";
}
