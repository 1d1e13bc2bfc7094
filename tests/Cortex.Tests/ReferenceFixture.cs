using System.Text.Json;
using Cortex.Autodiff;

namespace Cortex.Tests;

/// <summary>
/// Reads the PyTorch reference fixtures in <c>Fixtures/*.json</c> (written by the generators in <c>tests/reference/</c>
/// through <c>reference_common.py</c>) and checks an op or layer against one case: forward output, then the gradients
/// of <c>sum(f(inputs) · upstream)</c> with respect to each input the case differentiates.
/// </summary>
/// <remarks>
/// A case is <c>{"op", "case", "params", "inputs": [t...], "upstream": t|null, "output": t, "grads": [t|null...]}</c>
/// with <c>t = {"shape": [...], "data": [...]}</c> row-major. The engine computes in float32 and the reference in
/// float64 from float32-representable inputs, so values are compared with |actual − expected| ≤ atol + rtol·|expected|.
/// </remarks>
public static class ReferenceFixture
{
    /// <summary>A tensor as stored in a fixture.</summary>
    public sealed record TensorData(int[] Shape, float[] Data)
    {
        /// <summary>A fresh tensor holding the data.</summary>
        public Tensor ToTensor() => Tensor.FromArray(Data, Shape);
    }

    /// <summary>One reference case.</summary>
    public sealed record Case(string Op, string Label, JsonElement Params, TensorData[] Inputs, TensorData? Upstream, TensorData Output, TensorData?[] Grads)
    {
        /// <summary>"Op/case".</summary>
        public string Name => $"{Op}/{Label}";
        /// <summary>A float parameter.</summary>
        public float F(string name) => Params.GetProperty(name).GetSingle();
        /// <summary>An integer parameter.</summary>
        public int I(string name) => Params.GetProperty(name).GetInt32();
        /// <summary>A boolean parameter.</summary>
        public bool B(string name) => Params.GetProperty(name).GetBoolean();
        /// <summary>A string parameter.</summary>
        public string S(string name) => Params.GetProperty(name).GetString()!;
        /// <summary>Whether the parameter is present.</summary>
        public bool Has(string name) => Params.TryGetProperty(name, out var e) && e.ValueKind != JsonValueKind.Null;
        /// <summary>An integer-array parameter (null when the fixture stores null).</summary>
        public int[]? Ints(string name)
        {
            var e = Params.GetProperty(name);
            return e.ValueKind == JsonValueKind.Null ? null : e.EnumerateArray().Select(v => v.GetInt32()).ToArray();
        }
    }

    private static readonly Dictionary<string, Dictionary<string, Case>> Loaded = new();

    /// <summary>The cases of <c>Fixtures/<paramref name="file"/></c>, keyed by "Op/case" (loaded once).</summary>
    public static IReadOnlyDictionary<string, Case> Load(string file)
    {
        lock (Loaded)
        {
            if (Loaded.TryGetValue(file, out var cached)) return cached;
            var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", file);
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            var result = new Dictionary<string, Case>();
            foreach (var c in doc.RootElement.EnumerateArray())
            {
                var item = new Case(
                    c.GetProperty("op").GetString()!, c.GetProperty("case").GetString()!,
                    c.GetProperty("params").Clone(),
                    c.GetProperty("inputs").EnumerateArray().Select(ReadTensor).ToArray(),
                    ReadOptional(c.GetProperty("upstream")),
                    ReadTensor(c.GetProperty("output")),
                    c.GetProperty("grads").EnumerateArray().Select(ReadOptional).ToArray());
                result.Add(item.Name, item);
            }
            Loaded[file] = result;
            return result;
        }
    }

    /// <summary>xunit MemberData rows: one per case name of the file.</summary>
    public static IEnumerable<object[]> Names(string file) => Load(file).Keys.Select(k => new object[] { k });

    /// <summary>
    /// Checks <paramref name="f"/> against the case: its output without a tape, then under a tape its output again and
    /// the gradient of every input whose reference gradient is given.
    /// </summary>
    public static void Check(Case c, Func<Tensor[], Tensor> f, double atol = 1e-5, double rtol = 1e-5)
    {
        var inputs = c.Inputs.Select(t => t.ToTensor()).ToArray();
        AssertClose(c.Output, f(inputs), $"{c.Name}: output", atol, rtol);
        if (c.Upstream is null) return;

        inputs = c.Inputs.Select(t => t.ToTensor()).ToArray();
        var sources = Enumerable.Range(0, inputs.Length).Where(i => c.Grads[i] is not null).ToArray();
        using var tape = GradientTape.Begin();
        foreach (var i in sources) tape.Watch(inputs[i]);
        var y = f(inputs);
        AssertClose(c.Output, y, $"{c.Name}: output under a tape", atol, rtol);
        var loss = Ops.Sum(Ops.Multiply(y, c.Upstream.ToTensor()));
        var grads = tape.Gradient(loss, sources.Select(i => inputs[i]).ToArray());
        for (int k = 0; k < sources.Length; k++)
            AssertClose(c.Grads[sources[k]]!, grads[k], $"{c.Name}: gradient of input {sources[k]}", atol, rtol);
    }

    /// <summary>Asserts shape equality and element-wise closeness, printing both tensors on failure.</summary>
    public static void AssertClose(TensorData expected, Tensor actual, string what, double atol = 1e-5, double rtol = 1e-5)
    {
        Assert.True(expected.Shape.SequenceEqual(actual.Shape),
            $"{what}: shape {actual.ShapeString}, expected {TensorShape.Format(expected.Shape)}");
        var a = actual.ToArray();
        for (int i = 0; i < a.Length; i++)
        {
            double e = expected.Data[i], err = Math.Abs(a[i] - e);
            if (!(err <= atol + rtol * Math.Abs(e)))
                Assert.Fail($"{what}: element {i} is {a[i]:R}, expected {e:R} (error {err:E2}).\n actual:   [{string.Join(", ", a.Take(64))}]\n expected: [{string.Join(", ", expected.Data.Take(64))}]");
        }
    }

    private static TensorData ReadTensor(JsonElement e) => new(
        e.GetProperty("shape").EnumerateArray().Select(v => v.GetInt32()).ToArray(),
        e.GetProperty("data").EnumerateArray().Select(v => v.GetSingle()).ToArray());

    private static TensorData? ReadOptional(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : ReadTensor(e);
}
