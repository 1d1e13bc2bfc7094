using System.Collections;
using Cortex.Memory;

namespace Cortex.Keras.Data;

/// <summary>
/// An input pipeline in the spirit of <c>tf.data.Dataset</c>: a re-iterable source of <see cref="DataElement"/>s
/// transformed lazily by <see cref="Shuffle"/>, <see cref="Batch"/>, <see cref="Map(Func{DataElement, DataElement})"/>,
/// <see cref="Repeat"/>, <see cref="Take"/> and <see cref="Prefetch"/>. <c>Model.Fit</c>, <c>Evaluate</c> and
/// <c>Predict</c> accept a dataset of batches.
/// <code>
/// var train = Dataset.FromTensorSlices(x, y).Shuffle(10_000, seed: 1).Batch(128).Map(Augment).Prefetch(2);
/// model.Fit(train, epochs: 10);
/// </code>
/// </summary>
/// <remarks>
/// <para>Each enumeration (<see cref="GetEnumerator"/>) is a new pass over the data: a shuffled dataset reshuffles
/// each pass (tf.data's <c>reshuffle_each_iteration=True</c>), a prefetched one starts a new producer thread.</para>
/// <para>Tensors made by the pipeline are ordinary, long-lived ones: the pipeline runs outside the training step's
/// <see cref="TensorScope"/> (the model pulls the next batch before it opens the step's scope, and a
/// <see cref="Prefetch"/> producer runs on its own thread, where no scope is open), so a batch can be kept by a
/// shuffle buffer or a queue across steps.</para>
/// </remarks>
public abstract class Dataset : IEnumerable<DataElement>
{
    /// <summary><see cref="Cardinality"/> of a dataset that never ends (tf.data's <c>INFINITE_CARDINALITY</c>).</summary>
    public const long InfiniteCardinality = -1;

    /// <summary><see cref="Cardinality"/> of a dataset whose length is not known in advance (tf.data's <c>UNKNOWN_CARDINALITY</c>).</summary>
    public const long UnknownCardinality = -2;

    /// <summary>The number of elements of one pass, or <see cref="InfiniteCardinality"/> / <see cref="UnknownCardinality"/>.</summary>
    public virtual long Cardinality => UnknownCardinality;

    /// <summary>Starts a new pass over the elements.</summary>
    public abstract IEnumerator<DataElement> GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // ------------------------------------------------------------------ sources

    /// <summary>
    /// The rows of <paramref name="x"/> (and of <paramref name="y"/> and <paramref name="sampleWeight"/>, when given)
    /// as elements: element i holds row i of each tensor, without the batch axis (tf.data's <c>from_tensor_slices</c>).
    /// </summary>
    /// <exception cref="ArgumentException">The tensors have different numbers of rows, or one is a scalar.</exception>
    public static Dataset FromTensorSlices(Tensor x, Tensor? y = null, Tensor? sampleWeight = null)
        => FromTensorSlices(new[] { x ?? throw new ArgumentNullException(nameof(x)) }, y is null ? null : new[] { y }, sampleWeight);

    /// <summary>As <see cref="FromTensorSlices(Tensor, Tensor?, Tensor?)"/> for several inputs and targets.</summary>
    public static Dataset FromTensorSlices(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y = null, Tensor? sampleWeight = null)
        => new SlicesDataset(x, y, sampleWeight);

    /// <summary>
    /// A dataset over what <paramref name="generator"/> yields; each pass calls it again (tf.data's <c>from_generator</c>).
    /// The elements may be single samples or whole batches.
    /// </summary>
    public static Dataset FromGenerator(Func<IEnumerable<DataElement>> generator, long cardinality = UnknownCardinality)
    {
        ArgumentNullException.ThrowIfNull(generator);
        return new SourceDataset(() => generator().GetEnumerator(), cardinality);
    }

    /// <summary>A dataset over (x, y) pairs (batches or samples); each pass enumerates <paramref name="pairs"/> again.</summary>
    public static Dataset FromEnumerable(IEnumerable<(Tensor X, Tensor Y)> pairs, long cardinality = UnknownCardinality)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        if (cardinality == UnknownCardinality && pairs is ICollection<(Tensor, Tensor)> c) cardinality = c.Count;
        return new SourceDataset(() => Pairs(pairs), cardinality);

        static IEnumerator<DataElement> Pairs(IEnumerable<(Tensor X, Tensor Y)> pairs)
        {
            foreach (var (x, y) in pairs) yield return new DataElement(x, y);
        }
    }

    // ------------------------------------------------------------------ transformations

    /// <summary>
    /// Shuffles with a buffer of <paramref name="bufferSize"/> elements, as tf.data does: the buffer is filled, then
    /// each element yielded is drawn uniformly from it and replaced by the next one from upstream. A buffer at least
    /// as large as the dataset gives a uniform shuffle. Each pass draws a different order.
    /// </summary>
    /// <param name="bufferSize">Elements held (≥ 1).</param>
    /// <param name="seed">Seed of the order; <see langword="null"/>: drawn from <see cref="RandomGenerator.Global"/>.</param>
    public Dataset Shuffle(int bufferSize, long? seed = null)
    {
        if (bufferSize < 1) throw new ArgumentException($"buffer_size must be at least 1. Received: buffer_size={bufferSize}", nameof(bufferSize));
        var rng = new RandomGenerator(seed ?? (long)RandomGenerator.Global.NextUInt64());
        return new SourceDataset(() => ShuffleIterator(this, bufferSize, rng), Cardinality);
    }

    /// <summary>
    /// Groups consecutive elements into batches of <paramref name="batchSize"/>: each tensor gains a leading batch axis
    /// (tf.data's <c>batch</c>). The last batch may be smaller unless <paramref name="dropRemainder"/>.
    /// </summary>
    /// <exception cref="ArgumentException">batchSize &lt; 1.</exception>
    /// <exception cref="InvalidOperationException">While iterating: elements of one batch differ in structure or shape.</exception>
    public Dataset Batch(int batchSize, bool dropRemainder = false)
    {
        if (batchSize < 1) throw new ArgumentException($"batch_size must be a positive integer. Received: batch_size={batchSize}", nameof(batchSize));
        long n = Cardinality;
        long card = n < 0 ? n : dropRemainder ? n / batchSize : (n + batchSize - 1) / batchSize;
        return new SourceDataset(() => BatchIterator(this, batchSize, dropRemainder), card);
    }

    /// <summary>Applies <paramref name="func"/> to every element (tf.data's <c>map</c>).</summary>
    public Dataset Map(Func<DataElement, DataElement> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return new SourceDataset(() => MapIterator(this, func), Cardinality);
    }

    /// <summary>Applies <paramref name="func"/> to the (x, y) of every single-input, single-target element.</summary>
    public Dataset Map(Func<Tensor, Tensor, (Tensor X, Tensor Y)> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return Map(e =>
        {
            var (x, y) = func(e.Input, e.Target);
            return new DataElement(x, y, e.SampleWeight);
        });
    }

    /// <summary>Repeats the dataset <paramref name="count"/> times; <see langword="null"/> (tf.data's default) repeats forever.</summary>
    public Dataset Repeat(int? count = null)
    {
        if (count < 0) throw new ArgumentException($"count must be non-negative or None. Received: count={count}", nameof(count));
        long n = Cardinality;
        long card = count == 0 ? 0 : n == 0 ? 0 : count is null ? InfiniteCardinality : n < 0 ? n : n * count.Value;
        return new SourceDataset(() => RepeatIterator(this, count), card);
    }

    /// <summary>The first <paramref name="count"/> elements of each pass (tf.data's <c>take</c>).</summary>
    public Dataset Take(long count)
    {
        if (count < 0) throw new ArgumentException($"count must be non-negative. Received: count={count}", nameof(count));
        long n = Cardinality;
        long card = n == InfiniteCardinality ? count : n < 0 ? UnknownCardinality : Math.Min(n, count);
        return new SourceDataset(() => TakeIterator(this, count), card);
    }

    /// <summary>
    /// Prepares up to <paramref name="bufferSize"/> elements ahead on a background thread (tf.data's <c>prefetch</c>),
    /// so that the upstream work (decoding, <see cref="Map(Func{DataElement, DataElement})"/>) overlaps training. An
    /// exception upstream is rethrown to the consumer at the element where it happened; disposing the enumerator
    /// (which <c>foreach</c> and <c>Fit</c> do) stops the thread.
    /// </summary>
    /// <param name="bufferSize">Elements held ready (≥ 1).</param>
    public Dataset Prefetch(int bufferSize = 1)
    {
        if (bufferSize < 1) throw new ArgumentException($"buffer_size must be at least 1. Received: buffer_size={bufferSize}", nameof(bufferSize));
        return new SourceDataset(() => new PrefetchEnumerator(this, bufferSize), Cardinality);
    }

    // ------------------------------------------------------------------ implementations

    private sealed class SourceDataset(Func<IEnumerator<DataElement>> start, long cardinality) : Dataset
    {
        public override long Cardinality => cardinality;
        public override IEnumerator<DataElement> GetEnumerator() => start();
    }

    private sealed class SlicesDataset : Dataset
    {
        private readonly Tensor[] _x;
        private readonly Tensor[]? _y;
        private readonly Tensor? _w;
        private readonly int _rows;

        public SlicesDataset(IReadOnlyList<Tensor> x, IReadOnlyList<Tensor>? y, Tensor? w)
        {
            ArgumentNullException.ThrowIfNull(x);
            if (x.Count == 0) throw new ArgumentException("from_tensor_slices needs at least one input tensor.", nameof(x));
            var all = x.Concat(y ?? Array.Empty<Tensor>()).Concat(w is null ? Array.Empty<Tensor>() : new[] { w }).ToList();
            foreach (var t in all)
            {
                ArgumentNullException.ThrowIfNull(t);
                if (t.Rank == 0) throw new ArgumentException("from_tensor_slices: every tensor needs a leading axis to slice; got a scalar.");
            }
            _rows = x[0].Shape[0];
            if (all.Any(t => t.Shape[0] != _rows))
                throw new ArgumentException($"from_tensor_slices: all tensors must have the same number of rows along axis 0. Received sizes: {string.Join(", ", all.Select(t => t.Shape[0]))}");
            _x = x.Select(t => t.Contiguous()).ToArray();
            _y = y?.Select(t => t.Contiguous()).ToArray();
            _w = w?.Contiguous();
        }

        public override long Cardinality => _rows;

        public override IEnumerator<DataElement> GetEnumerator()
        {
            for (int i = 0; i < _rows; i++)
                yield return new DataElement(_x.Select(t => Row(t, i)).ToArray(), _y?.Select(t => Row(t, i)).ToArray(), _w is null ? null : Row(_w, i));
        }

        private static Tensor Row(Tensor t, int i)
        {
            int size = t.Size / Math.Max(t.Shape[0], 1);
            return Tensor.FromArray(t.Span.Slice(i * size, size), t.Shape.Skip(1).ToArray());
        }
    }

    private static IEnumerator<DataElement> MapIterator(Dataset source, Func<DataElement, DataElement> func)
    {
        foreach (var e in source)
            yield return func(e) ?? throw new InvalidOperationException("The function given to Dataset.Map returned null.");
    }

    private static IEnumerator<DataElement> RepeatIterator(Dataset source, int? count)
    {
        for (int pass = 0; count is null || pass < count; pass++)
        {
            bool any = false;
            foreach (var e in source) { any = true; yield return e; }
            if (!any) yield break;   // an empty dataset repeated forever is still empty (as tf.data)
        }
    }

    private static IEnumerator<DataElement> TakeIterator(Dataset source, long count)
    {
        if (count == 0) yield break;
        long taken = 0;
        foreach (var e in source)
        {
            yield return e;
            if (++taken == count) yield break;
        }
    }

    private static IEnumerator<DataElement> ShuffleIterator(Dataset source, int bufferSize, RandomGenerator rng)
    {
        var buffer = new List<DataElement>(Math.Min(bufferSize, 1 << 16));
        foreach (var e in source)
        {
            if (buffer.Count < bufferSize) { buffer.Add(e); continue; }
            int k = rng.NextInt(buffer.Count);
            yield return buffer[k];
            buffer[k] = e;
        }
        while (buffer.Count > 0)
        {
            int k = rng.NextInt(buffer.Count);
            yield return buffer[k];
            buffer[k] = buffer[^1];
            buffer.RemoveAt(buffer.Count - 1);
        }
    }

    private static IEnumerator<DataElement> BatchIterator(Dataset source, int batchSize, bool dropRemainder)
    {
        var pending = new List<DataElement>(batchSize);
        foreach (var e in source)
        {
            pending.Add(e);
            if (pending.Count == batchSize) { yield return Stack(pending); pending.Clear(); }
        }
        if (pending.Count > 0 && !dropRemainder) yield return Stack(pending);
    }

    /// <summary>Stacks elements of one structure into a batch: each tensor gains a leading axis.</summary>
    internal static DataElement Stack(IReadOnlyList<DataElement> items)
    {
        var first = items[0];
        foreach (var e in items)
            if (e.X.Count != first.X.Count || (e.Y is null) != (first.Y is null) || (e.Y?.Count ?? 0) != (first.Y?.Count ?? 0) || (e.SampleWeight is null) != (first.SampleWeight is null))
                throw new InvalidOperationException($"Dataset.Batch: elements of one batch must have the same structure; got {first} and {e}.");
        var x = Enumerable.Range(0, first.X.Count).Select(i => StackTensors(items, e => e.X[i])).ToArray();
        var y = first.Y is null ? null : Enumerable.Range(0, first.Y.Count).Select(i => StackTensors(items, e => e.Y![i])).ToArray();
        var w = first.SampleWeight is null ? null : StackTensors(items, e => e.SampleWeight!);
        return new DataElement(x, y, w);
    }

    private static Tensor StackTensors(IReadOnlyList<DataElement> items, Func<DataElement, Tensor> pick)
    {
        var shape = pick(items[0]).Shape.ToArray();
        int size = shape.Aggregate(1, (a, b) => a * b);
        var data = new float[size * items.Count];
        for (int i = 0; i < items.Count; i++)
        {
            var t = pick(items[i]);
            if (!t.Shape.SequenceEqual(shape))
                throw new InvalidOperationException($"Dataset.Batch: cannot batch tensors of different shapes: {TensorShape.Format(shape)} and {t.ShapeString}.");
            t.Contiguous().Span.CopyTo(data.AsSpan(i * size, size));
        }
        return Tensor.Wrap(data, [items.Count, .. shape]);
    }

    /// <summary>A bounded queue filled by a background thread that enumerates the upstream dataset.</summary>
    private sealed class PrefetchEnumerator : IEnumerator<DataElement>
    {
        private readonly System.Collections.Concurrent.BlockingCollection<DataElement> _queue;
        private readonly CancellationTokenSource _cancel = new();
        private readonly Thread _thread;
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _error;
        private DataElement? _current;
        private bool _disposed;

        public PrefetchEnumerator(Dataset source, int bufferSize)
        {
            _queue = new(bufferSize);
            _thread = new Thread(() => Produce(source)) { IsBackground = true, Name = "Cortex Dataset.Prefetch" };
            _thread.Start();
        }

        private void Produce(Dataset source)
        {
            try
            {
                using var it = source.GetEnumerator();
                while (!_cancel.IsCancellationRequested && it.MoveNext()) _queue.Add(it.Current, _cancel.Token);
            }
            catch (OperationCanceledException) when (_cancel.IsCancellationRequested) { }
            catch (Exception e) { _error = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e); }
            finally { _queue.CompleteAdding(); }
        }

        public DataElement Current => _current ?? throw new InvalidOperationException("Enumeration has not started.");
        object IEnumerator.Current => Current;

        public bool MoveNext()
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_queue.TryTake(out var e, Timeout.Infinite)) { _current = e; return true; }
            // The producer finished: either the data ended or upstream threw, which is rethrown here, in the consumer.
            _error?.Throw();
            return false;
        }

        public void Reset() => throw new NotSupportedException("A prefetching enumerator cannot be reset; enumerate the dataset again.");

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            _cancel.Cancel();
            _thread.Join();
            _queue.Dispose();
            _cancel.Dispose();
        }
    }
}
