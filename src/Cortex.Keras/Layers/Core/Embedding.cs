using Cortex.Keras.Constraints;
using Cortex.Keras.Initializers;
using Cortex.Keras.Regularizers;

namespace Cortex.Keras.Layers;

/// <summary>
/// Turns non-negative integer ids into dense vectors of fixed size (Keras's <c>keras.layers.Embedding</c>): each id
/// <c>i</c> picks row <c>i</c> of the <c>(input_dim, output_dim)</c> matrix <see cref="Embeddings"/>.
/// </summary>
/// <remarks>
/// <para>Args: input_dim (vocabulary size, largest id + 1), output_dim, embeddings_initializer ("uniform", Keras's
/// RandomUniform(−0.05, 0.05)), mask_zero (false: id 0 is a padding value whose steps are masked, so input_dim must
/// then be vocabulary + 1), input_length (Keras 2's fixed sequence length, declares input_shape = (input_length,)).</para>
/// <para>Input shape: <c>(batch, ...)</c> of ids stored as float32 (whole numbers). Output: <c>(batch, ..., output_dim)</c>.
/// The mask (with mask_zero) is <c>ids != 0</c>, of the input's shape.</para>
/// <para>The gradient is a scatter-add of the output gradient rows into the rows that were picked
/// (<see cref="Ops.Gather"/>), never a dense one-hot product.</para>
/// </remarks>
public sealed class Embedding : Layer
{
    private Variable? _embeddings;

    /// <summary>Creates an Embedding layer with an initializer given by its Keras name.</summary>
    public Embedding(int inputDim, int outputDim, string embeddingsInitializer = "uniform", bool maskZero = false,
        int? inputLength = null, int[]? inputShape = null, string? name = null,
        Regularizer? embeddingsRegularizer = null, Regularizer? activityRegularizer = null, Constraint? embeddingsConstraint = null)
        : this(inputDim, outputDim, Initializer.Get(embeddingsInitializer), maskZero, inputLength, inputShape, name,
            embeddingsRegularizer, activityRegularizer, embeddingsConstraint) { }

    /// <summary>Creates an Embedding layer with an initializer object.</summary>
    public Embedding(int inputDim, int outputDim, Initializer embeddingsInitializer, bool maskZero = false,
        int? inputLength = null, int[]? inputShape = null, string? name = null,
        Regularizer? embeddingsRegularizer = null, Regularizer? activityRegularizer = null, Constraint? embeddingsConstraint = null)
        : base(name, inputShape ?? (inputLength is int n && n > 0 ? new[] { n } : null))
    {
        ArgumentNullException.ThrowIfNull(embeddingsInitializer);
        if (inputDim <= 0 || outputDim <= 0)
            throw new ArgumentException($"Both `input_dim` and `output_dim` should be positive, Received input_dim = {inputDim} and output_dim = {outputDim}");
        if (inputLength is int len && len <= 0)
            throw new ArgumentException($"`input_length` must be a positive integer. Received: input_length={len}", nameof(inputLength));
        InputDim = inputDim;
        OutputDim = outputDim;
        EmbeddingsInitializer = embeddingsInitializer;
        MaskZero = maskZero;
        InputLength = inputLength;
        EmbeddingsRegularizer = embeddingsRegularizer;
        ActivityRegularizer = activityRegularizer;
        EmbeddingsConstraint = embeddingsConstraint;
    }

    /// <summary>Penalty on the embeddings matrix (Keras's <c>embeddings_regularizer</c>), or null.</summary>
    public Regularizer? EmbeddingsRegularizer { get; }

    /// <summary>Constraint on the embeddings matrix, applied after each optimizer update (Keras's <c>embeddings_constraint</c>), or null.</summary>
    public Constraint? EmbeddingsConstraint { get; }

    /// <summary>Size of the vocabulary: ids must lie in [0, input_dim).</summary>
    public int InputDim { get; }
    /// <summary>Dimension of the dense embedding.</summary>
    public int OutputDim { get; }
    /// <summary>Initializer of the embeddings matrix.</summary>
    public Initializer EmbeddingsInitializer { get; }
    /// <summary>Whether id 0 is padding whose steps are masked.</summary>
    public bool MaskZero { get; }
    /// <summary>Keras 2's fixed input length, when given.</summary>
    public int? InputLength { get; }
    /// <summary>The embeddings matrix, shape (input_dim, output_dim), once built.</summary>
    public Variable Embeddings => _embeddings ?? throw new InvalidOperationException($"layer \"{Name}\" is not built yet.");

    /// <inheritdoc/>
    public override void Build(int[] inputShape)
    {
        _embeddings = AddWeight("embeddings", new[] { InputDim, OutputDim }, EmbeddingsInitializer,
            regularizer: EmbeddingsRegularizer, constraint: EmbeddingsConstraint);
        Built = true;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        CheckIds(inputs);
        return RegularizeActivity(Ops.Gather(Embeddings.Value, inputs));
    }

    /// <summary>Checks that every value is a whole number in [0, input_dim); the error names the layer, the id and where it is.</summary>
    private void CheckIds(Tensor inputs)
    {
        var ids = inputs.Contiguous().Span;
        for (int i = 0; i < ids.Length; i++)
        {
            float v = ids[i];
            if (v >= 0 && v < InputDim && v == MathF.Floor(v)) continue;
            string what = v == MathF.Floor(v) ? "is out of range" : "is not an integer id";
            throw new ArgumentOutOfRangeException(nameof(inputs),
                $"layer \"{Name}\": input id {v} at position {TensorShape.Format(Unravel(i, inputs.Shape))} {what}; ids must be integers in [0, input_dim={InputDim}).");
        }
    }

    private static int[] Unravel(int flat, IReadOnlyList<int> shape)
    {
        var pos = new int[shape.Count];
        for (int a = shape.Count - 1; a >= 0; a--) { int d = Math.Max(shape[a], 1); pos[a] = flat % d; flat /= d; }
        return pos;
    }

    /// <summary>With mask_zero, 1 where the id is not 0 (shape of the input); else none. An incoming mask is ignored, as in Keras.</summary>
    public override Tensor? ComputeMask(Tensor inputs, Tensor? mask)
    {
        if (!MaskZero) return null;
        return Ops.Mask(inputs, static (src, dst) => { for (int i = 0; i < src.Length; i++) dst[i] = src[i] != 0f ? 1f : 0f; });
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape) => inputShape.Append(OutputDim).ToArray();

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["input_dim"] = InputDim; c["output_dim"] = OutputDim;
        c["embeddings_initializer"] = Saving.KerasObjects.Serialize(EmbeddingsInitializer);
        c["embeddings_regularizer"] = Regularizer.Serialize(EmbeddingsRegularizer);
        c["activity_regularizer"] = Regularizer.Serialize(ActivityRegularizer);
        c["embeddings_constraint"] = Constraint.Serialize(EmbeddingsConstraint);
        c["mask_zero"] = MaskZero;
        if (InputLength is not null) c["input_length"] = InputLength; // Keras 2's key; Keras 3 accepts and ignores it
        return c;
    }
}
