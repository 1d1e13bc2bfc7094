using System.Diagnostics;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Preprocessing.Sequence;

namespace Cortex.Examples;

/// <summary>
/// Deep Learning: From Basics to Practice ch.24 (recurrent networks): predicting a sine wave. The series is
/// <c>sin(0.1·t)</c> (about 63 samples a period); the first <see cref="TrainSteps"/> samples train, the next
/// <see cref="TestSteps"/> (a later stretch, never seen) test. Configurations, each scored by the test MSE of its
/// next-value forecasts:
/// <list type="bullet">
/// <item>one LSTM layer on windows of 3, 5, 10 and 20 samples (the window-size comparison), and a SimpleRNN on 10;</item>
/// <item>a deep RNN: three stacked LSTMs (return_sequences on the first two) on windows of 20;</item>
/// <item>return_sequences + TimeDistributed(Dense(1)): the net reads 20 samples and outputs the whole sequence shifted by
/// one step, i.e. a next-value forecast at every position (MSE over all positions, and at the last one, which is the
/// forecast comparable with the others).</item>
/// </list>
/// The next-value forecasts are all scored on the same 300 test targets (the first windows reach back into the training
/// samples); the shifted-sequence net on the windows inside the test part. A persistence forecast (next = last) gives the scale.
/// </summary>
internal static class SineRnn
{
    private const int TrainSteps = 1000, TestSteps = 300, Units = 16, BatchSize = 32;
    private const float Step = 0.1f;

    public static int Run(ExampleOptions o)
    {
        if (o.Data is not null) Console.WriteLine("sine_rnn generates its data; --data is ignored.");
        int epochs = o.Epochs ?? 20;
        var wave = Enumerable.Range(0, TrainSteps + TestSteps).Select(t => MathF.Sin(Step * t)).ToArray();
        var train = wave[..TrainSteps]; var test = wave[TrainSteps..];
        Console.WriteLine($"sin({Step}·t): {TrainSteps} training and {TestSteps} test samples; {epochs} epochs, batch {BatchSize}, Adam(0.01), {Units} units a layer");

        var rows = new List<string[]>();
        // Every next-value forecast is scored on the same targets, all test samples: its first windows reach back into the training part.
        rows.Add(new[] { "persistence (next = last)", "1", "-", "-", $"{ForecastTools.Mse(wave.AsSpan(TrainSteps - 1, TestSteps), test):0.000000}" });

        void NextValue(string name, int window, Func<Sequential> make)
        {
            var (x, y) = SlidingWindows.Make(train, window);
            var (xt, yt) = SlidingWindows.Make(wave.AsSpan(TrainSteps - window), window);
            var (mse, seconds, parameters) = Train(o.Seed, make, x, y, xt, epochs, p => ForecastTools.Mse(p.Span, yt.Span));
            Report(rows, name, window, parameters, seconds, $"{mse:0.000000}");
        }

        foreach (int window in new[] { 3, 5, 10, 20 })
            NextValue("LSTM", window, () => new Sequential(new LSTM(Units, inputShape: new[] { window, 1 }), new Dense(1)));
        NextValue("SimpleRNN", 10, () => new Sequential(new SimpleRNN(Units, inputShape: new[] { 10, 1 }), new Dense(1)));
        NextValue("deep: 3 stacked LSTMs", 20, () => new Sequential(
            new LSTM(Units, returnSequences: true, inputShape: new[] { 20, 1 }),
            new LSTM(Units, returnSequences: true),
            new LSTM(Units),
            new Dense(1)));

        // The whole sequence shifted by one: inputs series[i .. i+20), targets series[i+1 .. i+21).
        {
            const int window = 20;
            var (x, y) = Shifted(train, window);
            var (xt, yt) = Shifted(test, window);
            double lastStepMse = 0;
            var (mse, seconds, parameters) = Train(o.Seed, () => new Sequential(
                    new LSTM(Units, returnSequences: true, inputShape: new[] { window, 1 }),
                    new TimeDistributed(new Dense(1))),
                x, y, xt, epochs, p =>
                {
                    lastStepMse = ForecastTools.Mse(LastStep(p), LastStep(yt));
                    return ForecastTools.Mse(p.Span, yt.Span);
                });
            Report(rows, "LSTM(return_sequences) + TimeDistributed(Dense), shifted sequence", window, parameters, seconds,
                   $"{mse:0.000000} all steps, {lastStepMse:0.000000} last");
        }

        Console.WriteLine();
        ExampleTable.Print(new[] { "model", "window", "parameters", "fit time", "test MSE" }, rows);
        return 0;
    }

    private static (double Score, double Seconds, int Parameters) Train(int seed, Func<Sequential> make, Tensor x, Tensor y, Tensor xTest,
        int epochs, Func<Tensor, double> score)
    {
        RandomGenerator.SetGlobalSeed(seed);
        var model = make();
        model.Compile(new Adam(learningRate: 0.01f), "mean_squared_error");
        var sw = Stopwatch.StartNew();
        model.Fit(x, y, batchSize: BatchSize, epochs: epochs, verbose: 0);
        double seconds = sw.Elapsed.TotalSeconds;
        return (score(model.Predict(xTest)), seconds, model.CountParams());
    }

    private static void Report(List<string[]> rows, string name, int window, int parameters, double seconds, string mse)
    {
        Console.WriteLine($"{name}, window {window}: test MSE {mse} ({seconds:0.0} s)");
        rows.Add(new[] { name, window.ToString(ExampleTable.Culture), parameters.ToString(ExampleTable.Culture), $"{seconds:0.0} s", mse });
    }

    /// <summary>Inputs <c>series[i .. i+window)</c> and targets <c>series[i+1 .. i+window+1)</c>, both (n, window, 1).</summary>
    private static (Tensor X, Tensor Y) Shifted(float[] series, int window) =>
        (SlidingWindows.Make(series.AsSpan(0, series.Length - 1), window).X, SlidingWindows.Make(series.AsSpan(1), window).X);

    /// <summary>The last time step of each (n, window, 1) sequence.</summary>
    private static float[] LastStep(Tensor sequences)
    {
        int n = sequences.Shape[0], window = sequences.Shape[1];
        var data = sequences.Contiguous().Span;
        var last = new float[n];
        for (int i = 0; i < n; i++) last[i] = data[i * window + window - 1];
        return last;
    }
}
