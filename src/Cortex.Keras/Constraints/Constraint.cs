using Cortex.Autodiff;
using Cortex.Keras.Utils;

namespace Cortex.Keras.Constraints;

/// <summary>
/// The base of Keras's weight constraints (<c>keras.constraints.Constraint</c>): a projection applied to a weight after
/// every optimizer update (<c>w ← constraint(w)</c>), as Keras's optimizer does once it has applied the gradients.
/// </summary>
/// <remarks>
/// <para>Layers take them as <c>kernelConstraint</c> / <c>biasConstraint</c>; the weight's
/// <see cref="Variable.Constraint"/> holds it and <c>Model.Fit</c> applies it after each step.</para>
/// <para>The norm constraints take an <c>axis</c>: the axes the norm is computed over (Keras's default 0). For a
/// <c>Dense</c> kernel of shape (input_dim, units), axis 0 constrains each unit's incoming weight vector. For a
/// <c>Conv2D</c> kernel (rows, cols, channels, filters), Keras's guidance is <c>axis=[0, 1, 2]</c>, so that each
/// filter is constrained as a whole (<c>[0, 1]</c> for a <c>Conv1D</c> kernel (width, channels, filters)).</para>
/// <para><see cref="Get"/> resolves Keras's names: "max_norm", "min_max_norm", "non_neg", "unit_norm" (and the class names).</para>
/// </remarks>
public abstract class Constraint
{
    /// <summary>Keras's <c>backend.epsilon()</c>, added to norms before dividing.</summary>
    public const float Epsilon = 1e-7f;

    private static readonly NameRegistry<Constraint> Registry = new NameRegistry<Constraint>("constraint")
        .Add(() => new MaxNorm(), "max_norm", "MaxNorm")
        .Add(() => new MinMaxNorm(), "min_max_norm", "MinMaxNorm")
        .Add(() => new NonNeg(), "non_neg", "NonNeg")
        .Add(() => new UnitNorm(), "unit_norm", "UnitNorm");

    /// <summary>The projected values of <paramref name="w"/>: a new tensor of its shape (nothing is recorded on the tape).</summary>
    public Tensor Call(Tensor w)
    {
        ArgumentNullException.ThrowIfNull(w);
        using (GradientTape.NoGradient())
        {
            var values = w.Contiguous().ToArray();
            Project(values, w.Shape.ToArray());
            return Tensor.FromArray(values, w.Shape.ToArray());
        }
    }

    /// <summary>Projects the variable's value in place (what the training step does after the optimizer's update).</summary>
    public void Apply(Variable variable)
    {
        ArgumentNullException.ThrowIfNull(variable);
        var values = variable.ToArray();
        Project(values, variable.Shape.ToArray());
        variable.Assign(values);
    }

    /// <summary>Projects <paramref name="values"/> (row-major, of <paramref name="shape"/>) in place.</summary>
    protected abstract void Project(Span<float> values, int[] shape);

    /// <summary>Keras's configuration (the constructor arguments).</summary>
    public virtual Dictionary<string, object?> GetConfig() => new();

    /// <summary>A new constraint from a Keras name, with its defaults.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static Constraint Get(string name) => Registry.Get(name);

    /// <summary><see cref="Get"/>, or null for a null name (a layer argument left out).</summary>
    public static Constraint? GetOrNull(string? name) => name is null ? null : Get(name);

    /// <summary>The names <see cref="Get"/> accepts.</summary>
    public static IReadOnlyList<string> Names => Registry.Names;

    /// <summary>A Keras name where a constraint is expected (<c>kernelConstraint: "non_neg"</c>), as Keras accepts identifiers.</summary>
    public static implicit operator Constraint(string name) => Get(name);

    /// <summary>Keras's serialized form, <c>{"class_name": ..., "config": ...}</c>, or null for none (a layer's config entry).</summary>
    public static Dictionary<string, object?>? Serialize(Constraint? constraint)
        => constraint is null ? null : new() { ["class_name"] = constraint.GetType().Name, ["config"] = constraint.GetConfig() };

    /// <inheritdoc/>
    public override string ToString() => GetType().Name;
}

/// <summary>
/// What the norm constraints share: the L2 norm of <c>w</c> over <see cref="Axis"/> (keepdims), turned into a
/// desired norm, and <c>w · desired / (ε + norm)</c> (Keras's formula; <see cref="UnitNorm"/> divides by <c>ε + norm</c>).
/// </summary>
public abstract class NormConstraint : Constraint
{
    /// <summary>Stores the axes (Keras's default 0 when none are given).</summary>
    protected NormConstraint(int[]? axis)
    {
        Axis = axis is { Length: > 0 } ? (int[])axis.Clone() : new[] { 0 };
    }

    /// <summary>The axes the norm is taken over (negative ones count from the end).</summary>
    public int[] Axis { get; }

    /// <summary>The norm to scale to, given the current one.</summary>
    protected abstract float DesiredNorm(float norm);

    /// <inheritdoc/>
    protected override void Project(Span<float> values, int[] shape)
    {
        var (group, groups) = Groups(shape);
        var sums = new double[groups];
        for (int i = 0; i < values.Length; i++) sums[group[i]] += (double)values[i] * values[i];
        var scale = new float[groups];
        for (int g = 0; g < groups; g++)
        {
            float norm = (float)Math.Sqrt(sums[g]);
            scale[g] = DesiredNorm(norm) / (Epsilon + norm);
        }
        for (int i = 0; i < values.Length; i++) values[i] *= scale[group[i]];
    }

    /// <summary>For each element, the index of its slice along the non-reduced axes, and the number of slices.</summary>
    private (int[] Group, int Count) Groups(int[] shape)
    {
        int rank = shape.Length;
        var reduced = new bool[rank];
        foreach (var a in Axis)
        {
            int ax = a < 0 ? a + rank : a;
            if (ax < 0 || ax >= rank)
                throw new ArgumentException($"{GetType().Name}: axis {a} is out of bounds for a weight of rank {rank} (shape {TensorShape.Format(shape)}).");
            reduced[ax] = true;
        }
        int size = 1;
        foreach (var d in shape) size *= d;
        var group = new int[size];
        var index = new int[rank];
        int count = 1;
        for (int d = 0; d < rank; d++) if (!reduced[d]) count *= shape[d];
        for (int i = 0; i < size; i++)
        {
            int g = 0;
            for (int d = 0; d < rank; d++) if (!reduced[d]) g = g * shape[d] + index[d];
            group[i] = g;
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d]) break;
                index[d] = 0;
            }
        }
        return (group, count);
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { ["axis"] = Axis.Length == 1 ? Axis[0] : Axis };
}
