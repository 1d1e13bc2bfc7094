using Cortex.Keras.Saving;
using System.Text;

namespace Cortex.Keras.Callbacks;

/// <summary>
/// Streams each epoch's logs to a CSV file (Keras's <c>keras.callbacks.CSVLogger</c>): a header "epoch" followed by the
/// log keys sorted (ordinally, as Python's <c>sorted</c>), then one row per epoch.
/// </summary>
/// <remarks>
/// <para>As Keras: the keys are fixed at the first epoch; if none of them starts with "val_", the "val_" form of each
/// is added too (so epochs that do validate have a column), and a key missing from an epoch's logs is written "NA".
/// Values are written as Python writes a float (<c>0.6931471824645996</c>); rows end with "\r\n" (Python's csv
/// dialect "excel"); a field containing the separator, a quote or a line break is quoted.</para>
/// <para>With <c>append</c> the rows go after the file's existing content and the header is written only when the
/// file is missing or empty. The file is a log read while training runs, so it is not written by temp file and rename:
/// each row is written whole and flushed at the end of its epoch; the file is closed when training ends.</para>
/// </remarks>
public sealed class CSVLogger : Callback
{
    private StreamWriter? _writer;
    private List<string>? _keys;
    private bool _writeHeader;

    /// <summary>Creates the logger.</summary>
    /// <param name="filename">The CSV file's path; its folder must exist.</param>
    /// <param name="separator">The field separator. Defaults to ",".</param>
    /// <param name="append">Append to an existing file instead of overwriting it.</param>
    public CSVLogger(string filename, string separator = ",", bool append = false)
    {
        ArgumentException.ThrowIfNullOrEmpty(filename);
        ArgumentException.ThrowIfNullOrEmpty(separator);
        Filename = filename; Separator = separator; Append = append;
    }

    /// <summary>The file's path.</summary>
    public string Filename { get; }
    /// <summary>The separator.</summary>
    public string Separator { get; }
    /// <summary>Whether rows are appended.</summary>
    public bool Append { get; }

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs)
    {
        _writer?.Dispose();
        var dir = Path.GetDirectoryName(Path.GetFullPath(Filename));
        if (dir is not null && !Directory.Exists(dir))
            throw new DirectoryNotFoundException($"CSVLogger: the folder of '{Filename}' does not exist ({dir}).");
        _writeHeader = !Append || !File.Exists(Filename) || new FileInfo(Filename).Length == 0;
        _writer = new StreamWriter(new FileStream(Filename, Append ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.Read), new UTF8Encoding(false));
        _keys = null;
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        var w = _writer ?? throw new InvalidOperationException("CSVLogger: OnEpochEnd before OnTrainBegin; pass the logger to Fit.");
        if (_keys is null)
        {
            _keys = logs.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
            if (_keys.Count > 0 && !_keys.Any(k => k.StartsWith("val_", StringComparison.Ordinal)))
                _keys.AddRange(_keys.Select(k => "val_" + k).ToList());
            if (_writeHeader) w.Write(Row(new[] { "epoch" }.Concat(_keys)));
        }
        var fields = new List<string> { epoch.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        foreach (var k in _keys) fields.Add(logs.TryGetValue(k, out float v) ? PyFormat.Float(v) : "NA");
        w.Write(Row(fields));
        w.Flush();
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(IReadOnlyDictionary<string, float> logs)
    {
        _writer?.Dispose();
        _writer = null;
    }

    private string Row(IEnumerable<string> fields)
    {
        var sb = new StringBuilder();
        bool first = true;
        foreach (var f in fields)
        {
            if (!first) sb.Append(Separator);
            first = false;
            bool quote = f.Contains(Separator) || f.Contains('"') || f.Contains('\n') || f.Contains('\r');
            sb.Append(quote ? "\"" + f.Replace("\"", "\"\"") + "\"" : f);
        }
        return sb.Append("\r\n").ToString();
    }
}
