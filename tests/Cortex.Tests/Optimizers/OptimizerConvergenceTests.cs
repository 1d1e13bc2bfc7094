using Cortex.Keras;
using Cortex.Keras.Optimizers;

namespace Cortex.Tests.Optimizers;

/// <summary>Every optimizer drives an ill-conditioned quadratic towards its minimum.</summary>
public sealed class OptimizerConvergenceTests
{
    public static IEnumerable<object[]> Optimizers() => new (string, Func<Optimizer>)[]
    {
        ("sgd", () => new SGD(learningRate: 0.1f)),
        ("sgd_momentum", () => new SGD(learningRate: 0.05f, momentum: 0.9f)),
        ("sgd_nesterov", () => new SGD(learningRate: 0.05f, momentum: 0.9f, nesterov: true)),
        ("rmsprop", () => new RMSprop(learningRate: 0.01f)),
        ("rmsprop_centered_momentum", () => new RMSprop(learningRate: 0.005f, momentum: 0.5f, centered: true)),
        ("adagrad", () => new Adagrad(learningRate: 0.5f)),
        ("adadelta", () => new Adadelta(learningRate: 1f)),
        ("adam", () => new Adam(learningRate: 0.05f)),
        ("adam_amsgrad", () => new Adam(learningRate: 0.05f, amsgrad: true)),
        ("adamax", () => new Adamax(learningRate: 0.05f)),
        ("nadam", () => new Nadam(learningRate: 0.05f)),
        ("adam_clipnorm", () => new Adam(learningRate: 0.05f) { ClipNorm = 0.1f }),
    }.Select(x => new object[] { x.Item1, x.Item2 });

    /// <summary>f(w) = ½ Σ aᵢ (wᵢ − cᵢ)², gradient aᵢ (wᵢ − cᵢ), with curvatures aᵢ between 0.5 and 5.</summary>
    [Theory]
    [MemberData(nameof(Optimizers))]
    public void ReducesAQuadratic(string name, Func<Optimizer> create)
    {
        const int n = 37;
        var a = Enumerable.Range(0, n).Select(i => 0.5f + 4.5f * i / (n - 1)).ToArray();
        var c = Enumerable.Range(0, n).Select(i => MathF.Sin(i)).ToArray();
        var w = new Variable("w", Tensor.Zeros(n));
        var opt = create();
        float Loss() { var x = w.ToArray(); float s = 0; for (int i = 0; i < n; i++) s += 0.5f * a[i] * (x[i] - c[i]) * (x[i] - c[i]); return s; }
        float initial = Loss();
        var grad = Tensor.Zeros(n);
        for (int step = 0; step < 500; step++)
        {
            var x = w.Value.Span; var g = grad.Span;
            for (int i = 0; i < n; i++) g[i] = a[i] * (x[i] - c[i]);
            opt.Apply(new[] { grad }, new[] { w });
        }
        float final = Loss();
        Assert.True(float.IsFinite(final), $"{name}: loss became {final}");
        float target = name == "adadelta" ? 0.2f : 1e-3f;   // Adadelta's steps start at ~√ε: it gets there, slowly
        Assert.True(final < target * initial, $"{name}: loss {initial} → {final}");
    }
}
