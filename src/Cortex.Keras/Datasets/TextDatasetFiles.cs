using System.IO.Compression;
using System.Text;

namespace Cortex.Keras.Datasets;

/// <summary>
/// What the text and time-series loaders share: finding a dataset's files (through <see cref="DatasetLocator"/>, in
/// its documented order; these datasets have no download mirror, so a missing dataset is a clear error naming every
/// place looked) or its shipped sample, and reading a plain or gzipped UTF-8 file.
/// </summary>
internal static class TextDatasetFiles
{
    /// <summary>The folder holding every stem of <paramref name="dataset"/> (see <see cref="DatasetLocator.Locate"/>).</summary>
    public static DatasetLocation Locate(string dataset, string[] stems, string? folder, bool allowDownload = false)
    {
        var descriptor = new DatasetDescriptor(dataset, stems.Select(s => new DatasetFile(s, null)).ToList(), Array.Empty<Uri>());
        return DatasetLocator.Locate(descriptor, new DatasetLocatorOptions { Folder = folder, AllowDownload = allowDownload });
    }

    /// <summary>The shipped sample folder <c>data/<paramref name="sample"/></c> holding every stem (plain or .gz).</summary>
    public static DatasetLocation Sample(string sample, string[] stems, string description)
    {
        string folder = DatasetLocator.FindSampleFolder("data/" + sample,
            dir => stems.All(s => File.Exists(Path.Combine(dir, s)) || File.Exists(Path.Combine(dir, s + ".gz"))), description);
        return Locate(sample, stems, folder);
    }

    /// <summary>The text of a file, gunzipped when its name ends in .gz.</summary>
    public static string ReadAllText(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            Stream s = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
            using var reader = new StreamReader(s, new UTF8Encoding(false, true));
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is InvalidDataException or DecoderFallbackException)
        {
            throw new InvalidDataException($"{path}: cannot be read as {(path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? "gzipped " : "")}UTF-8 text: {e.Message}", e);
        }
    }

    /// <summary>The lines of a file (\n or \r\n ends; a final empty line is dropped).</summary>
    public static string[] ReadLines(string path)
    {
        var lines = ReadAllText(path).Split('\n');
        for (int i = 0; i < lines.Length; i++) lines[i] = lines[i].TrimEnd('\r');
        return lines.Length > 0 && lines[^1].Length == 0 ? lines[..^1] : lines;
    }
}
