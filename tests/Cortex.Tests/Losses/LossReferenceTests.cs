using System.Text.Json;
using Cortex.Autodiff;
using Cortex.Keras.Losses;

namespace Cortex.Tests.Losses;

/// <summary>
/// Every loss against PyTorch (float64) reference values read from <c>Fixtures/losses.json</c>: the per-sample values,
/// the "sum_over_batch_size" reduction and its gradient with respect to y_pred, plus a finite-difference check of the
/// tape's gradient. Regenerate the fixture with <c>/usr/bin/python3 tests/reference/losses_reference.py</c> (its
/// docstring says which cases use PyTorch's own loss functions and which Keras's formulas written in torch).
/// </summary>
/// <remarks>
/// Cortex computes in float32 and the reference in float64 from the same float32 inputs, so values are compared with
/// |actual − expected| ≤ 1e-5·|expected| + 1e-6 and gradients with 1e-4·|expected| + 1e-6.
/// </remarks>
public sealed class LossReferenceTests
{
    private sealed record TensorData(int[] Shape, float[] Data)
    {
        public Tensor ToTensor() => Tensor.FromArray(Data, Shape);
    }

    private sealed record Case(string Loss, string Label, JsonElement Config, TensorData YTrue, TensorData YPred,
        TensorData PerSample, double Reduced, TensorData Grad, bool GradCheck);

    private static readonly Lazy<Dictionary<string, Case>> Cases = new(Load);

    private static Dictionary<string, Case> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "losses.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var result = new Dictionary<string, Case>();
        foreach (var c in doc.RootElement.EnumerateArray())
        {
            var item = new Case(
                c.GetProperty("loss").GetString()!,
                c.GetProperty("case").GetString()!,
                c.GetProperty("config").Clone(),
                Read(c.GetProperty("y_true")),
                Read(c.GetProperty("y_pred")),
                Read(c.GetProperty("per_sample")),
                c.GetProperty("reduced").GetDouble(),
                Read(c.GetProperty("grad")),
                c.GetProperty("gradcheck").GetBoolean());
            result.Add($"{item.Loss}/{item.Label}", item);
        }
        return result;
    }

    private static TensorData Read(JsonElement e) => new(
        e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
        e.GetProperty("data").EnumerateArray().Select(v => (float)v.GetDouble()).ToArray());

    /// <summary>One row per fixture case, "loss/case".</summary>
    public static IEnumerable<object[]> CaseNames() => Cases.Value.Keys.Select(k => new object[] { k });

    /// <summary>The loss a case describes: its Keras name through <see cref="Loss.Get"/>, or the class with the case's arguments.</summary>
    private static Loss Make(Case c, string reduction = "sum_over_batch_size")
    {
        bool fromLogits = c.Config.TryGetProperty("from_logits", out var fl) && fl.GetBoolean();
        float smoothing = c.Config.TryGetProperty("label_smoothing", out var ls) ? (float)ls.GetDouble() : 0f;
        return c.Loss switch
        {
            "binary_crossentropy" => new BinaryCrossentropy(fromLogits, smoothing, reduction: reduction),
            "categorical_crossentropy" => new CategoricalCrossentropy(fromLogits, smoothing, reduction: reduction),
            "sparse_categorical_crossentropy" => new SparseCategoricalCrossentropy(fromLogits, reduction: reduction),
            "huber" => new Huber((float)c.Config.GetProperty("delta").GetDouble(), reduction),
            _ when reduction == "sum_over_batch_size" => Loss.Get(c.Loss),
            "mean_squared_error" => new MeanSquaredError(reduction),
            "mean_absolute_error" => new MeanAbsoluteError(reduction),
            "mean_absolute_percentage_error" => new MeanAbsolutePercentageError(reduction),
            "mean_squared_logarithmic_error" => new MeanSquaredLogarithmicError(reduction),
            "hinge" => new Hinge(reduction),
            "squared_hinge" => new SquaredHinge(reduction),
            "categorical_hinge" => new CategoricalHinge(reduction),
            "kl_divergence" => new KLDivergence(reduction),
            "poisson" => new Poisson(reduction),
            "cosine_similarity" => new CosineSimilarity(reduction: reduction),
            "log_cosh" => new LogCosh(reduction),
            _ => throw new NotSupportedException(c.Loss),
        };
    }

    private static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<float> actual, double rtol, double atol, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
        {
            double diff = Math.Abs(actual[i] - expected[i]);
            Assert.True(diff <= rtol * Math.Abs(expected[i]) + atol,
                $"{what}[{i}]: expected {expected[i]:G9}, got {actual[i]:G9} (|diff| = {diff:E2}).");
        }
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void PerSampleValuesMatchReference(string name)
    {
        var c = Cases.Value[name];
        var values = Make(c).Compute(c.YTrue.ToTensor(), c.YPred.ToTensor());
        Assert.Equal(c.PerSample.Shape, values.Shape);
        AssertClose(c.PerSample.Data.Select(v => (double)v).ToArray(), values.ToArray(), 1e-5, 1e-6, "per-sample loss");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ReductionsMatchReference(string name)
    {
        var c = Cases.Value[name];
        var reduced = Make(c).Call(c.YTrue.ToTensor(), c.YPred.ToTensor());
        Assert.Equal(0, reduced.Rank);
        AssertClose(new[] { c.Reduced }, new[] { reduced.Item() }, 1e-5, 1e-6, "sum_over_batch_size");

        var sum = Make(c, "sum").Call(c.YTrue.ToTensor(), c.YPred.ToTensor());
        AssertClose(new[] { c.Reduced * c.PerSample.Data.Length }, new[] { sum.Item() }, 1e-5, 1e-6, "sum");

        var none = Make(c, "none").Call(c.YTrue.ToTensor(), c.YPred.ToTensor());
        Assert.Equal(c.PerSample.Shape, none.Shape);
        AssertClose(c.PerSample.Data.Select(v => (double)v).ToArray(), none.ToArray(), 1e-5, 1e-6, "none");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GradientMatchesReference(string name)
    {
        var c = Cases.Value[name];
        var yTrue = c.YTrue.ToTensor();
        var yPred = c.YPred.ToTensor();
        using var tape = GradientTape.Begin();
        tape.Watch(yPred);
        var loss = Make(c).Call(yTrue, yPred);
        var grad = tape.Gradient(loss, yPred)[0];
        Assert.Equal(c.Grad.Shape, grad.Shape);
        AssertClose(c.Grad.Data.Select(v => (double)v).ToArray(), grad.ToArray(), 1e-4, 1e-6, "d loss / d y_pred");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void GradientMatchesFiniteDifferences(string name)
    {
        var c = Cases.Value[name];
        if (!c.GradCheck) return;   // y_pred on a clip bound: one-sided there, checked against the reference instead
        var loss = Make(c, "none");
        var yTrue = c.YTrue.ToTensor();
        GradientCheck.Assert(x => loss.Compute(yTrue, x[0]), c.YPred.ToTensor());
    }

    [Fact]
    public void FixtureCoversEveryRegisteredLoss()
    {
        var covered = Cases.Value.Values.Select(c => Loss.Get(c.Loss).GetType()).ToHashSet();
        var registered = Loss.Names.Select(n => Loss.Get(n).GetType()).ToHashSet();
        Assert.Empty(registered.Except(covered));
    }
}
