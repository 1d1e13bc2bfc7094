using Cortex.Keras.Metrics;

namespace Cortex.Tests.Metrics;

/// <summary>TruePositives … Precision, Recall, AUC on Keras's documented examples and hand-computed cases.</summary>
public sealed class ConfusionMetricTests
{
    private static Tensor V(params float[] v) => Tensor.FromArray(v, v.Length);

    private static float Run(Metric m, float[] t, float[] p, float[]? w = null)
    {
        m.UpdateState(V(t), V(p), w is null ? null : V(w));
        return m.Result();
    }

    [Fact]
    public void KerasDocstringExamples()
    {
        Assert.Equal(2f, Run(new TruePositives(), new[] { 0f, 1, 1, 1 }, new[] { 1f, 0, 1, 1 }));
        Assert.Equal(1f, Run(new TruePositives(), new[] { 0f, 1, 1, 1 }, new[] { 1f, 0, 1, 1 }, new[] { 0f, 0, 1, 0 }));
        Assert.Equal(2f, Run(new FalsePositives(), new[] { 0f, 1, 0, 0 }, new[] { 0f, 0, 1, 1 }));
        Assert.Equal(1f, Run(new FalsePositives(), new[] { 0f, 1, 0, 0 }, new[] { 0f, 0, 1, 1 }, new[] { 0f, 0, 1, 0 }));
        Assert.Equal(2f, Run(new FalseNegatives(), new[] { 0f, 1, 1, 1 }, new[] { 0f, 1, 0, 0 }));
        Assert.Equal(2f, Run(new TrueNegatives(), new[] { 0f, 1, 0, 0 }, new[] { 1f, 1, 0, 0 }));
        Assert.Equal(0.6666667f, Run(new Precision(), new[] { 0f, 1, 1, 1 }, new[] { 1f, 0, 1, 1 }), 6);
        Assert.Equal(1f, Run(new Precision(), new[] { 0f, 1, 1, 1 }, new[] { 1f, 0, 1, 1 }, new[] { 0f, 0, 1, 0 }));
        Assert.Equal(0f, Run(new Precision(topK: 2), new[] { 0f, 0, 1, 1 }, new[] { 1f, 1, 1, 1 }));   // ties: lower indices
        Assert.Equal(0.5f, Run(new Precision(topK: 4), new[] { 0f, 0, 1, 1 }, new[] { 1f, 1, 1, 1 }));
        Assert.Equal(0.6666667f, Run(new Recall(), new[] { 0f, 1, 1, 1 }, new[] { 1f, 0, 1, 1 }), 6);
        Assert.Equal(1f, Run(new Recall(), new[] { 0f, 1, 1, 1 }, new[] { 1f, 0, 1, 1 }, new[] { 0f, 0, 1, 0 }));
        Assert.Equal(0.75f, Run(new AUC(numThresholds: 3), new[] { 0f, 0, 1, 1 }, new[] { 0f, 0.5f, 0.3f, 0.9f }), 6);
        Assert.Equal(1f, Run(new AUC(numThresholds: 3), new[] { 0f, 0, 1, 1 }, new[] { 0f, 0.5f, 0.3f, 0.9f }, new[] { 1f, 0, 0, 1 }), 6);
    }

    [Fact]
    public void AucSummationMethodsAndPrInterpolationByHand()
    {
        float[] t = { 0, 0, 1, 1 }, p = { 0, 0.5f, 0.3f, 0.9f };
        // tp = [2, 1, 0], fp = [2, 0, 0], fn = [0, 1, 2]: tpr = [1, .5, 0], fpr = [1, 0, 0].
        Assert.Equal(0.5f, Run(new AUC(3, summationMethod: "minoring"), t, p), 6);
        Assert.Equal(1f, Run(new AUC(3, summationMethod: "majoring"), t, p), 6);
        // PR, Davis-Goadrich: P = [4, 1, 0]; interval 0: slope 1/3, intercept 2/3, (1/3)(1 + (2/3)·ln 4)/2;
        // interval 1: slope 1, intercept 0, 1·1/2.
        double expected = (1.0 / 3) * (1 + 2.0 / 3 * Math.Log(4)) / 2 + 0.5;
        Assert.Equal((float)expected, Run(new AUC(3, curve: "PR"), t, p), 6);
        // PR, majoring: recall x = [1, .5, 0], precision y = [.5, 1, 0]; heights max(.5, 1) and max(1, 0): (1 − .5)·1 + (.5 − 0)·1.
        Assert.Equal(1f, Run(new AUC(3, curve: "PR", summationMethod: "majoring"), t, p), 6);
    }

    [Fact]
    public void EvenlySpacedThresholdsUseKerasBucketingExactly()
    {
        // Thresholds 0, 0.1, ..., 1 are evenly spaced, so Keras buckets p into ceil(p·10) − 1 in float32. For the float
        // just above 0.9f, p·10 rounds to 9: bucket 8, so Keras does not count it above 0.9 though p > 0.9f.
        float p = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(0.9f) + 1);
        var even = Enumerable.Range(0, 11).Select(i => i / 10f).ToArray();
        var tp = new TruePositives(even);
        tp.UpdateState(V(1f), V(p));
        var counts = tp.ResultVector();
        Assert.Equal(1f, counts[8]);
        Assert.Equal(0f, counts[9]);
        var single = new TruePositives(new[] { 0.9f });                 // one threshold: the plain comparison
        single.UpdateState(V(1f), V(p));
        Assert.Equal(1f, single.Result());
        // p = 0 falls below the first threshold 0 (bucket −1); AUC's −ε end catches it (bucket raised to 0).
        var zero = new TruePositives(even);
        zero.UpdateState(V(1f), V(0f));
        Assert.Equal(0f, zero.ResultVector()[0]);
    }

    [Fact]
    public void SeveralThresholdsClassIdAndTopK()
    {
        var m = new Precision(new[] { 0.3f, 0.6f });
        m.UpdateState(V(1, 0, 1, 0), V(0.4f, 0.5f, 0.7f, 0.9f));
        Assert.Equal(new[] { 0.5f, 0.5f }, m.ResultVector());
        var e = Assert.Throws<InvalidOperationException>(() => m.Result());
        Assert.Contains("ResultVector", e.Message);
        // class_id = 1 of (3, 3) scores: column 1 is [0.6, 0.2, 0.7] against labels [1, 1, 0].
        var yt = Tensor.FromArray(new float[] { 0, 1, 0, 0, 1, 0, 0, 0, 1 }, 3, 3);
        var yp = Tensor.FromArray(new float[] { 0.1f, 0.6f, 0.3f, 0.5f, 0.2f, 0.3f, 0.1f, 0.7f, 0.2f }, 3, 3);
        var r = new Recall(classId: 1);
        r.UpdateState(yt, yp);
        Assert.Equal(0.5f, r.Result());
        var pc = new Precision(classId: 1);
        pc.UpdateState(yt, yp);
        Assert.Equal(0.5f, pc.Result());
        var top1 = new Precision(topK: 1);                             // the argmax of each row is the positive
        top1.UpdateState(yt, yp);
        Assert.Equal(1f / 3f, top1.Result(), 6);
        m.ResetState();
        Assert.Equal(new[] { 0f, 0f }, m.ResultVector());
    }

    [Fact]
    public void MultiLabelAucAveragesTheColumns()
    {
        var yt = Tensor.FromArray(new float[] { 0, 1, 0, 0, 1, 1, 1, 0 }, 4, 2);
        var yp = Tensor.FromArray(new float[] { 0, 0.9f, 0.5f, 0.2f, 0.3f, 0.8f, 0.9f, 0.1f }, 4, 2);
        var m = new AUC(3, multiLabel: true);
        m.UpdateState(yt, yp);
        var a = new AUC(3); a.UpdateState(V(0, 0, 1, 1), V(0, 0.5f, 0.3f, 0.9f));
        var b = new AUC(3); b.UpdateState(V(1, 0, 1, 0), V(0.9f, 0.2f, 0.8f, 0.1f));
        Assert.Equal((a.Result() + b.Result()) / 2, m.Result(), 6);
    }

    [Fact]
    public void BadArgumentsGiveKerasErrors()
    {
        Assert.Contains("Threshold values must be in [0, 1]. Received: [1.5]", Assert.Throws<ArgumentException>(() => new Precision(new[] { 0.5f, 1.5f })).Message);
        Assert.Contains("Argument `num_thresholds` must be an integer > 1. Received: num_thresholds=1", Assert.Throws<ArgumentException>(() => new AUC(1)).Message);
        Assert.Contains("Invalid AUC curve value: \"XY\"", Assert.Throws<ArgumentException>(() => new AUC(curve: "XY")).Message);
        Assert.Contains("Invalid AUC summation method value", Assert.Throws<ArgumentException>(() => new AUC(summationMethod: "mid")).Message);
        Assert.Throws<ArgumentException>(() => new Precision(topK: 0));
        var cls = new Recall(classId: 0);
        Assert.Contains("When class_id is provided, y_pred must be a 2D array", Assert.Throws<ArgumentException>(() => cls.UpdateState(V(1), V(1))).Message);
        var ml = new AUC(multiLabel: true);
        Assert.Contains("`y_pred` must have rank 2 when `multi_label=True`", Assert.Throws<ArgumentException>(() => ml.UpdateState(V(1), V(1))).Message);
        Assert.Contains("does not take a sample_weight", Assert.Throws<NotSupportedException>(() => new BinaryAccuracy().UpdateState(V(1), V(1), V(1))).Message);
    }

    [Fact]
    public void CompileNamesResolve()
    {
        foreach (var (name, type) in new[] { ("precision", typeof(Precision)), ("recall", typeof(Recall)), ("auc", typeof(AUC)), ("AUC", typeof(AUC)),
                     ("f1_score", typeof(F1Score)), ("fbeta_score", typeof(FBetaScore)), ("true_positives", typeof(TruePositives)),
                     ("false_negatives", typeof(FalseNegatives)) })
        {
            var m = Metric.Get(name, new[] { 8, 1 }, new[] { 8, 1 });
            Assert.IsType(type, m);
            Assert.Equal(name, m.Name);
        }
        var e = Assert.Throws<ArgumentException>(() => Metric.Get("precisoin", new[] { 1 }, new[] { 1 }));
        Assert.Contains("precision", e.Message);
    }
}
