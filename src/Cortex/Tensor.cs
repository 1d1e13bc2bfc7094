using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using Cortex.Autodiff;
using Cortex.Memory;

namespace Cortex;

/// <summary>
/// An n-dimensional array of <see cref="float"/> values: the value type of the whole engine.
/// </summary>
/// <remarks>
/// <para>A tensor is a view over a flat buffer: a shape, per-dimension strides (in elements) and an offset.
/// Reshaping a contiguous tensor, transposing, permuting and slicing make views without copying.</para>
/// <para>Tensors are ordinary garbage-collected objects: users never dispose them. Inside a training step
/// (<see cref="TensorScope"/>) the engine rents intermediate buffers from a pool and returns them when the
/// step ends; a tensor from such a step must not be used after it (it then throws).</para>
/// <para>Differentiable operations live in <see cref="Ops"/>; the common arithmetic operators forward to them.</para>
/// </remarks>
public sealed partial class Tensor
{
    internal float[] Buffer;
    internal int Offset;
    internal readonly int[] Dims;
    internal readonly int[] Strides;
    internal readonly int Length;
    internal TensorScope? Owner; // set when the buffer is rented by a TensorScope
    internal GradientTape? Tape;  // the tape that produced or watches this tensor
    /// <summary>Set by activations such as softmax so a cross-entropy loss can use the fused, stable form (as Keras does).</summary>
    internal Tensor? Logits;
    internal string? LogitsActivation;

    internal Tensor(float[] buffer, int offset, int[] dims, int[] strides)
    {
        Buffer = buffer;
        Offset = offset;
        Dims = dims;
        Strides = strides;
        Length = TensorShape.Size(dims);
    }

    internal Tensor(float[] buffer, int[] dims) : this(buffer, 0, dims, TensorShape.ContiguousStrides(dims)) { }

    /// <summary>The size of each dimension.</summary>
    public IReadOnlyList<int> Shape => Dims;

    /// <summary>The number of dimensions.</summary>
    public int Rank => Dims.Length;

    /// <summary>The number of elements.</summary>
    public int Size => Length;

    /// <summary>Whether the elements lie in row-major order without gaps.</summary>
    public bool IsContiguous => TensorShape.IsContiguous(Dims, Strides);

    /// <summary>Whether a gradient tape records operations on this tensor (a trainable variable or a watched tensor).</summary>
    public bool RequiresGrad { get; internal set; }

    /// <summary>The shape written as Keras writes it, e.g. <c>(128, 784)</c>.</summary>
    public string ShapeString => TensorShape.Format(Dims);

    // ---------------------------------------------------------------- creation

    /// <summary>Creates a tensor of the given shape holding a copy of <paramref name="data"/> (row-major).</summary>
    public static Tensor FromArray(ReadOnlySpan<float> data, params int[] shape)
    {
        TensorShape.Validate(shape, nameof(shape));
        int size = TensorShape.Size(shape);
        if (data.Length != size)
            throw new ArgumentException($"data has {data.Length} values but shape {TensorShape.Format(shape)} needs {size}.", nameof(data));
        var t = Allocate((int[])shape.Clone(), clear: false);
        data.CopyTo(t.Span);
        return t;
    }

    /// <summary>Wraps <paramref name="data"/> without copying; later writes to the array show through.</summary>
    public static Tensor Wrap(float[] data, params int[] shape)
    {
        TensorShape.Validate(shape, nameof(shape));
        if (data.Length != TensorShape.Size(shape))
            throw new ArgumentException($"data has {data.Length} values but shape {TensorShape.Format(shape)} needs {TensorShape.Size(shape)}.", nameof(data));
        return new Tensor(data, (int[])shape.Clone());
    }

    /// <summary>A scalar (rank-0) tensor.</summary>
    public static Tensor Scalar(float value)
    {
        var t = Allocate(Array.Empty<int>(), clear: false);
        t.Buffer[t.Offset] = value;
        return t;
    }

    /// <summary>A tensor of zeros.</summary>
    public static Tensor Zeros(params int[] shape) { TensorShape.Validate(shape, nameof(shape)); return Allocate((int[])shape.Clone(), clear: true); }

    /// <summary>A tensor of ones.</summary>
    public static Tensor Ones(params int[] shape) => Full(1f, shape);

    /// <summary>A tensor filled with <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params int[] shape)
    {
        TensorShape.Validate(shape, nameof(shape));
        var t = Allocate((int[])shape.Clone(), clear: false);
        t.Span.Fill(value);
        return t;
    }

    /// <summary>A tensor of the same shape as <paramref name="like"/> filled with zeros.</summary>
    public static Tensor ZerosLike(Tensor like) => Allocate((int[])like.Dims.Clone(), clear: true);

    /// <summary>Allocates a contiguous tensor, from the step's pool when a <see cref="TensorScope"/> is active.</summary>
    internal static Tensor Allocate(int[] dims, bool clear)
    {
        int size = TensorShape.Size(dims);
        var scope = TensorScope.Current;
        if (scope is null)
            return new Tensor(size == 0 ? Array.Empty<float>() : new float[size], dims);
        var t = new Tensor(scope.Rent(size), dims) { Owner = scope };
        scope.Track(t);
        if (clear) t.Span.Clear();
        return t;
    }

    // ---------------------------------------------------------------- element access

    /// <summary>The elements of a contiguous tensor, as a span over its buffer.</summary>
    /// <exception cref="InvalidOperationException">The tensor is a strided view; call <see cref="Contiguous"/> first.</exception>
    public Span<float> Span
    {
        get
        {
            CheckAlive();
            if (!IsContiguous) throw new InvalidOperationException($"tensor of shape {ShapeString} is a strided view; call Contiguous() first.");
            return Buffer.AsSpan(Offset, Length);
        }
    }

    /// <summary>Reads or writes one element.</summary>
    [IndexerName("Element")]
    public float this[params int[] index]
    {
        get { CheckAlive(); return Buffer[FlatIndex(index)]; }
        set { CheckAlive(); Buffer[FlatIndex(index)] = value; }
    }

    /// <summary>The value of a tensor with exactly one element.</summary>
    public float Item()
    {
        CheckAlive();
        if (Length != 1) throw new InvalidOperationException($"Item() needs a tensor with one element; this one has shape {ShapeString}.");
        return Buffer[Offset];
    }

    /// <summary>A new row-major array with the tensor's elements.</summary>
    public float[] ToArray()
    {
        var c = Contiguous();
        return c.Buffer.AsSpan(c.Offset, c.Length).ToArray();
    }

    /// <summary>Returns this tensor if contiguous, else a contiguous copy.</summary>
    public Tensor Contiguous()
    {
        CheckAlive();
        if (IsContiguous) return this;
        var t = Allocate((int[])Dims.Clone(), clear: false);
        Kernels.StridedCopy.Copy(Buffer, Offset, Dims, Strides, t.Buffer.AsSpan(t.Offset, t.Length));
        return t;
    }

    /// <summary>A copy that no gradient tape follows and that owns its own (non-pooled) buffer.</summary>
    public Tensor Detach()
    {
        var c = Contiguous();
        return new Tensor(c.Buffer.AsSpan(c.Offset, c.Length).ToArray(), (int[])Dims.Clone());
    }

    private int FlatIndex(int[] index)
    {
        if (index.Length != Dims.Length)
            throw new ArgumentException($"index has {index.Length} coordinates but the tensor has rank {Dims.Length}.", nameof(index));
        int flat = Offset;
        for (int i = 0; i < index.Length; i++)
        {
            int v = index[i];
            if (v < 0) v += Dims[i];
            if ((uint)v >= (uint)Dims[i])
                throw new IndexOutOfRangeException($"index {index[i]} is out of range for axis {i} of size {Dims[i]}.");
            flat += v * Strides[i];
        }
        return flat;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CheckAlive()
    {
        if (Owner is not null && Owner.IsDisposed)
            ThrowReleased();
    }

    private void ThrowReleased() => throw new ObjectDisposedException(nameof(Tensor),
        $"this tensor of shape {ShapeString} was an intermediate of a training step whose buffers have been returned to the pool; copy it with Detach() inside the step to keep it.");

    /// <summary>Prints the shape and (up to 20) values.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append("Tensor").Append(ShapeString).Append(" [");
        var c = Contiguous();
        int n = Math.Min(c.Length, 20);
        for (int i = 0; i < n; i++)
        {
            if (i > 0) sb.Append(", ");
            sb.Append(c.Buffer[c.Offset + i].ToString("G6", CultureInfo.InvariantCulture));
        }
        if (c.Length > n) sb.Append(", ...");
        return sb.Append(']').ToString();
    }

    // ---------------------------------------------------------------- operators

    public static Tensor operator +(Tensor a, Tensor b) => Ops.Add(a, b);
    public static Tensor operator -(Tensor a, Tensor b) => Ops.Subtract(a, b);
    public static Tensor operator *(Tensor a, Tensor b) => Ops.Multiply(a, b);
    public static Tensor operator /(Tensor a, Tensor b) => Ops.Divide(a, b);
    public static Tensor operator +(Tensor a, float b) => Ops.AddScalar(a, b);
    public static Tensor operator +(float a, Tensor b) => Ops.AddScalar(b, a);
    public static Tensor operator -(Tensor a, float b) => Ops.AddScalar(a, -b);
    public static Tensor operator -(float a, Tensor b) => Ops.AddScalar(Ops.Negate(b), a);
    public static Tensor operator *(Tensor a, float b) => Ops.MultiplyScalar(a, b);
    public static Tensor operator *(float a, Tensor b) => Ops.MultiplyScalar(b, a);
    public static Tensor operator /(Tensor a, float b) => Ops.MultiplyScalar(a, 1f / b);
    public static Tensor operator -(Tensor a) => Ops.Negate(a);
}
