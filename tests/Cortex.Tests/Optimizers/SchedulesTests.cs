using Cortex.Keras;
using Cortex.Keras.Callbacks;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Optimizers.Schedules;

namespace Cortex.Tests.Optimizers;

public class SchedulesTests
{
    [Fact]
    public void ExponentialDecayMatchesKerasFormulaAndDocsNumbers()
    {
        var s = new ExponentialDecay(1e-2, 10000, 0.9);
        foreach (long step in new long[] { 0, 1, 777, 5000, 10000, 123456 })
            Assert.Equal((float)(1e-2 * Math.Pow(0.9, step / 10000.0)), s.Call(step));
        Assert.Equal(0.009f, s.Call(10000), 7);
        Assert.Equal(0.0094868f, s.Call(5000), 6);
        var stair = new ExponentialDecay(1e-2, 10000, 0.9, staircase: true);
        Assert.Equal(0.01f, stair.Call(9999));
        Assert.Equal(0.009f, stair.Call(10000), 7);
        Assert.Equal("ExponentialDecay", s.Name);
        Assert.Equal(10000.0, s.GetConfig()["decay_steps"]);
    }

    [Fact]
    public void InverseTimeDecay()
    {
        var s = new InverseTimeDecay(0.1, 1.0, 0.5);
        Assert.Equal(0.05f, s.Call(2), 7);                // 0.1 / (1 + 0.5 * 2)
        Assert.Equal((float)(0.1 / (1 + 0.5 * 7)), s.Call(7));
        var stair = new InverseTimeDecay(0.1, 3, 0.5, staircase: true);
        Assert.Equal(0.1f, stair.Call(2));
        Assert.Equal((float)(0.1 / 1.5), stair.Call(3));
    }

    [Fact]
    public void PiecewiseConstantDecayBoundariesAreInclusiveOnTheLeftValue()
    {
        // Keras docs: boundaries [100000, 110000], values [1.0, 0.5, 0.1].
        var s = new PiecewiseConstantDecay(new double[] { 100000, 110000 }, new[] { 1.0, 0.5, 0.1 });
        Assert.Equal(1.0f, s.Call(0));
        Assert.Equal(1.0f, s.Call(100000));
        Assert.Equal(0.5f, s.Call(100001));
        Assert.Equal(0.5f, s.Call(110000));
        Assert.Equal(0.1f, s.Call(110001));
        Assert.Equal("PiecewiseConstant", s.Name);
        var e = Assert.Throws<ArgumentException>(() => new PiecewiseConstantDecay(new double[] { 10 }, new[] { 1.0 }));
        Assert.Contains("The length of boundaries should be 1 less than the length of values", e.Message);
        Assert.Contains("boundaries=[10] of length 1, and values=[1] of length 1", e.Message);
    }

    [Fact]
    public void PolynomialDecayWithAndWithoutCycle()
    {
        // Keras docs: 0.1 → 0.01 over 10000 steps with power 0.5.
        var s = new PolynomialDecay(0.1, 10000, 0.01, power: 0.5);
        Assert.Equal(0.1f, s.Call(0));
        Assert.Equal(0.0879423f, s.Call(2500), 6);        // 0.09 · √0.75 + 0.01
        Assert.Equal(0.01f, s.Call(10000), 7);
        Assert.Equal(0.01f, s.Call(50000), 7);            // held at the end rate
        var cyc = new PolynomialDecay(0.1, 10000, 0.01, power: 0.5, cycle: true);
        Assert.Equal(0.055f, cyc.Call(15000), 6);         // decay steps become 20000: 0.09 · √(1 − 0.75) + 0.01
        Assert.Equal((float)(0.09 * Math.Sqrt(1 - 10000.0 / 10000) + 0.01), cyc.Call(10000));
        Assert.Equal((float)(0.09 * Math.Sqrt(1 - 10001.0 / 20000) + 0.01), cyc.Call(10001));
        Assert.Equal(0.1f, cyc.Call(0));
        Assert.Equal(1e-4, new PolynomialDecay(0.1, 10).EndLearningRate);
    }

    [Fact]
    public void CosineDecayAndWarmup()
    {
        var s = new CosineDecay(0.1, 1000);
        Assert.Equal(0.1f, s.Call(0));
        Assert.Equal(0.05f, s.Call(500), 7);
        Assert.Equal(0f, s.Call(1000), 7);
        Assert.Equal(0f, s.Call(5000), 7);
        Assert.Equal((float)(0.1 * 0.5 * (1 + Math.Cos(Math.PI * 0.3))), s.Call(300));
        Assert.Equal(0.01f, new CosineDecay(0.1, 1000, alpha: 0.1).Call(1000), 7);
        var w = new CosineDecay(0.0, 1000, warmupTarget: 0.1, warmupSteps: 100);
        Assert.Equal(0f, w.Call(0));
        Assert.Equal(0.05f, w.Call(50), 7);
        Assert.Equal(0.1f, w.Call(100), 7);
        Assert.Equal(0.05f, w.Call(600), 7);
        Assert.Equal(0f, w.Call(99999), 7);
    }

    [Fact]
    public void CosineDecayRestartsPeriodsGrowAndPeaksShrink()
    {
        var s = new CosineDecayRestarts(1.0, 10, tMul: 2.0, mMul: 0.5);
        Assert.Equal(1f, s.Call(0));
        Assert.Equal(0.5f, s.Call(5), 6);
        Assert.Equal(0.5f, s.Call(10), 6);                // second period (length 20) starts at half the peak
        Assert.Equal(0.25f, s.Call(20), 6);               // halfway through it
        Assert.Equal(0.25f, s.Call(30), 6);               // third period starts at a quarter
        var flat = new CosineDecayRestarts(1.0, 10, tMul: 1.0, mMul: 0.5);
        Assert.Equal(0.25f, flat.Call(15), 6);
        Assert.Equal("SGDRDecay", s.Name);
    }

    [Fact]
    public void BadArgumentsGiveKerasErrors()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1, 0, 0.5));
        Assert.Contains("Argument `decay_steps` must be > 0. Received: decay_steps=0", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ExponentialDecay(0.1, 10, 0.5).Call(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CosineDecay(0.1, 10, warmupTarget: 1));
    }

    private static Variable Var(float value) => new("w", Tensor.FromArray(new[] { value }, 1));

    [Fact]
    public void OptimizerUsesTheScheduleAtItsIterationCount()
    {
        var schedule = new ExponentialDecay(0.1, 2, 0.5);
        var opt = new SGD(learningRate: 0.3f) { LearningRateSchedule = schedule };
        var w = Var(0f);
        var g = Tensor.FromArray(new[] { 1f }, 1);
        double expected = 0;
        for (int step = 0; step < 5; step++)
        {
            Assert.Equal(schedule.Call(step), opt.LearningRate);
            Assert.Equal(schedule.Call(step), opt.CurrentLearningRate);
            expected -= schedule.Call(step);
            opt.Apply(new[] { g }, new[] { w });
        }
        Assert.Equal((float)expected, w.ToArray()[0], 6);
        var e = Assert.Throws<InvalidOperationException>(() => opt.LearningRate = 0.5f);
        Assert.Contains("not settable", e.Message);
        var cfg = (Dictionary<string, object?>)opt.GetConfig()["learning_rate"]!;
        Assert.Equal("ExponentialDecay", cfg["class_name"]);
        Assert.Equal("keras.optimizers.schedules", cfg["module"]);
        opt.LearningRateSchedule = null;                    // back to the plain rate
        Assert.Equal(0.3f, opt.LearningRate);
        opt.LearningRate = 0.2f;
        Assert.Equal(0.2f, opt.GetConfig()["learning_rate"]);
    }

    [Fact]
    public void ScheduleDrivesAdamInsideFit()
    {
        var model = new Cortex.Keras.Models.Sequential(new Cortex.Keras.Layers.Dense(1, inputShape: new[] { 2 }));
        var adam = new Adam { LearningRateSchedule = new PiecewiseConstantDecay(new double[] { 3 }, new[] { 0.1, 0.01 }) };
        model.Compile(adam, "mse");
        var x = Tensor.Ones(8, 2);
        var seen = new List<float>();
        var probe = new LambdaCallback(onBatchBegin: (_, _) => seen.Add(adam.LearningRate));
        model.Fit(x, Tensor.Zeros(8, 1), batchSize: 2, epochs: 2, verbose: 0, shuffle: false, callbacks: new[] { probe });
        Assert.Equal(new[] { 0.1f, 0.1f, 0.1f, 0.1f, 0.01f, 0.01f, 0.01f, 0.01f }, seen);
        Assert.Equal(8, adam.Iterations);
    }
}
