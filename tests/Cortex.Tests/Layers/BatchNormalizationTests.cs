using Cortex.Autodiff;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Tests.Layers;

public class BatchNormalizationTests
{
    private const string File = "pooling_norm_reference.json";

    public static IEnumerable<object[]> Cases(string op)
        => ReferenceFixture.Names(File).Where(n => ((string)n[0]).StartsWith(op + "/"));

    public static IEnumerable<object[]> TrainingCases() => Cases("BatchNormTraining");
    public static IEnumerable<object[]> InferenceCases() => Cases("BatchNormInference");

    private static float[] Floats(ReferenceFixture.Case c, string name)
        => c.Params.GetProperty(name).EnumerateArray().Select(v => v.GetSingle()).ToArray();

    /// <summary>Applies f to x with the axis moved last, and moves it back.</summary>
    private static Tensor AlongAxis(Tensor x, int axis, Func<Tensor, Tensor> f)
    {
        int a = axis < 0 ? axis + x.Rank : axis;
        if (a == x.Rank - 1) return f(x);
        var perm = Enumerable.Range(0, x.Rank).Where(i => i != a).Append(a).ToArray();
        var inv = new int[perm.Length];
        for (int i = 0; i < perm.Length; i++) inv[perm[i]] = i;
        return Ops.Transpose(f(Ops.Transpose(x, perm)), inv);
    }

    /// <summary>A built layer holding the case's gamma, beta and moving statistics.</summary>
    private static BatchNormalization LayerFor(ReferenceFixture.Case c)
    {
        var bn = new BatchNormalization(c.I("axis"), c.F("momentum"), c.F("epsilon"), c.B("center"), c.B("scale"));
        bn.EnsureBuilt(c.Inputs[0].Shape);
        bn.Gamma?.Assign(c.Inputs[1].Data);
        bn.Beta?.Assign(c.Inputs[2].Data);
        bn.MovingMean.Assign(c.Inputs[3].Data);
        bn.MovingVariance.Assign(c.Inputs[4].Data);
        return bn;
    }

    [Theory]
    [MemberData(nameof(TrainingCases))]
    public void TrainingOpMatchesPyTorch(string name)
    {
        var c = ReferenceFixture.Load(File)[name];
        bool center = c.B("center"), scale = c.B("scale");
        ReferenceFixture.Check(c, t => AlongAxis(t[0], c.I("axis"),
            x => Ops.BatchNormTraining(x, scale ? t[1] : null, center ? t[2] : null, c.F("epsilon"), out _, out _)), 1e-4, 1e-4);
    }

    [Theory]
    [MemberData(nameof(InferenceCases))]
    public void InferenceOpMatchesPyTorch(string name)
    {
        var c = ReferenceFixture.Load(File)[name];
        bool center = c.B("center"), scale = c.B("scale");
        ReferenceFixture.Check(c, t => AlongAxis(t[0], c.I("axis"),
            x => Ops.BatchNormInference(x, t[3], t[4], scale ? t[1] : null, center ? t[2] : null, c.F("epsilon"))), 1e-4, 1e-4);
    }

    [Theory]
    [MemberData(nameof(TrainingCases))]
    public void TrainingLayerMatchesPyTorchAndUpdatesTheMovingStatisticsAsKeras3(string name)
    {
        var c = ReferenceFixture.Load(File)[name];
        var bn = LayerFor(c);
        var x = c.Inputs[0].ToTensor();
        using (var tape = GradientTape.Begin())
        {
            tape.Watch(x);
            var y = bn.Apply(x, training: true);
            ReferenceFixture.AssertClose(c.Output, y, $"{name}: output", 1e-4, 1e-4);
            var sources = new List<Tensor> { x };
            if (bn.Gamma is not null) sources.Add(bn.Gamma.Value);
            if (bn.Beta is not null) sources.Add(bn.Beta.Value);
            var grads = tape.Gradient(Ops.Sum(Ops.Multiply(y, c.Upstream!.ToTensor())), sources.ToArray());
            ReferenceFixture.AssertClose(c.Grads[0]!, grads[0], $"{name}: dx", 1e-4, 1e-4);
            int k = 1;
            if (bn.Gamma is not null) ReferenceFixture.AssertClose(c.Grads[1]!, grads[k++], $"{name}: dgamma", 1e-4, 1e-4);
            if (bn.Beta is not null) ReferenceFixture.AssertClose(c.Grads[2]!, grads[k], $"{name}: dbeta", 1e-4, 1e-4);
        }
        // moving = moving·momentum + batch·(1 − momentum), with the biased batch variance.
        var mm = Floats(c, "expected_moving_mean"); var mv = Floats(c, "expected_moving_variance");
        ReferenceFixture.AssertClose(new(new[] { mm.Length }, mm), bn.MovingMean.Value, $"{name}: moving_mean", 1e-5, 1e-5);
        ReferenceFixture.AssertClose(new(new[] { mv.Length }, mv), bn.MovingVariance.Value, $"{name}: moving_variance", 1e-5, 1e-5);
    }

    [Theory]
    [MemberData(nameof(InferenceCases))]
    public void InferenceLayerUsesAndKeepsTheMovingStatistics(string name)
    {
        var c = ReferenceFixture.Load(File)[name];
        var bn = LayerFor(c);
        ReferenceFixture.AssertClose(c.Output, bn.Apply(c.Inputs[0].ToTensor(), training: false), $"{name}: output", 1e-4, 1e-4);
        Assert.Equal(c.Inputs[3].Data, bn.MovingMean.ToArray());
        Assert.Equal(c.Inputs[4].Data, bn.MovingVariance.ToArray());
    }

    [Fact]
    public void AFrozenLayerNormalisesWithTheMovingStatisticsEvenInTraining()
    {
        var c = ReferenceFixture.Load(File)["BatchNormInference/nhwc_2x3x3x5"];
        var bn = LayerFor(c);
        bn.Trainable = false;
        Assert.Empty(bn.TrainableWeights);
        Assert.Equal(4, bn.NonTrainableWeights.Count);
        var x = c.Inputs[0].ToTensor();
        using var tape = GradientTape.Begin();
        tape.Watch(x);
        var y = bn.Apply(x, training: true);
        ReferenceFixture.AssertClose(c.Output, y, "frozen output", 1e-4, 1e-4);
        Assert.Equal(c.Inputs[3].Data, bn.MovingMean.ToArray());
        Assert.Equal(c.Inputs[4].Data, bn.MovingVariance.ToArray());
        // The input still gets its gradient (fine-tuning a model whose BN is frozen).
        var dx = tape.Gradient(Ops.Sum(Ops.Multiply(y, c.Upstream!.ToTensor())), x)[0];
        ReferenceFixture.AssertClose(c.Grads[0]!, dx, "frozen dx", 1e-4, 1e-4);

        bn.Trainable = true;
        bn.Apply(x, training: true);
        Assert.NotEqual(c.Inputs[3].Data, bn.MovingMean.ToArray());
    }

    [Fact]
    public void GradientsMatchFiniteDifferences()
    {
        var rng = new RandomGenerator(5);
        var x = rng.Normal(new[] { 4, 3, 6 });
        var gamma = Tensor.FromArray(new float[] { 0.7f, 1.3f, -0.9f, 1.1f, 0.5f, 2f }, 6);
        var beta = rng.Normal(new[] { 6 });
        var mean = rng.Normal(new[] { 6 });
        var variance = Tensor.FromArray(new float[] { 0.5f, 1f, 2f, 0.8f, 1.5f, 3f }, 6);
        GradientCheck.Assert(t => Ops.BatchNormTraining(t[0], t[1], t[2], 1e-3f, out _, out _), x, gamma, beta);
        GradientCheck.Assert(t => Ops.BatchNormTraining(t[0], null, null, 1e-3f, out _, out _), x);
        GradientCheck.Assert(t => Ops.BatchNormInference(t[0], mean, variance, t[1], t[2], 1e-3f), x, gamma, beta);

        var bn = new BatchNormalization(axis: 1);
        var xf = rng.Normal(new[] { 3, 4, 2, 2 });
        bn.Apply(xf);
        GradientCheck.Assert(t => bn.Call(t[0], training: true), xf);
        GradientCheck.Assert(_ => bn.Call(xf, training: true), bn.Gamma!.Value, bn.Beta!.Value);
        GradientCheck.Assert(t => bn.Call(t[0], training: false), xf);
    }

    [Fact]
    public void ManyRowBlocksAgreeWithTheComposedDefinition()
    {
        // 700 × 50 = 35,000 values: several row blocks, reduced in parallel.
        var rng = new RandomGenerator(9);
        var x = Ops.AddScalar(rng.Normal(new[] { 700, 50 }), 3f);
        var gamma = rng.Normal(new[] { 50 });
        var beta = rng.Normal(new[] { 50 });
        var g = rng.Normal(new[] { 700, 50 });

        Tensor[] Run(bool fused)
        {
            using var tape = GradientTape.Begin();
            tape.Watch(x); tape.Watch(gamma); tape.Watch(beta);
            Tensor y, mean, variance;
            if (fused) y = Ops.BatchNormTraining(x, gamma, beta, 1e-3f, out mean, out variance);
            else
            {
                mean = Ops.Mean(x, 0);
                variance = Ops.Var(x, new[] { 0 });
                y = Ops.Add(Ops.Multiply(gamma, Ops.Divide(Ops.Subtract(x, mean), Ops.Sqrt(Ops.AddScalar(variance, 1e-3f)))), beta);
            }
            var grads = tape.Gradient(Ops.Sum(Ops.Multiply(y, g)), x, gamma, beta);
            return new[] { y, mean, variance }.Concat(grads).ToArray();
        }

        var fusedResults = Run(true); var composed = Run(false);
        string[] what = { "y", "mean", "variance", "dx", "dgamma", "dbeta" };
        for (int k = 0; k < what.Length; k++)
        {
            var e = composed[k].ToArray();
            ReferenceFixture.AssertClose(new(composed[k].Shape.ToArray(), e), fusedResults[k], what[k], 2e-4, 2e-4);
        }
    }

    [Fact]
    public void WeightsFollowKerasOrderNamesAndTrainability()
    {
        var bn = new BatchNormalization(name: "bn");
        bn.Apply(Tensor.Ones(2, 3, 4));
        Assert.Equal(new[] { "bn/gamma", "bn/beta", "bn/moving_mean", "bn/moving_variance" }, bn.Weights.Select(w => w.Name));
        Assert.Equal(new[] { "bn/gamma", "bn/beta" }, bn.TrainableWeights.Select(w => w.Name));
        Assert.All(bn.Weights, w => Assert.Equal(new[] { 4 }, w.Shape));
        Assert.Equal(new float[] { 1, 1, 1, 1 }, bn.MovingVariance.ToArray());
        Assert.Equal(new float[] { 0, 0, 0, 0 }, bn.MovingMean.ToArray());
        Assert.Equal(16, bn.CountParams());

        var plain = new BatchNormalization(center: false, scale: false);
        plain.Apply(Tensor.Ones(2, 3));
        Assert.Null(plain.Gamma);
        Assert.Null(plain.Beta);
        Assert.Equal(2, plain.Weights.Count);
        Assert.Empty(plain.TrainableWeights);

        var cf = new BatchNormalization(axis: 1);
        cf.Apply(Tensor.Ones(2, 3, 5, 5));
        Assert.Equal(new[] { 3 }, cf.Gamma!.Shape);
        Assert.Equal(new[] { -1, 3, 5, 5 }, cf.OutputShape);
    }

    [Fact]
    public void TrainingUpdatesTheMovingStatisticsAndInferenceDoesNot()
    {
        var bn = new BatchNormalization(momentum: 0.5f);
        var x = Tensor.FromArray(new float[] { 1, 10, 3, 20, 5, 60 }, 3, 2);
        bn.Apply(x, training: false);
        Assert.Equal(new float[] { 0, 0 }, bn.MovingMean.ToArray());
        Assert.Equal(new float[] { 1, 1 }, bn.MovingVariance.ToArray());
        bn.Apply(x, training: true);
        // Batch mean (3, 30), biased variance (8/3, 1400/3); moving = 0.5·moving + 0.5·batch.
        Assert.Equal(new[] { 1.5, 15 }, bn.MovingMean.ToArray().Select(v => Math.Round(v, 4)));
        Assert.Equal(new[] { Math.Round(0.5 + 4.0 / 3, 4), Math.Round(0.5 + 700.0 / 3, 4) }, bn.MovingVariance.ToArray().Select(v => Math.Round(v, 4)));
        // The training output is normalised with the batch statistics: mean 0, variance var/(var+eps) per channel.
        var y = bn.Apply(x, training: true).ToArray();
        Assert.Equal(0, y[0] + y[2] + y[4], 4);
        Assert.Equal(0, y[1] + y[3] + y[5], 3);
    }

    [Collection(nameof(GlobalRandomCollection))]
    public class InAModel
    {
        [Fact]
        public void FitTrainsGammaAndBetaAndMovesTheStatistics()
        {
            RandomGenerator.SetGlobalSeed(4);
            var rng = new RandomGenerator(2);
            var x = Ops.AddScalar(Ops.MultiplyScalar(rng.Normal(new[] { 64, 3 }), 2f), 5f);
            var y = rng.Normal(new[] { 64, 1 });
            var bn = new BatchNormalization(inputShape: new[] { 3 });
            var model = new Sequential(bn, new Dense(1));
            model.Compile("sgd", "mse");
            model.Fit(x, y, batchSize: 16, epochs: 2, verbose: 0);
            Assert.NotEqual(new float[] { 1, 1, 1 }, bn.Gamma!.ToArray());
            Assert.NotEqual(new float[] { 0, 0, 0 }, bn.Beta!.ToArray());
            Assert.All(bn.MovingMean.ToArray(), m => Assert.InRange(m, 0.2f, 5f)); // 8 updates of 0.01 towards ≈ 5
            var p = model.Predict(x);
            Assert.Equal(new[] { 64, 1 }, p.Shape.ToArray());
        }
    }

    [Fact]
    public void ConfigHoldsKerasKeys()
    {
        var c = new BatchNormalization(axis: 1, momentum: 0.9f, epsilon: 1e-5f, center: false, gammaInitializer: "zeros", name: "bn_cfg").GetConfig();
        Assert.Equal("bn_cfg", c["name"]);
        Assert.Equal(1, c["axis"]);
        Assert.Equal(0.9f, c["momentum"]);
        Assert.Equal(1e-5f, c["epsilon"]);
        Assert.Equal(false, c["center"]);
        Assert.Equal(true, c["scale"]);
        foreach (var key in new[] { "beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer" })
            Assert.True(c.ContainsKey(key), key);
        var again = new BatchNormalization((int)c["axis"]!, (float)c["momentum"]!, (float)c["epsilon"]!, (bool)c["center"]!, (bool)c["scale"]!);
        Assert.Equal(1, again.Axis);
        Assert.Equal(0.9f, again.Momentum);
        Assert.Equal(1e-5f, again.Epsilon);
        Assert.False(again.Center);
        Assert.StartsWith("batch_normalization", new BatchNormalization().Name);
    }

    [Fact]
    public void BadArgumentsAndShapesAreClearErrors()
    {
        Assert.Contains("momentum=1.5", Assert.Throws<ArgumentException>(() => new BatchNormalization(momentum: 1.5f)).Message);
        Assert.Contains("epsilon=0", Assert.Throws<ArgumentException>(() => new BatchNormalization(epsilon: 0f)).Message);
        Assert.Contains("onez", Assert.Throws<ArgumentException>(() => new BatchNormalization(gammaInitializer: "onez")).Message);
        var e = Assert.Throws<ArgumentException>(() => new BatchNormalization(axis: 3, name: "bn_axis").Apply(Tensor.Ones(2, 4)));
        Assert.Contains("bn_axis", e.Message);
        Assert.Contains("axis=3", e.Message);
        Assert.Contains("(2, 4)", e.Message);
        var batch = Assert.Throws<ArgumentException>(() => new BatchNormalization(axis: 0, name: "bn_batch").Apply(Tensor.Ones(2, 4)));
        Assert.Contains("bn_batch", batch.Message);
        var bn = new BatchNormalization(name: "bn_built");
        bn.Apply(Tensor.Ones(2, 4));
        Assert.Contains("bn_built", Assert.Throws<ArgumentException>(() => bn.Apply(Tensor.Ones(2, 5))).Message);
        Assert.Contains("(5,)", Assert.Throws<ArgumentException>(() => Ops.BatchNormTraining(Tensor.Ones(2, 4), Tensor.Ones(5), null, 1e-3f, out _, out _)).Message);
    }
}
