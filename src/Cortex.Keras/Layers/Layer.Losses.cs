using Cortex.Keras.Regularizers;

namespace Cortex.Keras.Layers;

/// <summary>Keras's layer losses: <see cref="AddLoss"/>, the weights' regularization penalties and <see cref="Losses"/>.</summary>
public abstract partial class Layer
{
    private readonly List<Tensor> _addedLosses = new();

    /// <summary>
    /// The penalty on the layer's outputs (Keras's <c>activity_regularizer</c>): layers that take an
    /// <c>activityRegularizer</c> argument (Dense, the convolutions) call <see cref="RegularizeActivity"/> on their
    /// output, which adds <c>regularizer(output)</c> with <see cref="AddLoss"/>. As in Keras 3 the penalty is on the
    /// whole batch's output, not divided by the batch size (Keras 2 divided it).
    /// </summary>
    public Regularizer? ActivityRegularizer { get; protected set; }

    /// <summary>
    /// The layer's current losses (Keras's <c>layer.losses</c>): the losses added with <see cref="AddLoss"/> since they
    /// were last collected (by this layer and, for a model, by all its layers), then the penalty of every trainable
    /// weight that has a <see cref="Variable.Regularizer"/>, computed now from the weight's value (so it is recorded
    /// on an active gradient tape).
    /// </summary>
    /// <remarks>A frozen weight's penalty is left out, as Keras sums the regularizers of <c>trainable_weights</c> only.</remarks>
    public IReadOnlyList<Tensor> Losses
    {
        get
        {
            var losses = new List<Tensor>();
            foreach (var layer in SelfAndSublayers()) losses.AddRange(layer._addedLosses);
            var seen = new HashSet<Variable>(ReferenceEqualityComparer.Instance);
            foreach (var v in TrainableWeights)
                if (v.Regularizer is { } r && seen.Add(v)) losses.Add(r.Call(v.Value));
            return losses;
        }
    }

    /// <summary>
    /// Adds a loss tensor (Keras's <c>add_loss</c>), typically from inside <see cref="Call(Tensor, bool)"/> of a custom
    /// layer. Training sums it (all its elements) into the loss it differentiates; it is kept until the model's
    /// training or evaluation step collects it, or <see cref="ClearLosses"/> is called.
    /// </summary>
    /// <param name="loss">The loss; any shape (its elements are summed).</param>
    public void AddLoss(Tensor loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        _addedLosses.Add(loss);
    }

    /// <summary>Forgets the losses added with <see cref="AddLoss"/> (by this layer and, for a model, by all its layers).</summary>
    public void ClearLosses()
    {
        foreach (var layer in SelfAndSublayers()) layer._addedLosses.Clear();
    }

    /// <summary>Adds <c>ActivityRegularizer(output)</c> as a loss when there is one; returns <paramref name="output"/>.</summary>
    protected Tensor RegularizeActivity(Tensor output)
    {
        if (ActivityRegularizer is { } r) AddLoss(r.Call(output));
        return output;
    }

    /// <summary>The layers inside this one (a model's layers); none for a plain layer.</summary>
    protected virtual IEnumerable<Layer> Sublayers => Array.Empty<Layer>();

    /// <summary>This layer and every layer inside it, each once.</summary>
    internal List<Layer> SelfAndSublayers()
    {
        var seen = new HashSet<Layer>(ReferenceEqualityComparer.Instance);
        var order = new List<Layer>();
        var stack = new Stack<Layer>();
        stack.Push(this);
        while (stack.Count > 0)
        {
            var layer = stack.Pop();
            if (!seen.Add(layer)) continue;
            order.Add(layer);
            foreach (var sub in layer.Sublayers.Reverse()) stack.Push(sub);
        }
        return order;
    }
}
