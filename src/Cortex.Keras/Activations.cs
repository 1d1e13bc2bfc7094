using Cortex.Keras.Utils;

namespace Cortex.Keras;

/// <summary>
/// Keras's activation functions by name (<c>keras.activations</c>): linear, relu, sigmoid, hard_sigmoid, tanh,
/// hard_sigmoid_keras2 (Keras 2's slope 0.2), softmax, elu, selu, softplus, softsign, exponential, leaky_relu, relu6, silu/swish.
/// </summary>
public static class Activations
{
    private static readonly NameRegistry<Func<Tensor, Tensor>> Registry = new NameRegistry<Func<Tensor, Tensor>>("activation")
        .Add(() => Linear, "linear")
        .Add(() => Relu, "relu")
        .Add(() => Sigmoid, "sigmoid")
        .Add(() => HardSigmoid, "hard_sigmoid")
        .Add(() => HardSigmoidKeras2, "hard_sigmoid_keras2")
        .Add(() => Tanh, "tanh")
        .Add(() => x => Softmax(x), "softmax")
        .Add(() => x => Elu(x), "elu")
        .Add(() => Selu, "selu")
        .Add(() => Softplus, "softplus")
        .Add(() => Softsign, "softsign")
        .Add(() => Exponential, "exponential")
        .Add(() => x => LeakyRelu(x), "leaky_relu")
        .Add(() => Relu6, "relu6")
        .Add(() => Silu, "silu", "swish");

    /// <summary>The function registered under a Keras name; unknown names list the valid ones.</summary>
    public static Func<Tensor, Tensor> Get(string name) => Registry.Get(name);

    /// <summary>The valid names.</summary>
    public static IReadOnlyList<string> Names => Registry.Names;

    /// <summary>f(x) = x.</summary>
    public static Tensor Linear(Tensor x) => x;
    /// <summary>max(x, 0).</summary>
    public static Tensor Relu(Tensor x) => Ops.Relu(x);
    /// <summary>min(max(x, 0), 6).</summary>
    public static Tensor Relu6(Tensor x) => Ops.Clip(x, 0f, 6f);
    /// <summary>1 / (1 + e⁻ˣ).</summary>
    public static Tensor Sigmoid(Tensor x) => Ops.Sigmoid(x);
    /// <summary>Keras 3's hard sigmoid: relu6(x + 3) / 6, i.e. clip(x/6 + 0.5, 0, 1).</summary>
    public static Tensor HardSigmoid(Tensor x) => Ops.HardSigmoid(x);
    /// <summary>Keras 2's hard sigmoid (the default recurrent activation of Keras 2's LSTM and GRU): clip(0.2·x + 0.5, 0, 1).</summary>
    public static Tensor HardSigmoidKeras2(Tensor x) => Ops.HardSigmoid(x, 0.2f);
    /// <summary>tanh(x).</summary>
    public static Tensor Tanh(Tensor x) => Ops.Tanh(x);
    /// <summary>Softmax along <paramref name="axis"/>.</summary>
    public static Tensor Softmax(Tensor x, int axis = -1) => Ops.Softmax(x, axis);
    /// <summary>x if x &gt; 0 else α(eˣ − 1).</summary>
    public static Tensor Elu(Tensor x, float alpha = 1f) => Ops.Elu(x, alpha);
    /// <summary>Scaled exponential linear unit.</summary>
    public static Tensor Selu(Tensor x) => Ops.Selu(x);
    /// <summary>log(1 + eˣ).</summary>
    public static Tensor Softplus(Tensor x) => Ops.Softplus(x);
    /// <summary>x / (1 + |x|).</summary>
    public static Tensor Softsign(Tensor x) => Ops.Softsign(x);
    /// <summary>eˣ.</summary>
    public static Tensor Exponential(Tensor x) => Ops.Exp(x);
    /// <summary>x if x ≥ 0 else negativeSlope·x (Keras's default slope 0.2).</summary>
    public static Tensor LeakyRelu(Tensor x, float negativeSlope = 0.2f) => Ops.LeakyRelu(x, negativeSlope);
    /// <summary>x · sigmoid(x).</summary>
    public static Tensor Silu(Tensor x) => Ops.Multiply(x, Ops.Sigmoid(x));
}
