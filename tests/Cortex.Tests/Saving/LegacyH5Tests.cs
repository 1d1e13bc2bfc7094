using PureHDF;
using Cortex.Keras.Models;
using Cortex.Keras.Saving;

namespace Cortex.Tests.Saving;

/// <summary>
/// A Keras 2 HDF5 file written here with PureHDF from Keras 2's documented layout (root attributes model_config,
/// keras_version, backend; model_weights with layer_names and per-layer weight_names), loaded back and checked
/// against the math computed by hand.
/// </summary>
[Collection(nameof(GlobalRandomCollection))] // the converter test registers a process-wide converter
public class LegacyH5Tests
{
    private const string Config = """
    {"class_name": "Model", "config": {"name": "model_1", "layers": [
      {"name": "input_1", "class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "dtype": "float32", "sparse": false, "name": "input_1"}, "inbound_nodes": []},
      {"name": "dense_1", "class_name": "Dense", "config": {"name": "dense_1", "trainable": true, "units": 2, "activation": "relu", "use_bias": true,
        "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg", "distribution": "uniform", "seed": null}},
        "bias_initializer": {"class_name": "Zeros", "config": {}}, "kernel_regularizer": null}, "inbound_nodes": [[["input_1", 0, 0, {}]]]},
      {"name": "dense_2", "class_name": "Dense", "config": {"name": "dense_2", "trainable": true, "units": 2, "activation": "linear", "use_bias": false,
        "kernel_initializer": "glorot_uniform"}, "inbound_nodes": [[["input_1", 0, 0, {}]]]},
      {"name": "concatenate_1", "class_name": "Concatenate", "config": {"name": "concatenate_1", "trainable": true, "axis": -1},
        "inbound_nodes": [[["dense_1", 0, 0, {}], ["dense_2", 0, 0, {}]]]},
      {"name": "out", "class_name": "Dense", "config": {"name": "out", "units": 1, "activation": "sigmoid", "use_bias": true}, "inbound_nodes": [[["concatenate_1", 0, 0, {}]]]}
    ], "input_layers": [["input_1", 0, 0]], "output_layers": [["out", 0, 0]]}}
    """;

    private static readonly float[] K1 = { 0.5f, -1f, 0.25f, 0.75f, -0.5f, 1f }, B1 = { 0.1f, -0.2f };
    private static readonly float[] K2 = { 1f, 0f, 0f, 1f, 1f, -1f };
    private static readonly float[] K3 = { 0.3f, -0.6f, 0.9f, 0.2f }, B3 = { -0.05f };

    private static H5Group LayerGroup(string name, params (string Weight, float[] Data, ulong[] Dims)[] weights)
    {
        var inner = new H5Group();
        foreach (var (w, d, dims) in weights) inner[w] = new H5Dataset(d, fileDims: dims);
        var g = new H5Group();
        if (weights.Length > 0) g[name] = inner;
        g.Attributes = new Dictionary<string, object>
        {
            ["weight_names"] = weights.Length > 0 ? weights.Select(w => $"{name}/{w.Weight}").ToArray() : (object)Array.Empty<double>(),
        };
        return g;
    }

    private static string WriteFile(string dir)
    {
        var weights = new H5Group
        {
            ["input_1"] = LayerGroup("input_1"),
            ["dense_1"] = LayerGroup("dense_1", ("kernel:0", K1, new ulong[] { 3, 2 }), ("bias:0", B1, new ulong[] { 2 })),
            ["dense_2"] = LayerGroup("dense_2", ("kernel:0", K2, new ulong[] { 3, 2 })),
            ["concatenate_1"] = LayerGroup("concatenate_1"),
            ["out"] = LayerGroup("out", ("kernel:0", K3, new ulong[] { 4, 1 }), ("bias:0", B3, new ulong[] { 1 })),
        };
        weights.Attributes = new Dictionary<string, object>
        {
            ["layer_names"] = new[] { "input_1", "dense_1", "dense_2", "concatenate_1", "out" },
            ["backend"] = "tensorflow",
            ["keras_version"] = "2.3.1",
        };
        var file = new H5File { ["model_weights"] = weights };
        file.Attributes = new Dictionary<string, object>
        {
            ["model_config"] = Config,
            ["keras_version"] = "2.3.1",
            ["backend"] = "tensorflow",
            ["training_config"] = """{"optimizer_config": {"class_name": "SGD", "config": {"lr": 0.05, "momentum": 0.9, "decay": 0.0, "nesterov": true}}, "loss": "binary_crossentropy", "metrics": ["accuracy"]}""",
        };
        var path = Path.Combine(dir, "legacy.h5");
        file.Write(path);
        return path;
    }

    private static float Expected(float[] x)
    {
        var h = new float[4];
        for (int j = 0; j < 2; j++)
        {
            float a = B1[j], b = 0f;
            for (int i = 0; i < 3; i++) { a += x[i] * K1[i * 2 + j]; b += x[i] * K2[i * 2 + j]; }
            h[j] = MathF.Max(a, 0f);
            h[2 + j] = b;
        }
        float z = B3[0];
        for (int k = 0; k < 4; k++) z += h[k] * K3[k];
        return 1f / (1f + MathF.Exp(-z));
    }

    [Fact]
    public void Keras2FunctionalFileLoadsWithWeightsAndTrainingConfig()
    {
        var dir = SavingTestUtil.TempDir();
        var path = WriteFile(dir);
        var model = Assert.IsType<Cortex.Keras.Models.Functional>(KerasIO.LoadModel(path));
        Assert.Equal(new[] { "input_1", "dense_1", "dense_2", "concatenate_1", "out" }, model.Layers.Select(l => l.Name));
        var rows = new[] { new[] { 1f, 2f, -1f }, new[] { -0.5f, 0.25f, 3f } };
        var y = model.Predict(Tensor.FromArray(rows.SelectMany(r => r).ToArray(), 2, 3)).ToArray();
        for (int i = 0; i < rows.Length; i++) Assert.Equal(Expected(rows[i]), y[i], 5);
        var sgd = Assert.IsType<Cortex.Keras.Optimizers.SGD>(model.Optimizer);
        Assert.Equal(0.05f, sgd.LearningRate);
        Assert.True(sgd.Nesterov);
        Assert.Equal("binary_crossentropy", model.Loss!.Name);

        // The same weights load into a freshly built copy, matched by order as Keras 2 does.
        var copy = KerasIO.ModelFromJson(model.ToJson());
        copy.LoadWeights(path);
        Assert.Equal(y, copy.Predict(Tensor.FromArray(rows.SelectMany(r => r).ToArray(), 2, 3)).ToArray());
    }

    [Fact]
    public void LegacyConverterHookTransformsStoredWeights()
    {
        var dir = SavingTestUtil.TempDir();
        var path = WriteFile(dir);
        // A converter registered for a class replaces the stored arrays (recurrent layers use this for gate order).
        var seen = new List<string>();
        WeightsIO.RegisterLegacyConverter("Dense", (layer, w) =>
        {
            seen.Add(layer.Name + ":" + string.Join(",", w.Select(x => x.Name)));
            return w.Select(x => layer.Name == "out" && x.Name.Contains("kernel") ? new float[x.Values.Length] : x.Values).ToList();
        });
        try
        {
            var model = KerasIO.LoadModel(path);
            Assert.Equal(new[] { "dense_1:dense_1/kernel:0,dense_1/bias:0", "dense_2:dense_2/kernel:0", "out:out/kernel:0,out/bias:0" }, seen);
            var y = model.Predict(Tensor.FromArray(new[] { 1f, 2f, 3f }, 1, 3)).ToArray();
            Assert.Equal(1f / (1f + MathF.Exp(-B3[0])), y[0], 6);
        }
        finally { WeightsIO.RegisterLegacyConverter("Dense", null); }
    }
}
