using Cortex.Keras.Callbacks;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Saving;

namespace Cortex.Examples;

/// <summary>
/// Save, reload, continue: an MNIST MLP (784-128-10, Adam) trained for N epochs straight, and again as N/2 epochs,
/// <c>model.Save("mlp.keras")</c>, <c>KerasIO.LoadModel</c>, N/2 more epochs. The two runs end with the same weights
/// bit for bit (shuffle off, no dropout), because the .keras file carries the optimizer's iteration count and slots.
/// Also shows ModelCheckpoint with save_best_only and a file-name template.
/// </summary>
internal static class SaveResume
{
    public static int Run(ExampleOptions o)
    {
        var data = MnistSet.Load(o.Data);
        int epochs = Math.Max(2, o.Epochs ?? 4), half = epochs / 2;
        var dir = Path.Combine(Path.GetTempPath(), "cortex-save-resume");
        Directory.CreateDirectory(dir);

        Sequential Build()
        {
            var m = new Sequential(new Dense(128, "relu", inputShape: new[] { 784 }), new Dense(10, "softmax"));
            m.Compile(new Adam(), "categorical_crossentropy", new[] { "accuracy" });
            return m;
        }
        RandomGenerator.SetGlobalSeed(o.Seed);
        var straight = Build();
        var init = Path.Combine(dir, "init.weights.h5");
        straight.SaveWeights(init);
        var best = new ModelCheckpoint(Path.Combine(dir, "best-{epoch:02d}-{val_loss:.4f}.keras"), saveBestOnly: true, verbose: 1);
        straight.Fit(data.XTrain, data.YTrain, batchSize: 128, epochs: epochs, verbose: 2, shuffle: false,
            validationData: (data.XTest, data.YTest), callbacks: new[] { best });

        var first = Build();
        first.LoadWeights(init);
        first.Fit(data.XTrain, data.YTrain, batchSize: 128, epochs: half, verbose: 2, shuffle: false);
        var path = Path.Combine(dir, "half.keras");
        first.Save(path);
        Console.WriteLine($"saved {path} ({new FileInfo(path).Length:N0} bytes) after {half} epochs; reloading");
        var resumed = KerasIO.LoadModel(path);
        resumed.Fit(data.XTrain, data.YTrain, batchSize: 128, epochs: epochs, initialEpoch: half, verbose: 2, shuffle: false);

        int differing = 0;
        for (int i = 0; i < straight.Weights.Count; i++)
            differing += straight.Weights[i].ToArray().Zip(resumed.Weights[i].ToArray()).Count(p => p.First != p.Second);
        var a = straight.Evaluate(data.XTest, data.YTest, verbose: 0);
        var b = resumed.Evaluate(data.XTest, data.YTest, verbose: 0);
        Console.WriteLine($"straight {epochs} epochs: test accuracy {a["accuracy"]:P2}; saved+resumed: {b["accuracy"]:P2}; differing weights: {differing}");
        Console.WriteLine($"best checkpoints: {string.Join(", ", best.SavedPaths.Select(Path.GetFileName))}");
        return differing == 0 ? 0 : 1;
    }
}
