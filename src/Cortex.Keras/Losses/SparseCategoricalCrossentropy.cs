namespace Cortex.Keras.Losses;

/// <summary>
/// Categorical cross-entropy for integer class labels (Keras's <c>SparseCategoricalCrossentropy</c>, name
/// <c>"sparse_categorical_crossentropy"</c>). y_true holds class indices (as float values), shaped as y_pred without its
/// last axis, or with a trailing axis of size 1 (e.g. (batch,) or (batch, 1) for y_pred (batch, classes)):
/// <list type="bullet">
/// <item>probabilities (<c>fromLogits=false</c>), as Keras's TensorFlow backend: <c>loss = −log softmax(log clip(y_pred, ε, 1 − ε))[label]</c>,
/// i.e. −log(p_label / Σ p) with p clipped;</item>
/// <item>logits z (<c>fromLogits=true</c>): <c>loss = −log softmax(z)[label]</c>, by the fused <see cref="Ops.SparseSoftmaxCrossEntropy"/>.</item>
/// </list>
/// ε = <see cref="Backend.Epsilon"/>. The result has y_pred's shape without its last axis.
/// </summary>
/// <remarks>
/// Fused path (Keras's TensorFlow backend, <c>_get_logits</c>): when y_pred was produced by <see cref="Ops.Softmax"/>, the
/// loss is computed from the softmax's input with the fused, stable op (the gradient then flows to the logits), whatever
/// <paramref name="fromLogits"/> says. Labels must be whole numbers in [0, classes).
/// </remarks>
/// <param name="fromLogits">Whether y_pred holds logits rather than probabilities.</param>
/// <param name="ignoreClass">Keras's <c>ignore_class</c>: a label value (e.g. 0 for the padding of a tagged sequence,
/// or −1 / 255 for a "void" class) whose entries do not count: their loss is 0 and the averaging reductions divide by
/// the number of the other entries only. The value need not be a valid class index. Null: every entry counts.</param>
/// <param name="reduction">"sum_over_batch_size" (default), "sum", "mean", "mean_with_sample_weight" or "none".</param>
/// <param name="name">The loss's name.</param>
public sealed class SparseCategoricalCrossentropy(bool fromLogits = false, int? ignoreClass = null,
    string? reduction = "sum_over_batch_size", string? name = "sparse_categorical_crossentropy")
    : Loss(name, reduction, "sparse_categorical_crossentropy")
{
    /// <summary>Whether y_pred holds logits.</summary>
    public bool FromLogits { get; } = fromLogits;

    /// <summary>The label whose entries do not count (Keras's <c>ignore_class</c>), if any.</summary>
    public int? IgnoreClass { get; } = ignoreClass;

    /// <inheritdoc/>
    /// <remarks>With <see cref="IgnoreClass"/> the ignored entries' losses are 0.</remarks>
    public override Tensor Compute(Tensor yTrue, Tensor yPred) => ComputeMasked(yTrue, yPred).Values;

    private protected override (Tensor Values, int? ValidCount) ComputeMasked(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        if (yPred.Rank == 0) throw new ArgumentException($"{Name}: y_pred must have at least one axis (the classes). Received: y_pred.shape={yPred.ShapeString}");
        var labels = yTrue;
        if (labels.Rank == yPred.Rank && labels.Rank > 0 && labels.Shape[^1] == 1)
            labels = Ops.Reshape(labels, labels.Shape.Take(labels.Rank - 1).ToArray());
        if (!labels.Shape.SequenceEqual(yPred.Shape.Take(yPred.Rank - 1)))
            throw new ArgumentException(
                $"{Name}: y_true must hold one class index per row of y_pred, shaped as y_pred without its last axis (or with a trailing axis of size 1). " +
                $"Received: y_true.shape={yTrue.ShapeString}, y_pred.shape={yPred.ShapeString}");

        var logits = LogitsOf(yPred, "softmax") ?? (FromLogits ? yPred : null);
        logits ??= Ops.Log(Ops.Clip(yPred, Backend.Epsilon, 1f - Backend.Epsilon));
        if (IgnoreClass is not int ignore) return (Ops.SparseSoftmaxCrossEntropy(logits, labels), null);

        // As Keras: ignored labels become 0 (so any value is allowed there), and their losses are zeroed.
        var safe = labels.Contiguous().ToArray();
        var valid = new float[safe.Length];
        int count = 0;
        for (int i = 0; i < safe.Length; i++)
        {
            if (safe[i] == ignore) { safe[i] = 0f; continue; }
            valid[i] = 1f; count++;
        }
        var shape = labels.Shape.ToArray();
        var losses = Ops.SparseSoftmaxCrossEntropy(logits, Tensor.FromArray(safe, shape));
        return (Ops.Multiply(losses, Tensor.FromArray(valid, shape)), count);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["from_logits"] = FromLogits; c["ignore_class"] = IgnoreClass;
        return c;
    }
}
