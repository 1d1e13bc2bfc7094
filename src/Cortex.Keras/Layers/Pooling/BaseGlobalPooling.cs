namespace Cortex.Keras.Layers;

/// <summary>
/// The shared part of the global pooling layers (Keras's <c>BaseGlobalPooling</c>): the maximum or mean over every
/// spatial axis, per channel, with the spatial axes dropped or (keepdims) kept with size 1.
/// </summary>
public abstract class BaseGlobalPooling : Layer
{
    private readonly bool _max;

    /// <summary>Stores and validates the configuration; <paramref name="rank"/> is the number of spatial axes (1 or 2).</summary>
    private protected BaseGlobalPooling(int rank, bool max, string dataFormat, bool keepdims, int[]? inputShape, string? name)
        : base(name, inputShape)
    {
        Rank = rank;
        _max = max;
        DataFormat = Layers.DataFormat.Normalize(dataFormat);
        Keepdims = keepdims;
    }

    /// <summary>The number of spatial axes.</summary>
    public int Rank { get; }
    /// <summary>"channels_last" or "channels_first".</summary>
    public string DataFormat { get; }
    /// <summary>Whether the spatial axes are kept with size 1.</summary>
    public bool Keepdims { get; }

    private int[] SpatialAxes()
    {
        int first = Layers.DataFormat.IsChannelsFirst(DataFormat) ? 2 : 1;
        return Enumerable.Range(first, Rank).ToArray();
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        CheckRank(inputs.Shape.ToArray());
        return _max ? Ops.Max(inputs, SpatialAxes(), Keepdims) : Ops.Mean(inputs, SpatialAxes(), Keepdims);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        CheckRank(inputShape);
        var axes = SpatialAxes();
        if (Keepdims)
        {
            var kept = (int[])inputShape.Clone();
            foreach (var a in axes) kept[a] = 1;
            return kept;
        }
        return inputShape.Where((_, i) => Array.IndexOf(axes, i) < 0).ToArray();
    }

    private void CheckRank(int[] shape)
    {
        if (shape.Length != Rank + 2)
            throw new ArgumentException($"Input 0 of layer \"{Name}\" is incompatible with the layer: expected ndim={Rank + 2}, found ndim={shape.Length}. Full shape received: {TensorShape.Format(shape)}");
        foreach (var a in SpatialAxes())
            if (shape[a] == 0)
                throw new ArgumentException($"Layer \"{Name}\" cannot pool over an empty spatial axis. Received: inputs.shape={TensorShape.Format(shape)}");
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["data_format"] = DataFormat;
        c["keepdims"] = Keepdims;
        return c;
    }
}
