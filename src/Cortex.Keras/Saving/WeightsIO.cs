using PureHDF;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Keras.Saving;

/// <summary>
/// Weights in HDF5, in Keras 3's <c>saving_lib</c> layout (<c>layers/NAME/vars/0..n</c>, nested <c>layers</c> groups
/// for nested models, <c>optimizer/vars/0..n</c> with the iteration count and learning rate first, <c>vars</c> for the
/// model's own variables) and Keras 2's legacy layout (<c>model_weights</c> with <c>layer_names</c> and
/// <c>weight_names</c> attributes).
/// </summary>
public static class WeightsIO
{
    private static readonly Dictionary<string, Func<Layer, IReadOnlyList<SavedWeight>, IReadOnlyList<float[]>>> LegacyConverters = new();

    /// <summary>One weight as a legacy file stores it: its name (e.g. <c>lstm_1/kernel:0</c>), shape and values.</summary>
    public sealed record SavedWeight(string Name, int[] Shape, float[] Values);

    /// <summary>
    /// Registers a converter from a Keras 2 file's weights to Cortex's for layers of Keras class
    /// <paramref name="className"/> (e.g. recurrent layers whose gate order or bias layout differ). Without one the
    /// weights are copied as stored, shape-checked one by one. A null converter removes the registration.
    /// </summary>
    public static void RegisterLegacyConverter(string className, Func<Layer, IReadOnlyList<SavedWeight>, IReadOnlyList<float[]>>? converter)
    {
        lock (LegacyConverters)
            if (converter is null) LegacyConverters.Remove(className);
            else LegacyConverters[className] = converter;
    }

    // ------------------------------------------------------------------ Keras 3 layout: write

    /// <summary>The HDF5 content of <paramref name="model"/>'s weights (and <paramref name="optimizer"/>'s state, when given).</summary>
    internal static H5File Build(Model model, Optimizer? optimizer)
    {
        var file = new H5File();
        FillModel(file, model);
        if (optimizer is not null)
        {
            var vars = NamedGroup(optimizer.Name);
            vars["0"] = new H5Dataset(optimizer.Iterations, fileDims: Array.Empty<ulong>());
            vars["1"] = new H5Dataset(optimizer.LearningRate, fileDims: Array.Empty<ulong>());
            int i = 2;
            foreach (var v in optimizer.VariablesByParameter) vars[(i++).ToString()] = DatasetOf(v);
            file["optimizer"] = new H5Group { ["vars"] = vars };
        }
        return file;
    }

    private static void FillModel(H5Group target, Model model)
    {
        var layers = new H5Group();
        foreach (var (layer, key) in SavedLayers(model))
        {
            var g = new H5Group();
            if (layer is Model inner) FillModel(g, inner);
            else
                foreach (var (sub, variables) in layer.SavedVariableGroups)
                {
                    var vars = NamedGroup(layer.Name);
                    int i = 0;
                    foreach (var v in variables) vars[(i++).ToString()] = DatasetOf(v);
                    var dest = g;
                    foreach (var part in sub.Split('/', StringSplitOptions.RemoveEmptyEntries))
                    {
                        if (!dest.TryGetValue(part, out var child)) dest[part] = child = new H5Group();
                        dest = (H5Group)child;
                    }
                    dest["vars"] = vars;
                }
            layers[key] = g;
        }
        target["layers"] = layers;
        target["vars"] = NamedGroup(model.Name);
    }

    /// <summary>
    /// The layers saved under <c>layers/</c> (a Functional's input layers included, as Keras 3's <c>model.layers</c>)
    /// with their group names: as Keras 3's <c>_save_container_state</c>, the snake_case class name with a counter per
    /// container (dense, dense_1, conv2d, ...), not the layer's name, so weights load into a model whose layers were
    /// named differently.
    /// </summary>
    private static IReadOnlyList<(Layer Layer, string Key)> SavedLayers(Model model)
    {
        var used = new Dictionary<string, int>();
        var result = new List<(Layer, string)>();
        foreach (var layer in model.Layers)
        {
            var name = KerasSnakeCase(KerasObjects.ClassName(layer));
            if (used.TryGetValue(name, out int n)) { used[name] = n + 1; name = $"{name}_{n + 1}"; }
            else used[name] = 0;
            result.Add((layer, name));
        }
        return result;
    }

    /// <summary>Keras's <c>naming.to_snake_case</c>: MaxPooling2D → max_pooling2d, Conv2DTranspose → conv2d_transpose.</summary>
    internal static string KerasSnakeCase(string name)
    {
        var s = System.Text.RegularExpressions.Regex.Replace(name, "(.)([A-Z][a-z]+)", "$1_$2");
        return System.Text.RegularExpressions.Regex.Replace(s, "([a-z])([A-Z])", "$1_$2").ToLowerInvariant();
    }

    private static H5Group NamedGroup(string name)
    {
        var g = new H5Group();
        g.Attributes = new Dictionary<string, object> { ["name"] = name };
        return g;
    }

    private static H5Dataset DatasetOf(Variable v) =>
        new(v.ToArray(), fileDims: v.Shape.Select(d => (ulong)d).ToArray());

    // ------------------------------------------------------------------ Keras 3 layout: read

    /// <summary>Loads the weights of <paramref name="model"/> from a Keras 3 weights file's root group, checking every shape.</summary>
    internal static void LoadModel(IH5Group root, Model model, string file)
    {
        var pending = new List<(Variable, float[])>();
        CollectModel(root, model, "", file, pending);
        foreach (var (v, data) in pending) v.Assign(data);
    }

    private static void CollectModel(IH5Group group, Model model, string path, string file, List<(Variable, float[])> pending)
    {
        var layersPath = path + "layers";
        if (!group.LinkExists("layers"))
        {
            if (model.Weights.Count == 0) return;
            throw new InvalidDataException($"{file} has no '{layersPath}' group: it holds no weights for model '{model.Name}'.");
        }
        var layers = group.Group("layers");
        foreach (var (layer, key) in SavedLayers(model))
        {
            var lp = $"{layersPath}/{key}";
            if (!layers.LinkExists(key))
            {
                if (layer.Weights.Count == 0) continue;
                throw new InvalidDataException($"{file} has no weights for layer '{layer.Name}' (group '{lp}'); it needs {Describe(layer.SavedVariables)}.");
            }
            var lg = layers.Group(key);
            if (layer is Model inner) { CollectModel(lg, inner, lp + "/", file, pending); continue; }
            foreach (var (sub, expected) in layer.SavedVariableGroups)
                CollectVars(lg, sub, expected, layer, sub.Length == 0 ? lp : $"{lp}/{sub}", file, pending);
        }
    }

    private static void CollectVars(IH5Group layerGroup, string sub, IReadOnlyList<Variable> expected, Layer layer, string gp, string file,
        List<(Variable, float[])> pending)
    {
        IH5Group? g = layerGroup;
        foreach (var part in sub.Split('/', StringSplitOptions.RemoveEmptyEntries))
            g = g is not null && g.LinkExists(part) ? g.Group(part) : null;
        IH5Group? vars = g is not null && g.LinkExists("vars") ? g.Group("vars") : null;
        for (int i = 0; i < expected.Count; i++)
        {
            var v = expected[i];
            var dp = $"{gp}/vars/{i}";
            if (vars is null || !vars.LinkExists(i.ToString()))
                throw new InvalidDataException($"Weight '{v.Name}' of shape {TensorShape.Format(v.Shape.ToArray())} is missing from {file} (expected at '{dp}').");
            pending.Add((v, ReadChecked(vars.Dataset(i.ToString()), v, dp, file)));
        }
        if (vars is not null && vars.LinkExists(expected.Count.ToString()))
            throw new InvalidDataException($"Layer '{layer.Name}' expects {expected.Count} variables, but {file} holds more at '{gp}/vars' (found '{gp}/vars/{expected.Count}').");
    }

    /// <summary>Restores the optimizer's iteration count, learning rate and slots from <c>optimizer/vars</c>.</summary>
    internal static bool LoadOptimizer(IH5Group root, Optimizer optimizer, IReadOnlyList<Variable> trainable, string file)
    {
        if (!root.LinkExists("optimizer")) return false;
        var opt = root.Group("optimizer");
        if (!opt.LinkExists("vars")) return false;
        var vars = opt.Group("vars");
        optimizer.Build(trainable);
        int count = 0;
        while (vars.LinkExists(count.ToString())) count++;
        if (count == 0) return false;
        // Keras 3.15 (and Cortex) store the slots per parameter; earlier Keras 3 releases grouped them by kind.
        var candidates = new[] { optimizer.VariablesByParameter, optimizer.Variables };
        var slots = candidates[0];
        if (count != slots.Count + 2)
            throw new InvalidDataException($"The optimizer state in {file} has {count} variables, but optimizer '{optimizer.Name}' has {slots.Count + 2} for this model " +
                "(iteration, learning_rate and its slots); the file was saved with another optimizer or model.");
        var shapes = Enumerable.Range(0, slots.Count).Select(i => vars.Dataset((i + 2).ToString()).Space.Dimensions.Select(d => (int)d).ToArray()).ToList();
        slots = candidates.FirstOrDefault(c => c.Select((v, i) => v.Shape.SequenceEqual(shapes[i])).All(ok => ok)) ?? slots;
        optimizer.Iterations = ReadScalarLong(vars.Dataset("0"));
        optimizer.LearningRate = (float)ReadScalarDouble(vars.Dataset("1"));
        var pending = new List<(Variable, float[])>();
        for (int i = 0; i < slots.Count; i++)
            pending.Add((slots[i], ReadChecked(vars.Dataset((i + 2).ToString()), slots[i], $"optimizer/vars/{i + 2}", file)));
        foreach (var (v, data) in pending) v.Assign(data);
        return true;
    }

    private static float[] ReadChecked(IH5Dataset ds, Variable v, string path, string file)
    {
        var dims = ds.Space.Dimensions.Select(d => (int)d).ToArray();
        if (!dims.SequenceEqual(v.Shape))
            throw new InvalidDataException($"Weight '{v.Name}' has shape {TensorShape.Format(v.Shape.ToArray())}, but '{path}' in {file} has shape {TensorShape.Format(dims)}.");
        return ReadFloats(ds);
    }

    internal static float[] ReadFloats(IH5Dataset ds)
    {
        var type = ds.Type;
        if (type.Class == H5DataTypeClass.FloatingPoint)
            return type.Size == 8 ? ds.Read<double[]>().Select(x => (float)x).ToArray() : ds.Read<float[]>();
        if (type.Class == H5DataTypeClass.FixedPoint)
            return ds.Read<long[]>().Select(x => (float)x).ToArray();
        throw new InvalidDataException($"Dataset '{ds.Name}' holds {type.Class} data; expected numbers.");
    }

    private static long ReadScalarLong(IH5Dataset ds) =>
        ds.Type.Class == H5DataTypeClass.FloatingPoint ? (long)ReadScalarDouble(ds) : ds.Type.Size == 4 ? ds.Read<int>() : ds.Read<long>();

    private static double ReadScalarDouble(IH5Dataset ds) =>
        ds.Type.Class == H5DataTypeClass.FixedPoint ? ReadScalarLong(ds) : ds.Type.Size == 8 ? ds.Read<double>() : ds.Read<float>();

    private static string Describe(IReadOnlyList<Variable> vars) => string.Join(", ", vars.Select(v => $"'{v.Name}' {TensorShape.Format(v.Shape.ToArray())}"));

    // ------------------------------------------------------------------ Keras 2 layout

    /// <summary>
    /// Loads Keras 2 legacy weights (<c>model_weights</c> or a weights-only file's root): as Keras 2, the layers that
    /// have weights are matched in order with the file's layers that have weights; each weight's shape is checked.
    /// </summary>
    internal static void LoadLegacy(IH5Group group, Model model, string file, IReadOnlyDictionary<string, string>? classNames = null)
    {
        var names = ReadStrings(group, "layer_names", file);
        var stored = new List<(string Layer, List<SavedWeight> Weights)>();
        foreach (var ln in names)
        {
            var lg = group.Group(ln);
            var wn = lg.AttributeExists("weight_names") ? ReadStrings(lg, "weight_names", file) : new List<string>();
            if (wn.Count == 0) continue;
            var ws = new List<SavedWeight>();
            foreach (var w in wn)
            {
                var ds = lg.Dataset(w);
                ws.Add(new SavedWeight(w, ds.Space.Dimensions.Select(d => (int)d).ToArray(), ReadFloats(ds)));
            }
            stored.Add((ln, ws));
        }
        var layers = model.Layers.Where(l => l.Weights.Count > 0).ToList();
        if (layers.Count != stored.Count)
            throw new InvalidDataException($"{file} holds weights for {stored.Count} layers ({string.Join(", ", stored.Select(s => s.Layer))}), " +
                $"but model '{model.Name}' has {layers.Count} layers with weights ({string.Join(", ", layers.Select(l => l.Name))}).");
        var pending = new List<(Variable, float[])>();
        for (int i = 0; i < layers.Count; i++)
        {
            var layer = layers[i];
            var (storedName, weights) = stored[i];
            var targets = layer is Model m ? m.TrainableWeights.Concat(m.NonTrainableWeights).ToList() : layer.SavedVariables.ToList();
            var cls = classNames?.GetValueOrDefault(layer.Name) ?? KerasObjects.ClassName(layer);
            Func<Layer, IReadOnlyList<SavedWeight>, IReadOnlyList<float[]>>? convert;
            lock (LegacyConverters) LegacyConverters.TryGetValue(cls, out convert);
            if (convert is not null)
            {
                var values = convert(layer, weights);
                if (values.Count != targets.Count)
                    throw new InvalidDataException($"The {cls} converter gave {values.Count} arrays for layer '{layer.Name}', which has {targets.Count} weights.");
                for (int k = 0; k < targets.Count; k++) pending.Add((targets[k], values[k]));
                continue;
            }
            if (weights.Count != targets.Count)
                throw new InvalidDataException($"Layer '{layer.Name}' expects {targets.Count} weights ({Describe(targets)}), but layer '{storedName}' in {file} " +
                    $"has {weights.Count} ({string.Join(", ", weights.Select(w => $"'{w.Name}' {TensorShape.Format(w.Shape)}"))}).");
            for (int k = 0; k < targets.Count; k++)
            {
                if (!weights[k].Shape.SequenceEqual(targets[k].Shape))
                    throw new InvalidDataException($"Weight '{targets[k].Name}' has shape {TensorShape.Format(targets[k].Shape.ToArray())}, but '{weights[k].Name}' " +
                        $"of layer '{storedName}' in {file} has shape {TensorShape.Format(weights[k].Shape)}.");
                pending.Add((targets[k], weights[k].Values));
            }
        }
        foreach (var (v, data) in pending) v.Assign(data);
    }

    /// <summary>A string-list attribute (fixed- or variable-length strings, as h5py writes them).</summary>
    internal static List<string> ReadStrings(IH5Object obj, string attribute, string file)
    {
        if (!obj.AttributeExists(attribute)) throw new InvalidDataException($"{file}: '{obj.Name}' has no '{attribute}' attribute.");
        var a = obj.Attribute(attribute);
        if (a.Type.Class is not (H5DataTypeClass.String or H5DataTypeClass.VariableLength)) return new List<string>(); // h5py writes an empty list as a float64 array
        if (a.Space.Dimensions.Length == 0) return new List<string> { a.Read<string>() };
        return a.Read<string[]>().ToList();
    }

    /// <summary>A string attribute, or null when absent.</summary>
    internal static string? ReadString(IH5Object obj, string attribute)
    {
        if (!obj.AttributeExists(attribute)) return null;
        var a = obj.Attribute(attribute);
        return a.Space.Dimensions.Length == 0 ? a.Read<string>() : a.Read<string[]>().FirstOrDefault();
    }
}
