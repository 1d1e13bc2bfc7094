using Cortex.Keras.Layers;

namespace Cortex.Keras.Models;

/// <summary>
/// A linear stack of layers (Keras's <c>keras.Sequential</c>). When the first layer declares an input shape (or is an
/// <see cref="InputLayer"/>), every layer is built as it is added, so <see cref="Model.Summary"/> works at once;
/// otherwise the model builds on its first batch.
/// </summary>
public sealed class Sequential : Model
{
    private readonly List<Layer> _layers = new();

    /// <summary>Creates a model from layers.</summary>
    public Sequential(IEnumerable<Layer>? layers = null, string? name = null) : base(name)
    {
        if (layers is not null) foreach (var l in layers) Add(l);
    }

    /// <summary>Creates a model from layers.</summary>
    public Sequential(params Layer[] layers) : this((IEnumerable<Layer>)layers) { }

    /// <inheritdoc/>
    public override IReadOnlyList<Layer> Layers => _layers.Where(l => l is not InputLayer).ToList();

    /// <summary>The first layer added, an <see cref="InputLayer"/> included (for saving).</summary>
    internal Layer? FirstLayer => _layers.Count > 0 ? _layers[0] : null;

    /// <summary>Appends a layer on top of the stack.</summary>
    public void Add(Layer layer)
    {
        ArgumentNullException.ThrowIfNull(layer);
        if (_layers.Any(l => l.Name == layer.Name))
            throw new ArgumentException($"All layers added to a Sequential model should have unique names. Name \"{layer.Name}\" is already the name of a layer in this model.");
        if (layer is InputLayer && _layers.Count > 0)
            throw new ArgumentException("An InputLayer can only be the first layer of a Sequential model.");
        _layers.Add(layer);
        var declared = _layers[0].BatchInputShape;
        if (declared is not null)
        {
            Built = false;
            EnsureBuilt(declared);
        }
    }

    /// <summary>Builds the stack for <paramref name="inputShape"/>; a mismatch is reported by the first layer, with its name.</summary>
    public override void EnsureBuilt(int[] inputShape)
    {
        if (_layers.Count > 0) _layers[0].EnsureBuilt(inputShape);
        base.EnsureBuilt(inputShape);
    }

    /// <summary>Removes the last layer.</summary>
    public void Pop()
    {
        if (_layers.Count == 0) throw new InvalidOperationException("There are no layers in the model.");
        _layers.RemoveAt(_layers.Count - 1);
    }

    /// <inheritdoc/>
    public override void Build(int[] inputShape)
    {
        var shape = inputShape;
        foreach (var l in _layers)
        {
            l.EnsureBuilt(shape);
            shape = l.OutputShape!;
        }
        Built = true;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training) => Run(inputs, training).Output;

    /// <summary>Runs the stack and returns the output with the mask the last layer computed (null where none).</summary>
    protected internal override (IReadOnlyList<Tensor> Outputs, IReadOnlyList<Tensor?> Masks) CallWithMasks(IReadOnlyList<Tensor> inputs, bool training)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Count != 1) throw new ArgumentException($"Sequential model \"{Name}\" expects 1 input, but it received {inputs.Count} input tensors.");
        var (y, mask) = Run(inputs[0], training);
        return (new[] { y }, new[] { mask });
    }

    private (Tensor Output, Tensor? Mask) Run(Tensor inputs, bool training)
    {
        var x = inputs;
        Tensor? mask = null;
        foreach (var l in _layers)
        {
            var y = mask is null ? l.Call(x, training) : l.Call(x, mask, training);
            mask = l.ComputeMask(x, mask);
            x = y;
        }
        return (x, mask);
    }

    /// <inheritdoc/>
    public override int[] ComputeOutputShape(int[] inputShape)
    {
        var shape = inputShape;
        foreach (var l in _layers) shape = l.ComputeOutputShape(shape);
        return shape;
    }
}
