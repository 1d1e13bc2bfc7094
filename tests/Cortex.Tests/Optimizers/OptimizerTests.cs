using Cortex.Keras;
using Cortex.Keras.Optimizers;

namespace Cortex.Tests.Optimizers;

/// <summary>The optimizer API: names, defaults, configuration, argument checks, slots and what <c>Apply</c> skips.</summary>
public sealed class OptimizerTests
{
    private static Variable Var(string name, float[] values, params int[] shape) => new(name, Tensor.FromArray(values, shape));

    [Theory]
    [InlineData("sgd", typeof(SGD))]
    [InlineData("SGD", typeof(SGD))]
    [InlineData("rmsprop", typeof(RMSprop))]
    [InlineData("RMSprop", typeof(RMSprop))]
    [InlineData("adagrad", typeof(Adagrad))]
    [InlineData("adadelta", typeof(Adadelta))]
    [InlineData("adam", typeof(Adam))]
    [InlineData("adamax", typeof(Adamax))]
    [InlineData("nadam", typeof(Nadam))]
    public void GetResolvesKerasNames(string name, Type expected) => Assert.IsType(expected, Optimizer.Get(name));

    [Fact]
    public void UnknownNameListsTheValidOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => Optimizer.Get("adamw"));
        Assert.Contains("adamw", e.Message);
        foreach (var n in new[] { "adadelta", "adagrad", "adam", "adamax", "nadam", "rmsprop", "sgd" }) Assert.Contains(n, e.Message);
    }

    [Fact]
    public void DefaultsMatchKeras3()
    {
        var sgd = new SGD();
        Assert.Equal((0.01f, 0f, false, "SGD"), (sgd.LearningRate, sgd.Momentum, sgd.Nesterov, sgd.Name));
        var rms = new RMSprop();
        Assert.Equal((0.001f, 0.9f, 0f, 1e-7f, false, "rmsprop"), (rms.LearningRate, rms.Rho, rms.Momentum, rms.Epsilon, rms.Centered, rms.Name));
        var adagrad = new Adagrad();
        Assert.Equal((0.001f, 0.1f, 1e-7f, "adagrad"), (adagrad.LearningRate, adagrad.InitialAccumulatorValue, adagrad.Epsilon, adagrad.Name));
        var adadelta = new Adadelta();
        Assert.Equal((0.001f, 0.95f, 1e-7f, "adadelta"), (adadelta.LearningRate, adadelta.Rho, adadelta.Epsilon, adadelta.Name));
        var adam = new Adam();
        Assert.Equal((0.001f, 0.9f, 0.999f, 1e-7f, false, "adam"), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon, adam.Amsgrad, adam.Name));
        var adamax = new Adamax();
        Assert.Equal((0.001f, 0.9f, 0.999f, 1e-7f, "adamax"), (adamax.LearningRate, adamax.Beta1, adamax.Beta2, adamax.Epsilon, adamax.Name));
        var nadam = new Nadam();
        Assert.Equal((0.001f, 0.9f, 0.999f, 1e-7f, "nadam"), (nadam.LearningRate, nadam.Beta1, nadam.Beta2, nadam.Epsilon, nadam.Name));
        foreach (var o in new Optimizer[] { sgd, rms, adagrad, adadelta, adam, adamax, nadam })
        {
            Assert.Null(o.ClipNorm); Assert.Null(o.ClipValue); Assert.Null(o.GlobalClipNorm);
            Assert.Equal(0f, o.Decay);
            Assert.Equal(0, o.Iterations);
        }
    }

    [Fact]
    public void GetConfigUsesKerasKeys()
    {
        var c = new Adam(learningRate: 0.01f, amsgrad: true) { ClipNorm = 1f, Name = "opt" }.GetConfig();
        Assert.Equal("opt", c["name"]);
        Assert.Equal(0.01f, c["learning_rate"]);
        Assert.Equal(1f, c["clipnorm"]);
        Assert.Null(c["clipvalue"]);
        Assert.Null(c["global_clipnorm"]);
        Assert.Equal(0.9f, c["beta_1"]);
        Assert.Equal(0.999f, c["beta_2"]);
        Assert.Equal(1e-7f, c["epsilon"]);
        Assert.Equal(true, c["amsgrad"]);
        Assert.False(c.ContainsKey("decay"));
        Assert.Equal(0.5f, new SGD { Decay = 0.5f }.GetConfig()["decay"]);
        var r = new RMSprop(centered: true).GetConfig();
        Assert.Equal(new object?[] { 0.9f, 0f, 1e-7f, true }, new[] { r["rho"], r["momentum"], r["epsilon"], r["centered"] });
        Assert.Equal(0.1f, new Adagrad().GetConfig()["initial_accumulator_value"]);
        Assert.Equal(false, new SGD().GetConfig()["nesterov"]);
    }

    [Fact]
    public void OnlyOneClippingOptionMayBeSet()
    {
        var e = Assert.Throws<ArgumentException>(() => new SGD { ClipNorm = 1f, ClipValue = 0.5f });
        Assert.Contains("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set", e.Message);
        Assert.Contains("clipnorm=1, clipvalue=0.5, global_clipnorm=None", e.Message);
        Assert.Throws<ArgumentException>(() => new Adam { GlobalClipNorm = 1f, ClipNorm = 1f });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam { ClipValue = -1f });
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam { Decay = -0.1f });
    }

    [Fact]
    public void SgdMomentumMustBeInUnitInterval()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new SGD(momentum: 1.5f));
        Assert.Contains("Received: momentum=1.5", e.Message);
    }

    [Fact]
    public void MismatchedShapesNameTheVariableAndBothShapes()
    {
        var w = Var("dense/kernel", new float[6], 2, 3);
        var e = Assert.Throws<ArgumentException>(() => new SGD().Apply(new[] { Tensor.Zeros(3, 2) }, new[] { w }));
        Assert.Contains("dense/kernel", e.Message);
        Assert.Contains("(3, 2)", e.Message);
        Assert.Contains("(2, 3)", e.Message);
    }

    [Fact]
    public void MismatchedCountsAreRejected()
    {
        var w = Var("w", new float[2], 2);
        var e = Assert.Throws<ArgumentException>(() => new SGD().Apply(new[] { Tensor.Zeros(2), Tensor.Zeros(2) }, new[] { w }));
        Assert.Contains("2 gradients for 1 variables", e.Message);
    }

    [Fact]
    public void NonTrainableVariablesAreSkipped()
    {
        var w = Var("w", new[] { 1f, 2f }, 2);
        var frozen = new Variable("frozen", Tensor.FromArray(new[] { 5f }, 1), trainable: false);
        var opt = new SGD(learningRate: 0.5f, momentum: 0.9f);
        opt.Apply(new[] { Tensor.FromArray(new[] { 1f, 1f }, 2), Tensor.FromArray(new[] { 1f }, 1) }, new[] { w, frozen });
        Assert.Equal(new[] { 0.5f, 1.5f }, w.ToArray());
        Assert.Equal(new[] { 5f }, frozen.ToArray());
        Assert.Equal(1, opt.Iterations);
        Assert.Equal(new[] { "w_momentum" }, opt.Variables.Select(v => v.Name));
    }

    [Fact]
    public void NothingToTrainIsANoOp()
    {
        var frozen = new Variable("frozen", Tensor.FromArray(new[] { 5f }, 1), trainable: false);
        var opt = new Adam();
        opt.Apply(Array.Empty<Tensor>(), Array.Empty<Variable>());
        opt.Apply(new[] { Tensor.FromArray(new[] { 1f }, 1) }, new[] { frozen });
        Assert.Equal(0, opt.Iterations);
        Assert.Empty(opt.Variables);
        Assert.Equal(5f, frozen.ToArray()[0]);
    }

    [Fact]
    public void SlotsAreKeyedByVariableIdentityAndPersist()
    {
        // Two variables with the same name get their own state.
        var a = Var("w", new[] { 0f }, 1);
        var b = Var("w", new[] { 0f }, 1);
        var opt = new SGD(learningRate: 1f, momentum: 0.5f);
        var g = Tensor.FromArray(new[] { 1f }, 1);
        opt.Apply(new[] { g }, new[] { a });
        opt.Apply(new[] { g }, new[] { a });          // m: −1, then −1.5 → a = −2.5
        opt.Apply(new[] { g }, new[] { b });          // fresh m: −1 → b = −1
        Assert.Equal(-2.5f, a.ToArray()[0]);
        Assert.Equal(-1f, b.ToArray()[0]);
        Assert.Equal(2, opt.Variables.Count);
        Assert.All(opt.Variables, v => Assert.False(v.Trainable));
    }

    [Fact]
    public void BuildCreatesStateUpFrontInKerasOrder()
    {
        var k = Var("dense/kernel", new float[4], 2, 2);
        var bias = Var("dense/bias", new float[2], 2);
        var adam = new Adam(amsgrad: true);
        adam.Build(new[] { k, bias });
        Assert.Equal(new[] { "dense_kernel_momentum", "dense_bias_momentum", "dense_kernel_velocity", "dense_bias_velocity",
            "dense_kernel_velocity_hat", "dense_bias_velocity_hat" }, adam.Variables.Select(v => v.Name));
        var adamax = new Adamax();
        adamax.Build(new[] { k, bias });
        Assert.Equal(new[] { "dense_kernel_momentum", "dense_kernel_norm", "dense_bias_momentum", "dense_bias_norm" }, adamax.Variables.Select(v => v.Name));
        var adagrad = new Adagrad(initialAccumulatorValue: 0.25f);
        adagrad.Build(new[] { k });
        Assert.All(adagrad.Variables[0].ToArray(), x => Assert.Equal(0.25f, x));
        Assert.Equal(new[] { 2, 2 }, adagrad.Variables[0].Shape);
    }

    [Fact]
    public void NullGradientsAreSkippedButNotAllOfThem()
    {
        var a = Var("a", new[] { 1f }, 1);
        var b = Var("b", new[] { 1f }, 1);
        var opt = new SGD(learningRate: 1f);
        opt.Apply(new Tensor[] { null!, Tensor.FromArray(new[] { 1f }, 1) }, new[] { a, b });
        Assert.Equal(1f, a.ToArray()[0]);
        Assert.Equal(0f, b.ToArray()[0]);
        var e = Assert.Throws<ArgumentException>(() => opt.Apply(new Tensor[] { null!, null! }, new[] { a, b }));
        Assert.Contains("No gradients provided for any variable", e.Message);
    }

    [Fact]
    public void DecayFollowsKeras2InverseTimeDecay()
    {
        var opt = new SGD(learningRate: 0.1f) { Decay = 0.5f };
        var w = Var("w", new[] { 0f }, 1);
        var g = Tensor.FromArray(new[] { 1f }, 1);
        Assert.Equal(0.1f, opt.CurrentLearningRate);
        opt.Apply(new[] { g }, new[] { w });          // lr 0.1
        Assert.Equal(0.1f / 1.5f, opt.CurrentLearningRate, 6);
        opt.Apply(new[] { g }, new[] { w });          // lr 0.1 / 1.5
        Assert.Equal(-(0.1f + 0.1f / 1.5f), w.ToArray()[0], 6);
        Assert.Equal(0.1f, opt.LearningRate);
    }

    [Fact]
    public void ClipNormLeavesSmallGradientsAlone()
    {
        var w = Var("w", new[] { 0f, 0f }, 2);
        var opt = new SGD(learningRate: 1f) { ClipNorm = 10f };
        opt.Apply(new[] { Tensor.FromArray(new[] { 3f, 4f }, 2) }, new[] { w });
        Assert.Equal(new[] { -3f, -4f }, w.ToArray());
        var clipped = new SGD(learningRate: 1f) { ClipNorm = 1f };
        clipped.Apply(new[] { Tensor.FromArray(new[] { 3f, 4f }, 2) }, new[] { w });
        Assert.Equal(-3.6f, w.ToArray()[0], 5);
        Assert.Equal(-4.8f, w.ToArray()[1], 5);
    }

    [Fact]
    public void LearningRateCanChangeBetweenSteps()
    {
        var w = Var("w", new[] { 0f }, 1);
        var opt = new SGD(learningRate: 1f);
        var g = Tensor.FromArray(new[] { 1f }, 1);
        opt.Apply(new[] { g }, new[] { w });
        opt.LearningRate = 0.25f;
        opt.Apply(new[] { g }, new[] { w });
        Assert.Equal(-1.25f, w.ToArray()[0]);
    }
}
