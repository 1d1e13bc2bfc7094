using System.Text.Json;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Saving;

namespace Cortex.Tests.Saving;

/// <summary>
/// The real files saved by Keras in shared/models/keras (skipped when shared/ is absent): each loads and reproduces
/// the outputs that tests/reference/keras_files_reference.py computes from the stored weights with h5py and torch.
/// </summary>
[Collection(nameof(GlobalRandomCollection))] // legacy loads see the process-wide converters
public class RealKerasFilesTests
{
    private static ReferenceFixture.TensorData Expected(string name)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "keras_files_reference.json")));
        var e = doc.RootElement.GetProperty(name);
        return new ReferenceFixture.TensorData(e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
            e.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray());
    }

    /// <summary>
    /// Predicts on the file's stored input (<c>NAME.input.npy</c>) and checks the result against the reference
    /// <c>NAME</c>; returns the prediction.
    /// </summary>
    private static Tensor PredictMatchesReference(Model model, string dir, string name, double atol = 1e-4, double rtol = 1e-4)
    {
        var y = model.Predict(SavingTestUtil.LoadNpy(dir, $"{name}.input.npy"));
        ReferenceFixture.AssertClose(Expected(name), y, name, atol, rtol);
        return y;
    }

    [Fact]
    public void Keras3CnnReproducesReferenceAndRestoresCompileState()
    {
        var dir = SavingTestUtil.KerasModels;
        if (dir is null) return;
        var model = KerasIO.LoadModel(Path.Combine(dir, "mnist_cnn_k3.keras"));
        Assert.IsType<Sequential>(model);
        Assert.Equal(new[] { "conv2d", "max_pooling2d", "conv2d_1", "max_pooling2d_1", "flatten", "dropout", "dense", "dense_1" }, model.Layers.Select(l => l.Name));
        PredictMatchesReference(model, dir, "mnist_cnn_k3", atol: 2e-5, rtol: 1e-4);
        var adam = Assert.IsType<Adam>(model.Optimizer);
        Assert.True(adam.Iterations > 0);
        Assert.Equal(0.001f, adam.LearningRate, 6);
        Assert.Equal("sparse_categorical_crossentropy", model.Loss!.Name);
        Assert.Contains(adam.Variables, v => v.ToArray().Any(a => a != 0f)); // the moments came from the file
    }

    [Fact]
    public void LegacyCnnReproducesReferenceAndClassifiesTheDigits()
    {
        var dir = SavingTestUtil.KerasModels;
        if (dir is null) return;
        var model = KerasIO.LoadModel(Path.Combine(dir, "mnist_cnn.h5"));
        var y = PredictMatchesReference(model, dir, "mnist_cnn", atol: 2e-5, rtol: 1e-4);
        var labels = SavingTestUtil.LoadNpy(dir, "mnist_cnn.labels.npy").ToArray();
        var p = y.ToArray();
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
        {
            var row = p.AsSpan(i * 10, 10);
            int arg = 0;
            for (int k = 1; k < 10; k++) if (row[k] > row[arg]) arg = k;
            int label = labels.Length == y.Shape[0] ? (int)labels[i] : -1;
            if (arg == label) correct++;
        }
        Assert.True(correct >= 30, $"{correct}/32 digits right");
        Assert.IsType<RMSprop>(model.Optimizer);
        Assert.Equal("categorical_crossentropy", model.Loss!.Name);
    }

    [Fact]
    public void LegacyBatchNormMlpReproducesReference()
    {
        var dir = SavingTestUtil.KerasModels;
        if (dir is null) return;
        var model = KerasIO.LoadModel(Path.Combine(dir, "crin_mlp.h5"));
        PredictMatchesReference(model, dir, "crin_mlp");
        Assert.IsType<Nadam>(model.Optimizer);
    }

    [Fact]
    public void LegacySentimentLstmReproducesReference()
    {
        var dir = SavingTestUtil.KerasModels;
        if (dir is null) return;
        var model = KerasIO.LoadModel(Path.Combine(dir, "sentiment_lstm.h5"));
        var lstm = Assert.IsType<Cortex.Keras.Layers.LSTM>(model.Layers[1]);
        Assert.Equal(196, lstm.Units);
        // float32 through 28 recurrent steps of 196 units against float64: 1.3e-7 measured; 1e-4 as the other files.
        PredictMatchesReference(model, dir, "sentiment_lstm");
    }

    [Fact]
    public void LegacyImdbGruUsesKeras2HardSigmoidAndResetBefore()
    {
        var dir = SavingTestUtil.KerasModels;
        if (dir is null) return;
        var model = KerasIO.LoadModel(Path.Combine(dir, "imdb_gru.h5"));
        var gru = Assert.IsType<Cortex.Keras.Layers.GRU>(model.Layers[1]);
        Assert.Equal("hard_sigmoid_keras2", gru.RecurrentActivationName);
        Assert.False(gru.ResetAfter);
        // 300 recurrent steps in float32 against float64: 4.2e-7 measured.
        PredictMatchesReference(model, dir, "imdb_gru");
    }

    [Fact]
    public void LegacyWideAndDeepReproducesReference()
    {
        var dir = SavingTestUtil.KerasModels;
        if (dir is null) return;
        var model = Assert.IsType<Cortex.Keras.Models.Functional>(KerasIO.LoadModel(Path.Combine(dir, "wide_and_deep.h5")));
        var inputs = Enumerable.Range(0, 10).Select(i => SavingTestUtil.LoadNpy(dir, $"wide_and_deep.input.{i}.npy")).ToArray();
        var y = model.Predict(inputs)[0];
        ReferenceFixture.AssertClose(Expected("wide_and_deep"), y, "wide_and_deep", atol: 1e-4, rtol: 1e-4);
    }
}
