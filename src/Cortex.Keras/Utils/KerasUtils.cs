namespace Cortex.Keras.Utils;

/// <summary>Keras's <c>keras.utils</c> helpers for preparing data.</summary>
public static class KerasUtils
{
    /// <summary>
    /// Converts class indices to one-hot rows (Keras's <c>to_categorical</c>): labels of shape (n,) or (n, 1) give (n, numClasses).
    /// When <paramref name="numClasses"/> is null it is the largest label + 1.
    /// </summary>
    public static Tensor ToCategorical(Tensor labels, int? numClasses = null)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var flat = labels.Rank == 2 && labels.Shape[1] == 1 ? Ops.Reshape(labels, labels.Shape[0]) : labels;
        int classes = numClasses ?? (flat.Size == 0 ? 0 : (int)flat.ToArray().Max() + 1);
        return Ops.OneHot(flat, classes);
    }

    /// <summary>Converts byte labels to a float tensor of class indices, shape (n,).</summary>
    public static Tensor LabelsToTensor(ReadOnlySpan<byte> labels)
    {
        var t = Tensor.Zeros(labels.Length);
        var s = t.Span;
        for (int i = 0; i < labels.Length; i++) s[i] = labels[i];
        return t;
    }

    /// <summary>Converts bytes (e.g. pixels) to floats multiplied by <paramref name="scale"/> (1/255 for Keras's usual scaling).</summary>
    public static Tensor BytesToTensor(ReadOnlySpan<byte> data, int[] shape, float scale = 1f / 255f)
    {
        if (TensorShape.Size(shape) != data.Length)
            throw new ArgumentException($"{data.Length} bytes do not fill shape {TensorShape.Format(shape)}.", nameof(shape));
        var t = Tensor.Zeros(shape);
        var s = t.Span;
        for (int i = 0; i < data.Length; i++) s[i] = data[i] * scale;
        return t;
    }
}
