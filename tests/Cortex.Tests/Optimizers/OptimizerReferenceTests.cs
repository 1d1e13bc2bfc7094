using System.Text.Json;
using Cortex.Keras;
using Cortex.Keras.Optimizers;

namespace Cortex.Tests.Optimizers;

/// <summary>
/// Six steps of every optimizer (and of clipping and decay) on two small variables with fixed gradients, against
/// Keras 3's update rules computed in float64 by <c>tests/reference/optimizers_reference.py</c>
/// (<c>Fixtures/optimizers.json</c>; the script also cross-checks the rules with <c>torch.optim</c>).
/// </summary>
/// <remarks>
/// The variables have 21 and 5 elements, so both the vectorised loops and the scalar tails run. Weights are compared
/// after every step with |actual − expected| ≤ 1e-5 + 1e-5·|expected| (the engine computes in float32), and the
/// optimizer state after the last step slot by slot, names and Keras's order included.
/// </remarks>
public sealed class OptimizerReferenceTests
{
    private const double Atol = 1e-5, Rtol = 1e-5;

    private sealed record VariableData(string Name, int[] Shape, float[] Initial);
    private sealed record Case(string Name, string Optimizer, JsonElement Config, float[][][] Expected, (string Name, float[] Data)[] Slots);
    private sealed record Fixture(VariableData[] Variables, float[][][] Gradients, Dictionary<string, Case> Cases);

    private static readonly Lazy<Fixture> Data = new(Load);

    private static Fixture Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", "optimizers.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var variables = root.GetProperty("variables").EnumerateArray().Select(v => new VariableData(
            v.GetProperty("name").GetString()!,
            v.GetProperty("shape").EnumerateArray().Select(d => d.GetInt32()).ToArray(),
            Floats(v.GetProperty("initial")))).ToArray();
        var gradients = Steps(root.GetProperty("gradients"));
        var cases = new Dictionary<string, Case>();
        foreach (var c in root.GetProperty("cases").EnumerateArray())
        {
            var name = c.GetProperty("name").GetString()!;
            cases[name] = new Case(name, c.GetProperty("optimizer").GetString()!, c.GetProperty("config").Clone(),
                Steps(c.GetProperty("expected")),
                c.GetProperty("slots").EnumerateArray().Select(s => (s.GetProperty("name").GetString()!, Floats(s.GetProperty("data")))).ToArray());
        }
        return new Fixture(variables, gradients, cases);
    }

    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray();
    private static float[][][] Steps(JsonElement e) => e.EnumerateArray().Select(step => step.EnumerateArray().Select(Floats).ToArray()).ToArray();

    /// <summary>One row per fixture case.</summary>
    public static IEnumerable<object[]> CaseNames() => Data.Value.Cases.Keys.Select(k => new object[] { k });

    [Fact]
    public void FixtureCoversEveryOptimizerAndOption()
    {
        var names = Data.Value.Cases.Keys.ToHashSet();
        foreach (var required in new[] { "sgd_momentum", "sgd_nesterov", "rmsprop_momentum", "rmsprop_centered", "adagrad", "adadelta",
                     "adam", "adam_amsgrad", "adamax", "nadam", "sgd_clipnorm", "sgd_clipvalue", "sgd_global_clipnorm", "sgd_decay", "adam_decay" })
            Assert.Contains(required, names);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesKerasTrajectory(string caseName)
    {
        var fx = Data.Value;
        var c = fx.Cases[caseName];
        var optimizer = Create(c.Optimizer, c.Config);
        var variables = fx.Variables.Select(v => new Variable(v.Name, Tensor.FromArray(v.Initial, v.Shape))).ToList();
        for (int step = 0; step < fx.Gradients.Length; step++)
        {
            var grads = fx.Gradients[step].Select((g, i) => Tensor.FromArray(g, fx.Variables[i].Shape)).ToArray();
            optimizer.Apply(grads, variables);
            for (int i = 0; i < variables.Count; i++)
                AssertClose(c.Expected[step][i], variables[i].ToArray(), $"{caseName}: step {step + 1}, {variables[i].Name}");
        }
        Assert.Equal(fx.Gradients.Length, optimizer.Iterations);

        var state = optimizer.Variables;
        Assert.Equal(c.Slots.Select(s => s.Name), state.Select(v => v.Name));
        for (int i = 0; i < state.Count; i++)
            AssertClose(c.Slots[i].Data, state[i].ToArray(), $"{caseName}: slot {c.Slots[i].Name}");
    }

    private static void AssertClose(float[] expected, float[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int j = 0; j < expected.Length; j++)
        {
            double e = expected[j], a = actual[j];
            Assert.True(Math.Abs(a - e) <= Atol + Rtol * Math.Abs(e), $"{what}[{j}]: expected {e:R}, got {a:R}");
        }
    }

    /// <summary>Builds the optimizer from Keras's argument names.</summary>
    private static Optimizer Create(string kind, JsonElement config)
    {
        float F(string key) => config.GetProperty(key).GetSingle();
        bool B(string key) => config.GetProperty(key).GetBoolean();
        float? Opt(string key) => config.TryGetProperty(key, out var e) && e.ValueKind == JsonValueKind.Number ? e.GetSingle() : null;
        float decay = Opt("decay") ?? 0f;
        float? clipnorm = Opt("clipnorm"), clipvalue = Opt("clipvalue"), globalClipnorm = Opt("global_clipnorm");
        return kind switch
        {
            "sgd" => new SGD(F("learning_rate"), F("momentum"), B("nesterov")) { Decay = decay, ClipNorm = clipnorm, ClipValue = clipvalue, GlobalClipNorm = globalClipnorm },
            "rmsprop" => new RMSprop(F("learning_rate"), F("rho"), F("momentum"), F("epsilon"), B("centered")) { Decay = decay, ClipNorm = clipnorm, ClipValue = clipvalue, GlobalClipNorm = globalClipnorm },
            "adagrad" => new Adagrad(F("learning_rate"), F("initial_accumulator_value"), F("epsilon")) { Decay = decay, ClipNorm = clipnorm, ClipValue = clipvalue, GlobalClipNorm = globalClipnorm },
            "adadelta" => new Adadelta(F("learning_rate"), F("rho"), F("epsilon")) { Decay = decay, ClipNorm = clipnorm, ClipValue = clipvalue, GlobalClipNorm = globalClipnorm },
            "adam" => new Adam(F("learning_rate"), F("beta_1"), F("beta_2"), F("epsilon"), B("amsgrad")) { Decay = decay, ClipNorm = clipnorm, ClipValue = clipvalue, GlobalClipNorm = globalClipnorm },
            "adamax" => new Adamax(F("learning_rate"), F("beta_1"), F("beta_2"), F("epsilon")) { Decay = decay, ClipNorm = clipnorm, ClipValue = clipvalue, GlobalClipNorm = globalClipnorm },
            "nadam" => new Nadam(F("learning_rate"), F("beta_1"), F("beta_2"), F("epsilon")) { Decay = decay, ClipNorm = clipnorm, ClipValue = clipvalue, GlobalClipNorm = globalClipnorm },
            _ => throw new ArgumentException($"unknown optimizer {kind}"),
        };
    }
}
