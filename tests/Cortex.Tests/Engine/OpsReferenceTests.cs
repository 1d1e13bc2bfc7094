using System.Text.Json;
using Cortex.Autodiff;

namespace Cortex.Tests.Engine;

/// <summary>
/// Forward values and gradients of every op against PyTorch (float64) reference values, read from
/// <c>Fixtures/ops_reference.json</c>. Regenerate that file with
/// <c>/usr/bin/python3 tests/reference/generate_ops_reference.py</c> (see the script's docstring).
/// </summary>
/// <remarks>
/// Each case gives the op's inputs, its output, a fixed <c>upstream</c> tensor u and the gradients of
/// <c>sum(op(inputs) · u)</c> with respect to each input. The engine computes in float32, so values are compared with
/// |actual − expected| ≤ 1e-5 + 1e-5·|expected| (inputs are exactly representable in float32; the reference is float64).
/// </remarks>
public sealed class OpsReferenceTests
{
    private const string File = "ops_reference.json";

    private static IReadOnlyDictionary<string, ReferenceFixture.Case> Cases => ReferenceFixture.Load(File);

    /// <summary>One row per fixture case, named "Op/case".</summary>
    public static IEnumerable<object[]> CaseNames() => ReferenceFixture.Names(File);

    [Fact]
    public void FixtureCoversEveryOp()
    {
        var ops = Cases.Values.Select(c => c.Op).ToHashSet();
        string[] expected =
        {
            "Add", "Subtract", "Multiply", "Divide", "Maximum", "Minimum", "AddScalar", "MultiplyScalar", "Negate", "Square",
            "Sqrt", "Pow", "Exp", "Log", "Abs", "Clip", "Where", "BroadcastTo", "Sum", "Mean", "Max", "Min", "Var", "Reshape",
            "Transpose", "Slice", "SliceRows", "Concat", "Stack", "Flatten", "MatMul", "Relu", "Sigmoid", "Tanh", "Elu", "Selu",
            "Softplus", "Softsign", "HardSigmoid", "LeakyRelu", "Softmax", "LogSoftmax", "Gather", "SoftmaxCrossEntropy",
            "SparseSoftmaxCrossEntropy", "ArgMax", "OneHot", "Equal", "GreaterEqual", "Greater", "Sign", "TakeRows",
        };
        Assert.Empty(expected.Except(ops));
        Assert.Empty(ops.Except(expected));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorch(string name)
    {
        var c = Cases[name];
        ReferenceFixture.Check(c, Resolve(c.Op, c.Params));
    }

    // ------------------------------------------------------------------ op table

    private static Func<Tensor[], Tensor> Resolve(string op, JsonElement p) => op switch
    {
        "Add" => x => Ops.Add(x[0], x[1]),
        "Subtract" => x => Ops.Subtract(x[0], x[1]),
        "Multiply" => x => Ops.Multiply(x[0], x[1]),
        "Divide" => x => Ops.Divide(x[0], x[1]),
        "Maximum" => x => Ops.Maximum(x[0], x[1]),
        "Minimum" => x => Ops.Minimum(x[0], x[1]),
        "AddScalar" => x => Ops.AddScalar(x[0], F(p, "c")),
        "MultiplyScalar" => x => Ops.MultiplyScalar(x[0], F(p, "c")),
        "Negate" => x => Ops.Negate(x[0]),
        "Square" => x => Ops.Square(x[0]),
        "Sqrt" => x => Ops.Sqrt(x[0]),
        "Pow" => x => Ops.Pow(x[0], F(p, "p")),
        "Exp" => x => Ops.Exp(x[0]),
        "Log" => x => Ops.Log(x[0]),
        "Abs" => x => Ops.Abs(x[0]),
        "Clip" => x => Ops.Clip(x[0], F(p, "min"), F(p, "max")),
        "Where" => x => Ops.Where(x[0], x[1], x[2]),
        "BroadcastTo" => x => Ops.BroadcastTo(x[0], Ints(p, "shape")!),
        "Sum" => x => Ops.Sum(x[0], Ints(p, "axes"), B(p, "keepdims")),
        "Mean" => x => Ops.Mean(x[0], Ints(p, "axes"), B(p, "keepdims")),
        "Max" => x => Ops.Max(x[0], Ints(p, "axes"), B(p, "keepdims")),
        "Min" => x => Ops.Min(x[0], Ints(p, "axes"), B(p, "keepdims")),
        "Var" => x => Ops.Var(x[0], Ints(p, "axes"), B(p, "keepdims")),
        "Reshape" => x => Ops.Reshape(x[0], Ints(p, "shape")!),
        "Transpose" => x => Ops.Transpose(x[0], Ints(p, "perm")!),
        "Slice" => x => Ops.Slice(x[0], Ints(p, "start")!, Ints(p, "size")!),
        "SliceRows" => x => Ops.SliceRows(x[0], I(p, "start"), I(p, "count")),
        "Concat" => x => Ops.Concat(x, I(p, "axis")),
        "Stack" => x => Ops.Stack(x, I(p, "axis")),
        "Flatten" => x => Ops.Flatten(x[0]),
        "MatMul" => x => Ops.MatMul(x[0], x[1], B(p, "transpose_a"), B(p, "transpose_b")),
        "Relu" => x => Ops.Relu(x[0]),
        "Sigmoid" => x => Ops.Sigmoid(x[0]),
        "Tanh" => x => Ops.Tanh(x[0]),
        "Elu" => x => Ops.Elu(x[0], F(p, "alpha")),
        "Selu" => x => Ops.Selu(x[0]),
        "Softplus" => x => Ops.Softplus(x[0]),
        "Softsign" => x => Ops.Softsign(x[0]),
        // Defaults on purpose when the case gives no parameters: Keras 3's slope 1/6 and leaky alpha 0.2.
        "HardSigmoid" => p.TryGetProperty("slope", out _) ? x => Ops.HardSigmoid(x[0], F(p, "slope"), F(p, "offset")) : x => Ops.HardSigmoid(x[0]),
        "LeakyRelu" => p.TryGetProperty("alpha", out _) ? x => Ops.LeakyRelu(x[0], F(p, "alpha")) : x => Ops.LeakyRelu(x[0]),
        "Softmax" => x => Ops.Softmax(x[0], I(p, "axis")),
        "LogSoftmax" => x => Ops.LogSoftmax(x[0], I(p, "axis")),
        "Gather" => x => Ops.Gather(x[0], x[1]),
        "SoftmaxCrossEntropy" => x => Ops.SoftmaxCrossEntropy(x[0], x[1]),
        "SparseSoftmaxCrossEntropy" => x => Ops.SparseSoftmaxCrossEntropy(x[0], x[1]),
        "ArgMax" => x => Ops.ArgMax(x[0], I(p, "axis")),
        "OneHot" => x => Ops.OneHot(x[0], I(p, "depth")),
        "Equal" => x => Ops.Equal(x[0], x[1]),
        "GreaterEqual" => x => Ops.GreaterEqual(x[0], x[1]),
        "Greater" => x => Ops.Greater(x[0], x[1]),
        "Sign" => x => Ops.Sign(x[0]),
        "TakeRows" => x => Ops.TakeRows(x[0], Ints(p, "rows")),
        _ => throw new NotSupportedException($"no Cortex mapping for op '{op}' in the fixture."),
    };

    private static float F(JsonElement p, string name) => p.GetProperty(name).GetSingle();
    private static int I(JsonElement p, string name) => p.GetProperty(name).GetInt32();
    private static bool B(JsonElement p, string name) => p.GetProperty(name).GetBoolean();

    private static int[]? Ints(JsonElement p, string name)
    {
        var e = p.GetProperty(name);
        return e.ValueKind == JsonValueKind.Null ? null : e.EnumerateArray().Select(v => v.GetInt32()).ToArray();
    }
}
