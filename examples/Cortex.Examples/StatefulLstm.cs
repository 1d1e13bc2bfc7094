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
/// <para>The nets forecast the month-to-month change <c>d[t] = v[t+1] − v[t]</c>, scaled to [−1, 1] by a MinMaxScaler
/// fitted on the training part only; the forecast is the last value plus the predicted change, mapped back with
/// InverseTransform. (On the raw levels of a trending series the test values scale above the training range and
/// both nets lose to persistence; the differences keep the test inputs in range.)</para>
/// <list type="bullet">
/// <item>Stateless: LSTM(units) → Dense(1) on sliding windows of the last 12 changes (SlidingWindows), shuffled batches.</item>
/// <item>Stateful: the same net with batch_input_shape (1, 1, 1), a stateful LSTM fed one change per batch in time
/// order (shuffle=false), so the state carries the whole past; the states are reset before every epoch and before
/// the forecast, which first runs over the training months to warm the state up.</item>
/// </list>
/// The first two thirds of the months are the training part, the rest the test part; every forecast is scored on the
/// same test months.
/// </summary>
internal static class StatefulLstm
{
    private const int Units = 8, Window = 12;

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
        int statelessEpochs = o.Epochs ?? (sunspots ? 20 : 300), statefulEpochs = o.Epochs ?? (sunspots ? 5 : 300);
        float[] values = series.Values;
        int n = values.Length, trainLen = n * 2 / 3;
        Console.WriteLine($"{series.Name}: {n} values ({series.Dates[0]} .. {series.Dates[^1]}), train {trainLen}, test {n - trainLen}; LSTM({Units}), window {Window}");

        // d[k] = v[k+1] - v[k]; the training part's changes are d[0 .. trainLen-2] (they only involve training months).
        float[] changes = new float[n - 1];
        for (int k = 0; k < n - 1; k++) changes[k] = values[k + 1] - values[k];
        var scaler = new MinMaxScaler((-1, 1));
        scaler.Fit(ForecastTools.Column(changes.AsSpan(0, trainLen - 1)));
        float[] scaled = scaler.Transform(ForecastTools.Column(changes)).ToArray();
        // The test months are v[trainLen .. n-1]; month t is forecast as v[t-1] + the predicted change d[t-1].
        float[] actual = values[trainLen..];
        float[] Forecast(Tensor predictedChanges)
        {
            var change = scaler.InverseTransform(Ops.Reshape(predictedChanges, predictedChanges.Size, 1)).ToArray();
            return change.Select((c, i) => values[trainLen - 1 + i] + c).ToArray();
        }

        double persistence = ForecastTools.Rmse(values.AsSpan(trainLen - 1, n - trainLen), actual);
        var rows = new List<string[]> { new[] { "persistence (next = last)", "-", "-", $"{persistence:0.00}", "1.00" } };
        void Report(string name, int epochs, double seconds, float[] forecast)
        {
            double rmse = ForecastTools.Rmse(forecast, actual);
            Console.WriteLine($"{name}: test RMSE {rmse:0.00} ({epochs} epochs, {seconds:0.0} s)");
            rows.Add(new[] { name, epochs.ToString(ExampleTable.Culture), $"{seconds:0.0} s", $"{rmse:0.00}", $"{rmse / persistence:0.00}" });
        }

        // Stateless: x[i] = d[i .. i+Window), y[i] = d[i+Window]; training targets d[Window .. trainLen-2], then the test ones.
        {
            RandomGenerator.SetGlobalSeed(o.Seed);
            var (x, y) = SlidingWindows.Make(scaled, Window);
            int trainWindows = trainLen - 1 - Window;
            var model = new Sequential(new LSTM(Units, inputShape: new[] { Window, 1 }), new Dense(1));
            model.Compile(new Adam(learningRate: 0.01f), "mean_squared_error");
            var sw = Stopwatch.StartNew();
            model.Fit(Ops.SliceRows(x, 0, trainWindows), Ops.SliceRows(y, 0, trainWindows), batchSize: 8, epochs: statelessEpochs, verbose: 0);
            double seconds = sw.Elapsed.TotalSeconds;
            Report($"stateless LSTM, window {Window}, batch 8, shuffled", statelessEpochs, seconds,
                   Forecast(model.Predict(Ops.SliceRows(x, trainWindows, x.Shape[0] - trainWindows))));
        }

        // Stateful: x[j] = d[j], y[j] = d[j+1], batch size 1, the state carried from month to month.
        {
            RandomGenerator.SetGlobalSeed(o.Seed);
            var x = Tensor.FromArray(scaled[..^1], n - 2, 1, 1);
            var y = ForecastTools.Column(scaled.AsSpan(1));
            var model = new Sequential(new LSTM(Units, stateful: true, batchInputShape: new[] { 1, 1, 1 }), new Dense(1));
            model.Compile(new Adam(learningRate: 0.01f), "mean_squared_error");
            int trainSteps = trainLen - 2;                                  // targets d[1 .. trainLen-2]
            var xTrain = Ops.SliceRows(x, 0, trainSteps); var yTrain = Ops.SliceRows(y, 0, trainSteps);
            var sw = Stopwatch.StartNew();
            for (int epoch = 0; epoch < statefulEpochs; epoch++)
            {
                model.ResetStates();
                var h = model.Fit(xTrain, yTrain, batchSize: 1, epochs: 1, verbose: 0, shuffle: false);
                if (epoch == 0 || (epoch + 1) % Math.Max(1, statefulEpochs / 5) == 0)
                    Console.WriteLine($"  stateful epoch {epoch + 1}/{statefulEpochs}: loss {h["loss"][^1]:0.00000}");
            }
            double seconds = sw.Elapsed.TotalSeconds;
            // Reset, then run through every change in order; the outputs from j = trainLen-2 on forecast the test months.
            model.ResetStates();
            var all = model.Predict(x, batchSize: 1);
            Report("stateful LSTM, 1 step, batch 1, in order", statefulEpochs, seconds, Forecast(Ops.SliceRows(all, trainSteps, n - trainLen)));
        }

        Console.WriteLine();
        ExampleTable.Print(new[] { "forecast", "epochs", "fit time", "test RMSE", "vs persistence" }, rows);
        return 0;
    }
}
