using System.Globalization;
using System.Numerics.Tensors;
using Cortex.Keras.Utils;
using Cortex.Memory;

namespace Cortex.Keras.Optimizers;

/// <summary>
/// The base of every optimizer, as Keras's <c>keras.optimizers.Optimizer</c>: <see cref="Apply"/> takes one gradient per
/// variable, clips the gradients, runs the subclass's <see cref="UpdateStep"/> on each trainable variable in place and
/// counts the step in <see cref="Iterations"/>.
/// </summary>
/// <remarks>
/// <para>Gradient clipping follows Keras 3 (<c>base_optimizer.py</c>, <c>_clip_gradients</c>); at most one of the three
/// may be set, and a value of 0 turns it off:</para>
/// <list type="bullet">
/// <item><see cref="ClipNorm"/> c: each gradient g becomes g·c / max(‖g‖₂, c).</item>
/// <item><see cref="GlobalClipNorm"/> c: every gradient is multiplied by c·min(1/N, 1/c), N = √(Σ‖gᵢ‖²) over all gradients
/// (NaN when N is not finite, as Keras).</item>
/// <item><see cref="ClipValue"/> c: each element is clamped to [−c, c].</item>
/// </list>
/// <para><see cref="Decay"/> is Keras 2's legacy inverse-time decay (Keras 3 ignores the argument): the step uses
/// lrₜ = lr / (1 + decay · iterations), with iterations counted before the step.</para>
/// <para>Per-variable state ("slots": momentum, velocity, ...) is created on a variable's first update (or by
/// <see cref="Build"/>), keyed by the <see cref="Variable"/> object, and kept between steps. After the first step an
/// update allocates nothing: the rules are fused vectorised loops over the variable's own buffer, and clipping writes
/// into a scratch array the optimizer keeps.</para>
/// </remarks>
public abstract class Optimizer
{
    private static readonly NameRegistry<Optimizer> Registry = new NameRegistry<Optimizer>("optimizer")
        .Add(() => new SGD(), "sgd")
        .Add(() => new RMSprop(), "rmsprop")
        .Add(() => new Adagrad(), "adagrad")
        .Add(() => new Adadelta(), "adadelta")
        .Add(() => new Adam(), "adam")
        .Add(() => new Adamax(), "adamax")
        .Add(() => new Nadam(), "nadam");

    private readonly Dictionary<Variable, VariableState> _states = new(ReferenceEqualityComparer.Instance);
    private readonly List<Variable> _order = new();          // variables in the order first seen
    private readonly List<string> _slotNames = new();        // slot kinds in the order first requested
    private readonly List<Variable> _ownVariables = new();   // optimizer-wide state (e.g. Nadam's u_product)
    private float[] _scratch = Array.Empty<float>();         // clipped gradients, reused every step
    private float? _clipNorm, _clipValue, _globalClipNorm;
    private float _decay;
    private float _learningRate;
    private Schedules.LearningRateSchedule? _schedule;

    /// <summary>Stores the learning rate and the default name.</summary>
    protected Optimizer(float learningRate, string name)
    {
        LearningRate = learningRate;
        Name = name;
    }

    /// <summary>The optimizer's name (Keras's <c>name</c>), used as the scope of its variables.</summary>
    public string Name { get; init; }

    /// <summary>
    /// The base learning rate (Keras's <c>learning_rate</c>); it may be changed between steps. With a
    /// <see cref="LearningRateSchedule"/> set it reads the schedule's value at <see cref="Iterations"/> and cannot be set
    /// (as Keras, whose optimizer built on a schedule has no settable learning rate).
    /// </summary>
    /// <exception cref="InvalidOperationException">Set while a schedule is in use.</exception>
    public float LearningRate
    {
        get => _schedule is null ? _learningRate : _schedule.Call(Iterations);
        set
        {
            if (_schedule is not null)
                throw new InvalidOperationException($"{Name}: this optimizer was created with a `LearningRateSchedule` object ({_schedule.GetType().Name}) as its " +
                    "`learning_rate`, hence its learning rate is not settable. If you need the learning rate to be settable, " +
                    "use a float learning rate (set LearningRateSchedule to null).");
            _learningRate = value;
        }
    }

    /// <summary>
    /// A schedule for the learning rate (Keras's <c>learning_rate=keras.optimizers.schedules.ExponentialDecay(...)</c>):
    /// each step uses <c>schedule.Call(Iterations)</c>. Null (default): the constant <see cref="LearningRate"/>.
    /// </summary>
    public Schedules.LearningRateSchedule? LearningRateSchedule
    {
        get => _schedule;
        set => _schedule = value;
    }

    /// <summary>The number of steps applied so far (Keras's <c>iterations</c>); settable to restore a saved state.</summary>
    public long Iterations { get; set; }

    /// <summary>Keras's <c>clipnorm</c>: clips each gradient to this L2 norm. Null (default) or 0: off.</summary>
    public float? ClipNorm
    {
        get => _clipNorm;
        init { CheckClip(value, nameof(ClipNorm), "clipnorm", value, _clipValue, _globalClipNorm); _clipNorm = value; }
    }

    /// <summary>Keras's <c>clipvalue</c>: clamps each gradient element to [−value, value]. Null (default) or 0: off.</summary>
    public float? ClipValue
    {
        get => _clipValue;
        init { CheckClip(value, nameof(ClipValue), "clipvalue", _clipNorm, value, _globalClipNorm); _clipValue = value; }
    }

    /// <summary>Keras's <c>global_clipnorm</c>: scales all gradients so that their joint L2 norm is at most this. Null (default) or 0: off.</summary>
    public float? GlobalClipNorm
    {
        get => _globalClipNorm;
        init { CheckClip(value, nameof(GlobalClipNorm), "global_clipnorm", _clipNorm, _clipValue, value); _globalClipNorm = value; }
    }

    /// <summary>Keras 2's legacy <c>decay</c>: lrₜ = lr / (1 + decay · iterations). Default 0 (constant rate).</summary>
    public float Decay
    {
        get => _decay;
        init
        {
            if (!(value >= 0f)) throw new ArgumentOutOfRangeException(nameof(Decay), $"decay cannot be less than 0. Received: decay={Fmt(value)}");
            _decay = value;
        }
    }

    /// <summary>
    /// The learning rate the next step will use: <see cref="LearningRate"/> (the schedule's value at
    /// <see cref="Iterations"/> when one is set) after <see cref="Decay"/>.
    /// </summary>
    public float CurrentLearningRate => _decay == 0f ? LearningRate : (float)(LearningRate / (1.0 + (double)_decay * Iterations));

    /// <summary>
    /// The optimizer's state variables in Keras's order (slots grouped by kind, e.g. all momentums then all velocities,
    /// then optimizer-wide state), each named <c>{variable path with '/' → '_'}_{slot}</c> as Keras names them.
    /// Keras's <c>optimizer.variables</c> additionally starts with <c>iteration</c> and <c>learning_rate</c>, which here are
    /// <see cref="Iterations"/> and <see cref="LearningRate"/>.
    /// </summary>
    public IReadOnlyList<Variable> Variables
    {
        get
        {
            var slots = new List<(int Group, int Var, int Kind, Variable Slot)>();
            for (int vi = 0; vi < _order.Count; vi++)
            {
                var st = _states[_order[vi]];
                for (int k = 0; k < st.Slots.Length; k++)
                    if (st.Slots[k] is { } s) slots.Add((SlotGroup(_slotNames[k], k), vi, k, s));
            }
            slots.Sort((a, b) => a.Group != b.Group ? a.Group.CompareTo(b.Group) : a.Var != b.Var ? a.Var.CompareTo(b.Var) : a.Kind.CompareTo(b.Kind));
            var result = slots.Select(s => s.Slot).ToList();
            result.AddRange(_ownVariables);
            return result;
        }
    }

    /// <summary>
    /// The state variables in Keras 3.10+'s order (<c>add_optimizer_variables</c>): per model variable, its slots in
    /// kind order (e.g. momentum then velocity), then the optimizer-wide state. This is the order of
    /// <c>optimizer/vars/2..</c> in the .keras files that Keras 3.15 writes and that Cortex writes.
    /// </summary>
    public IReadOnlyList<Variable> VariablesByParameter
    {
        get
        {
            var result = new List<Variable>();
            foreach (var v in _order)
                foreach (var s in _states[v].Slots)
                    if (s is not null) result.Add(s);
            result.AddRange(_ownVariables);
            return result;
        }
    }

    /// <summary>Creates the optimizer registered under a Keras name (sgd, rmsprop, adagrad, adadelta, adam, adamax, nadam) with its defaults.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public static Optimizer Get(string name) => Registry.Get(name);

    /// <summary>The names <see cref="Get"/> accepts.</summary>
    public static IReadOnlyList<string> Names => Registry.Names;

    /// <summary>
    /// Applies one step: <c>gradients[i]</c> updates <c>variables[i]</c>. Variables that are not trainable and null
    /// gradients are skipped; every gradient must have its variable's shape. With no trainable variable at all the call
    /// does nothing (<see cref="Iterations"/> does not advance), as Keras's <c>apply</c> with empty gradients.
    /// </summary>
    /// <exception cref="ArgumentException">The counts differ, or a gradient's shape differs from its variable's.</exception>
    public void Apply(IReadOnlyList<Tensor> gradients, IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(gradients);
        ArgumentNullException.ThrowIfNull(variables);
        if (gradients.Count != variables.Count)
            throw new ArgumentException($"Apply received {gradients.Count} gradients for {variables.Count} variables; they must match one to one.", nameof(gradients));

        int updated = 0, trainable = 0, maxSize = 0;
        for (int i = 0; i < variables.Count; i++)
        {
            var v = variables[i] ?? throw new ArgumentNullException(nameof(variables), $"variables[{i}] is null.");
            if (!v.Trainable) continue;
            trainable++;
            var g = gradients[i];
            if (g is null) continue;
            CheckShape(g, v);
            EnsureBuilt(v);
            updated++;
            maxSize = Math.Max(maxSize, v.Value.Size);
        }
        if (updated == 0)
        {
            // As Keras: nothing to train is a no-op (the step is not counted); gradients for none of them is an error.
            if (trainable > 0) throw new ArgumentException("No gradients provided for any variable.", nameof(gradients));
            return;
        }

        float clipNorm = _clipNorm ?? 0f, clipValue = _clipValue ?? 0f, globalClipNorm = _globalClipNorm ?? 0f;
        float globalScale = 1f;
        if (clipNorm <= 0f && globalClipNorm > 0f)
        {
            double sum = 0;
            for (int i = 0; i < variables.Count; i++)
                if (variables[i].Trainable && gradients[i] is { } g) sum += TensorPrimitives.SumOfSquares(GradientSpan(g));
            double norm = Math.Sqrt(sum);
            globalScale = double.IsFinite(norm) ? (float)(globalClipNorm * Math.Min(1.0 / norm, 1.0 / globalClipNorm)) : float.NaN;
        }
        bool clipping = clipNorm > 0f || (globalClipNorm > 0f && globalScale != 1f) || clipValue > 0f;
        if (clipping && _scratch.Length < maxSize) _scratch = new float[maxSize];

        float lr = CurrentLearningRate;
        PrepareStep();
        for (int i = 0; i < variables.Count; i++)
        {
            var v = variables[i];
            if (!v.Trainable || gradients[i] is not { } gt) continue;
            ReadOnlySpan<float> g = GradientSpan(gt);
            if (clipping)
            {
                var dst = _scratch.AsSpan(0, g.Length);
                if (clipNorm > 0f)
                {
                    double norm = Math.Sqrt(TensorPrimitives.SumOfSquares(g));
                    if (!(norm <= clipNorm)) { TensorPrimitives.Multiply(g, (float)(clipNorm / Math.Max(norm, clipNorm)), dst); g = dst; }
                }
                else if (globalClipNorm > 0f) { TensorPrimitives.Multiply(g, globalScale, dst); g = dst; }
                else { TensorPrimitives.Clamp(g, -clipValue, clipValue, dst); g = dst; }
            }
            UpdateStep(g, v, lr);
        }
        Iterations++;
    }

    /// <summary>Creates the state of every trainable variable now (Keras's <c>build</c>), e.g. before loading saved state.</summary>
    public void Build(IReadOnlyList<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        foreach (var v in variables)
            if (v.Trainable) EnsureBuilt(v);
    }

    /// <summary>The configuration Keras would save for this optimizer (Keras's <c>get_config</c>).</summary>
    public virtual Dictionary<string, object?> GetConfig()
    {
        var c = new Dictionary<string, object?>
        {
            ["name"] = Name,
            ["learning_rate"] = _schedule is null ? LearningRate : _schedule.Serialize(),
            ["weight_decay"] = null,
            ["clipnorm"] = _clipNorm,
            ["global_clipnorm"] = _globalClipNorm,
            ["clipvalue"] = _clipValue,
            ["use_ema"] = false,
            ["ema_momentum"] = 0.99f,
            ["ema_overwrite_frequency"] = null,
            ["loss_scale_factor"] = null,
            ["gradient_accumulation_steps"] = null,
        };
        if (_decay != 0f) c["decay"] = _decay;
        return c;
    }

    /// <summary>
    /// Updates one variable in place (Keras's <c>update_step</c>). <paramref name="gradient"/> is already clipped;
    /// <see cref="Iterations"/> still counts the steps before this one (Keras's local step is Iterations + 1).
    /// </summary>
    protected abstract void UpdateStep(ReadOnlySpan<float> gradient, Variable variable, float learningRate);

    /// <summary>Creates the slots of a variable the optimizer has not seen yet (Keras's <c>build</c>, per variable).</summary>
    protected virtual void CreateSlots(Variable variable) { }

    /// <summary>Runs once per step before the per-variable updates (Keras's <c>_backend_update_step</c> hook).</summary>
    protected virtual void PrepareStep() { }

    /// <summary>
    /// The group a slot kind belongs to in <see cref="Variables"/>: Keras creates each group for all variables before
    /// the next group; kinds sharing a group are interleaved per variable. By default each kind is its own group.
    /// </summary>
    protected virtual int SlotGroup(string slotName, int kindIndex) => kindIndex;

    /// <summary>
    /// The slot <paramref name="name"/> of <paramref name="variable"/>: a persistent buffer of the variable's shape,
    /// created filled with <paramref name="initialValue"/> on first use.
    /// </summary>
    protected Span<float> Slot(Variable variable, string name, float initialValue = 0f)
    {
        var st = EnsureBuilt(variable);
        int k = _slotNames.IndexOf(name);
        if (k < 0) { k = _slotNames.Count; _slotNames.Add(name); }
        if (k >= st.Slots.Length) Array.Resize(ref st.Slots, _slotNames.Count);
        var slot = st.Slots[k] ??= NewVariable($"{variable.Name.Replace('/', '_')}_{name}", variable.Value.Shape.ToArray(), initialValue);
        return slot.Value.Span;
    }

    /// <summary>Creates an optimizer-wide variable (listed after the slots in <see cref="Variables"/>).</summary>
    protected Variable AddVariable(string name, int[] shape, float initialValue)
    {
        var v = NewVariable(name, shape, initialValue);
        _ownVariables.Add(v);
        return v;
    }

    /// <summary>Formats a number as Keras prints it in errors.</summary>
    protected static string Fmt(float value) => value.ToString(CultureInfo.InvariantCulture);

    private VariableState EnsureBuilt(Variable v)
    {
        if (_states.TryGetValue(v, out var st)) return st;
        st = new VariableState();
        _states.Add(v, st);
        _order.Add(v);
        CreateSlots(v);
        return st;
    }

    private static Variable NewVariable(string name, int[] shape, float initialValue)
    {
        using (TensorScope.Persistent())
            return new Variable(name, Tensor.Full(initialValue, shape), trainable: false);
    }

    private static ReadOnlySpan<float> GradientSpan(Tensor g) => g.Contiguous().Span;

    private static void CheckShape(Tensor g, Variable v)
    {
        var gs = g.Shape;
        var vs = v.Value.Shape;
        bool same = gs.Count == vs.Count;
        for (int d = 0; same && d < gs.Count; d++) same = gs[d] == vs[d];
        if (!same)
            throw new ArgumentException($"the gradient for variable '{v.Name}' has shape {g.ShapeString} but the variable has shape {v.Value.ShapeString}.", "gradients");
    }

    private static void CheckClip(float? value, string property, string kerasName, float? clipnorm, float? clipvalue, float? globalClipnorm)
    {
        if (value is { } x && !(x >= 0f))
            throw new ArgumentOutOfRangeException(property, $"`{kerasName}` must be a non-negative number. Received: {kerasName}={Fmt(x)}");
        int set = (clipnorm is null ? 0 : 1) + (clipvalue is null ? 0 : 1) + (globalClipnorm is null ? 0 : 1);
        if (set > 1)
            throw new ArgumentException("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. " +
                $"Received: clipnorm={Show(clipnorm)}, clipvalue={Show(clipvalue)}, global_clipnorm={Show(globalClipnorm)}", property);
    }

    private static string Show(float? x) => x is { } v ? Fmt(v) : "None";

    private sealed class VariableState
    {
        public Variable?[] Slots = Array.Empty<Variable?>();
    }
}
