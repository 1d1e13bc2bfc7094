using Cortex.Keras.Initializers;

namespace Cortex.Keras.Layers;

/// <summary>
/// The base of every layer, as Keras's <c>keras.layers.Layer</c>: the constructor stores and validates
/// configuration, <see cref="Build(int[])"/> creates the weights once the input shape is known (lazily, on first call),
/// <see cref="Call(Tensor, bool)"/> is the math, <see cref="ComputeOutputShape(int[])"/> gives shape inference and
/// <see cref="GetConfig"/> the configuration for saving.
/// </summary>
/// <remarks>Shapes include the batch axis first; −1 stands for Keras's <c>None</c>.</remarks>
public abstract partial class Layer
{
    private static readonly Dictionary<string, int> NameCounts = new();
    private static readonly object NameLock = new();
    private readonly List<Variable> _weights = new();
    private bool _trainable = true;

    /// <summary>Stores the common configuration.</summary>
    /// <param name="name">Unique name; by default the snake_case class name with a counter (dense, dense_1, ...).</param>
    /// <param name="inputShape">Keras's <c>input_shape</c>: the shape of one sample, without the batch axis.</param>
    /// <param name="trainable">Whether the layer's weights are trained.</param>
    protected Layer(string? name = null, int[]? inputShape = null, bool trainable = true)
    {
        Name = name ?? UniqueName(SnakeCase(GetType().Name));
        if (inputShape is not null)
        {
            foreach (var d in inputShape)
                if (d <= 0 && d != -1) throw new ArgumentException($"input_shape sizes must be positive. Received: input_shape={TensorShape.Format(inputShape)}");
            BatchInputShape = new[] { -1 }.Concat(inputShape).ToArray();
        }
        _trainable = trainable;
    }

    /// <summary>The layer's name.</summary>
    public string Name { get; }

    /// <summary>Whether <see cref="Build(int[])"/> has run.</summary>
    public bool Built { get; protected set; }

    /// <summary>The declared input shape with the batch axis (−1), when given.</summary>
    public int[]? BatchInputShape { get; protected set; }

    /// <summary>The input shape the layer was built for (with the batch axis), once built.</summary>
    public int[]? InputShape { get; private set; }

    /// <summary>The output shape computed when the layer was built, once built.</summary>
    public int[]? OutputShape { get; private set; }

    /// <summary>Whether the weights are trained; setting it (Keras's freezing) applies to every weight.</summary>
    public virtual bool Trainable
    {
        get => _trainable;
        set
        {
            _trainable = value;
            foreach (var w in _weights) w.Trainable = value && w.DeclaredTrainable;
        }
    }

    /// <summary>All weights, trainable first (Keras's order).</summary>
    public virtual IReadOnlyList<Variable> Weights => TrainableWeights.Concat(NonTrainableWeights).ToList();

    /// <summary>The weights that training updates.</summary>
    public virtual IReadOnlyList<Variable> TrainableWeights => _trainable ? _weights.Where(w => w.Trainable).ToList() : new List<Variable>();

    /// <summary>The weights that training does not update.</summary>
    public virtual IReadOnlyList<Variable> NonTrainableWeights => _trainable ? _weights.Where(w => !w.Trainable).ToList() : _weights.ToList();

    /// <summary>
    /// Creates a weight (Keras's <c>add_weight</c>), named <c>layer_name/name</c>, with an optional penalty
    /// (reported in <see cref="Losses"/>) and an optional constraint (applied after each optimizer update).
    /// </summary>
    protected Variable AddWeight(string name, int[] shape, Initializer initializer, bool trainable = true,
        Regularizers.Regularizer? regularizer = null, Constraints.Constraint? constraint = null)
    {
        var v = new Variable($"{Name}/{name}", initializer.Call(shape), trainable && _trainable)
        {
            DeclaredTrainable = trainable, Regularizer = regularizer, Constraint = constraint,
        };
        _weights.Add(v);
        return v;
    }

    /// <summary>Creates the weights for inputs of <paramref name="inputShape"/> (batch axis first, −1 if unknown).</summary>
    public virtual void Build(int[] inputShape) => Built = true;

    /// <summary>The layer's computation.</summary>
    /// <param name="inputs">A batch of inputs.</param>
    /// <param name="training">True during training (dropout and noise are active only then).</param>
    public abstract Tensor Call(Tensor inputs, bool training);

    /// <summary>The output shape for an input shape (batch axis included).</summary>
    public virtual int[] ComputeOutputShape(int[] inputShape) => inputShape;

    /// <summary>The configuration Keras would save for this layer.</summary>
    public virtual Dictionary<string, object?> GetConfig()
    {
        var c = new Dictionary<string, object?> { ["name"] = Name, ["trainable"] = Trainable };
        if (BatchInputShape is not null) c["batch_input_shape"] = BatchInputShape;
        return c;
    }

    /// <summary>The number of scalars in the weights.</summary>
    public int CountParams() => Weights.Sum(w => w.Value.Size);

    /// <summary>Builds the layer for <paramref name="inputShape"/> if needed and records its input and output shapes.</summary>
    public virtual void EnsureBuilt(int[] inputShape)
    {
        if (Built) { CheckInput(inputShape); return; }
        if (BatchInputShape is not null) CheckCompatible(BatchInputShape, inputShape);
        Build((int[])inputShape.Clone());
        Built = true;
        InputShape = (int[])inputShape.Clone();
        InputShape[0] = -1;
        OutputShape = ComputeOutputShape(InputShape);
    }

    /// <summary>Builds if needed, checks the input's shape and runs <see cref="Call(Tensor, bool)"/>.</summary>
    public Tensor Apply(Tensor inputs, bool training = false)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        EnsureBuilt(inputs.Shape.ToArray());
        return Call(inputs, training);
    }

    /// <summary>Checks that <paramref name="shape"/> fits the shape the layer was built for.</summary>
    protected void CheckInput(int[] shape)
    {
        if (InputShape is not null) CheckCompatible(InputShape, shape);
    }

    private void CheckCompatible(int[] expected, int[] found)
    {
        bool ok = expected.Length == found.Length;
        for (int i = 1; ok && i < expected.Length; i++) ok = expected[i] == -1 || expected[i] == found[i];
        if (!ok)
            throw new ArgumentException($"Input 0 of layer \"{Name}\" is incompatible with the layer: expected shape={TensorShape.Format(expected)}, found shape={TensorShape.Format(found)}");
    }

    /// <summary>Makes a unique name from a base name, as Keras does (dense, dense_1, dense_2, ...).</summary>
    protected static string UniqueName(string baseName)
    {
        lock (NameLock)
        {
            NameCounts.TryGetValue(baseName, out int n);
            NameCounts[baseName] = n + 1;
            return n == 0 ? baseName : $"{baseName}_{n}";
        }
    }

    /// <summary>Resets the automatic name counters (part of Keras's <c>clear_session</c>).</summary>
    public static void ResetNames() { lock (NameLock) NameCounts.Clear(); }

    internal static string SnakeCase(string typeName)
    {
        var sb = new System.Text.StringBuilder();
        for (int i = 0; i < typeName.Length; i++)
        {
            char c = typeName[i];
            if (char.IsUpper(c) && i > 0 && (char.IsLower(typeName[i - 1]) || (i + 1 < typeName.Length && char.IsLower(typeName[i + 1])))) sb.Append('_');
            sb.Append(char.ToLowerInvariant(c));
        }
        return sb.ToString();
    }

    /// <inheritdoc/>
    public override string ToString() => $"<{GetType().Name} name={Name}>";
}
