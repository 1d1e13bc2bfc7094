using System.Globalization;
using System.Text;

namespace Cortex.Keras.Metrics;

/// <summary>
/// sklearn's <c>classification_report</c>: precision, recall, F1 and support per class, then accuracy and the macro
/// and weighted averages, as the same text (same numbers, layout and rounding).
/// </summary>
/// <remarks>
/// The classes are the labels present in y_true or y_pred, sorted (sklearn's <c>unique_labels</c>); a ratio whose
/// denominator is 0 is 0 (sklearn's <c>zero_division="warn"</c> value, without the warning). Numbers are rounded
/// half-to-even, as Python's format does.
/// </remarks>
public static class ClassificationReport
{
    /// <summary>One line of the report.</summary>
    /// <param name="Name">The class name, "accuracy", "macro avg" or "weighted avg".</param>
    /// <param name="Precision">Precision (NaN on the accuracy line).</param>
    /// <param name="Recall">Recall (NaN on the accuracy line).</param>
    /// <param name="F1">F1 score (the accuracy on the accuracy line).</param>
    /// <param name="Support">Number of true samples.</param>
    public sealed record Row(string Name, double Precision, double Recall, double F1, int Support);

    /// <summary>The report's rows: one per class, then accuracy, macro avg and weighted avg.</summary>
    public static IReadOnlyList<Row> Compute(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred, IReadOnlyList<string>? targetNames = null)
    {
        if (yTrue.Length != yPred.Length)
            throw new ArgumentException($"classification_report: y_true and y_pred must have the same length. Received: {yTrue.Length} and {yPred.Length}.");
        if (yTrue.Length == 0) throw new ArgumentException("classification_report: y_true is empty.");
        var labels = new SortedSet<int>();
        foreach (var t in yTrue) labels.Add(t);
        foreach (var p in yPred) labels.Add(p);
        var classes = labels.ToArray();
        if (targetNames is not null && targetNames.Count != classes.Length)
            throw new ArgumentException($"Number of classes, {classes.Length}, does not match size of target_names, {targetNames.Count}. Try specifying the labels parameter", nameof(targetNames));
        var index = classes.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i);
        int k = classes.Length;
        var tp = new int[k]; var predicted = new int[k]; var support = new int[k];
        int correct = 0;
        for (int i = 0; i < yTrue.Length; i++)
        {
            int t = index[yTrue[i]], p = index[yPred[i]];
            support[t]++; predicted[p]++;
            if (t == p) { tp[t]++; correct++; }
        }
        static double Div(double a, double b) => b == 0 ? 0 : a / b;
        static double F(double p, double r) => p + r == 0 ? 0 : 2 * p * r / (p + r);
        var rows = new List<Row>();
        for (int c = 0; c < k; c++)
        {
            double p = Div(tp[c], predicted[c]), r = Div(tp[c], support[c]);
            rows.Add(new Row(targetNames?[c] ?? classes[c].ToString(CultureInfo.InvariantCulture), p, r, F(p, r), support[c]));
        }
        int n = yTrue.Length;
        var perClass = rows.ToArray();
        rows.Add(new Row("accuracy", double.NaN, double.NaN, (double)correct / n, n));
        rows.Add(new Row("macro avg", perClass.Average(r => r.Precision), perClass.Average(r => r.Recall), perClass.Average(r => r.F1), n));
        double W(Func<Row, double> f) => perClass.Sum(r => f(r) * r.Support) / n;
        rows.Add(new Row("weighted avg", W(r => r.Precision), W(r => r.Recall), W(r => r.F1), n));
        return rows;
    }

    /// <summary>The report as sklearn prints it (<c>classification_report(y_true, y_pred, target_names, digits)</c>).</summary>
    /// <param name="yTrue">True class labels.</param>
    /// <param name="yPred">Predicted class labels.</param>
    /// <param name="targetNames">Display names of the sorted classes (default: the labels).</param>
    /// <param name="digits">Digits after the decimal point (default 2).</param>
    public static string Format(ReadOnlySpan<int> yTrue, ReadOnlySpan<int> yPred, IReadOnlyList<string>? targetNames = null, int digits = 2)
    {
        if (digits < 0) throw new ArgumentException($"digits must be non-negative. Received: digits={digits}", nameof(digits));
        var rows = Compute(yTrue, yPred, targetNames);
        var perClass = rows.Take(rows.Count - 3).ToList();
        int width = Math.Max(Math.Max(perClass.Max(r => r.Name.Length), "weighted avg".Length), digits);
        string Num(double v) => Math.Round(v, digits, MidpointRounding.ToEven).ToString("F" + digits, CultureInfo.InvariantCulture).PadLeft(9);
        // sklearn's "{:>{width}s} " + " {:>9.{digits}f}" * 3 + " {:>9}\n"
        string Line(Row r) => $"{r.Name.PadLeft(width)}  {Num(r.Precision)} {Num(r.Recall)} {Num(r.F1)} {r.Support.ToString(CultureInfo.InvariantCulture).PadLeft(9)}\n";
        var sb = new StringBuilder();
        sb.Append(' ', width).Append(' ');
        foreach (var h in new[] { "precision", "recall", "f1-score", "support" }) sb.Append(' ').Append(h.PadLeft(9));
        sb.Append("\n\n");
        foreach (var r in perClass) sb.Append(Line(r));
        sb.Append('\n');
        var acc = rows[^3];
        sb.Append($"{acc.Name.PadLeft(width)}  {"",9} {"",9} {Num(acc.F1)} {acc.Support.ToString(CultureInfo.InvariantCulture).PadLeft(9)}\n");
        sb.Append(Line(rows[^2])).Append(Line(rows[^1]));
        return sb.ToString();
    }

    /// <summary><see cref="Format(ReadOnlySpan{int}, ReadOnlySpan{int}, IReadOnlyList{string}?, int)"/> on tensors of labels or per-class scores (argmax).</summary>
    public static string Format(Tensor yTrue, Tensor yPred, IReadOnlyList<string>? targetNames = null, int digits = 2)
        => Format(ConfusionMatrix.Labels(yTrue, nameof(yTrue)), ConfusionMatrix.Labels(yPred, nameof(yPred)), targetNames, digits);
}
