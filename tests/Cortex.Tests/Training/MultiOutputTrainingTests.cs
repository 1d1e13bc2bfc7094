using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Losses;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using static Cortex.Tests.Training.TrainingTestUtil;

namespace Cortex.Tests.Training;

using Functional = Cortex.Keras.Models.Functional;

[Collection(nameof(GlobalRandomCollection))]
public class MultiOutputTrainingTests
{
    /// <summary>Two inputs (4 and 3 features) merged, two heads: "reg" (2 values) and "cls" (3-class softmax).</summary>
    private static Functional TwoByTwo()
    {
        var a = new Input(new[] { 4 }, name: "in_a");
        var b = new Input(new[] { 3 }, name: "in_b");
        var h = new Dense(5, activation: "tanh", name: "trunk").Apply(new Concatenate(name: "merge").Apply(a, b));
        var reg = new Dense(2, name: "reg").Apply(h);
        var cls = new Dense(3, activation: "softmax", name: "cls").Apply(h);
        return new Functional(new[] { a, b }, new[] { reg, cls }, name: "two_by_two");
    }

    private static (Tensor[] X, Tensor[] Y) Data(int n = 12)
    {
        var labels = new float[n * 3];
        for (int i = 0; i < n; i++) labels[i * 3 + i % 3] = 1f;
        return (new[] { Random(1, n, 4), Random(2, n, 3) }, new[] { Random(3, n, 2), Tensor.FromArray(labels, n, 3) });
    }

    [Fact]
    public void Logs_are_named_per_output_and_the_total_is_the_weighted_sum()
    {
        var model = TwoByTwo();
        model.Compile(new SGD(0.01f), new object?[] { "mse", new CategoricalCrossentropy() }, lossWeights: new[] { 1f, 0.5f },
            metrics: new IEnumerable<object>?[] { new object[] { "mae" }, new object[] { "accuracy" } });
        var (x, y) = Data();
        var h = model.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, validationData: (x, y));
        Assert.Equal(new[] { "loss", "reg_loss", "cls_loss", "reg_mae", "cls_accuracy",
            "val_loss", "val_reg_loss", "val_cls_loss", "val_reg_mae", "val_cls_accuracy" }, h.HistoryData.Keys);

        var e = model.Evaluate(x, y, batchSize: 12, verbose: 0);
        var p = ((Functional)model).Predict(x, batchSize: 12);
        float mse = new MeanSquaredError().Call(y[0], p[0]).Item();
        float cce = new CategoricalCrossentropy().Call(y[1], p[1]).Item();
        Assert.Equal(mse, e["reg_loss"], 4);
        Assert.Equal(0.5f * cce, e["cls_loss"], 4);   // Keras 3 logs each output's loss with its weight applied
        Assert.Equal(mse + 0.5f * cce, e["loss"], 4);
        Assert.Equal(e["loss"], h["val_loss"][^1], 4);   // the last validation ran on the same data and weights
    }

    [Fact]
    public void A_zero_loss_weight_leaves_that_head_untouched_and_a_dict_compile_can_skip_an_output()
    {
        var (x, y) = Data();
        var model = TwoByTwo();
        model.Compile(new SGD(0.1f), new object?[] { "mse", "categorical_crossentropy" }, lossWeights: new[] { 1f, 0f });
        var cls = Snapshot(model.GetLayer("cls").Weights);
        var reg = Snapshot(model.GetLayer("reg").Weights);
        model.Fit(x, y, batchSize: 6, epochs: 1, verbose: 0);
        Assert.Equal(cls, Snapshot(model.GetLayer("cls").Weights));
        Assert.NotEqual(reg, Snapshot(model.GetLayer("reg").Weights));

        var byName = TwoByTwo();
        byName.Compile(new SGD(0.1f), new Dictionary<string, object> { ["cls"] = "categorical_crossentropy" },
            metrics: new Dictionary<string, IEnumerable<object>> { ["reg"] = new object[] { "mse" } });
        var regBefore = Snapshot(byName.GetLayer("reg").Weights);
        var h = byName.Fit(x, y, batchSize: 6, epochs: 1, verbose: 0);
        Assert.Equal(regBefore, Snapshot(byName.GetLayer("reg").Weights));
        Assert.Equal(new[] { "loss", "cls_loss", "reg_mse" }, h.HistoryData.Keys);
    }

    [Fact]
    public void Dict_fit_equals_list_fit_and_bad_names_are_reported()
    {
        var (x, y) = Data();
        var a = TwoByTwo(); var b = TwoByTwo();
        CopyWeights(a, b);
        a.Compile(new SGD(0.05f), new object?[] { "mse", "categorical_crossentropy" });
        b.Compile(new SGD(0.05f), new object?[] { "mse", "categorical_crossentropy" });
        a.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, shuffle: false);
        b.Fit(new Dictionary<string, Tensor> { ["in_b"] = x[1], ["in_a"] = x[0] }, new Dictionary<string, Tensor> { ["cls"] = y[1], ["reg"] = y[0] },
            batchSize: 4, epochs: 2, verbose: 0, shuffle: false);
        AssertWeightsClose(a, b);

        var ex = Assert.Throws<ArgumentException>(() => b.Fit(new Dictionary<string, Tensor> { ["in_c"] = x[0], ["in_a"] = x[0] }, new Dictionary<string, Tensor> { ["cls"] = y[1], ["reg"] = y[0] }, verbose: 0));
        Assert.Contains("'in_c' does not correspond to any model input", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => b.Compile(new SGD(), new Dictionary<string, object> { ["clss"] = "mse" }));
        Assert.Contains("key 'clss' does not correspond to any model output", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => b.Compile(new SGD(), new object?[] { "mse", "mse", "mse" }));
        Assert.Contains("as many entries as the model has outputs", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => b.Compile(new SGD(), new MeanSquaredError(), new object[] { new Cortex.Keras.Metrics.MeanAbsoluteError() }));
        Assert.Contains("given for several outputs ([reg, cls])", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => b.Fit(x, new[] { y[0] }, verbose: 0));
        Assert.Contains("has 2 output(s)", ex.Message);
    }

    [Fact]
    public void Single_output_paths_keep_their_log_names()
    {
        var model = new Sequential(new Dense(3, activation: "softmax", inputShape: new[] { 4 }));
        model.Compile(new SGD(0.1f), "categorical_crossentropy", new[] { "accuracy" });
        var (x, y) = Data();
        var h = model.Fit(x[0], y[1], batchSize: 4, verbose: 0, validationSplit: 0.25f);
        Assert.Equal(new[] { "loss", "accuracy", "val_loss", "val_accuracy" }, h.HistoryData.Keys);
        Assert.Same(model.Loss, model.OutputLosses[0]);
    }
}
