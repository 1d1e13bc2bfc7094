using System.Text.Json;

namespace Cortex.Tests.ModelSelection;

/// <summary>Reads Fixtures/sklearn_modelsel.json (written by tests/reference/sklearn_modelsel_reference.py with scikit-learn 1.2.1).</summary>
internal static class SklearnFixture
{
    private static readonly Lazy<JsonElement> Root = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "sklearn_modelsel.json"))).RootElement);

    public static JsonElement Get(string name) => Root.Value.GetProperty(name);

    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();

    public static double[] Doubles(JsonElement e) => e.EnumerateArray().Select(v => v.GetDouble()).ToArray();

    public static void Close(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double rtol = 1e-5, double atol = 1e-6)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (int i = 0; i < expected.Count; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= atol + rtol * Math.Abs(expected[i]), $"[{i}] expected {expected[i]}, got {actual[i]}");
    }
}
