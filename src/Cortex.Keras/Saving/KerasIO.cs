using System.Globalization;
using System.IO.Compression;
using System.Text;
using PureHDF;
using PureHDF.VOL.Native;
using Cortex.Keras.Losses;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Keras.Saving;

/// <summary>
/// Loading and saving whole models (Keras's <c>keras.saving</c>): <see cref="LoadModel"/> reads Keras 3's
/// <c>.keras</c> zip and Keras 2's legacy <c>.h5</c>; <see cref="SaveModel"/> writes <c>.keras</c> as Keras 3 does
/// (metadata.json, config.json, model.weights.h5), so Keras can load it back; <see cref="ModelFromJson"/> reads an
/// architecture written by <see cref="Model.ToJson"/> or Keras's <c>model.to_json()</c>.
/// </summary>
public static class KerasIO
{
    /// <summary>The Keras version whose file format Cortex writes (recorded in metadata.json).</summary>
    public const string KerasVersion = "3.15.1";

    private static readonly byte[] ZipMagic = { (byte)'P', (byte)'K', 3, 4 };
    private static readonly byte[] HdfMagic = { 0x89, (byte)'H', (byte)'D', (byte)'F', (byte)'\r', (byte)'\n', 0x1a, (byte)'\n' };

    /// <summary>
    /// Loads a model saved by Keras or Cortex: a <c>.keras</c> zip (architecture, weights and, when compiled, the
    /// optimizer with its state) or a legacy Keras 2 <c>.h5</c> (architecture, weights, training config).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="customObjects">User classes the file may name, in addition to <see cref="CustomObjects.Global"/>.</param>
    /// <param name="compile">Whether to compile the model with the saved training configuration, if there is one.</param>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    /// <exception cref="InvalidDataException">Not a .keras zip nor an HDF5 file, truncated, or missing a weight.</exception>
    /// <exception cref="FormatException">The config names a class Cortex does not know, or is malformed.</exception>
    public static Model LoadModel(string path, CustomObjects? customObjects = null, bool compile = true)
    {
        var kind = Sniff(path);
        return KerasObjects.WithScope(customObjects, () => kind == FileKind.Zip ? LoadKeras(path, compile) : LoadLegacyH5(path, compile));
    }

    /// <summary>A model from its JSON architecture (Keras's <c>model_from_json</c>); the weights are freshly initialized.</summary>
    public static Model ModelFromJson(string json, CustomObjects? customObjects = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var node = ConfigNode.Parse(json, "the model JSON");
        return KerasObjects.WithScope(customObjects, () => BuildFromConfig(node));
    }

    /// <summary>Saves <paramref name="model"/> to a <c>.keras</c> file, atomically (see <see cref="Model.Save"/>).</summary>
    public static void SaveModel(Model model, string path, bool includeOptimizer = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        AtomicFile.Write(path, stream =>
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true);
            var metadata = new Dictionary<string, object?>
            {
                ["keras_version"] = KerasVersion,
                ["date_saved"] = DateTime.Now.ToString("yyyy-MM-dd@HH:mm:ss", CultureInfo.InvariantCulture),
            };
            WriteEntry(zip, "metadata.json", KerasJson.Serialize(metadata));
            WriteEntry(zip, "config.json", ModelJson(model, withCompile: true));
            var h5 = WeightsIO.Build(model, includeOptimizer ? model.Optimizer : null);
            using var ms = new MemoryStream();
            h5.Write(ms);
            var entry = zip.CreateEntry("model.weights.h5", CompressionLevel.NoCompression);
            using var es = entry.Open();
            ms.Position = 0;
            ms.CopyTo(es);
        });
    }

    /// <summary>Writes the weights (Keras 3's <c>.weights.h5</c> layout), atomically.</summary>
    public static void SaveWeights(Model model, string path, bool includeOptimizer = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        var h5 = WeightsIO.Build(model, includeOptimizer ? model.Optimizer : null);
        AtomicFile.Write(path, s => h5.Write(s));
    }

    /// <summary>Loads weights from a <c>.weights.h5</c> (Keras 3), a legacy Keras 2 HDF5 file, or the weights inside a <c>.keras</c> file.</summary>
    public static void LoadWeights(Model model, string path)
    {
        ArgumentNullException.ThrowIfNull(model);
        var kind = Sniff(path);
        if (kind == FileKind.Zip)
        {
            using var zip = OpenZip(path);
            using var h5 = OpenWeightsEntry(zip, path);
            WeightsIO.LoadModel(h5, model, path);
            return;
        }
        using var file = OpenH5(path);
        Guard(path, () =>
        {
            if (file.LinkExists("model_weights")) WeightsIO.LoadLegacy(file.Group("model_weights"), model, path);
            else if (file.AttributeExists("layer_names")) WeightsIO.LoadLegacy(file, model, path);
            else WeightsIO.LoadModel(file, model, path);
        });
    }

    /// <summary>The model's JSON (Keras's <c>to_json</c>): <c>{"module", "class_name", "config", "registered_name", ...}</c>.</summary>
    internal static string ModelJson(Model model, bool withCompile)
    {
        var d = KerasObjects.Serialize(model);
        if (model.Built && model is Sequential && model.InputShape is { } shape)
            d["build_config"] = new Dictionary<string, object?> { ["input_shape"] = KerasJson.Shape(shape) };
        if (withCompile && model.Optimizer is not null && model.Loss is not null) d["compile_config"] = model.CompileConfig();
        return KerasJson.Serialize(d);
    }

    // ------------------------------------------------------------------ .keras

    private static Model LoadKeras(string path, bool compile)
    {
        using var zip = OpenZip(path);
        var configEntry = zip.GetEntry("config.json") ?? throw new InvalidDataException($"{path} is not a valid .keras file: it has no config.json.");
        string json;
        using (var r = new StreamReader(configEntry.Open(), Encoding.UTF8)) json = Guard(path, r.ReadToEnd);
        var node = ConfigNode.Parse(json, $"the model in {path}");
        var model = BuildFromConfig(node);
        if (compile && node.Child("compile_config") is { } cc) Compile(model, cc);
        using var h5 = OpenWeightsEntry(zip, path);
        Guard(path, () =>
        {
            WeightsIO.LoadModel(h5, model, path);
            if (model.Optimizer is { } opt) WeightsIO.LoadOptimizer(h5, opt, model.TrainableWeights, path);
        });
        return model;
    }

    private static Model BuildFromConfig(ConfigNode node)
    {
        if (node.Element.ValueKind != System.Text.Json.JsonValueKind.Object || !node.Has("class_name"))
            throw new FormatException($"{node.Owner} is not a serialized Keras model: it has no 'class_name'.");
        var layer = KerasObjects.DeserializeLayer(node);
        if (layer is not Model model)
            throw new FormatException($"{node.Owner} holds a {layer.GetType().Name} layer, not a model.");
        if (!model.Built && node.Child("build_config")?.Ints("input_shape") is { } shape) model.EnsureBuilt(shape);
        return model;
    }

    private static void Compile(Model model, ConfigNode cc)
    {
        var optNode = cc.Child("optimizer") ?? cc.Child("optimizer_config");
        var lossNode = cc.Child("loss");
        if (optNode is null || lossNode is null) return;
        var optimizer = (Optimizer)KerasObjects.Deserialize(optNode, KerasObjects.Kind.Optimizer);
        var loss = (Loss)KerasObjects.Deserialize(lossNode, KerasObjects.Kind.Loss);
        var metrics = new List<object>();
        if (cc.Child("metrics") is { } m && m.Element.ValueKind == System.Text.Json.JsonValueKind.Array)
            foreach (var item in m.Items())
                if (item.Element.ValueKind == System.Text.Json.JsonValueKind.String) metrics.Add(item.Element.GetString()!);
                else if (item.Element.ValueKind == System.Text.Json.JsonValueKind.Object && item.Child("config")?.String("name") is { } name) metrics.Add(name);
        model.Compile(optimizer, loss, metrics);
    }

    private static ZipArchive OpenZip(string path)
    {
        try { return new ZipArchive(File.OpenRead(path), ZipArchiveMode.Read); }
        catch (InvalidDataException e) { throw new InvalidDataException($"{path} is not a valid .keras file (zip): it is truncated or corrupt ({e.Message}).", e); }
    }

    private static NativeFile OpenWeightsEntry(ZipArchive zip, string path)
    {
        var entry = zip.GetEntry("model.weights.h5") ?? throw new InvalidDataException($"{path} is not a valid .keras file: it has no model.weights.h5.");
        var ms = new MemoryStream();
        Guard(path, () => { using var s = entry.Open(); s.CopyTo(ms); });
        ms.Position = 0;
        return Guard(path, () => H5File.Open(ms, leaveOpen: false));
    }

    private static void WriteEntry(ZipArchive zip, string name, string text)
    {
        var e = zip.CreateEntry(name, CompressionLevel.Optimal);
        using var w = new StreamWriter(e.Open(), new UTF8Encoding(false));
        w.Write(text);
    }

    // ------------------------------------------------------------------ legacy .h5

    private static Model LoadLegacyH5(string path, bool compile)
    {
        using var file = OpenH5(path);
        var json = WeightsIO.ReadString(file, "model_config")
            ?? throw new InvalidDataException($"{path} has no 'model_config' attribute: it holds weights only; build the model and call LoadWeights.");
        var node = ConfigNode.Parse(json, $"the model in {path}");
        // Files written by Keras 2 (and older ones without a version) mean Keras 2's hard_sigmoid and GRU defaults.
        bool keras2 = WeightsIO.ReadString(file, "keras_version") is not { } version || !version.StartsWith("3", StringComparison.Ordinal);
        var model = KerasObjects.WithKeras2Semantics(keras2, () => BuildFromConfig(node));
        if (compile && WeightsIO.ReadString(file, "training_config") is { } tc)
        {
            var t = ConfigNode.Parse(tc, $"the training config in {path}");
            if (t.Child("optimizer_config") is not null && t.Child("loss")?.Element.ValueKind == System.Text.Json.JsonValueKind.String) Compile(model, t);
        }
        var classNames = LegacyClassNames(node);
        Guard(path, () =>
        {
            var group = file.LinkExists("model_weights") ? (IH5Group)file.Group("model_weights") : file;
            WeightsIO.LoadLegacy(group, model, path, classNames);
        });
        return model;
    }

    private static Dictionary<string, string> LegacyClassNames(ConfigNode node)
    {
        var d = new Dictionary<string, string>();
        var c = node.Child("config");
        if (c is null) return d;
        var layers = c.Element.ValueKind == System.Text.Json.JsonValueKind.Array ? c.Items() : c.Child("layers")?.Items() ?? Array.Empty<ConfigNode>();
        foreach (var l in layers)
            if (l.String("class_name") is { } cls && l.Child("config")?.String("name") is { } name) d[name] = cls;
        return d;
    }

    private static NativeFile OpenH5(string path) => Guard(path, () => H5File.OpenRead(path));

    // ------------------------------------------------------------------ file checks

    private enum FileKind { Zip, Hdf5 }

    private static FileKind Sniff(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"No file or directory found at {path}", path);
        var head = new byte[8];
        int n;
        using (var fs = File.OpenRead(path)) n = fs.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        if (n >= 4 && head.AsSpan(0, 4).SequenceEqual(ZipMagic)) return FileKind.Zip;
        if (n >= 8 && head.AsSpan().SequenceEqual(HdfMagic)) return FileKind.Hdf5;
        bool keras = path.EndsWith(".keras", StringComparison.OrdinalIgnoreCase);
        throw new InvalidDataException(keras ? $"{path} is not a valid .keras file (zip): it does not start with a zip header."
            : $"{path} is not a valid .keras file (zip) / HDF5 file: it starts with neither header.");
    }

    private static T Guard<T>(string path, Func<T> f)
    {
        try { return f(); }
        catch (Exception e) when (e is not InvalidDataException and not FormatException and not ArgumentException and not NotSupportedException)
        {
            throw new InvalidDataException($"{path} could not be read: it is truncated or corrupt ({e.GetType().Name}: {e.Message}).", e);
        }
    }

    private static void Guard(string path, Action f) => Guard(path, () => { f(); return 0; });
}
