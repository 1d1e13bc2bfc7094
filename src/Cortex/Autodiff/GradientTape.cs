namespace Cortex.Autodiff;

/// <summary>
/// Computes the gradients of the operation applied to tensors on this tape, for the inputs given.
/// </summary>
/// <param name="grad">The gradient of the target with respect to the operation's output.</param>
/// <returns>One gradient per input, each of that input's shape, or null where the input needs none.</returns>
public delegate Tensor?[] BackwardFunction(Tensor grad);

/// <summary>
/// Records differentiable operations so that gradients can be computed in reverse (reverse-mode automatic
/// differentiation), as TensorFlow's <c>tf.GradientTape</c> does.
/// </summary>
/// <remarks>
/// <para>While a tape is open on a thread, every operation that has at least one input that requires a gradient
/// (a trainable variable, a tensor passed to <see cref="Watch"/>, or the result of a recorded operation) appends one
/// entry: its output, its inputs and the function that maps the output's gradient to the inputs' gradients.
/// The entries are in execution order, which is a topological order, so <see cref="Gradient"/> walks them once backwards.</para>
/// <para>Gradients can be taken with respect to any recorded tensor, model inputs included (call <see cref="Watch"/>).</para>
/// <para><see cref="NoGradient"/> opens a region where nothing is recorded, for inference.</para>
/// </remarks>
/// <example><code>
/// using var tape = GradientTape.Begin();
/// tape.Watch(x);
/// var y = Ops.Sum(Ops.Square(x));
/// var dx = tape.Gradient(y, x)[0];   // 2x
/// </code></example>
public sealed class GradientTape : IDisposable
{
    [ThreadStatic] private static GradientTape? _current;
    [ThreadStatic] private static int _paused;
    [ThreadStatic] private static GradientTape? _differentiating;

    private readonly GradientTape? _parent;
    private readonly List<Entry> _entries = new();
    private bool _disposed;

    private readonly record struct Entry(Tensor Output, Tensor[] Inputs, BackwardFunction Backward);

    private GradientTape(GradientTape? parent) => _parent = parent;

    /// <summary>Opens a tape on this thread; it records until disposed.</summary>
    public static GradientTape Begin() => _current = new GradientTape(_current);

    /// <summary>The tape recording on this thread, if any and if recording is not paused.</summary>
    internal static GradientTape? Active => _paused == 0 ? _current : null;

    /// <summary>Whether operations are being recorded on this thread right now.</summary>
    public static bool IsRecording => Active is not null;

    /// <summary>Opens a region in which no operation is recorded (Keras's inference mode); dispose to leave it.</summary>
    public static IDisposable NoGradient() => new Pause();

    /// <summary>Makes the tape follow <paramref name="t"/> so gradients with respect to it can be taken.</summary>
    public void Watch(Tensor t)
    {
        ArgumentNullException.ThrowIfNull(t);
        t.Tape = this;
    }

    /// <summary>The number of operations recorded so far.</summary>
    public int Count => _entries.Count;

    /// <summary>
    /// Inside a backward function: whether the gradient of <paramref name="x"/> is wanted, so an op can skip
    /// computing it (the first layer's input, for instance, needs none).
    /// </summary>
    internal static bool NeedsGradient(Tensor x)
        => x.RequiresGrad || (_differentiating is not null && ReferenceEquals(x.Tape, _differentiating));

    /// <summary>Records an operation if any of its inputs is followed by the active tape.</summary>
    internal static void Record(Tensor output, Tensor[] inputs, BackwardFunction backward)
    {
        var tape = Active;
        if (tape is null) return;
        bool any = false;
        foreach (var x in inputs) if (x.RequiresGrad || ReferenceEquals(x.Tape, tape)) { any = true; break; }
        if (!any) return;
        output.Tape = tape;
        tape._entries.Add(new Entry(output, inputs, backward));
    }

    /// <summary>Records a single-input operation.</summary>
    internal static void Record(Tensor output, Tensor input, BackwardFunction backward)
    {
        var tape = Active;
        if (tape is null || !(input.RequiresGrad || ReferenceEquals(input.Tape, tape))) return;
        output.Tape = tape;
        tape._entries.Add(new Entry(output, new[] { input }, backward));
    }

    /// <summary>
    /// The gradients of <paramref name="target"/> with respect to each of <paramref name="sources"/>. A non-scalar
    /// target is summed first (as TensorFlow does). A source the target does not depend on gets a zero tensor.
    /// </summary>
    public Tensor[] Gradient(Tensor target, params Tensor[] sources)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(sources);
        var grads = new Dictionary<Tensor, Tensor>(ReferenceEqualityComparer.Instance);
        var saved = _differentiating;
        _differentiating = this;
        try
        {
        using (NoGradient())
        {
            grads[target] = Tensor.Full(1f, (int[])target.Dims.Clone());
            for (int i = _entries.Count - 1; i >= 0; i--)
            {
                var e = _entries[i];
                if (!grads.TryGetValue(e.Output, out var g)) continue;
                var inputGrads = e.Backward(g);
                for (int j = 0; j < e.Inputs.Length; j++)
                {
                    var gi = inputGrads[j];
                    if (gi is null) continue;
                    var x = e.Inputs[j];
                    if (!x.RequiresGrad && !ReferenceEquals(x.Tape, this)) continue;
                    if (!TensorShape.SameShape(gi.Dims, x.Dims))
                        throw new InvalidOperationException($"internal error: gradient of shape {gi.ShapeString} for an input of shape {x.ShapeString}.");
                    grads[x] = grads.TryGetValue(x, out var prev) ? Ops.Add(prev, gi) : gi;
                }
            }
        }
        }
        finally { _differentiating = saved; }
        var result = new Tensor[sources.Length];
        for (int i = 0; i < sources.Length; i++)
            result[i] = grads.TryGetValue(sources[i], out var g) ? g : Tensor.ZerosLike(sources[i]);
        return result;
    }

    /// <summary>Stops recording and forgets the recorded operations.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _entries.Clear();
        if (ReferenceEquals(_current, this)) _current = _parent;
    }

    private sealed class Pause : IDisposable
    {
        private bool _done;
        public Pause() => _paused++;
        public void Dispose() { if (!_done) { _done = true; _paused--; } }
    }
}
