using System.Diagnostics;
using Cortex.Keras.Datasets;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Preprocessing.Scalers;
using Cortex.Keras.Preprocessing.Sequence;

namespace Cortex.Examples;

/// <summary>
/// One-step-ahead forecasting of a real monthly series (airline passengers by default, <c>--variant sunspots</c> for
/// monthly sunspots; the shipped sample unless --data names a <c>timeseries/</c> folder) with a stateless and a
/// stateful LSTM, scored by the test RMSE in the series' own units against the persistence forecast ("next month
/// = this month").
/// <list type="bullet">
/// <item>Stateless: LSTM(units) → Dense(1) on sliding windows of <c>window</c> months (SlidingWindows), shuffled batches.</item>
/// <item>Stateful: the same net with batch_input_shape (1, 1, 1) and stateful LSTM fed one month per batch in time
/// order (shuffle=false), so the state carries the whole past; the states are reset before every epoch and before
/// the forecast, which first runs over the training months to warm the state up.</item>
/// </list>
/// The first two thirds are the training part, the rest the test part. The MinMaxScaler is fitted on the training
/// part only (no look at the test range), so test values beyond the training maximum scale above 1.
/// </summary>
internal static class StatefulLstm
{
    private const int Units = 8;

    public static int Run(ExampleOptions o)
    {
        bool sunspots = o.Variant switch
        {
            null or "airline" => false,
            "sunspots" => true,
            _ => throw new ArgumentException($"unknown variant '{o.Variant}'; expected airline or sunspots."),
        };
        var series = sunspots
            ? (o.Data is null ? Timeseries.LoadSample("monthly-sunspots") : Timeseries.MonthlySunspots(o.Data))
            : (o.Data is null ? Timeseries.LoadSample("airline-passengers") : Timeseries.AirlinePassengers(o.Data));
        int window = sunspots ? 12 : 3;
        int statelessEpochs = o.Epochs ?? (sunspots ? 20 : 100), statefulEpochs = o.Epochs ?? (sunspots ? 5 : 100);
        float[] values = series.Values;
        int n = values.Length, trainLen = n * 2 / 3;
        Console.WriteLine($"{series.Name}: {n} values ({series.Dates[0]} .. {series.Dates[^1]}), train {trainLen}, test {n - trainLen}; window {window}, LSTM({Units})");

        var scaler = new MinMaxScaler();
        scaler.Fit(ForecastTools.Column(values.AsSpan(0, trainLen)));
        float[] scaled = scaler.Transform(ForecastTools.Column(values)).ToArray();
        // Targets are the values at index ≥ firstTest; every model forecasts exactly these from the months before them.
        int firstTest = trainLen;
        float[] actual = values[firstTest..];
        float[] Unscale(Tensor predictions) => scaler.InverseTransform(Ops.Reshape(predictions, predictions.Size, 1)).ToArray();

        double persistence = ForecastTools.Rmse(values.AsSpan(firstTest - 1, n - firstTest), actual);
        var rows = new List<string[]> { new[] { "persistence (next = last)", "-", "-", $"{persistence:0.00}", "-" } };

        // Stateless: windows ending before the target; train on the windows whose target is in the training part.
        {
            RandomGenerator.SetGlobalSeed(o.Seed);
            var (x, y) = SlidingWindows.Make(scaled, window);              // x[i] = scaled[i .. i+window), y[i] = scaled[i+window]
            int trainWindows = trainLen - window;                           // targets window .. trainLen-1
            var model = new Sequential(new LSTM(Units, inputShape: new[] { window, 1 }), new Dense(1));
            model.Compile(new Adam(learningRate: 0.01f), "mean_squared_error");
            var sw = Stopwatch.StartNew();
            model.Fit(Ops.SliceRows(x, 0, trainWindows), Ops.SliceRows(y, 0, trainWindows), batchSize: 8, epochs: statelessEpochs, verbose: 0);
            double seconds = sw.Elapsed.TotalSeconds;
            var predicted = Unscale(model.Predict(Ops.SliceRows(x, trainWindows, x.Shape[0] - trainWindows)));
            double rmse = ForecastTools.Rmse(predicted, actual);
            Console.WriteLine($"stateless LSTM on {window}-month windows: test RMSE {rmse:0.00} ({statelessEpochs} epochs, {seconds:0.0} s)");
            rows.Add(new[] { $"stateless LSTM, window {window}, batch 8, shuffled", statelessEpochs.ToString(ExampleTable.Culture), $"{seconds:0.0} s", $"{rmse:0.00}", $"{rmse / persistence:0.00}" });
        }

        // Stateful: one month in, the next month out, batch size 1, the state carried from month to month.
        {
            RandomGenerator.SetGlobalSeed(o.Seed);
            var x = Tensor.FromArray(scaled[..^1], n - 1, 1, 1);            // x[t] = scaled[t]
            var y = ForecastTools.Column(scaled.AsSpan(1));                 // y[t] = scaled[t + 1]
            var model = new Sequential(new LSTM(Units, stateful: true, batchInputShape: new[] { 1, 1, 1 }), new Dense(1));
            model.Compile(new Adam(learningRate: 0.01f), "mean_squared_error");
            int trainSteps = trainLen - 1;                                  // targets 1 .. trainLen-1
            var xTrain = Ops.SliceRows(x, 0, trainSteps); var yTrain = Ops.SliceRows(y, 0, trainSteps);
            var sw = Stopwatch.StartNew();
            for (int epoch = 0; epoch < statefulEpochs; epoch++)
            {
                ForecastTools.ResetStates(model);
                var h = model.Fit(xTrain, yTrain, batchSize: 1, epochs: 1, verbose: 0, shuffle: false);
                if (epoch == 0 || (epoch + 1) % Math.Max(1, statefulEpochs / 5) == 0)
                    Console.WriteLine($"  stateful epoch {epoch + 1}/{statefulEpochs}: loss {h["loss"][^1]:0.00000}");
            }
            double seconds = sw.Elapsed.TotalSeconds;
            // Forecast: reset, run through the whole series in order; the predictions for targets ≥ firstTest are the test forecasts.
            ForecastTools.ResetStates(model);
            var all = model.Predict(x, batchSize: 1);
            var predicted = Unscale(Ops.SliceRows(all, firstTest - 1, n - firstTest));
            double rmse = ForecastTools.Rmse(predicted, actual);
            Console.WriteLine($"stateful LSTM, one month at a time: test RMSE {rmse:0.00} ({statefulEpochs} epochs, {seconds:0.0} s)");
            rows.Add(new[] { "stateful LSTM, 1 step, batch 1, in order", statefulEpochs.ToString(ExampleTable.Culture), $"{seconds:0.0} s", $"{rmse:0.00}", $"{rmse / persistence:0.00}" });
        }

        Console.WriteLine();
        ExampleTable.Print(new[] { "forecast", "epochs", "fit time", "test RMSE", "vs persistence" }, rows);
        return 0;
    }
}
