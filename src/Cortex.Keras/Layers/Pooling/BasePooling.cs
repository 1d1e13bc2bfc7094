namespace Cortex.Keras.Layers;

/// <summary>
/// The shared part of the 1-D and 2-D max and average pooling layers (Keras's <c>BasePooling</c>): configuration,
/// validation, shape inference and the channels_first transposes around the channels-last pooling ops.
/// </summary>
public abstract class BasePooling : Layer
{
    private readonly bool _max;

    /// <summary>Stores and validates the configuration; <paramref name="rank"/> is 1 or 2 (1-D pools use the width only).</summary>
    private protected BasePooling(int rank, bool max, Size2D poolSize, Size2D? strides, string padding, string? dataFormat,
        int[]? inputShape, string? name) : base(name, inputShape)
    {
        Rank = rank;
        _max = max;
        PoolSize = Positive(rank, poolSize, "pool_size");
        Strides = strides is Size2D s ? Positive(rank, s, "strides") : PoolSize;
        Padding = Layers.DataFormat.NormalizePadding(padding);
        DataFormat = Layers.DataFormat.Normalize(dataFormat);
    }

    /// <summary>1 for the 1-D layers, 2 for the 2-D ones.</summary>
    public int Rank { get; }
    /// <summary>The window (height, width); height is 1 for the 1-D layers.</summary>
    public Size2D PoolSize { get; }
    /// <summary>The strides (height, width); height is 1 for the 1-D layers.</summary>
    public Size2D Strides { get; }
    /// <summary>"valid" or "same".</summary>
    public string Padding { get; }
    /// <summary>"channels_last" or "channels_first".</summary>
    public string DataFormat { get; }

    private static Size2D Positive(int rank, Size2D size, string argument)
    {
        if (rank == 2) return size.RequirePositive(argument);
        if (size.Width <= 0)
            throw new ArgumentException($"The `{argument}` argument must be a tuple of 1 positive integer. Received: {argument}=({size.Width},)", argument);
        return size;
    }

    private string Format(Size2D s) => Rank == 2 ? s.ToString() : $"({s.Width},)";

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        var shape = inputs.Shape.ToArray();
        CheckRank(shape);
        CheckFits(shape);
        bool first = Layers.DataFormat.IsChannelsFirst(DataFormat);
        bool same = Padding == "same";
        if (Rank == 1)
        {
            var x = first ? Ops.Transpose(inputs, 0, 2, 1) : inputs;
            var y = _max ? Ops.MaxPool1D(x, PoolSize.Width, Strides.Width, same) : Ops.AvgPool1D(x, PoolSize.Width, Strides.Width, same);
            return first ? Ops.Transpose(y, 0, 2, 1) : y;
        }
        else
        {
            var x = first ? Ops.Transpose(inputs, 0, 2, 3, 1) : inputs;
            var y = _max
                ? Ops.MaxPool2D(x, PoolSize.Height, PoolSize.Width, Strides.Height, Strides.Width, same)
                : Ops.AvgPool2D(x, PoolSize.Height, PoolSize.Width, Strides.Height, Strides.Width, same);
            return first ? Ops.Transpose(y, 0, 3, 1, 2) : y;
        }
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        CheckRank(inputShape);
        CheckFits(inputShape);
        var output = (int[])inputShape.Clone();
        int firstSpatial = Layers.DataFormat.IsChannelsFirst(DataFormat) ? 2 : 1;
        for (int k = 0; k < Rank; k++)
        {
            int axis = firstSpatial + k;
            if (inputShape[axis] < 0) continue;
            output[axis] = Kernels.Pooling.OutputSize(inputShape[axis], Pool(k), Stride(k), Padding == "same").Out;
        }
        return output;
    }

    // Spatial axis k: for 2-D, 0 is height and 1 width; for 1-D, 0 is the width.
    private int Pool(int k) => Rank == 2 && k == 0 ? PoolSize.Height : PoolSize.Width;
    private int Stride(int k) => Rank == 2 && k == 0 ? Strides.Height : Strides.Width;

    private void CheckRank(int[] shape)
    {
        if (shape.Length != Rank + 2)
            throw new ArgumentException($"Input 0 of layer \"{Name}\" is incompatible with the layer: expected ndim={Rank + 2}, found ndim={shape.Length}. Full shape received: {TensorShape.Format(shape)}");
    }

    private void CheckFits(int[] shape)
    {
        if (Padding == "same") return;
        int firstSpatial = Layers.DataFormat.IsChannelsFirst(DataFormat) ? 2 : 1;
        for (int k = 0; k < Rank; k++)
        {
            int size = shape[firstSpatial + k];
            if (size >= 0 && size < Pool(k))
                throw new ArgumentException($"Layer \"{Name}\": computed output size would be negative: the pool is larger than the input with padding=\"valid\". Received: inputs.shape={TensorShape.Format(shape)} and pool_size={Format(PoolSize)}");
        }
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["pool_size"] = Rank == 2 ? PoolSize.ToArray() : new[] { PoolSize.Width };
        c["padding"] = Padding;
        c["strides"] = Rank == 2 ? Strides.ToArray() : new[] { Strides.Width };
        c["data_format"] = DataFormat;
        return c;
    }
}
