using Cortex.Autodiff;
using Cortex.Keras.Layers;

namespace Cortex.Tests.Keras;

[Collection(nameof(GlobalRandomCollection))]
public class LayerTests
{
    [Fact]
    public void DenseComputesActivationOfXWPlusB()
    {
        var d = new Dense(2, activation: "relu");
        var x = Tensor.FromArray(new float[] { 1, 2, 3, -1, 0, 1 }, 2, 3);
        d.Apply(x);
        d.Kernel.Assign(new float[] { 1, -1, 0, 1, 2, 0 });
        d.Bias!.Assign(new float[] { 0.5f, -0.5f });
        var y = d.Apply(x);
        Assert.Equal(new float[] { 7.5f, 0.5f, 1.5f, 0.5f }, y.ToArray());
        Assert.Equal(new[] { -1, 2 }, d.OutputShape);
        Assert.Equal(8, d.CountParams());
    }

    [Fact]
    public void DenseOnSequencesActsOnTheLastAxis()
    {
        var d = new Dense(4);
        var y = d.Apply(Tensor.Ones(2, 5, 3));
        Assert.Equal(new[] { 2, 5, 4 }, y.Shape.ToArray());
        Assert.Equal(new[] { -1, 5, 4 }, d.ComputeOutputShape(new[] { -1, 5, 3 }));
    }

    [Fact]
    public void DenseGradientMatchesFiniteDifferences()
    {
        var d = new Dense(3, activation: "tanh");
        var x = new RandomGenerator(1).Normal(new[] { 4, 5 });
        d.Apply(x);
        GradientCheck.Assert(t => d.Call(t[0], false), x);
        GradientCheck.Assert(_ => d.Call(x, false), d.Kernel.Value, d.Bias!.Value);
    }

    [Fact]
    public void ConstructorErrorsRepeatWhatWasReceived()
    {
        Assert.Contains("units=-3", Assert.Throws<ArgumentException>(() => new Dense(-3)).Message);
        Assert.Contains("rate=1.5", Assert.Throws<ArgumentException>(() => new Dropout(1.5f)).Message);
        var e = Assert.Throws<ArgumentException>(() => new Dense(3, activation: "relux"));
        Assert.Contains("relux", e.Message);
        Assert.Contains("softmax", e.Message);
    }

    [Fact]
    public void DropoutIsInvertedAndOnlyActiveInTraining()
    {
        RandomGenerator.SetGlobalSeed(3);
        var drop = new Dropout(0.25f);
        var x = Tensor.Ones(200, 100);
        Assert.Same(x, drop.Apply(x, training: false));
        var y = drop.Apply(x, training: true).ToArray();
        Assert.All(y, v => Assert.True(v == 0f || Math.Abs(v - 1f / 0.75f) < 1e-6f));
        double kept = y.Count(v => v != 0f) / (double)y.Length;
        Assert.InRange(kept, 0.73, 0.77);
        Assert.InRange(y.Average(), 0.97, 1.03);
    }

    [Fact]
    public void DropoutNoiseShapeSharesTheMask()
    {
        var drop = new Dropout(0.5f, noiseShape: new[] { -1, 1 }, seed: 4);
        var y = drop.Apply(Tensor.Ones(8, 6), training: true);
        for (int i = 0; i < 8; i++)
            for (int j = 1; j < 6; j++) Assert.Equal(y[i, 0], y[i, j]);
    }

    [Fact]
    public void FlattenReshapeAndActivationShapes()
    {
        var x = Tensor.Ones(2, 3, 4);
        Assert.Equal(new[] { 2, 12 }, new Flatten().Apply(x).Shape.ToArray());
        Assert.Equal(new[] { 2, 4, 3 }, new Reshape(new[] { 4, -1 }).Apply(x).Shape.ToArray());
        Assert.Throws<ArgumentException>(() => new Reshape(new[] { 5, -1 }).Apply(x));
        Assert.Equal(new[] { -1, 12 }, new Flatten().ComputeOutputShape(new[] { -1, 3, 4 }));
        var s = new Activation("softmax").Apply(x);
        Assert.Equal(1f, s[0, 0, 0] * 4, 5);
    }

    [Fact]
    public void EveryActivationNameWorksAndIsDifferentiable()
    {
        var x = Tensor.FromArray(new float[] { -1.3f, -0.4f, 0.3f, 1.7f }, 2, 2);
        foreach (var name in Cortex.Keras.Activations.Names)
        {
            var f = Cortex.Keras.Activations.Get(name);
            Assert.Equal(new[] { 2, 2 }, f(x).Shape.ToArray());
            if (name != "linear") GradientCheck.Assert(t => f(t[0]), x);
        }
    }

    [Fact]
    public void AutoNamesCountUpPerType()
    {
        var a = new Dense(1); var b = new Dense(1);
        Assert.NotEqual(a.Name, b.Name);
        Assert.StartsWith("dense", b.Name);
        Assert.Equal("batch_normalization", Layer.SnakeCase("BatchNormalization"));
        Assert.Equal("conv2d", Layer.SnakeCase("Conv2D"));
    }

    [Fact]
    public void ConfigHoldsTheConstructorArguments()
    {
        var c = new Dense(7, activation: "tanh", useBias: false, name: "head").GetConfig();
        Assert.Equal("head", c["name"]);
        Assert.Equal(7, c["units"]);
        Assert.Equal("tanh", c["activation"]);
        Assert.Equal(false, c["use_bias"]);
    }

    [Fact]
    public void GradientWithRespectToModelInputs()
    {
        var m = new Cortex.Keras.Models.Sequential(new Dense(3, activation: "sigmoid", inputShape: new[] { 2 }), new Dense(1));
        var x = Tensor.FromArray(new float[] { 0.5f, -1f }, 1, 2);
        using var tape = GradientTape.Begin();
        tape.Watch(x);
        var y = m.Forward(x);
        var g = tape.Gradient(y, x)[0];
        Assert.Equal(new[] { 1, 2 }, g.Shape.ToArray());
        Assert.True(g.ToArray().Any(v => v != 0f));
    }
}
