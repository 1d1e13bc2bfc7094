using Cortex.Keras.Utils;

namespace Cortex.Keras.Regularizers;

/// <summary>
/// The base of Keras's weight and activity regularizers (<c>keras.regularizers.Regularizer</c>): a function from a
/// tensor to a scalar penalty that is added to the training loss.
/// </summary>
/// <remarks>
/// <para>A layer given <c>kernelRegularizer</c> or <c>biasRegularizer</c> reports <c>regularizer(weight)</c> in
/// <see cref="Layers.Layer.Losses"/> for as long as the weight is trainable; one given <c>activityRegularizer</c> adds
/// <c>regularizer(output)</c> each time it is called. <c>Model.Fit</c> adds them to the loss inside the gradient tape,
/// so they are differentiated with it, and the logged "loss" includes them, as in Keras.</para>
/// <para><see cref="Get"/> resolves Keras 3's names: <c>"l1"</c> (l1=0.01), <c>"l2"</c> (l2=0.01) and <c>"l1_l2"</c>
/// (l1=0, l2=0: Keras 3's <c>L1L2()</c> defaults), plus the class names.</para>
/// </remarks>
public abstract class Regularizer
{
    private static readonly NameRegistry<Regularizer> Registry = new NameRegistry<Regularizer>("regularizer")
        .Add(() => new L1(), "l1", "L1")
        .Add(() => new L2(), "l2", "L2")
        .Add(() => new L1L2(), "l1_l2", "L1L2");

    /// <summary>The penalty for <paramref name="x"/>: a scalar tensor, recorded on the gradient tape.</summary>
    public abstract Tensor Call(Tensor x);

    /// <summary>Keras's configuration (the constructor arguments).</summary>
    public abstract Dictionary<string, object?> GetConfig();

    /// <summary>A new regularizer from a Keras name, with its defaults.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static Regularizer Get(string name) => Registry.Get(name);

    /// <summary><see cref="Get"/>, or null for a null name (a layer argument left out).</summary>
    public static Regularizer? GetOrNull(string? name) => name is null ? null : Get(name);

    /// <summary>The names <see cref="Get"/> accepts.</summary>
    public static IReadOnlyList<string> Names => Registry.Names;

    /// <summary>A Keras name where a regularizer is expected (<c>kernelRegularizer: "l2"</c>), as Keras accepts identifiers.</summary>
    public static implicit operator Regularizer(string name) => Get(name);

    /// <summary>Keras's serialized form, <c>{"class_name": ..., "config": ...}</c>, or null for none (a layer's config entry).</summary>
    public static Dictionary<string, object?>? Serialize(Regularizer? regularizer)
        => regularizer is null ? null : new() { ["class_name"] = regularizer.GetType().Name, ["config"] = regularizer.GetConfig() };

    /// <summary>
    /// Keras's <c>validate_float_arg</c>: a finite, non-negative penalty factor, or an <see cref="ArgumentException"/>
    /// with Keras's message.
    /// </summary>
    protected static float ValidateFactor(float value, string name)
    {
        if (!float.IsFinite(value) || value < 0f)
            throw new ArgumentException($"Invalid value for argument {name}: expected a non-negative float. Received: {name}={value}", name);
        return value;
    }

    /// <summary><c>factor · Σ|x|</c>.</summary>
    protected static Tensor L1Penalty(Tensor x, float factor) => Ops.MultiplyScalar(Ops.Sum(Ops.Abs(x)), factor);

    /// <summary><c>factor · Σx²</c>.</summary>
    protected static Tensor L2Penalty(Tensor x, float factor) => Ops.MultiplyScalar(Ops.Sum(Ops.Square(x)), factor);

    /// <inheritdoc/>
    public override string ToString()
        => $"{GetType().Name}({string.Join(", ", GetConfig().Select(kv => $"{kv.Key}={kv.Value}"))})";
}
