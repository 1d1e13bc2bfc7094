namespace Cortex.Keras.Layers;

/// <summary>Exponential Linear Unit: <c>f(x) = alpha · (exp(x) − 1)</c> for x &lt; 0, <c>f(x) = x</c> for x ≥ 0.</summary>
/// <remarks>
/// Args: alpha: the scale of the negative part, default 1.0.<br/>
/// Input shape: arbitrary. Output shape: same as the input.
/// </remarks>
public sealed class ELU : Layer
{
    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    /// <summary>Creates an ELU layer.</summary>
    public ELU(float alpha = 1f, int[]? inputShape = null, string? name = null) : base(name, inputShape) => Alpha = alpha;

    /// <summary>The scale of the negative part.</summary>
    public float Alpha { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training) => Ops.Elu(inputs, Alpha);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["alpha"] = Alpha; return c; }
}
