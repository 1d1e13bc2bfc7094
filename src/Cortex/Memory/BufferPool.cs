namespace Cortex.Memory;

/// <summary>
/// Arrays of float kept for reuse, keyed by exact length. A training step asks for the same sizes every batch,
/// so after the first step every request is served from here and the step allocates no large buffers.
/// </summary>
internal sealed class BufferPool
{
    private readonly Dictionary<int, Stack<float[]>> _free = new();

    public float[] Rent(int length)
    {
        if (length == 0) return Array.Empty<float>();
        if (_free.TryGetValue(length, out var stack) && stack.Count > 0) return stack.Pop();
        return new float[length];
    }

    public void Return(float[] buffer)
    {
        if (buffer.Length == 0) return;
        if (!_free.TryGetValue(buffer.Length, out var stack)) _free[buffer.Length] = stack = new Stack<float[]>();
        stack.Push(buffer);
    }

    /// <summary>Total floats held for reuse (for tests and diagnostics).</summary>
    public long HeldFloats
    {
        get { long n = 0; foreach (var kv in _free) n += (long)kv.Key * kv.Value.Count; return n; }
    }

    public void Clear() => _free.Clear();
}
