namespace Cortex.Keras.Layers;

/// <summary>Applies an activation function: <c>output = activation(input)</c>. Input and output shapes are equal.</summary>
public sealed class Activation : Layer
{
    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    private readonly Func<Tensor, Tensor> _fn;

    /// <summary>Creates the layer from a Keras activation name (see <see cref="Activations"/>).</summary>
    public Activation(string activation, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        ActivationName = activation;
        _fn = Activations.Get(activation);
    }

    /// <summary>The activation's name.</summary>
    public string ActivationName { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training) => _fn(inputs);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["activation"] = ActivationName; return c; }
}
