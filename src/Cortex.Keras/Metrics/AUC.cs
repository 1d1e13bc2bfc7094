namespace Cortex.Keras.Metrics;

/// <summary>
/// The area under the ROC or precision-recall curve, approximated by a Riemann sum over thresholds (Keras's
/// <c>AUC</c>, name "auc").
/// </summary>
/// <remarks>
/// <para>Thresholds: <c>numThresholds − 2</c> evenly spaced ones, <c>(i + 1)/(numThresholds − 1)</c>, between
/// <c>−ε</c> and <c>1 + ε</c> (ε = 1e-7), or the given ones (sorted) between the same ends. Predictions are counted
/// with Keras's bucketing when the thresholds are evenly spaced (see <see cref="Precision"/>'s threshold rule
/// otherwise). The result matches Keras's: ROC with "interpolation" sums <c>(fpr[i] − fpr[i+1])·(tpr[i] + tpr[i+1])/2</c>;
/// "minoring"/"majoring" take the min/max of the two heights; PR with "interpolation" uses Davis &amp; Goadrich's
/// interpolation of tp and fp (Keras's <c>interpolate_pr_auc</c>).</para>
/// <para>With 200 thresholds it approximates the exact ROC AUC (sklearn's <c>roc_auc_score</c>) to within the bucket
/// width; multiLabel computes one AUC per column (rank-2 data) and averages them.</para>
/// </remarks>
public sealed class AUC : Metric
{
    private readonly ConfusionCounter _counter;
    private readonly bool _fromThresholds;

    /// <summary>Creates the metric.</summary>
    /// <param name="numThresholds">Number of thresholds, &gt; 1 (default 200); ignored when <paramref name="thresholds"/> is given.</param>
    /// <param name="curve">"ROC" (default) or "PR".</param>
    /// <param name="summationMethod">"interpolation" (default), "minoring" or "majoring".</param>
    /// <param name="name">The metric's name.</param>
    /// <param name="thresholds">Explicit thresholds in [0, 1] (the ends −ε and 1 + ε are added).</param>
    /// <param name="multiLabel">One AUC per label column, averaged; otherwise the data is flattened.</param>
    /// <param name="fromLogits">Apply a sigmoid to the predictions first.</param>
    public AUC(int numThresholds = 200, string curve = "ROC", string summationMethod = "interpolation", string? name = null,
        float[]? thresholds = null, bool multiLabel = false, bool fromLogits = false) : base(name, "auc")
    {
        Curve = curve switch
        {
            "ROC" or "roc" => "ROC",
            "PR" or "pr" => "PR",
            _ => throw new ArgumentException($"Invalid AUC curve value: \"{curve}\". Expected values are [\"PR\", \"ROC\"]", nameof(curve)),
        };
        SummationMethod = summationMethod switch
        {
            "interpolation" or "Interpolation" => "interpolation",
            "majoring" or "Majoring" => "majoring",
            "minoring" or "Minoring" => "minoring",
            _ => throw new ArgumentException($"Invalid AUC summation method value: \"{summationMethod}\". Expected values are [\"interpolation\", \"majoring\", \"minoring\"]", nameof(summationMethod)),
        };
        List<double> inner;
        bool evenly;
        _fromThresholds = thresholds is not null;
        if (thresholds is not null)
        {
            ConfusionCounter.ParseThresholds(thresholds, 0f);
            inner = thresholds.Select(t => (double)t).OrderBy(t => t).ToList();
            NumThresholds = inner.Count + 2;
            evenly = ConfusionCounter.IsEvenlyDistributed(new[] { 0.0 }.Concat(inner).Append(1.0).ToArray());
        }
        else
        {
            if (numThresholds <= 1)
                throw new ArgumentException($"Argument `num_thresholds` must be an integer > 1. Received: num_thresholds={numThresholds}", nameof(numThresholds));
            NumThresholds = numThresholds;
            inner = Enumerable.Range(0, numThresholds - 2).Select(i => (i + 1) * 1.0 / (numThresholds - 1)).ToList();
            evenly = true;
        }
        Thresholds = new[] { 0.0 - 1e-7 }.Concat(inner).Append(1.0 + 1e-7).Select(t => (float)t).ToArray();
        MultiLabel = multiLabel;
        FromLogits = fromLogits;
        _counter = new ConfusionCounter(Thresholds, evenly, multiLabel: multiLabel);
    }

    /// <summary>The number of thresholds, ends included.</summary>
    public int NumThresholds { get; }
    /// <summary>"ROC" or "PR".</summary>
    public string Curve { get; }
    /// <summary>"interpolation", "minoring" or "majoring".</summary>
    public string SummationMethod { get; }
    /// <summary>The thresholds, ends (−ε, 1 + ε) included.</summary>
    public float[] Thresholds { get; }
    /// <summary>Whether each label column gets its own AUC.</summary>
    public bool MultiLabel { get; }
    /// <summary>Whether predictions are logits.</summary>
    public bool FromLogits { get; }

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred) => UpdateState(yTrue, yPred, null);

    /// <inheritdoc/>
    public override void UpdateState(Tensor yTrue, Tensor yPred, Tensor? sampleWeight)
    {
        ArgumentNullException.ThrowIfNull(yPred);
        using (Autodiff.GradientTape.NoGradient())
            _counter.Update(Name, yTrue, FromLogits ? Ops.Sigmoid(yPred) : yPred, sampleWeight);
    }

    /// <inheritdoc/>
    public override float Result()
    {
        if (_counter.TP.Length == 0) return 0f;
        int labels = _counter.Labels;
        double total = 0;
        for (int l = 0; l < labels; l++) total += Curve == "PR" && SummationMethod == "interpolation" ? InterpolatePr(l) : Riemann(l);
        return (float)(total / labels);
    }

    private double At(double[] v, int i, int label) => v[i * _counter.Labels + label];

    private double Riemann(int l)
    {
        var c = _counter;
        int n = NumThresholds;
        var x = new double[n];
        var y = new double[n];
        for (int i = 0; i < n; i++)
        {
            double tp = At(c.TP, i, l), fp = At(c.FP, i, l), tn = At(c.TN, i, l), fn = At(c.FN, i, l);
            double recall = PrecisionRecallBase.DivideNoNan(tp, tp + fn);
            if (Curve == "ROC") { x[i] = PrecisionRecallBase.DivideNoNan(fp, fp + tn); y[i] = recall; }
            else { x[i] = recall; y[i] = PrecisionRecallBase.DivideNoNan(tp, tp + fp); }
        }
        double sum = 0;
        for (int i = 0; i < n - 1; i++)
        {
            double h = SummationMethod switch
            {
                "interpolation" => (y[i] + y[i + 1]) / 2,
                "minoring" => Math.Min(y[i], y[i + 1]),
                _ => Math.Max(y[i], y[i + 1]),
            };
            sum += (x[i] - x[i + 1]) * h;
        }
        return sum;
    }

    /// <summary>Keras's <c>interpolate_pr_auc</c> (Davis &amp; Goadrich 2006, in closed form).</summary>
    private double InterpolatePr(int l)
    {
        var c = _counter;
        double sum = 0;
        for (int i = 0; i < NumThresholds - 1; i++)
        {
            double tpA = At(c.TP, i, l), tpB = At(c.TP, i + 1, l);
            double pA = tpA + At(c.FP, i, l), pB = tpB + At(c.FP, i + 1, l);
            double dtp = tpA - tpB, dp = pA - pB;
            double slope = PrecisionRecallBase.DivideNoNan(dtp, Math.Max(dp, 0));
            double intercept = tpB - slope * pB;
            double ratio = pA > 0 && pB > 0 ? PrecisionRecallBase.DivideNoNan(pA, Math.Max(pB, 0)) : 1.0;
            sum += PrecisionRecallBase.DivideNoNan(slope * (dtp + intercept * Math.Log(ratio)), Math.Max(tpB + At(c.FN, i + 1, l), 0));
        }
        return sum;
    }

    /// <inheritdoc/>
    public override void ResetState() => _counter.Reset();

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["num_thresholds"] = NumThresholds; c["curve"] = Curve; c["summation_method"] = SummationMethod;
        c["multi_label"] = MultiLabel; c["num_labels"] = null; c["label_weights"] = null; c["from_logits"] = FromLogits;
        if (_fromThresholds) c["thresholds"] = Thresholds[1..^1];
        return c;
    }
}
