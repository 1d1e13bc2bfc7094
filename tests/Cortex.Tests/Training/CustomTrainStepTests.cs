using Cortex.Autodiff;
using Cortex.Keras.Data;
using Cortex.Keras.Layers;
using Cortex.Keras.Losses;
using Cortex.Keras.Metrics;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using static Cortex.Tests.Training.TrainingTestUtil;

namespace Cortex.Tests.Training;

[Collection(nameof(GlobalRandomCollection))]
public class CustomTrainStepTests
{
    /// <summary>A GAN-like model: a generator and a discriminator, each trained by its own optimizer in one custom step.</summary>
    private sealed class Gan : Model
    {
        public readonly Sequential Generator = new(new Dense(4, activation: "tanh", inputShape: new[] { 2 }), new Dense(3));
        public readonly Sequential Discriminator = new(new Dense(4, activation: "relu", inputShape: new[] { 3 }), new Dense(1, activation: "sigmoid"));
        public readonly Adam GOpt = new(0.01f), DOpt = new(0.02f);
        public readonly Mean DLoss = new("d_loss"), GLoss = new("g_loss");
        public bool GeneratorChangedDuringDiscriminatorStep;
        private readonly BinaryCrossentropy _bce = new();

        public Gan() : base("gan") { }
        public override IReadOnlyList<Layer> Layers => Generator.Layers.Concat(Discriminator.Layers).ToList();
        public override Tensor Call(Tensor inputs, bool training) => Discriminator.Call(Generator.Call(inputs, training), training);

        public override IReadOnlyDictionary<string, float> TrainStep(DataElement data)
        {
            var noise = data.Input; var real = data.Target;
            int n = noise.Shape[0];
            var ones = Ops.AddScalar(Tensor.Zeros(n, 1), 1f); var zeros = Tensor.Zeros(n, 1);
            var gBefore = Snapshot(Generator.TrainableWeights);
            var dVars = Discriminator.TrainableWeights;
            using (var tape = GradientTape.Begin())
            {
                var fake = Generator.Call(noise, true);
                var d = Ops.Add(_bce.Call(ones, Discriminator.Call(real, true)), _bce.Call(zeros, Discriminator.Call(fake, true)));
                DOpt.Apply(tape.Gradient(d, dVars.Select(v => v.Value).ToArray()), dVars);
                using (GradientTape.NoGradient()) DLoss.UpdateState(d);
            }
            GeneratorChangedDuringDiscriminatorStep |= !gBefore.Zip(Snapshot(Generator.TrainableWeights)).All(p => p.First.SequenceEqual(p.Second));
            var gVars = Generator.TrainableWeights;
            using (var tape = GradientTape.Begin())
            {
                var g = _bce.Call(ones, Discriminator.Call(Generator.Call(noise, true), true));
                GOpt.Apply(tape.Gradient(g, gVars.Select(v => v.Value).ToArray()), gVars);
                using (GradientTape.NoGradient()) GLoss.UpdateState(g);
            }
            return new Dictionary<string, float> { ["d_loss"] = DLoss.Result(), ["g_loss"] = GLoss.Result() };
        }

        public override void ResetMetrics() { DLoss.ResetState(); GLoss.ResetState(); }
    }

    [Fact]
    public void A_gan_step_updates_each_model_only_with_its_own_optimizer()
    {
        var gan = new Gan();
        gan.Compile(gan.GOpt);
        var noise = Random(1, 16, 2); var real = Random(2, 16, 3);
        var g0 = Snapshot(gan.Generator.TrainableWeights); var d0 = Snapshot(gan.Discriminator.TrainableWeights);
        var h = gan.Fit(noise, real, batchSize: 4, epochs: 2, verbose: 0);

        Assert.Equal(new[] { "d_loss", "g_loss" }, h.HistoryData.Keys);
        Assert.Equal(8, gan.GOpt.Iterations);
        Assert.Equal(8, gan.DOpt.Iterations);
        // Each optimizer's slots (Adam's moments) belong to its own model's weights only.
        static bool Owns(Sequential m, string slot) => m.Layers.Any(l => slot.StartsWith(l.Name + "_"));
        Assert.NotEmpty(gan.GOpt.Variables);
        Assert.All(gan.GOpt.Variables, v => Assert.True(Owns(gan.Generator, v.Name) && !Owns(gan.Discriminator, v.Name), v.Name));
        Assert.All(gan.DOpt.Variables, v => Assert.True(Owns(gan.Discriminator, v.Name) && !Owns(gan.Generator, v.Name), v.Name));
        Assert.False(gan.GeneratorChangedDuringDiscriminatorStep);
        Assert.NotEqual(g0[0], gan.Generator.TrainableWeights[0].Value.ToArray());
        Assert.NotEqual(d0[0], gan.Discriminator.TrainableWeights[0].Value.ToArray());
    }

    [Fact]
    public void The_default_step_without_a_loss_says_so()
    {
        var model = new Sequential(new Dense(1, inputShape: new[] { 2 }));
        model.Compile(new SGD());
        var ex = Assert.Throws<InvalidOperationException>(() => model.Fit(Random(1, 4, 2), Random(2, 4, 1), verbose: 0));
        Assert.Contains("No loss to compute", ex.Message);
    }

    [Fact]
    public void ComputeLoss_and_the_tape_make_a_hand_written_loop_equal_to_fit()
    {
        var x = Random(3, 8, 3); var y = Random(4, 8, 2);
        var a = new Sequential(new Dense(2, inputShape: new[] { 3 }));
        var b = new Sequential(new Dense(2, inputShape: new[] { 3 }));
        CopyWeights(a, b);
        a.Compile(new SGD(0.1f), "mse"); b.Compile(new SGD(0.1f), "mse");
        a.Fit(x, y, batchSize: 8, epochs: 3, verbose: 0, shuffle: false);
        var vars = b.TrainableWeights;
        for (int i = 0; i < 3; i++)
        {
            using var tape = GradientTape.Begin();
            var loss = b.ComputeLoss(new[] { y }, new[] { b.Call(x, true) });
            b.Optimizer!.Apply(tape.Gradient(loss, vars.Select(v => v.Value).ToArray()), vars);
        }
        AssertWeightsClose(a, b);
    }
}
