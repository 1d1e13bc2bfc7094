using Cortex.Keras.Datasets;
using Cortex.Keras.Layers;
using Cortex.Keras.ModelSelection;
using Cortex.Keras.Models;
using Cortex.Keras.Preprocessing.Scalers;
using Cortex.Keras.Wrappers;

namespace Cortex.Tests.ModelSelection;

[Collection(nameof(GlobalRandomCollection))]
public class WrapperSearchTests
{
    private static Model BuildIris(IReadOnlyDictionary<string, object?> p)
    {
        var m = new Sequential();
        for (int i = 0; i < (int)p["layers"]!; i++) m.Add(new Dense((int)p["units"]!, "relu"));
        m.Add(new Dense(3, "softmax"));
        m.Compile((string)p["optimizer"]!, (string)p["loss"]!, new[] { "accuracy" });
        return m;
    }

    private static KerasClassifier Iris(string loss = "categorical_crossentropy", int epochs = 30) => new(BuildIris, epochs: epochs, batchSize: 16, seed: 1,
        buildParams: new Dictionary<string, object?> { ["layers"] = 1, ["units"] = 8, ["optimizer"] = "adam", ["loss"] = loss });

    [Fact]
    public void Classifier_learns_iris_with_categorical_or_sparse_loss_and_repeats_from_its_seed()
    {
        var iris = SklearnDatasets.LoadIris();
        var x = new StandardScaler().FitTransform(iris.Data);
        foreach (var loss in new[] { "categorical_crossentropy", "sparse_categorical_crossentropy" })
        {
            var clf = Iris(loss, epochs: 60);
            clf.Fit(x, iris.Target);
            Assert.Equal(new float[] { 0, 1, 2 }, clf.Classes);
            double acc = clf.Score(x, iris.Target);
            Assert.True(acc > 0.8, $"{loss}: accuracy {acc}");
            var proba = clf.PredictProba(x);
            Assert.Equal(new[] { 150, 3 }, proba.Shape.ToArray());
            Assert.Equal(1f, proba.ToArray()[..3].Sum(), 4);
            var again = Iris(loss, epochs: 60);
            again.Fit(x, iris.Target);
            Assert.Equal(proba.ToArray(), again.PredictProba(x).ToArray());
        }
    }

    [Fact]
    public void Classifier_keeps_the_label_values_and_handles_a_sigmoid_output()
    {
        // labels 5 and 7 with a one-unit sigmoid output: trained on 0/1, predicted back as 5/7.
        var cancer = SklearnDatasets.LoadBreastCancer();
        var x = new StandardScaler().FitTransform(cancer.Data);
        var y = Tensor.FromArray(cancer.Target.ToArray().Select(v => v == 0 ? 5f : 7f).ToArray(), 569);
        var clf = new KerasClassifier(_ =>
        {
            var m = new Sequential(new Dense(1, "sigmoid"));
            m.Compile("adam", "binary_crossentropy");
            return m;
        }, epochs: 20, seed: 3);
        clf.Fit(x, y);
        Assert.Equal(new float[] { 5, 7 }, clf.Classes);
        var pred = clf.Predict(x).ToArray();
        Assert.All(pred, v => Assert.True(v is 5f or 7f));
        Assert.True(clf.Score(x, y) > 0.9, $"accuracy {clf.Score(x, y)}");
        var p = clf.PredictProba(x).ToArray();
        Assert.Equal(1f, p[0] + p[1], 5);
    }

    [Fact]
    public void Regressor_scores_r2()
    {
        var d = SklearnDatasets.LoadDiabetes();
        var reg = new KerasRegressor(_ =>
        {
            var m = new Sequential(new Dense(16, "relu"), new Dense(1));
            m.Compile(new Cortex.Keras.Optimizers.Adam(0.05f), "mse");
            return m;
        }, epochs: 40, batchSize: 32, seed: 2);
        reg.Fit(d.Data, d.Target);
        Assert.Equal(new[] { 442 }, reg.Predict(d.Data).Shape.ToArray());
        double r2 = reg.Score(d.Data, d.Target);
        Assert.InRange(r2, 0.3, 1.0);
        Assert.Equal(Scoring.R2Score(d.Target, reg.Predict(d.Data)), r2);
    }

    [Fact]
    public void Params_clone_and_unknown_names()
    {
        var clf = Iris();
        var p = clf.GetParams();
        Assert.Equal(new[] { "batch_size", "epochs", "layers", "loss", "optimizer", "seed", "shuffle", "units", "verbose" }, p.Keys.Order().ToArray());
        clf.SetParams(new Dictionary<string, object?> { ["epochs"] = 3.0, ["units"] = 4 });
        Assert.Equal(3, clf.Epochs);
        var c = (KerasClassifier)clf.Clone();
        Assert.Equal(clf.GetParams(), c.GetParams());
        Assert.False(c.IsFitted);
        var e = Assert.Throws<ArgumentException>(() => clf.SetParams(new Dictionary<string, object?> { ["neurons"] = 4 }));
        Assert.Contains("Invalid parameter 'neurons' for estimator KerasClassifier. Valid parameters are: ['batch_size', 'epochs', 'layers', 'loss', 'optimizer', 'seed', 'shuffle', 'units', 'verbose']", e.Message);
        Assert.Contains("must be an integer. Received: epochs=2.5", Assert.Throws<ArgumentException>(() => clf.SetParams(new Dictionary<string, object?> { ["epochs"] = 2.5 })).Message);
        var missing = new KerasClassifier(q => BuildIris(q), buildParams: new Dictionary<string, object?> { ["layers"] = 1 });
        var ke = Assert.Throws<KeyNotFoundException>(() => missing.Fit(Tensor.Zeros(3, 4), Tensor.Zeros(3)));
        Assert.Contains("asked for parameter 'units'", ke.Message);
        Assert.Contains("not fitted yet", Assert.Throws<InvalidOperationException>(() => Iris().Predict(Tensor.Zeros(1, 4))).Message);
        var uncompiled = new KerasClassifier(_ => new Sequential(new Dense(2)));
        Assert.Contains("not compiled", Assert.Throws<InvalidOperationException>(() => uncompiled.Fit(Tensor.Zeros(2, 2), Tensor.Zeros(2))).Message);
    }

    /// <summary>Records the training rows it is fitted on (the pipeline's scaled data) and scores by their mean.</summary>
    private sealed class ProbeEstimator : IEstimator
    {
        public static readonly List<float[]> SeenMeans = new();
        public IEstimator Fit(Tensor x, Tensor y)
        {
            int f = x.Shape[1];
            var v = x.ToArray();
            SeenMeans.Add(Enumerable.Range(0, f).Select(j => Enumerable.Range(0, x.Shape[0]).Average(i => v[i * f + j])).Select(m => (float)m).ToArray());
            return this;
        }
        public Tensor Predict(Tensor x) => x;
        public double Score(Tensor x, Tensor y) => x.ToArray().Average();
        public IReadOnlyDictionary<string, object?> GetParams() => new Dictionary<string, object?>();
        public void SetParams(IReadOnlyDictionary<string, object?> parameters) { }
        public IEstimator Clone() => new ProbeEstimator();
    }

    [Fact]
    public void Pipeline_fits_the_scaler_on_each_folds_training_rows_only()
    {
        ProbeEstimator.SeenMeans.Clear();
        var x = Tensor.FromArray(Enumerable.Range(0, 12).Select(i => (float)(i * i)).ToArray(), 12, 1);
        var y = Tensor.Zeros(12);
        var pipe = new Pipeline(("scaler", new StandardScaler()), ("probe", new ProbeEstimator()));
        var scores = CrossValidation.CrossValScore(pipe, x, y, new KFold(3));
        Assert.Equal(3, scores.Length);
        Assert.All(ProbeEstimator.SeenMeans, m => Assert.Equal(0f, m[0], 5)); // standardized on exactly the rows it was fitted on
        Assert.All(scores, s => Assert.NotEqual(0.0, s, 3));                    // test rows use the training statistics
        Assert.False(((StandardScaler)pipe["scaler"]).IsFitted);                // the folds fit clones
        Assert.Equal(new[] { "scaler__with_mean", "scaler__with_std" }, pipe.GetParams().Keys.Order().ToArray());
        pipe.SetParams(new Dictionary<string, object?> { ["scaler__with_mean"] = false });
        Assert.False(((StandardScaler)pipe["scaler"]).WithMean);
        Assert.Contains("Invalid parameter 'scaler__mean' for estimator Pipeline",
            Assert.Throws<ArgumentException>(() => pipe.SetParams(new Dictionary<string, object?> { ["scaler__mean"] = false })).Message);
        Assert.Contains("All intermediate steps should be transformers", Assert.Throws<ArgumentException>(() => new Pipeline(("a", new ProbeEstimator()), ("b", new ProbeEstimator()))).Message);
    }

    [Fact]
    public void GridSearch_repeats_to_the_last_digit_and_ranks_the_table()
    {
        var iris = SklearnDatasets.LoadIris();
        var grid = new Dictionary<string, IEnumerable<object?>> { ["model__units"] = new object?[] { 2, 8 }, ["model__optimizer"] = new object?[] { "sgd", "adam" } };
        GridSearchCV Run() => new GridSearchCV(new Pipeline(("scaler", new StandardScaler()), ("model", Iris(epochs: 8))), grid, cv: 3).Fit(iris.Data, iris.Target) as GridSearchCV ?? throw new InvalidOperationException();
        var a = Run();
        var b = Run();
        Assert.Equal(4, a.CvResults.Count);
        Assert.Equal(a.CvResults.Select(r => r.SplitTestScores.ToArray()), b.CvResults.Select(r => r.SplitTestScores.ToArray()));
        Assert.Equal(a.BestScore, b.BestScore);
        Assert.Equal(a.CvResults.Max(r => r.MeanTestScore), a.BestScore);
        Assert.Equal(1, a.CvResults[a.BestIndex].Rank);
        Assert.Equal(new[] { 1, 2, 3, 4 }.Length, a.CvResults.Select(r => r.Rank).Count());
        Assert.Equal("adam", a.CvResults[2].Params["model__optimizer"]); // sklearn order: optimizer 'adam' before 'sgd', units fastest
        Assert.True(a.BestEstimator.Score(iris.Data, iris.Target) > 0.3);
        string table = a.CvResults.ToString();
        Assert.Contains("param_model__optimizer", table);
        Assert.Contains("rank_test_score", table);
        Assert.Contains("'adam'", table);
    }

    [Fact]
    public void Searches_reject_unknown_parameters_before_fitting()
    {
        var iris = SklearnDatasets.LoadIris();
        var grid = new Dictionary<string, IEnumerable<object?>> { ["neurons"] = new object?[] { 2, 8 } };
        var e = Assert.Throws<ArgumentException>(() => new GridSearchCV(Iris(), grid, cv: 3).Fit(iris.Data, iris.Target));
        Assert.Contains("Invalid parameter 'neurons' for estimator KerasClassifier. Valid parameters are: ['batch_size', 'epochs', 'layers'", e.Message);
        var rs = new RandomizedSearchCV(Iris(), new Dictionary<string, object> { ["unitz"] = Distributions.RandInt(2, 9) }, nIter: 2, cv: 3);
        Assert.Contains("Invalid parameter 'unitz'", Assert.Throws<ArgumentException>(() => rs.Fit(iris.Data, iris.Target)).Message);
    }

    [Fact]
    public void RandomizedSearch_draws_repeatably_from_its_seed()
    {
        var iris = SklearnDatasets.LoadIris();
        var dist = new Dictionary<string, object> { ["units"] = Distributions.RandInt(2, 9), ["optimizer"] = new[] { "adam", "rmsprop" } };
        RandomizedSearchCV Run() => (RandomizedSearchCV)new RandomizedSearchCV(Iris(epochs: 3), dist, nIter: 3, cv: 2, randomState: 5, refit: false).Fit(iris.Data, iris.Target);
        var a = Run();
        var b = Run();
        Assert.Equal(3, a.CvResults.Count);
        Assert.Equal(a.CvResults.Select(r => Parameters.Format(r.Params)), b.CvResults.Select(r => Parameters.Format(r.Params)));
        Assert.Equal(a.CvResults.Select(r => r.MeanTestScore), b.CvResults.Select(r => r.MeanTestScore));
        Assert.All(a.CvResults, r => Assert.InRange((int)r.Params["units"]!, 2, 8));
        Assert.Contains("refit=false", Assert.Throws<InvalidOperationException>(() => a.BestEstimator).Message);
        // all lists: drawn without replacement from the grid, at most its size
        var lists = new RandomizedSearchCV(Iris(epochs: 1), new Dictionary<string, object> { ["units"] = new object[] { 2, 3 } }, nIter: 10, cv: 2, refit: false);
        lists.Fit(iris.Data, iris.Target);
        Assert.Equal(2, lists.CvResults.Count);
    }

    [Fact]
    public void CrossValScore_with_an_int_cv_stratifies_classifiers()
    {
        var iris = SklearnDatasets.LoadIris();
        Assert.IsType<StratifiedKFold>(CrossValidation.DefaultCv(Iris(), 5));
        Assert.IsType<StratifiedKFold>(CrossValidation.DefaultCv(new Pipeline(("s", new StandardScaler()), ("m", Iris())), 5));
        Assert.IsType<KFold>(CrossValidation.DefaultCv(new KerasRegressor(_ => null!), 5));
        var s1 = CrossValidation.CrossValScore(new Pipeline(("s", new StandardScaler()), ("m", Iris(epochs: 5))), iris.Data, iris.Target, cv: 3);
        var s2 = CrossValidation.CrossValScore(new Pipeline(("s", new StandardScaler()), ("m", Iris(epochs: 5))), iris.Data, iris.Target, cv: 3);
        Assert.Equal(3, s1.Length);
        Assert.Equal(s1, s2);
    }
}
