namespace Cortex.Keras.Callbacks;

/// <summary>
/// Reads TensorBoard event files (written by <see cref="EventFileWriter"/>, Keras or TensorFlow): checks both CRC-32Cs
/// of every TFRecord and decodes each <c>Event</c> (wall time, step, file version, scalar and histogram summaries,
/// graph nodes). Other kinds of events and fields are skipped.
/// </summary>
public static class EventFileReader
{
    /// <summary>The events of one file, in order.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">A record is corrupted (CRC mismatch) or truncated, or an event cannot be
    /// decoded; the message names the file and the record's byte offset.</exception>
    public static IReadOnlyList<TensorBoardEvent> Read(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"No event file at '{path}'.", path);
        var result = new List<TensorBoardEvent>();
        foreach (var (offset, data) in TfRecord.Read(File.ReadAllBytes(path), path))
        {
            try { result.Add(EventProto.DecodeEvent(data, offset)); }
            catch (Google.Protobuf.InvalidProtocolBufferException e)
            {
                throw new InvalidDataException($"{path}: the record at offset {offset} is not a valid Event: {e.Message}", e);
            }
        }
        return result;
    }

    /// <summary>The event files (names containing "tfevents") directly in <paramref name="logDir"/>, oldest name first.</summary>
    public static IReadOnlyList<string> FindFiles(string logDir) =>
        Directory.Exists(logDir)
            ? Directory.GetFiles(logDir).Where(f => Path.GetFileName(f).Contains("tfevents", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal).ToList()
            : new List<string>();

    /// <summary>
    /// Every scalar in the event files of <paramref name="logDir"/>, by tag, as (step, value) in file order —
    /// e.g. <c>ReadScalars("logs/train")["epoch_loss"]</c>.
    /// </summary>
    public static Dictionary<string, List<(long Step, float Value)>> ReadScalars(string logDir)
    {
        var result = new Dictionary<string, List<(long, float)>>();
        foreach (var file in FindFiles(logDir))
            foreach (var e in Read(file))
                foreach (var v in e.Values)
                    if (v.Scalar is { } x)
                    {
                        if (!result.TryGetValue(v.Tag, out var list)) result[v.Tag] = list = new List<(long, float)>();
                        list.Add((e.Step, x));
                    }
        return result;
    }
}
