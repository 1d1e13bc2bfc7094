using System.IO.Compression;
using PureHDF;
using System.Text.Json;
using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Saving;

namespace Cortex.Tests.Saving;

/// <summary>A custom layer for the registry tests: multiplies by a configured factor.</summary>
public sealed class ScaleBy : Layer
{
    public ScaleBy(float factor, string? name = null) : base(name) => Factor = factor;
    public float Factor { get; }
    public static ScaleBy FromConfig(ConfigNode c) => new(c.Float("factor"), c.Name);
    public override Tensor Call(Tensor inputs, bool training) => Ops.MultiplyScalar(inputs, Factor);
    public override Dictionary<string, object?> GetConfig() { var c = base.GetConfig(); c["factor"] = Factor; return c; }
}

/// <summary>A layer whose config cannot be written (to make a save fail halfway).</summary>
public sealed class Unserializable : Layer
{
    public override Tensor Call(Tensor inputs, bool training) => inputs;
    public override Dictionary<string, object?> GetConfig() => throw new InvalidOperationException("config unavailable");
}

[Collection(nameof(GlobalRandomCollection))]
public class SavingTests
{
    private static Tensor Data(int rows, int cols, int seed)
    {
        var r = new Random(seed);
        return Tensor.FromArray(Enumerable.Range(0, rows * cols).Select(_ => (float)(r.NextDouble() * 2 - 1)).ToArray(), rows, cols);
    }

    private static Sequential Mlp(string? name = null) => new(new Layer[]
    {
        new Dense(16, "relu", inputShape: new[] { 8 }),
        new BatchNormalization(),
        new Dense(3, "softmax"),
    }, name);

    private static void AssertSameWeights(Model a, Model b)
    {
        Assert.Equal(a.Weights.Count, b.Weights.Count);
        for (int i = 0; i < a.Weights.Count; i++) Assert.Equal(a.Weights[i].ToArray(), b.Weights[i].ToArray());
    }

    [Fact]
    public void SequentialRoundTripsThroughKerasFile()
    {
        RandomGenerator.SetGlobalSeed(1);
        var dir = SavingTestUtil.TempDir();
        var model = Mlp("mlp");
        model.Compile(new Adam(0.01f), "categorical_crossentropy", new[] { "accuracy" });
        var x = Data(20, 8, 2);
        var y = Tensor.FromArray(Enumerable.Range(0, 60).Select(i => i % 3 == (i / 3) % 3 ? 1f : 0f).ToArray(), 20, 3);
        model.Fit(x, y, batchSize: 5, epochs: 1, verbose: 0, shuffle: false);
        var path = Path.Combine(dir, "m.keras");
        model.Save(path);

        using (var zip = ZipFile.OpenRead(path))
        {
            Assert.Equal(new[] { "config.json", "metadata.json", "model.weights.h5" }, zip.Entries.Select(e => e.FullName).OrderBy(n => n));
            using var cfg = JsonDocument.Parse(new StreamReader(zip.GetEntry("config.json")!.Open()).ReadToEnd());
            var root = cfg.RootElement;
            Assert.Equal("keras", root.GetProperty("module").GetString());
            Assert.Equal("Sequential", root.GetProperty("class_name").GetString());
            var layers = root.GetProperty("config").GetProperty("layers");
            Assert.Equal("InputLayer", layers[0].GetProperty("class_name").GetString());
            Assert.Equal("[null,8]", layers[0].GetProperty("config").GetProperty("batch_shape").GetRawText());
            Assert.Equal("GlorotUniform", layers[1].GetProperty("config").GetProperty("kernel_initializer").GetProperty("class_name").GetString());
            Assert.Equal("Adam", root.GetProperty("compile_config").GetProperty("optimizer").GetProperty("class_name").GetString());
            using var meta = JsonDocument.Parse(new StreamReader(zip.GetEntry("metadata.json")!.Open()).ReadToEnd());
            Assert.Equal(KerasIO.KerasVersion, meta.RootElement.GetProperty("keras_version").GetString());
        }

        var loaded = KerasIO.LoadModel(path);
        Assert.Equal(model.ToJson(), loaded.ToJson());
        AssertSameWeights(model, loaded);
        Assert.Equal(model.Predict(x).ToArray(), loaded.Predict(x).ToArray());
        Assert.Equal(model.Optimizer!.Iterations, loaded.Optimizer!.Iterations);
        Assert.Equal(model.Optimizer.VariablesByParameter.Select(v => v.ToArray()), loaded.Optimizer.VariablesByParameter.Select(v => v.ToArray()));
        Assert.Equal(new[] { "loss", "accuracy" }, loaded.Evaluate(x, y, verbose: 0).Keys);
    }

    [Fact]
    public void TrainingResumedFromAFileMatchesAnUninterruptedRunBitForBit()
    {
        RandomGenerator.SetGlobalSeed(7);
        var dir = SavingTestUtil.TempDir();
        var x = Data(32, 8, 3);
        var y = Tensor.FromArray(Enumerable.Range(0, 96).Select(i => i % 3 == (i / 3) % 3 ? 1f : 0f).ToArray(), 32, 3);
        var straight = Mlp();
        var start = Path.Combine(dir, "start.weights.h5");
        straight.SaveWeights(start);
        var resumed = Mlp();
        resumed.LoadWeights(start);
        AssertSameWeights(straight, resumed);

        straight.Compile(new Adam(0.01f), "categorical_crossentropy");
        straight.Fit(x, y, batchSize: 8, epochs: 4, verbose: 0, shuffle: false);

        resumed.Compile(new Adam(0.01f), "categorical_crossentropy");
        resumed.Fit(x, y, batchSize: 8, epochs: 2, verbose: 0, shuffle: false);
        var ckpt = Path.Combine(dir, "half.keras");
        resumed.Save(ckpt);
        var again = KerasIO.LoadModel(ckpt);
        again.Fit(x, y, batchSize: 8, epochs: 4, initialEpoch: 2, verbose: 0, shuffle: false);

        AssertSameWeights(straight, again);
        Assert.Equal(straight.Optimizer!.Iterations, again.Optimizer!.Iterations);
    }

    [Fact]
    public void FunctionalWithSharedMergedAndNestedLayersRoundTrips()
    {
        RandomGenerator.SetGlobalSeed(3);
        var a = new Input(new[] { 6 }, name: "a");
        var b = new Input(new[] { 6 }, name: "b");
        var shared = new Dense(4, "tanh", name: "shared");
        var inner = new Sequential(new Layer[] { new Dense(5, "relu", inputShape: new[] { 8 }), new Dense(2) }, name: "inner");
        var merged = new Concatenate(name: "concat").Apply(shared.Apply(a), shared.Apply(b));
        var sum = new Add(name: "add").Apply(shared.Apply(a), shared.Apply(b));
        var both = new Concatenate(name: "concat2").Apply(merged, new Dense(4, name: "proj").Apply(sum));
        var outp = inner.Apply(new Dense(8, name: "wide").Apply(both));
        var model = new Cortex.Keras.Models.Functional(new[] { a, b }, outp, name: "two_towers");
        var xa = Data(5, 6, 4);
        var xb = Data(5, 6, 5);
        var expected = model.Predict(new[] { xa, xb });

        var dir = SavingTestUtil.TempDir();
        var path = Path.Combine(dir, "f.keras");
        model.Save(path);
        var loaded = Assert.IsType<Cortex.Keras.Models.Functional>(KerasIO.LoadModel(path));
        Assert.Equal(model.Layers.Select(l => l.Name), loaded.Layers.Select(l => l.Name));
        Assert.Equal(expected[0].ToArray(), loaded.Predict(new[] { xa, xb })[0].ToArray());
        Assert.Equal(model.ToJson(), loaded.ToJson());

        var fromJson = KerasIO.ModelFromJson(model.ToJson());
        Assert.Equal(model.CountParams(), fromJson.CountParams());
        var weights = Path.Combine(dir, "f.weights.h5");
        model.SaveWeights(weights);
        fromJson.LoadWeights(weights);
        Assert.Equal(expected[0].ToArray(), ((Cortex.Keras.Models.Functional)fromJson).Predict(new[] { xa, xb })[0].ToArray());
    }

    [Fact]
    public void EveryBuiltInLayerRoundTripsItsConfig()
    {
        var layers = new Layer[]
        {
            new Conv2D(4, 3, padding: "same", activation: "relu"), new MaxPooling2D(), new ZeroPadding2D(((1, 2), (0, 1))),
            new Cropping2D((1, 1)), new UpSampling2D(2), new AveragePooling2D(2, 1), new BatchNormalization(momentum: 0.9f, epsilon: 1e-5f),
            new Conv2DTranspose(3, 2, strides: 2), new SpatialDropout2D(0.1f), new GaussianNoise(0.2f), new GaussianDropout(0.1f),
            new LeakyReLU(0.2f), new ELU(0.5f), new ReLU(6f), new ThresholdedReLU(0.5f), new PReLU(sharedAxes: new[] { 1, 2 }),
            new Permute(new[] { 3, 1, 2 }), new Permute(new[] { 2, 3, 1 }), new Reshape(new[] { -1, 3 }), new Conv1D(2, 3, padding: "causal"),
            new MaxPooling1D(2), new UpSampling1D(2), new ZeroPadding1D((1, 0)), new Cropping1D((1, 0)), new AveragePooling1D(2),
            new SpatialDropout1D(0.1f), new GlobalMaxPooling1D(), new Activation("sigmoid"), new Dropout(0.3f), new Softmax(),
        };
        var model = new Sequential(new[] { (Layer)new InputLayer(new[] { 8, 8, 2 }) }.Concat(layers));
        var json = model.ToJson();
        var back = KerasIO.ModelFromJson(json);
        Assert.Equal(json, back.ToJson());
        Assert.Equal(model.CountParams(), back.CountParams());
    }

    [Fact]
    public void WeightsFileUsesKeras3LayoutAndChecksEveryWeight()
    {
        var dir = SavingTestUtil.TempDir();
        var model = Mlp("m1");
        var path = Path.Combine(dir, "w.weights.h5");
        model.SaveWeights(path);
        using (var f = PureHDF.H5File.OpenRead(path))
        {
            var vars = f.Group("layers").Group("batch_normalization").Group("vars");
            Assert.Equal(new ulong[] { 16 }, vars.Dataset("2").Space.Dimensions); // moving_mean after gamma, beta
            Assert.True(f.Group("vars").AttributeExists("name"));
        }
        var wrongShape = new Sequential(new Layer[] { new Dense(15, "relu", inputShape: new[] { 8 }), new BatchNormalization(), new Dense(3) });
        var e = Assert.Throws<InvalidDataException>(() => wrongShape.LoadWeights(path));
        Assert.Contains("has shape (8, 15), but 'layers/dense/vars/0'", e.Message);
        var before = wrongShape.Weights.Select(w => w.ToArray()).ToList();
        Assert.Equal(before, wrongShape.Weights.Select(w => w.ToArray()).ToList()); // nothing assigned

        var extra = new Sequential(new Layer[] { new Dense(16, "relu", inputShape: new[] { 8 }), new BatchNormalization(), new Dense(3), new Dense(2, name: "not_saved") });
        var missing = Assert.Throws<InvalidDataException>(() => extra.LoadWeights(path));
        Assert.Contains("'not_saved'", missing.Message);
        Assert.Throws<ArgumentException>(() => model.SaveWeights(Path.Combine(dir, "w.h5")));
    }

    [Fact]
    public void FailedSaveLeavesNoPartialFileAndKeepsTheOldOne()
    {
        var dir = SavingTestUtil.TempDir();
        var path = Path.Combine(dir, "model.keras");
        var bad = new Sequential(new Layer[] { new Dense(2, inputShape: new[] { 3 }), new Unserializable() });
        Assert.Throws<InvalidOperationException>(() => bad.Save(path));
        Assert.Empty(Directory.GetFiles(dir));

        var good = Mlp();
        good.Save(path);
        var bytes = File.ReadAllBytes(path);
        Assert.Throws<InvalidOperationException>(() => bad.Save(path));
        Assert.Equal(bytes, File.ReadAllBytes(path));
        Assert.Single(Directory.GetFiles(dir));
        Assert.Throws<IOException>(() => good.Save(path, overwrite: false));
    }

    [Fact]
    public void BadFilesGiveClearErrors()
    {
        var dir = SavingTestUtil.TempDir();
        var text = Path.Combine(dir, "notes.keras");
        File.WriteAllText(text, "hello, not a model");
        var e = Assert.Throws<InvalidDataException>(() => KerasIO.LoadModel(text));
        Assert.Equal($"{text} is not a valid .keras file (zip): it does not start with a zip header.", e.Message);
        var h5 = Path.Combine(dir, "notes.h5");
        File.WriteAllText(h5, "hello, not a model");
        Assert.Contains("is not a valid .keras file (zip) / HDF5 file", Assert.Throws<InvalidDataException>(() => KerasIO.LoadModel(h5)).Message);
        Assert.Throws<FileNotFoundException>(() => KerasIO.LoadModel(Path.Combine(dir, "absent.keras")));

        var full = Path.Combine(dir, "full.keras");
        Mlp().Save(full);
        var bytes = File.ReadAllBytes(full);
        var cut = Path.Combine(dir, "cut.keras");
        File.WriteAllBytes(cut, bytes.AsSpan(0, bytes.Length / 2).ToArray());
        var t = Assert.Throws<InvalidDataException>(() => KerasIO.LoadModel(cut));
        Assert.Contains("truncated or corrupt", t.Message);
        Assert.Contains(cut, t.Message);
    }

    [Fact]
    public void CustomLayersNeedRegistration()
    {
        var model = new Sequential(new Layer[] { new Dense(2, inputShape: new[] { 3 }), new ScaleBy(2.5f, name: "scale") });
        var json = model.ToJson();
        var e = Assert.Throws<FormatException>(() => KerasIO.ModelFromJson(json));
        Assert.StartsWith("Unknown layer: 'ScaleBy'", e.Message);

        var scope = new CustomObjects().Add<ScaleBy>("ScaleBy");
        var back = KerasIO.ModelFromJson(json, scope);
        Assert.Equal(2.5f, Assert.IsType<ScaleBy>(back.Layers[1]).Factor);

        // A registered class is saved under its registered name; loading it elsewhere without registration is Keras's "Could not locate class".
        CustomObjects.Register<ScaleBy>("Tests>ScaleBy");
        var registeredJson = model.ToJson();
        Assert.Contains("\"registered_name\":\"Tests>ScaleBy\"", registeredJson);
        Assert.IsType<ScaleBy>(KerasIO.ModelFromJson(registeredJson).Layers[1]);
        var renamed = registeredJson.Replace("Tests>ScaleBy", "Other>Missing");
        var missing = Assert.Throws<FormatException>(() => KerasIO.ModelFromJson(renamed));
        Assert.StartsWith("Could not locate class 'Other>Missing'. Make sure custom classes are decorated with `@keras.saving.register_keras_serializable()`", missing.Message);
        Assert.Contains("CustomObjects.Register<T>", missing.Message);
    }

    [Fact]
    public void NpyReaderReadsNumpyHeaders()
    {
        var dir = SavingTestUtil.TempDir();
        var path = Path.Combine(dir, "a.npy");
        var header = "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3), }";
        header = header.PadRight(118 - 1) + "\n";
        using (var fs = File.Create(path))
        {
            fs.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 });
            fs.Write(System.Text.Encoding.ASCII.GetBytes(header));
            foreach (var v in new[] { 1, -2, 3, 4, 5, 600 }) fs.Write(BitConverter.GetBytes(v));
        }
        var t = Npy.Load(path);
        Assert.Equal(new[] { 2, 3 }, t.Shape.ToArray());
        Assert.Equal(new[] { 1f, -2, 3, 4, 5, 600 }, t.ToArray());
        File.WriteAllBytes(path, File.ReadAllBytes(path).AsSpan(0, 140).ToArray());
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => Npy.Load(path)).Message);
    }
}

public class RegistryCoverageTests
{
    /// <summary>Every concrete layer class in Cortex.Keras can be loaded by its Keras class name (a new layer needs its one-line registration).</summary>
    [Fact]
    public void EveryLayerClassIsRegistered()
    {
        var missing = typeof(Layer).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(Layer)) && !t.IsAbstract && t.IsPublic && !t.IsSubclassOf(typeof(Model)))
            .Select(t => t.Name)
            .Where(n => !KerasObjects.LayerClassNames.Contains(n))
            .ToList();
        Assert.True(missing.Count == 0, $"Layers without a KerasObjects registration: {string.Join(", ", missing)}");
    }
}
