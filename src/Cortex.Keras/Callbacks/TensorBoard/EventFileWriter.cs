using System.Diagnostics;

namespace Cortex.Keras.Callbacks;

/// <summary>
/// Writes a TensorBoard event file (<c>events.out.tfevents.&lt;unix seconds&gt;.&lt;host&gt;</c>) in a folder: TFRecord
/// framing around serialized <c>Event</c> protos, the first carrying <c>file_version = "brain.Event:2"</c>.
/// </summary>
/// <remarks>
/// <para>Scalars are written in the <c>simple_value</c> form (as Keras 2 / TF 1.x wrote them), which every TensorBoard
/// version reads (it converts them to its tensor form on load); histograms in the <c>HistogramProto</c> form with
/// TensorFlow's default bucket edges; a graph as a serialized <c>GraphDef</c>.</para>
/// <para>An event file is an append-only log that TensorBoard reads while it grows, so it is not written through a
/// temporary file: each record is written whole with one call, and <see cref="Flush"/> pushes it to the file.
/// If the name is taken (two writers started in the same second), ".1", ".2", ... is appended.</para>
/// </remarks>
public sealed class EventFileWriter : IDisposable
{
    private readonly FileStream _stream;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly double _start;

    /// <summary>Creates the folder if needed and a new event file in it, and writes the file-version event.</summary>
    /// <param name="logDir">The folder (e.g. <c>logs/train</c>).</param>
    public EventFileWriter(string logDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDir);
        Directory.CreateDirectory(logDir);
        var now = DateTimeOffset.UtcNow;
        _start = now.ToUnixTimeMilliseconds() / 1000.0;
        string baseName = $"events.out.tfevents.{now.ToUnixTimeSeconds()}.{Environment.MachineName}";
        string path = System.IO.Path.Combine(logDir, baseName);
        for (int n = 1; File.Exists(path); n++) path = System.IO.Path.Combine(logDir, $"{baseName}.{n}");
        _stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
        Path = path;
        WriteRecord(EventProto.FileVersionEvent(WallTime(), "brain.Event:2"));
        Flush();
    }

    /// <summary>The event file's path.</summary>
    public string Path { get; }

    /// <summary>Writes scalar summaries (tag → value) at <paramref name="step"/>, in one event.</summary>
    public void WriteScalars(long step, IEnumerable<KeyValuePair<string, float>> values) =>
        WriteRecord(EventProto.SummaryEvent(WallTime(), step, values.Select(kv => (kv.Key, (float?)kv.Value, (Histogram?)null)).ToList()));

    /// <summary>Writes one scalar summary.</summary>
    public void WriteScalar(string tag, float value, long step) => WriteScalars(step, new[] { KeyValuePair.Create(tag, value) });

    /// <summary>Writes the histogram of <paramref name="values"/> (TensorFlow's default buckets; NaN and ±∞ are left out).</summary>
    public void WriteHistogram(string tag, ReadOnlySpan<float> values, long step)
    {
        var h = HistogramBuckets.Compute(values);
        WriteRecord(EventProto.SummaryEvent(WallTime(), step, new[] { (tag, (float?)null, (Histogram?)h) }));
    }

    /// <summary>Writes a graph (one node per entry; inputs name other nodes).</summary>
    public void WriteGraph(IEnumerable<GraphNode> nodes) => WriteRecord(EventProto.GraphEvent(WallTime(), nodes));

    /// <summary>Pushes what was written to the file.</summary>
    public void Flush() => _stream.Flush(flushToDisk: false);

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose() => _stream.Dispose();

    private double WallTime() => _start + _clock.Elapsed.TotalSeconds;

    private void WriteRecord(byte[] data) => TfRecord.Write(_stream, data);
}
