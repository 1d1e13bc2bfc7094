namespace Cortex.Keras.Data;

/// <summary>
/// One element of the data a model trains on, as Keras's <c>(x, y, sample_weight)</c> tuples: the inputs (one tensor
/// per model input), the targets (one per model output; none for prediction-only data) and optional per-sample
/// weights. A <see cref="Dataset"/> yields these, unbatched (single samples, no batch axis) before
/// <see cref="Dataset.Batch"/> and batched (samples along axis 0) after it; <see cref="Models.Model.TrainStep"/> receives
/// a batched one.
/// </summary>
public sealed class DataElement
{
    /// <summary>An element with several inputs and/or targets.</summary>
    /// <param name="x">The inputs, one tensor per model input (at least one).</param>
    /// <param name="y">The targets, one tensor per model output; <see langword="null"/> for prediction-only data.</param>
    /// <param name="sampleWeight">Per-sample weights (a vector along the batch axis once batched); optional.</param>
    public DataElement(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y = null, Tensor? sampleWeight = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Count == 0) throw new ArgumentException("A data element needs at least one input tensor.", nameof(x));
        foreach (var t in x) ArgumentNullException.ThrowIfNull(t, nameof(x));
        if (y is not null) foreach (var t in y) ArgumentNullException.ThrowIfNull(t, nameof(y));
        X = x;
        Y = y;
        SampleWeight = sampleWeight;
    }

    /// <summary>An element with one input and at most one target.</summary>
    public DataElement(Tensor x, Tensor? y = null, Tensor? sampleWeight = null)
        : this(new[] { x ?? throw new ArgumentNullException(nameof(x)) }, y is null ? null : new[] { y }, sampleWeight) { }

    /// <summary>The inputs, one per model input.</summary>
    public IReadOnlyList<Tensor> X { get; }

    /// <summary>The targets, one per model output, or <see langword="null"/>.</summary>
    public IReadOnlyList<Tensor>? Y { get; }

    /// <summary>Per-sample weights, or <see langword="null"/>.</summary>
    public Tensor? SampleWeight { get; }

    /// <summary>The only input; throws when there are several.</summary>
    public Tensor Input => X.Count == 1 ? X[0] : throw new InvalidOperationException($"This element has {X.Count} inputs; read them from X.");

    /// <summary>The only target; throws when there is none or several.</summary>
    public Tensor Target => Y is { Count: 1 } ? Y[0]
        : throw new InvalidOperationException(Y is null ? "This element has no targets." : $"This element has {Y.Count} targets; read them from Y.");

    /// <summary>The number of rows along axis 0 of the first input (the batch size of a batched element).</summary>
    public int Rows => X[0].Rank == 0 ? 1 : X[0].Shape[0];

    /// <summary>Deconstructs a single-input, single-target element into (x, y).</summary>
    public void Deconstruct(out Tensor x, out Tensor y) { x = Input; y = Target; }

    /// <inheritdoc/>
    public override string ToString()
        => $"DataElement(x=[{string.Join(", ", X.Select(t => t.ShapeString))}]" +
           (Y is null ? "" : $", y=[{string.Join(", ", Y.Select(t => t.ShapeString))}]") +
           (SampleWeight is null ? "" : $", sample_weight={SampleWeight.ShapeString}") + ")";
}
