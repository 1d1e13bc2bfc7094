using Cortex.Autodiff;
using Cortex.Keras;
using Cortex.Keras.Constraints;
using Cortex.Keras.Layers;
using Cortex.Keras.Losses;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Regularizers;

namespace Cortex.Tests.Regularizers;

/// <summary>L1/L2/L1L2, layer penalties (<see cref="Layer.Losses"/>, AddLoss) and their share of the training loss.</summary>
public sealed class RegularizerTests
{
    private static readonly float[] W = { 0.5f, -1f, 2f, 0.25f, -0.75f, 1.5f };   // a (3, 2) kernel

    private static Dense BuiltDense(Regularizer? kernel = null, Regularizer? bias = null, Regularizer? activity = null, Constraint? kc = null)
    {
        var d = new Dense(2, kernelRegularizer: kernel, biasRegularizer: bias, activityRegularizer: activity, kernelConstraint: kc);
        d.EnsureBuilt(new[] { -1, 3 });
        d.Kernel.Assign(W);
        d.Bias!.Assign(new[] { 0.1f, -0.2f });
        return d;
    }

    [Fact]
    public void PenaltiesFollowKerasFormulas()
    {
        var x = Tensor.FromArray(new[] { 1f, -2f, 3f }, 3);
        Assert.Equal(0.01f * 6f, new L1().Call(x).Item(), 6);          // Keras default l1=0.01
        Assert.Equal(0.01f * 14f, new L2().Call(x).Item(), 6);         // Keras default l2=0.01, no 1/2
        Assert.Equal(0.1f * 6f + 0.2f * 14f, new L1L2(0.1f, 0.2f).Call(x).Item(), 5);
        Assert.Equal(0f, new L1L2().Call(x).Item());                   // Keras 3: L1L2() penalises nothing
        Assert.Equal(0.01f, Assert.IsType<L2>(Regularizer.Get("l2")).Factor);
        Assert.Equal(0.01f, Assert.IsType<L1>(Regularizer.Get("l1")).Factor);
        var l1l2 = Assert.IsType<L1L2>(Regularizer.Get("l1_l2"));
        Assert.Equal(0f, l1l2.L1Factor);
        Assert.Equal(0f, l1l2.L2Factor);
        Assert.Equal(0.3f, new L2(0.3f).GetConfig()["l2"]);
    }

    [Fact]
    public void BadNamesAndFactorsAreRejectedWithKerasMessages()
    {
        var e = Assert.Throws<ArgumentException>(() => Regularizer.Get("l3"));
        Assert.Contains("Unknown regularizer: 'l3'", e.Message);
        Assert.Contains("l1_l2", e.Message);
        var f = Assert.Throws<ArgumentException>(() => new L2(-1f));
        Assert.StartsWith("Invalid value for argument l2: expected a non-negative float. Received: l2=-1", f.Message);
        Assert.Throws<ArgumentException>(() => new L1(float.NaN));
        Assert.Throws<ArgumentException>(() => new L1L2(0f, float.PositiveInfinity));
        Assert.Throws<ArgumentException>(() => new Dense(2, kernelRegularizer: "l5"));
    }

    [Fact]
    public void AnL2RegularisedKernelGetsTheDataGradientPlusTwoL2W()
    {
        var x = Tensor.FromArray(new[] { 1f, 2f, -1f, 0.5f, -0.5f, 3f }, 2, 3);
        float[] Grad(Dense d, bool withPenalty)
        {
            using var tape = GradientTape.Begin();
            var loss = Ops.Sum(Ops.Square(d.Apply(x)));
            if (withPenalty) foreach (var l in d.Losses) loss = Ops.Add(loss, l);
            return tape.Gradient(loss, new[] { d.Kernel.Value })[0].ToArray();
        }
        var plain = Grad(BuiltDense(), false);
        var regularised = BuiltDense(kernel: new L2(0.1f));
        Assert.Single(regularised.Losses);
        var g = Grad(regularised, true);
        for (int i = 0; i < W.Length; i++) Assert.Equal(plain[i] + 2f * 0.1f * W[i], g[i], 4);
    }

    [Fact]
    public void LossesListTheWeightPenaltiesOfTrainableWeightsOnly()
    {
        var d = BuiltDense(kernel: new L1(0.5f), bias: new L2(2f));
        var losses = d.Losses.Select(l => l.Item()).ToArray();
        Assert.Equal(new[] { 0.5f * 6f, 2f * (0.01f + 0.04f) }, losses, new FloatComparer(1e-5f));
        d.Trainable = false;                                         // Keras sums trainable_weights' regularizers
        Assert.Empty(d.Losses);
    }

    [Fact]
    public void ActivityPenaltyIsOnTheWholeBatchOutputAsInKeras3()
    {
        var d = BuiltDense(activity: new L1(0.1f));
        var x = Tensor.FromArray(new[] { 1f, 2f, -1f, 0.5f, -0.5f, 3f }, 2, 3);
        var y = d.Apply(x).ToArray();
        var loss = Assert.Single(d.Losses).Item();
        Assert.Equal(0.1f * y.Sum(Math.Abs), loss, 5);                // not divided by the batch size (Keras 2 did)
        d.ClearLosses();
        Assert.Empty(d.Losses);
    }

    [Fact]
    public void TheLoggedAndEvaluatedLossIncludeThePenalties()
    {
        var d = BuiltDense(kernel: new L2(0.05f));
        var model = new Sequential(new Layer[] { d });
        model.Compile(new SGD(learningRate: 0f), new MeanSquaredError());
        var x = Tensor.FromArray(new[] { 1f, 2f, -1f, 0.5f, -0.5f, 3f }, 2, 3);
        var y = Tensor.FromArray(new[] { 0f, 1f, 1f, 0f }, 2, 2);
        float mse = new MeanSquaredError().Call(y, d.Apply(x)).Item();
        d.ClearLosses();
        float penalty = 0.05f * W.Sum(w => w * w);
        Assert.Equal(mse + penalty, model.TrainOnBatch(x, y)["loss"], 4);
        Assert.Equal(mse + penalty, model.Evaluate(x, y, verbose: 0)["loss"], 4);
        Assert.Single(model.Losses);                                  // only the kernel penalty: nothing added piles up
    }

    [Fact]
    public void TheTrainStepDifferentiatesThePenalty()
    {
        // With zero data gradient (targets equal the outputs), one SGD step moves W by -lr·2·l2·W.
        var d = BuiltDense(kernel: new L2(0.5f));
        var model = new Sequential(new Layer[] { d });
        model.Compile(new SGD(learningRate: 0.1f), new MeanSquaredError());
        var x = Tensor.FromArray(new[] { 1f, 2f, -1f }, 1, 3);
        var y = d.Apply(x).Detach();
        d.ClearLosses();
        model.TrainOnBatch(x, y);
        var after = d.Kernel.ToArray();
        for (int i = 0; i < W.Length; i++) Assert.Equal(W[i] * (1f - 0.1f * 2f * 0.5f), after[i], 5);
    }

    /// <summary>A layer that adds its own loss, as a custom Keras layer calling <c>self.add_loss</c>.</summary>
    private sealed class AddsMeanLoss : Layer
    {
        public override Tensor Call(Tensor inputs, bool training)
        {
            AddLoss(Ops.MultiplyScalar(Ops.Mean(inputs), 3f));
            return inputs;
        }
    }

    [Fact]
    public void AddLossJoinsTheTrainingLossOnceAndIsCollected()
    {
        var d = BuiltDense();
        var model = new Sequential(new Layer[] { d, new AddsMeanLoss() });
        model.Compile(new SGD(learningRate: 0f), new MeanSquaredError());
        var x = Tensor.FromArray(new[] { 1f, 2f, -1f, 0.5f, -0.5f, 3f }, 2, 3);
        var y = Tensor.FromArray(new[] { 0f, 1f, 1f, 0f }, 2, 2);
        var pred = d.Apply(x);
        float expected = new MeanSquaredError().Call(y, pred).Item() + 3f * pred.ToArray().Average();
        Assert.Equal(expected, model.TrainOnBatch(x, y)["loss"], 4);
        Assert.Empty(model.Losses);                                  // collected by the step
        model.Predict(x);
        Assert.Empty(model.Losses);                                  // inference batches do not pile up
    }

    [Fact]
    public void ConvLayersTakeTheArguments()
    {
        var conv = new Conv2D(2, 3, kernelRegularizer: "l2", activityRegularizer: new L1(0.1f), kernelConstraint: new MaxNorm(1f, 0, 1, 2));
        conv.EnsureBuilt(new[] { -1, 5, 5, 1 });
        Assert.Single(conv.Losses);
        conv.Apply(Tensor.Ones(1, 5, 5, 1));
        Assert.Equal(2, conv.Losses.Count);
        Assert.IsType<MaxNorm>(conv.Kernel.Constraint);
        var cfg = conv.GetConfig();
        var reg = Assert.IsType<Dictionary<string, object?>>(cfg["kernel_regularizer"]);
        Assert.Equal("L2", reg["class_name"]);
        Assert.Null(cfg["bias_regularizer"]);
        var c1 = new Conv1D(2, 2, biasRegularizer: new L1(1f));
        c1.EnsureBuilt(new[] { -1, 4, 3 });
        Assert.Equal(0f, Assert.Single(c1.Losses).Item());            // zero bias
        var bn = new BatchNormalization(gammaRegularizer: new L2(1f), betaConstraint: new NonNeg());
        bn.EnsureBuilt(new[] { -1, 4 });
        Assert.Equal(4f, Assert.Single(bn.Losses).Item(), 5);         // gamma = ones(4)
        Assert.IsType<NonNeg>(bn.Beta!.Constraint);
    }

    internal sealed class FloatComparer(float tol) : IEqualityComparer<float>
    {
        public bool Equals(float a, float b) => Math.Abs(a - b) <= tol;
        public int GetHashCode(float v) => 0;
    }
}
