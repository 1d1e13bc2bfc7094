namespace Cortex.Keras.Layers;

/// <summary>Thresholded Rectified Linear Unit: <c>f(x) = x</c> for x &gt; theta, <c>f(x) = 0</c> otherwise (Keras 2's layer).</summary>
/// <remarks>
/// Args: theta: non-negative float, the threshold location of activation, default 1.0.<br/>
/// Input shape: arbitrary. Output shape: same as the input.
/// </remarks>
public sealed class ThresholdedReLU : Layer
{
    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    /// <summary>Creates a ThresholdedReLU layer.</summary>
    public ThresholdedReLU(float theta = 1f, int[]? inputShape = null, string? name = null) : base(name, inputShape)
    {
        if (!(theta >= 0f))
            throw new ArgumentException($"Layer \"{Name}\": the theta value of a Thresholded ReLU layer should be >=0. Received: theta={theta}", nameof(theta));
        Theta = theta;
    }

    /// <summary>The threshold.</summary>
    public float Theta { get; }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training) => Ops.ThresholdedRelu(inputs, Theta);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["theta"] = Theta; return c; }
}
