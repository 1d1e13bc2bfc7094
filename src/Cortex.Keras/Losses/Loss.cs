using Cortex.Keras.Utils;

namespace Cortex.Keras.Losses;

/// <summary>
/// The base class of Keras's losses (<c>keras.losses.Loss</c>): a per-sample function of <c>(y_true, y_pred)</c>
/// followed by a reduction to the scalar that training minimises.
/// </summary>
/// <remarks>
/// <para><see cref="Compute"/> gives the per-sample losses, as Keras's loss functions (<c>keras.losses.mean_squared_error</c>
/// and friends) do: y_pred's shape without its last axis (the axis the loss reduces over). <see cref="Call"/> applies the
/// <see cref="Reduction"/>: <c>"sum_over_batch_size"</c> (also <c>"mean"</c>): sum / number of per-sample values;
/// <c>"sum"</c>: the sum; <c>"none"</c>: the per-sample values unchanged. Both are built from <see cref="Ops"/>, so the
/// gradient flows back to y_pred (or, for the fused cross-entropies, to the logits y_pred was computed from).</para>
/// <para>Like Keras's <c>LossFunctionWrapper</c>, a loss first aligns ranks that differ by one through a trailing axis of
/// size 1: y_true (n,) with y_pred (n, 1) becomes (n, 1) and (n, 1); then y_true and y_pred must have the same shape
/// (Keras would broadcast, Cortex raises an <see cref="ArgumentException"/> naming the loss and both shapes).</para>
/// <para><see cref="Get"/> resolves Keras's names and aliases ("mse", "categorical_crossentropy", ...).</para>
/// </remarks>
public abstract class Loss
{
    /// <summary>The reductions Keras accepts (<c>None</c> in Python is <c>"none"</c> or null here).</summary>
    public static IReadOnlyList<string> Reductions { get; } = new[] { "sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none" };

    private static readonly NameRegistry<Loss> Registry = new NameRegistry<Loss>("loss")
        .Add(() => new MeanSquaredError(), "mean_squared_error", "mse", "MeanSquaredError")
        .Add(() => new MeanAbsoluteError(), "mean_absolute_error", "mae", "MeanAbsoluteError")
        .Add(() => new MeanAbsolutePercentageError(), "mean_absolute_percentage_error", "mape", "MeanAbsolutePercentageError")
        .Add(() => new MeanSquaredLogarithmicError(), "mean_squared_logarithmic_error", "msle", "MeanSquaredLogarithmicError")
        .Add(() => new BinaryCrossentropy(), "binary_crossentropy", "bce", "BinaryCrossentropy")
        .Add(() => new CategoricalCrossentropy(), "categorical_crossentropy", "CategoricalCrossentropy")
        .Add(() => new SparseCategoricalCrossentropy(), "sparse_categorical_crossentropy", "SparseCategoricalCrossentropy")
        .Add(() => new Hinge(), "hinge", "Hinge")
        .Add(() => new SquaredHinge(), "squared_hinge", "SquaredHinge")
        .Add(() => new CategoricalHinge(), "categorical_hinge", "CategoricalHinge")
        .Add(() => new KLDivergence(), "kl_divergence", "kld", "kullback_leibler_divergence", "KLDivergence")
        .Add(() => new Poisson(), "poisson", "Poisson")
        .Add(() => new CosineSimilarity(), "cosine_similarity", "CosineSimilarity")
        .Add(() => new Huber(), "huber", "huber_loss", "Huber")
        .Add(() => new LogCosh(), "log_cosh", "logcosh", "LogCosh");

    /// <summary>Stores the name and validates the reduction.</summary>
    /// <param name="name">The loss's name (Keras's default for the class when null or empty).</param>
    /// <param name="reduction">One of <see cref="Reductions"/>; null means <c>"none"</c>, as Python's <c>None</c>.</param>
    /// <param name="defaultName">The Keras name of the class.</param>
    protected Loss(string? name, string? reduction, string defaultName)
    {
        Name = string.IsNullOrEmpty(name) ? defaultName : name;
        Reduction = StandardizeReduction(reduction);
    }

    /// <summary>The loss's name, Keras's by default (e.g. <c>"mean_squared_error"</c>).</summary>
    public string Name { get; }

    /// <summary>How <see cref="Call"/> reduces the per-sample losses: one of <see cref="Reductions"/>.</summary>
    public string Reduction { get; }

    /// <summary>The loss per sample: y_pred's shape without the axis the loss reduces over (the last, by default).</summary>
    /// <param name="yTrue">Targets.</param>
    /// <param name="yPred">Predictions; the result is differentiable with respect to them.</param>
    public abstract Tensor Compute(Tensor yTrue, Tensor yPred);

    /// <summary>The loss reduced as <see cref="Reduction"/> says (Keras's <c>loss(y_true, y_pred)</c>).</summary>
    public Tensor Call(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        var (values, validCount) = ComputeMasked(yTrue, yPred);
        if (validCount is not int valid) return Reduce(values, Reduction);
        // Keras's apply_mask: masked entries weigh 0 and, for the averaging reductions, the others total/valid, so the
        // mean is over the valid entries only (0 when there are none).
        var r = StandardizeReduction(Reduction);
        if (r == "none" || values.Rank == 0) return values;
        var sum = Ops.Sum(values);
        return r == "sum" ? sum : valid == 0 ? Ops.MultiplyScalar(sum, 0f) : Ops.Divide(sum, Tensor.Scalar(valid));
    }

    /// <summary>
    /// The per-sample losses with, for a loss that leaves some entries out (Keras's loss mask, e.g. ignore_class), those
    /// entries zeroed and the number of entries that count; null: all count (the default, <see cref="Compute"/>).
    /// </summary>
    private protected virtual (Tensor Values, int? ValidCount) ComputeMasked(Tensor yTrue, Tensor yPred) => (Compute(yTrue, yPred), null);

    /// <summary>
    /// Keras's <c>reduce_values</c>: "none", a scalar or an empty vector come back unchanged; "sum" sums; the others
    /// divide the sum by the number of values (0 when there are none, as <c>divide_no_nan</c>).
    /// </summary>
    public static Tensor Reduce(Tensor values, string? reduction)
    {
        ArgumentNullException.ThrowIfNull(values);
        var r = StandardizeReduction(reduction);
        if (r == "none" || values.Rank == 0 || (values.Rank == 1 && values.Shape[0] == 0)) return values;
        var sum = Ops.Sum(values);
        if (r == "sum") return sum;
        return values.Size == 0 ? Ops.MultiplyScalar(sum, 0f) : Ops.Divide(sum, Tensor.Scalar(values.Size));
    }

    /// <summary>Keras's configuration: name, reduction and the constructor arguments of the subclass.</summary>
    public virtual Dictionary<string, object?> GetConfig() => new() { ["name"] = Name, ["reduction"] = Reduction };

    /// <summary>A new loss for a Keras name or alias (case-insensitive); an unknown name lists the valid ones.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static Loss Get(string name) => Registry.Get(name);

    /// <summary>The names <see cref="Get"/> knows.</summary>
    public static IReadOnlyList<string> Names => Registry.Names;

    /// <inheritdoc/>
    public override string ToString() => $"{GetType().Name}(name={Name}, reduction={Reduction})";

    private static string StandardizeReduction(string? reduction)
    {
        if (reduction is null) return "none";
        foreach (var r in Reductions) if (r == reduction) return r;
        throw new ArgumentException(
            $"Invalid value for argument `reduction`. Expected one of {{{string.Join(", ", Reductions.Select(r => $"'{r}'"))}, None}}. Received: reduction={reduction}",
            nameof(reduction));
    }

    // ---------------------------------------------------------------- helpers for subclasses

    /// <summary>
    /// Keras's <c>squeeze_or_expand_to_same_rank</c>: when the ranks differ by one and the longer has a trailing axis
    /// of size 1, a rank-1 partner gains that axis, otherwise the axis is dropped.
    /// </summary>
    protected internal static (Tensor YTrue, Tensor YPred) SqueezeOrExpandToSameRank(Tensor yTrue, Tensor yPred)
    {
        int rt = yTrue.Rank, rp = yPred.Rank;
        if (rt == rp + 1 && yTrue.Shape[^1] == 1)
        {
            if (rp == 1) yPred = Ops.Reshape(yPred, yPred.Shape[0], 1);
            else yTrue = Ops.Reshape(yTrue, yTrue.Shape.Take(rt - 1).ToArray());
        }
        else if (rp == rt + 1 && yPred.Shape[^1] == 1)
        {
            if (rt == 1) yTrue = Ops.Reshape(yTrue, yTrue.Shape[0], 1);
            else yPred = Ops.Reshape(yPred, yPred.Shape.Take(rp - 1).ToArray());
        }
        return (yTrue, yPred);
    }

    /// <summary>Aligns ranks (<see cref="SqueezeOrExpandToSameRank"/>), then requires equal shapes.</summary>
    /// <exception cref="ArgumentException">The shapes differ; the message names the loss and both shapes.</exception>
    protected (Tensor YTrue, Tensor YPred) AlignShapes(Tensor yTrue, Tensor yPred)
    {
        ArgumentNullException.ThrowIfNull(yTrue);
        ArgumentNullException.ThrowIfNull(yPred);
        var (t, p) = SqueezeOrExpandToSameRank(yTrue, yPred);
        RequireSameShape(t, p, yTrue, yPred);
        return (t, p);
    }

    /// <summary>Throws unless <paramref name="t"/> and <paramref name="p"/> have the same shape (the originals are named).</summary>
    protected void RequireSameShape(Tensor t, Tensor p, Tensor originalTrue, Tensor originalPred)
    {
        if (!t.Shape.SequenceEqual(p.Shape))
            throw new ArgumentException(
                $"{Name}: y_true and y_pred must have the same shape. Received: y_true.shape={originalTrue.ShapeString}, y_pred.shape={originalPred.ShapeString}");
    }

    /// <summary>Keras's <c>_get_logits</c>: the logits <paramref name="yPred"/> was computed from by <paramref name="activation"/>, if any.</summary>
    internal static Tensor? LogitsOf(Tensor yPred, string activation)
        => yPred.Logits is not null && yPred.LogitsActivation == activation ? yPred.Logits : null;

    /// <summary>Mean over the last axis (an all-axes mean for a rank-1 tensor gives a scalar, as Keras's <c>mean(axis=-1)</c>).</summary>
    internal static Tensor MeanLast(Tensor x) => Ops.Mean(x, -1);

    /// <summary>Validates a label-smoothing factor.</summary>
    internal static float CheckSmoothing(float labelSmoothing)
    {
        if (!(labelSmoothing >= 0f && labelSmoothing <= 1f))
            throw new ArgumentException($"label_smoothing must be in [0, 1]. Received: label_smoothing={labelSmoothing}", nameof(labelSmoothing));
        return labelSmoothing;
    }

    /// <summary>A rank-0 constant.</summary>
    internal static Tensor Constant(float value) => Tensor.Scalar(value);
}
