namespace Cortex.Keras.Preprocessing.Sequence;

/// <summary>
/// Batches of temporal windows from a series (Keras's <c>keras.preprocessing.sequence.TimeseriesGenerator</c>), as a
/// <see cref="Utils.Sequence"/> that <c>Model.Fit</c> accepts.
/// </summary>
/// <remarks>
/// <para>For a target row <c>r</c> (from <c>start_index + length</c> to <c>end_index</c>, every <c>stride</c>-th), the
/// sample is <c>data[r − length : r : sampling_rate]</c> and the target <c>targets[r]</c>: each window ends just before the
/// step it predicts. Batches have <c>batch_size</c> samples (the last may be smaller); there are
/// <c>(end − start + batch_size·stride) // (batch_size·stride)</c> of them. With shuffle, each batch draws
/// <c>batch_size</c> rows uniformly (with replacement, as Keras does) from the valid range; with reverse, each window's
/// steps come last-first.</para>
/// <para>Shapes: data (steps, ...features), targets (steps, ...); a sample batch is (batch, ⌈length / sampling_rate⌉, ...features).</para>
/// </remarks>
public sealed class TimeseriesGenerator : Utils.Sequence
{
    private readonly Tensor _data, _targets;
    private readonly RandomGenerator _rng;

    /// <summary>Creates the generator.</summary>
    /// <param name="data">The series, steps along axis 0 (a rank-1 series is one feature per step).</param>
    /// <param name="targets">The targets, one per step of <paramref name="data"/> (often the series itself).</param>
    /// <param name="length">The window length in steps (before sampling).</param>
    /// <param name="samplingRate">Take every sampling_rate-th step of a window.</param>
    /// <param name="stride">Steps between the ends of successive windows.</param>
    /// <param name="startIndex">Steps before this are not used as targets (the first target is start_index + length).</param>
    /// <param name="endIndex">The last step used as a target; null: the last step.</param>
    /// <param name="shuffle">Draw the rows of each batch at random.</param>
    /// <param name="reverse">Reverse the steps of every window.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="seed">Seeds the shuffle draws; null draws from <see cref="RandomGenerator.Global"/>.</param>
    public TimeseriesGenerator(Tensor data, Tensor targets, int length, int samplingRate = 1, int stride = 1, int startIndex = 0,
        int? endIndex = null, bool shuffle = false, bool reverse = false, int batchSize = 128, long? seed = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(targets);
        if (data.Rank < 1 || targets.Rank < 1) throw new ArgumentException("data and targets need a steps axis (rank ≥ 1).");
        if (data.Shape[0] != targets.Shape[0])
            throw new ArgumentException($"Data and targets have to be of same length. Data length is {data.Shape[0]} while target length is {targets.Shape[0]}");
        if (length <= 0) throw new ArgumentException($"length must be a positive integer. Received: length={length}", nameof(length));
        if (samplingRate <= 0) throw new ArgumentException($"sampling_rate must be a positive integer. Received: sampling_rate={samplingRate}", nameof(samplingRate));
        if (stride <= 0) throw new ArgumentException($"stride must be a positive integer. Received: stride={stride}", nameof(stride));
        if (batchSize <= 0) throw new ArgumentException($"batch_size must be a positive integer. Received: batch_size={batchSize}", nameof(batchSize));
        if (startIndex < 0) throw new ArgumentException($"start_index must be non-negative. Received: start_index={startIndex}", nameof(startIndex));
        _data = data.Contiguous();
        _targets = targets.Contiguous();
        Length = length; SamplingRate = samplingRate; Stride = stride; Shuffle = shuffle; Reverse = reverse; BatchSize = batchSize;
        StartIndex = startIndex + length;
        EndIndex = endIndex ?? data.Shape[0] - 1;
        if (EndIndex >= data.Shape[0]) throw new ArgumentException($"end_index={EndIndex} is past the last step ({data.Shape[0] - 1}).", nameof(endIndex));
        if (StartIndex > EndIndex)
            throw new ArgumentException($"`start_index+length={StartIndex} > end_index={EndIndex}` is disallowed, as no part of the sequence would be left to be used as current step.");
        _rng = seed is long s ? new RandomGenerator(s) : RandomGenerator.Global;
    }

    /// <summary>The window length in steps.</summary>
    public int Length { get; }
    /// <summary>The step between sampled steps of a window.</summary>
    public int SamplingRate { get; }
    /// <summary>The step between successive windows.</summary>
    public int Stride { get; }
    /// <summary>The first target row (start_index + length, as Keras stores it).</summary>
    public int StartIndex { get; }
    /// <summary>The last target row.</summary>
    public int EndIndex { get; }
    /// <summary>Whether batch rows are drawn at random.</summary>
    public bool Shuffle { get; }
    /// <summary>Whether windows are reversed.</summary>
    public bool Reverse { get; }
    /// <summary>Samples per batch.</summary>
    public int BatchSize { get; }

    /// <inheritdoc/>
    public override int Count => (EndIndex - StartIndex + BatchSize * Stride) / (BatchSize * Stride);

    /// <summary>The target rows of batch <paramref name="index"/>.</summary>
    public int[] Rows(int index)
    {
        if (Shuffle) return Enumerable.Range(0, BatchSize).Select(_ => StartIndex + _rng.NextInt(EndIndex - StartIndex + 1)).ToArray();
        int i = StartIndex + BatchSize * Stride * index;
        int stop = Math.Min(i + BatchSize * Stride, EndIndex + 1);
        var rows = new List<int>();
        for (int r = i; r < stop; r += Stride) rows.Add(r);
        return rows.ToArray();
    }

    /// <inheritdoc/>
    public override (Tensor X, Tensor? Y) GetBatch(int index)
    {
        var rows = Rows(index);
        int steps = (Length + SamplingRate - 1) / SamplingRate;
        int stepSize = _data.Size / _data.Shape[0], targetSize = _targets.Size / _targets.Shape[0];
        var xDims = new[] { rows.Length, steps }.Concat(_data.Shape.Skip(1)).ToArray();
        var yDims = new[] { rows.Length }.Concat(_targets.Shape.Skip(1)).ToArray();
        var x = Tensor.Zeros(xDims); var y = Tensor.Zeros(yDims);
        var src = _data.Span; var tgt = _targets.Span; var xd = x.Span; var yd = y.Span;
        for (int b = 0; b < rows.Length; b++)
        {
            int r = rows[b];
            for (int k = 0; k < steps; k++)
            {
                int srcStep = r - Length + k * SamplingRate;
                int dstStep = Reverse ? steps - 1 - k : k;
                src.Slice(srcStep * stepSize, stepSize).CopyTo(xd.Slice((b * steps + dstStep) * stepSize, stepSize));
            }
            tgt.Slice(r * targetSize, targetSize).CopyTo(yd.Slice(b * targetSize, targetSize));
        }
        return (x, y);
    }
}
