using Cortex.Keras.Saving;

namespace Cortex.Tests.Saving;

/// <summary>Paths of the real Keras files in ../shared (tests return early when the folder is absent) and temp folders.</summary>
internal static class SavingTestUtil
{
    /// <summary>The folder of real Keras model files, or null when shared/ is not present.</summary>
    public static string? KerasModels
    {
        get
        {
            var dir = AppContext.BaseDirectory;
            for (int i = 0; i < 10 && dir is not null; i++, dir = Path.GetDirectoryName(dir))
            {
                var candidate = Path.Combine(dir, "shared", "models", "keras");
                if (Directory.Exists(candidate)) return candidate;
                candidate = Path.Combine(dir, "..", "shared", "models", "keras");
                if (Directory.Exists(candidate)) return Path.GetFullPath(candidate);
            }
            return Directory.Exists("/work/shared/models/keras") ? "/work/shared/models/keras" : null;
        }
    }

    /// <summary>A fresh empty folder under the temp directory.</summary>
    public static string TempDir()
    {
        var d = Path.Combine(Path.GetTempPath(), "cortex-saving-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(d);
        return d;
    }

    public static Tensor LoadNpy(string dir, string name) => Npy.Load(Path.Combine(dir, name));
}
