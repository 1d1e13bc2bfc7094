namespace Cortex.Memory;

/// <summary>
/// A region (one training or inference step) whose intermediate tensors take their buffers from a pool and give
/// them back when the region ends. <c>Model.Fit</c> opens one per batch; users normally never see it.
/// </summary>
/// <remarks>
/// Tensors created inside a scope must not be used after it ends; doing so throws <see cref="ObjectDisposedException"/>
/// (call <see cref="Tensor.Detach"/> inside the scope to keep a value). Variables and optimizer state are created
/// with <see cref="Persistent"/> so they never come from the pool. Scopes are per thread and nest.
/// </remarks>
public sealed class TensorScope : IDisposable
{
    [ThreadStatic] private static TensorScope? _current;
    [ThreadStatic] private static BufferPool? _pool;

    private readonly TensorScope? _parent;
    private readonly List<Tensor> _tensors = new();
    private readonly BufferPool _ownPool;
    private bool _disposed;

    internal bool IsDisposed => _disposed;

    private TensorScope(TensorScope? parent)
    {
        _parent = parent;
        _ownPool = _pool ??= new BufferPool();
    }

    internal static TensorScope? Current => _current;

    /// <summary>Opens a scope on this thread; dispose it to return its buffers.</summary>
    public static TensorScope Begin() => _current = new TensorScope(_current);

    /// <summary>Suspends pooling until disposed: tensors made meanwhile are ordinary, long-lived ones.</summary>
    public static IDisposable Persistent() => new Suspension();

    internal float[] Rent(int length) => _ownPool.Rent(length);

    internal void Track(Tensor t) => _tensors.Add(t);

    /// <summary>Number of floats the calling thread's pool holds for reuse.</summary>
    public static long PooledFloats => _pool?.HeldFloats ?? 0;

    /// <summary>Returns the scope's buffers to the pool.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var t in _tensors) _ownPool.Return(t.Buffer);
        _tensors.Clear();
        if (ReferenceEquals(_current, this)) _current = _parent;
    }

    private sealed class Suspension : IDisposable
    {
        private readonly TensorScope? _saved = _current;
        public Suspension() => _current = null;
        public void Dispose() => _current = _saved;
    }
}
