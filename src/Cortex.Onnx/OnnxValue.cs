namespace Cortex.Onnx;

/// <summary>
/// The memory order in which a value is held in the ONNX graph. Keras tensors are channels-last, ONNX's Conv, pooling,
/// BatchNormalization and Resize work channels-first, so a value may exist in either order (or both).
/// </summary>
public enum OnnxLayout
{
    /// <summary>The Keras tensor's own order (batch, ..., channels) for channels-last data.</summary>
    Keras,
    /// <summary>The Keras tensor with its last axis moved to axis 1: (batch, channels, ...). Same as <see cref="Keras"/> for rank ≤ 2.</summary>
    ChannelsFirst,
}

/// <summary>
/// A Keras tensor's value in the ONNX graph under construction: its Keras shape (batch first, −1 unknown) and the ONNX
/// value names holding it in each <see cref="OnnxLayout"/> produced so far. Converters ask the
/// <see cref="OnnxConversionContext"/> for the layout they need (<see cref="OnnxConversionContext.Get"/>); a missing
/// layout is made with one Transpose, once.
/// </summary>
public sealed class OnnxValue
{
    private readonly string?[] _names = new string?[2];

    internal OnnxValue(int[] shape, string name, OnnxLayout layout)
    {
        Shape = (int[])shape.Clone();
        _names[(int)Normalize(layout)] = name;
    }

    /// <summary>The Keras shape (batch axis first, −1 for unknown sizes).</summary>
    public int[] Shape { get; }

    /// <summary>The number of axes, batch included.</summary>
    public int Rank => Shape.Length;

    /// <summary>The ONNX name holding the value in <paramref name="layout"/>, or null when it has not been produced.</summary>
    public string? NameIn(OnnxLayout layout) => _names[(int)Normalize(layout)];

    /// <summary>Whether the value exists in <paramref name="layout"/> without a new Transpose.</summary>
    public bool Has(OnnxLayout layout) => NameIn(layout) is not null;

    /// <summary>The layout to compute an element-wise result in: channels-first when the value only exists there.</summary>
    public OnnxLayout Preferred => Has(OnnxLayout.Keras) ? OnnxLayout.Keras : OnnxLayout.ChannelsFirst;

    internal void Set(OnnxLayout layout, string name) => _names[(int)Normalize(layout)] = name;

    /// <summary>Rank ≤ 2 tensors have no spatial axes: both layouts are the same.</summary>
    private OnnxLayout Normalize(OnnxLayout layout) => Shape.Length <= 2 ? OnnxLayout.Keras : layout;

    /// <summary>
    /// The axis of Keras axis <paramref name="kerasAxis"/> (negative counts from the end) in a rank-<paramref name="rank"/>
    /// tensor held in <paramref name="layout"/>.
    /// </summary>
    public static int AxisIn(OnnxLayout layout, int rank, int kerasAxis)
    {
        int a = kerasAxis < 0 ? kerasAxis + rank : kerasAxis;
        if (a < 0 || a >= rank) throw new ArgumentOutOfRangeException(nameof(kerasAxis), $"axis {kerasAxis} is out of range for rank {rank}.");
        if (layout == OnnxLayout.Keras || rank <= 2 || a == 0) return a;
        return a == rank - 1 ? 1 : a + 1;
    }

    /// <summary>The Keras shape permuted into <paramref name="layout"/>.</summary>
    public int[] ShapeIn(OnnxLayout layout)
    {
        var s = new int[Rank];
        for (int a = 0; a < Rank; a++) s[AxisIn(layout, Rank, a)] = Shape[a];
        return s;
    }
}
