using System.Text.Json;
using Cortex.Keras.Metrics;

namespace Cortex.Tests.Metrics;

/// <summary>
/// Precision, Recall, TP/FP/TN/FN, AUC, F1/FBeta, MeanIoU, ConfusionMatrix and ClassificationReport against sklearn
/// (fixture from tests/reference/metrics_reference.py).
/// </summary>
public sealed class SklearnReferenceTests
{
    private static readonly JsonElement[] Cases = Load();

    private static JsonElement[] Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "metrics_reference.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("cases").EnumerateArray().Select(c => c.Clone()).ToArray();
    }

    private static JsonElement Case(string name) => Cases.Single(c => c.GetProperty("name").GetString() == name);
    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();
    private static int[] Shape(JsonElement c) => c.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray();
    private static Tensor T(JsonElement c, string key) => Tensor.FromArray(Floats(c.GetProperty(key)), Shape(c));
    private static double D(JsonElement c, string key) => c.GetProperty("expected").GetProperty(key).GetDouble();

    [Theory]
    [InlineData("binary")]
    [InlineData("binary_weighted")]
    public void BinaryMetricsMatchSklearn(string name)
    {
        var c = Case(name);
        var w = c.GetProperty("sample_weight").ValueKind == JsonValueKind.Null ? null : Tensor.FromArray(Floats(c.GetProperty("sample_weight")), Shape(c));
        var (yt, yp) = (T(c, "y_true"), T(c, "y_pred"));
        float Eval(Metric m) { m.UpdateState(yt, yp, w); return m.Result(); }
        foreach (var t in new[] { 0.3f, 0.5f, 0.7f })
        {
            Assert.Equal(D(c, $"precision@{t}"), Eval(new Precision(t)), 5);
            Assert.Equal(D(c, $"recall@{t}"), Eval(new Recall(t)), 5);
        }
        var pr = new Precision(new[] { 0.3f, 0.5f, 0.7f });
        pr.UpdateState(yt, yp, w);
        Assert.Equal(D(c, "precision@0.7"), pr.ResultVector()[2], 5);
        Assert.Equal(D(c, "tp"), Eval(new TruePositives()), 4);
        Assert.Equal(D(c, "fp"), Eval(new FalsePositives()), 4);
        Assert.Equal(D(c, "tn"), Eval(new TrueNegatives()), 4);
        Assert.Equal(D(c, "fn"), Eval(new FalseNegatives()), 4);
        // 200 buckets approximate the exact ROC AUC; more thresholds approach it.
        double roc = D(c, "roc_auc");
        Assert.InRange(Eval(new AUC()), roc - 0.01, roc + 0.01);
        Assert.InRange(Eval(new AUC(numThresholds: 5000)), roc - 0.002, roc + 0.002);
        // PR-AUC (Davis–Goadrich interpolation) is close to sklearn's average precision (a step sum).
        Assert.InRange(Eval(new AUC(curve: "PR")), D(c, "average_precision") - 0.05, D(c, "average_precision") + 0.05);
    }

    [Theory]
    [InlineData("multiclass4")]
    [InlineData("multiclass3")]
    public void FScoresMatchSklearn(string name)
    {
        var c = Case(name);
        var (yt, yp) = (T(c, "y_true"), T(c, "y_pred"));
        float beta = (float)D(c, "beta");
        foreach (var avg in new string?[] { null, "micro", "macro", "weighted" })
        {
            string key = avg ?? "none";
            var f1 = new F1Score(avg);
            f1.UpdateState(yt, yp);
            var fb = new FBetaScore(avg, beta);
            fb.UpdateState(yt, yp);
            var e1 = Floats(c.GetProperty("expected").GetProperty("f1_" + key));
            var eb = Floats(c.GetProperty("expected").GetProperty("fbeta_" + key));
            var a1 = f1.ResultVector();
            var ab = fb.ResultVector();
            Assert.Equal(e1.Length, a1.Length);
            for (int i = 0; i < e1.Length; i++)
            {
                Assert.Equal(e1[i], a1[i], 5);   // Keras's ε = 1e-7 in the denominators: within 1e-5 of sklearn
                Assert.Equal(eb[i], ab[i], 5);
            }
        }
    }

    [Theory]
    [InlineData("multiclass4")]
    [InlineData("multiclass3")]
    public void ConfusionMatrixReportAndMeanIoUMatchSklearn(string name)
    {
        var c = Case(name);
        var exp = c.GetProperty("expected");
        var labels = c.GetProperty("labels").EnumerateArray().Select(v => v.GetInt32()).ToArray();
        var yp = T(c, "y_pred");
        int k = Shape(c)[1];
        var predicted = ConfusionMatrix.Labels(yp, "y_pred");
        var cm = ConfusionMatrix.Compute(labels, predicted, k);
        var expected = exp.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray();
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) Assert.Equal(expected[i][j], cm[i, j]);
        Assert.Equal(cm, ConfusionMatrix.Compute(T(c, "y_true"), yp, k));                // one-hot and scores, argmax'd

        Assert.Equal(exp.GetProperty("report").GetString(), ClassificationReport.Format(labels, predicted));
        var names = exp.GetProperty("target_names").EnumerateArray().Select(v => v.GetString()!).ToArray();
        Assert.Equal(exp.GetProperty("report_names_3").GetString(), ClassificationReport.Format(labels, predicted, names, digits: 3));

        var iou = new MeanIoU(k, sparseYPred: false);
        iou.UpdateState(Tensor.FromArray(labels.Select(l => (float)l).ToArray(), labels.Length), yp);
        Assert.Equal(exp.GetProperty("mean_iou").GetDouble(), iou.Result(), 5);
    }
}
