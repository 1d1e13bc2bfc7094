using Cortex.Keras.Utils;
using Cortex.Memory;

namespace Cortex.Keras.Initializers;

/// <summary>
/// The base of every initializer, as Keras's <c>keras.initializers.Initializer</c>: <see cref="Call"/> returns a new
/// tensor of the requested shape, which a layer copies into a weight.
/// </summary>
/// <remarks>
/// <see cref="Get"/> resolves Keras's names: zeros, ones, constant, random_uniform, random_normal, truncated_normal,
/// variance_scaling, glorot_uniform, glorot_normal, he_uniform, he_normal, lecun_uniform, lecun_normal, orthogonal,
/// identity, and Keras's aliases uniform, normal, one, zero.
/// </remarks>
public abstract class Initializer
{
    private static readonly NameRegistry<Initializer> Registry = new NameRegistry<Initializer>("initializer")
        .Add(() => new Zeros(), "zeros", "zero")
        .Add(() => new Ones(), "ones", "one")
        .Add(() => new Constant(), "constant")
        .Add(() => new RandomUniform(), "random_uniform", "uniform")
        .Add(() => new RandomNormal(), "random_normal", "normal")
        .Add(() => new TruncatedNormal(), "truncated_normal")
        .Add(() => new VarianceScaling(), "variance_scaling")
        .Add(() => new GlorotUniform(), "glorot_uniform")
        .Add(() => new GlorotNormal(), "glorot_normal")
        .Add(() => new HeUniform(), "he_uniform")
        .Add(() => new HeNormal(), "he_normal")
        .Add(() => new LecunUniform(), "lecun_uniform")
        .Add(() => new LecunNormal(), "lecun_normal")
        .Add(() => new Orthogonal(), "orthogonal")
        .Add(() => new Identity(), "identity");

    /// <summary>A new tensor of <paramref name="shape"/> filled as this initializer prescribes.</summary>
    public abstract Tensor Call(int[] shape);

    /// <summary>The configuration Keras would save for this initializer (Keras's <c>get_config</c>).</summary>
    public virtual Dictionary<string, object?> GetConfig() => new();

    /// <summary>Creates the initializer registered under a Keras name, with its defaults.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static Initializer Get(string name) => Registry.Get(name);

    /// <summary>The names <see cref="Get"/> accepts.</summary>
    public static IReadOnlyList<string> Names => Registry.Names;

    /// <summary>A zero tensor that does not come from a training step's buffer pool (initial values outlive the step).</summary>
    protected static Tensor NewTensor(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        using (TensorScope.Persistent()) return Tensor.Zeros(shape);
    }
}
