namespace Cortex.Keras.Layers;

/// <summary>Reshapes each sample to <c>target_shape</c> (one size may be −1). Output shape: <c>(batch,) + target_shape</c>.</summary>
public sealed class Reshape : Layer
{
    /// <summary>Creates a Reshape layer.</summary>
    public Reshape(int[] targetShape, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(targetShape);
        if (targetShape.Count(d => d == -1) > 1 || targetShape.Any(d => d == 0 || d < -1))
            throw new ArgumentException($"target_shape needs positive sizes and at most one -1. Received: target_shape={TensorShape.Format(targetShape)}");
        TargetShape = targetShape;
    }

    /// <summary>The shape of each output sample.</summary>
    public int[] TargetShape { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        int perSample = inputs.Size / Math.Max(inputs.Shape[0], 1);
        var target = Resolve(perSample);
        return Ops.Reshape(inputs, new[] { inputs.Shape[0] }.Concat(target).ToArray());
    }

    private int[] Resolve(int perSample)
    {
        int known = TargetShape.Where(d => d != -1).Aggregate(1, (a, b) => a * b);
        var t = (int[])TargetShape.Clone();
        int u = Array.IndexOf(t, -1);
        if (u >= 0) t[u] = known == 0 ? 0 : perSample / known;
        if (t.Aggregate(1, (a, b) => a * b) != perSample)
            throw new ArgumentException($"layer \"{Name}\": total size of the new array must be unchanged, input has {perSample} values per sample, target_shape={TensorShape.Format(TargetShape)}");
        return t;
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        if (inputShape.Skip(1).Any(d => d < 0)) return new[] { inputShape[0] }.Concat(TargetShape).ToArray();
        return new[] { inputShape[0] }.Concat(Resolve(inputShape.Skip(1).Aggregate(1, (a, b) => a * b))).ToArray();
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["target_shape"] = TargetShape; return c; }
}
