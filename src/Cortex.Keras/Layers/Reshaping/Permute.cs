namespace Cortex.Keras.Layers;

/// <summary>
/// Permutes the dimensions of the input according to a given pattern, e.g. <c>new Permute(2, 1)</c> swaps the first
/// and second axes of a sample. Useful for connecting RNNs and convnets.
/// </summary>
/// <remarks>
/// Args: dims: the permutation pattern, without the batch axis; indexing starts at 1 (as in Keras).<br/>
/// Input shape: arbitrary, rank <c>1 + dims.Length</c>.<br/>
/// Output shape: the input shape with its non-batch axes reordered by <c>dims</c>.
/// </remarks>
public sealed class Permute : Layer
{
    private readonly int[] _perm;

    /// <summary>Creates a Permute layer.</summary>
    public Permute(int[] dims, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        ArgumentNullException.ThrowIfNull(dims);
        if (!dims.OrderBy(d => d).SequenceEqual(Enumerable.Range(1, dims.Length)))
            throw new ArgumentException($"Layer \"{Name}\": invalid permutation argument `dims` for Permute Layer. The set of indices in `dims` must be consecutive and start from 1. Received dims=({string.Join(", ", dims)})", nameof(dims));
        Dims = (int[])dims.Clone();
        _perm = new[] { 0 }.Concat(Dims).ToArray();
    }

    /// <summary>Creates a Permute layer: <c>new Permute(2, 1)</c>.</summary>
    public Permute(params int[] dims) : this(dims, null, null) { }

    /// <summary>The permutation of the non-batch axes (1-based).</summary>
    public int[] Dims { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        SpatialAxes.RequireRank(this, inputs.Shape, _perm.Length);
        return Ops.Transpose(inputs, _perm);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        SpatialAxes.RequireRank(this, inputShape, _perm.Length);
        return _perm.Select(a => inputShape[a]).ToArray();
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["dims"] = (int[])Dims.Clone(); return c; }
}
