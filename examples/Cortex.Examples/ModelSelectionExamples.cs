using System.Diagnostics;
using Cortex.Keras.Datasets;
using Cortex.Keras.Layers;
using Cortex.Keras.ModelSelection;
using Cortex.Keras.Models;
using Cortex.Keras.Preprocessing.Scalers;
using Cortex.Keras.Wrappers;
using CortexPlots = Cortex.Plots.Plots;

namespace Cortex.Examples;

/// <summary>
/// "Deep Learning: From Basics to Practice" ch.23–24, scikit-learn with Keras: 10-fold cross-validation of a small
/// dense classifier with and without a StandardScaler (<c>cross_validation</c>), and a grid search over the number of
/// layers, neurons per layer and optimizer (<c>grid_search</c>). Data: scikit-learn's breast cancer set (569 × 30),
/// shipped in data/sklearn-sample (the book's exact dataset is not stated in our sources; see docs/examples.md).
/// </summary>
internal static class ModelSelectionExamples
{
    /// <summary>The dense classifier: <c>layers</c> hidden ReLU layers of <c>neurons</c> units, a sigmoid output.</summary>
    private static Model Build(IReadOnlyDictionary<string, object?> p)
    {
        var m = new Sequential();
        for (int i = 0; i < (int)p["layers"]!; i++) m.Add(new Dense((int)p["neurons"]!, "relu"));
        m.Add(new Dense(1, "sigmoid"));
        m.Compile((string)p["optimizer"]!, "binary_crossentropy", new[] { "accuracy" });
        return m;
    }

    private static KerasClassifier Classifier(ExampleOptions o, int epochs) => new(Build, epochs: o.Epochs ?? epochs, batchSize: 16, seed: o.Seed,
        buildParams: new Dictionary<string, object?> { ["layers"] = 1, ["neurons"] = 16, ["optimizer"] = "adam" });

    private static string OutDir(string name)
    {
        string dir = Path.Combine("cortex-plots", name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static int CrossValidationRun(ExampleOptions o)
    {
        var ds = SklearnDatasets.LoadBreastCancer(o.Data);
        Console.WriteLine(ds);
        var cv = new StratifiedKFold(10, shuffle: true, randomState: o.Seed);
        foreach (var (label, est) in new (string, IEstimator)[]
                 {
                     ("without scaling", Classifier(o, 20)),
                     ("StandardScaler in the pipeline", new Pipeline(("scaler", new StandardScaler()), ("model", Classifier(o, 20)))),
                 })
        {
            var sw = Stopwatch.StartNew();
            var scores = CrossValidation.CrossValScore(est, ds.Data, ds.Target, cv);
            Console.WriteLine($"{label}: 10-fold accuracies {string.Join(" ", scores.Select(s => s.ToString("0.000")))}");
            Console.WriteLine($"  mean {scores.Average():0.0000}  std {CvResultStd(scores):0.0000}  ({sw.Elapsed.TotalSeconds:0.0} s)");
        }

        // One held-out split for the figures: history with validation, and the confusion matrix.
        var (xTr, xTe, yTr, yTe) = CrossValidation.TrainTestSplit(ds.Data, ds.Target, 0.25, randomState: o.Seed, stratify: ds.Target);
        var scaler = new StandardScaler();
        var xTrS = scaler.FitTransform(xTr);
        var xTeS = scaler.Transform(xTe);
        Cortex.RandomGenerator.SetGlobalSeed(o.Seed);
        var model = Build(new Dictionary<string, object?> { ["layers"] = 1, ["neurons"] = 16, ["optimizer"] = "adam" });
        var history = model.Fit(xTrS, Ops.Reshape(yTr, yTr.Shape[0], 1), batchSize: 16, epochs: o.Epochs ?? 20, verbose: 0, validationData: (xTeS, Ops.Reshape(yTe, yTe.Shape[0], 1)));
        var pred = Tensor.FromArray(model.Predict(xTeS).ToArray().Select(p => p > 0.5f ? 1f : 0f).ToArray(), yTe.Shape[0]);
        string dir = OutDir("cross_validation");
        CortexPlots.PlotHistory(Path.Combine(dir, "history.png"), history, "breast cancer, 30-16-1");
        CortexPlots.PlotConfusionMatrix(Path.Combine(dir, "confusion_matrix.png"), yTe, pred, ds.TargetNames, "breast cancer, held-out 25%");
        Console.WriteLine($"held-out accuracy {Scoring.AccuracyScore(yTe.ToArray(), pred.ToArray()):0.0000}; figures in {Path.GetFullPath(dir)}");
        return 0;
    }

    public static int GridSearchRun(ExampleOptions o)
    {
        var ds = SklearnDatasets.LoadBreastCancer(o.Data);
        Console.WriteLine(ds);
        var grid = new Dictionary<string, IEnumerable<object?>>
        {
            ["model__layers"] = new object?[] { 1, 2, 3 },
            ["model__neurons"] = new object?[] { 8, 16, 32 },
            ["model__optimizer"] = new object?[] { "sgd", "adam" },
        };
        var pipe = new Pipeline(("scaler", new StandardScaler()), ("model", Classifier(o, 10)));
        var sw = Stopwatch.StartNew();
        var search = new GridSearchCV(pipe, grid, new StratifiedKFold(5, shuffle: true, randomState: o.Seed), verbose: 1);
        search.Fit(ds.Data, ds.Target);
        Console.WriteLine();
        Console.Write(search.CvResults);
        Console.WriteLine($"best: {Parameters.Format(search.BestParams)}  mean accuracy {search.BestScore:0.0000}  ({sw.Elapsed.TotalSeconds:0} s for {search.CvResults.Count} candidates × 5 folds + refit)");
        return 0;
    }

    private static double CvResultStd(double[] v)
    {
        double m = v.Average();
        return Math.Sqrt(v.Sum(x => (x - m) * (x - m)) / v.Length);
    }
}
