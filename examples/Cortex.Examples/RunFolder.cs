using System.Globalization;

namespace Cortex.Examples;

/// <summary>Where an example writes its logs, checkpoints and plots: <c>logs/NAME/yyyyMMdd-HHmmss/</c> under the current folder.</summary>
internal static class RunFolder
{
    /// <summary>Creates and returns a new, time-stamped folder for one run of example <paramref name="example"/>.</summary>
    public static string Create(string example)
    {
        string dir = Path.GetFullPath(Path.Combine("logs", example, DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>Prints the scalar tags of a TensorBoard log folder (one line per run subfolder), read back with <see cref="Cortex.Keras.Callbacks.EventFileReader"/>.</summary>
    public static void PrintTensorBoardScalars(string logDir)
    {
        foreach (var sub in new[] { "train", "validation" })
        {
            string dir = Path.Combine(logDir, sub);
            if (!Directory.Exists(dir)) continue;
            var scalars = Cortex.Keras.Callbacks.EventFileReader.ReadScalars(dir);
            Console.WriteLine($"TensorBoard {sub}/: {string.Join(", ", scalars.Select(kv => $"{kv.Key} ×{kv.Value.Count}"))}");
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically (a temporary file in the same folder, then a rename).</summary>
    public static void WriteText(string path, string text)
    {
        string tmp = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllText(tmp, text);
            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
