using Cortex.Keras;
using Cortex.Keras.Optimizers;

namespace Cortex.Tests.Optimizers;

/// <summary>After the first step (which creates the slots) an update allocates nothing, clipping included.</summary>
public sealed class OptimizerAllocationTests
{
    public static IEnumerable<object[]> Optimizers() => new (string, Func<Optimizer>)[]
    {
        ("sgd", () => new SGD()),
        ("sgd_nesterov", () => new SGD(momentum: 0.9f, nesterov: true)),
        ("rmsprop", () => new RMSprop()),
        ("rmsprop_centered_momentum", () => new RMSprop(momentum: 0.9f, centered: true)),
        ("adagrad", () => new Adagrad()),
        ("adadelta", () => new Adadelta()),
        ("adam", () => new Adam()),
        ("adam_amsgrad", () => new Adam(amsgrad: true)),
        ("adamax", () => new Adamax()),
        ("nadam", () => new Nadam()),
        ("adam_clipnorm", () => new Adam { ClipNorm = 0.01f }),
        ("rmsprop_clipvalue", () => new RMSprop { ClipValue = 0.01f }),
        ("sgd_global_clipnorm", () => new SGD { GlobalClipNorm = 0.01f, Decay = 0.01f }),
    }.Select(x => new object[] { x.Item1, x.Item2 });

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void StepsAfterTheFirstDoNotAllocate(string name, Func<Optimizer> create)
    {
        var rng = new RandomGenerator(1);
        var variables = new List<Variable> { new("k", rng.Normal(new[] { 100, 33 })), new("b", rng.Normal(new[] { 33 })) };
        var grads = new[] { rng.Normal(new[] { 100, 33 }), rng.Normal(new[] { 33 }) };
        var opt = create();
        for (int i = 0; i < 3; i++) opt.Apply(grads, variables);   // first step builds the slots; then warm the code up
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++) opt.Apply(grads, variables);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.True(allocated == 0, $"{name}: 10 steps allocated {allocated} bytes");
    }
}
