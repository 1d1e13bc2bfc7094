using Cortex.Memory;

namespace Cortex.Keras;

/// <summary>
/// A named, persistent tensor that a layer or optimizer owns: a weight (trainable or not) or an optimizer slot.
/// Its <see cref="Value"/> never comes from a step's buffer pool, and optimizers update it in place.
/// </summary>
public sealed class Variable
{
    /// <summary>Creates a variable holding a copy of <paramref name="initial"/>.</summary>
    public Variable(string name, Tensor initial, bool trainable = true)
    {
        ArgumentNullException.ThrowIfNull(initial);
        Name = name;
        using (TensorScope.Persistent()) Value = initial.Detach();
        Value.RequiresGrad = trainable;
        Trainable = trainable;
    }

    /// <summary>The weight's name, e.g. <c>dense/kernel</c>.</summary>
    public string Name { get; internal set; }

    /// <summary>The current value. Ops on it are recorded by a gradient tape when the variable is trainable.</summary>
    public Tensor Value { get; }

    /// <summary>Whether optimizers update it (Keras's <c>trainable</c>).</summary>
    public bool Trainable
    {
        get => Value.RequiresGrad;
        set => Value.RequiresGrad = value;
    }

    /// <summary>Whether the layer declared the weight trainable (a frozen layer's weights return to this when unfrozen).</summary>
    public bool DeclaredTrainable { get; internal set; } = true;

    /// <summary>
    /// The penalty on this weight (Keras's <c>variable.regularizer</c>, set by a layer's <c>kernelRegularizer</c> /
    /// <c>biasRegularizer</c>): while the weight is trainable, <c>Regularizer.Call(Value)</c> is one of its layer's
    /// <see cref="Layers.Layer.Losses"/>.
    /// </summary>
    public Regularizers.Regularizer? Regularizer { get; set; }

    /// <summary>
    /// The projection applied to this weight after each optimizer update (Keras's <c>variable.constraint</c>, set by a
    /// layer's <c>kernelConstraint</c> / <c>biasConstraint</c>).
    /// </summary>
    public Constraints.Constraint? Constraint { get; set; }

    /// <summary>The shape of the value.</summary>
    public IReadOnlyList<int> Shape => Value.Shape;

    /// <summary>Overwrites the value with <paramref name="values"/> (same number of elements).</summary>
    public void Assign(ReadOnlySpan<float> values)
    {
        if (values.Length != Value.Size)
            throw new ArgumentException($"variable '{Name}' of shape {Value.ShapeString} needs {Value.Size} values; got {values.Length}.", nameof(values));
        values.CopyTo(Value.Span);
    }

    /// <summary>Overwrites the value with a tensor of the same shape.</summary>
    public void Assign(Tensor value)
    {
        if (!value.Shape.SequenceEqual(Value.Shape))
            throw new ArgumentException($"variable '{Name}' has shape {Value.ShapeString}; cannot assign a value of shape {value.ShapeString}.", nameof(value));
        Assign(value.Contiguous().Span);
    }

    /// <summary>A copy of the values.</summary>
    public float[] ToArray() => Value.ToArray();

    /// <inheritdoc/>
    public override string ToString() => $"<Variable {Name} shape={Value.ShapeString}>";
}
