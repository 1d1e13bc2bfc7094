using System.Globalization;

namespace Cortex.Keras.Datasets;

/// <summary>A univariate series: the time stamps (as written in the file) and the values.</summary>
/// <param name="Name">The series' name (its file stem).</param>
/// <param name="Dates">The first column ("1949-01", "1981-01-01", ...).</param>
/// <param name="Values">The second column.</param>
public sealed record TimeseriesData(string Name, string[] Dates, float[] Values)
{
    /// <summary>The values as a (steps, 1) tensor, ready for <see cref="Preprocessing.Sequence.SlidingWindows"/> or TimeseriesGenerator.</summary>
    public Tensor ToTensor() => Tensor.FromArray((float[])Values.Clone(), Values.Length, 1);
}

/// <summary>
/// Classic univariate series for forecasting: airline passengers (monthly, 1949–1960, 144 values), monthly sunspots
/// (1749–1983, 2,820) and Melbourne daily minimum temperatures (1981–1990, 3,650). CSV files
/// <c>airline-passengers.csv</c>, <c>monthly-sunspots.csv</c>, <c>daily-min-temperatures.csv</c> (plain or .gz) in a
/// <c>timeseries/</c> folder: a header line, then <c>"date",value</c>. Searched as <see cref="DatasetLocator"/> does (no
/// download mirror); the shipped sample (<c>data/timeseries-sample/</c>) has the three series whole.
/// </summary>
public static class Timeseries
{
    /// <summary>The dataset's folder name.</summary>
    public const string Name = "timeseries";
    private const string SampleName = "timeseries-sample";

    /// <summary>Monthly international airline passengers (thousands), 1949–1960.</summary>
    public static TimeseriesData AirlinePassengers(string? folder = null) => Load("airline-passengers.csv", folder);
    /// <summary>Monthly mean sunspot numbers, 1749–1983.</summary>
    public static TimeseriesData MonthlySunspots(string? folder = null) => Load("monthly-sunspots.csv", folder);
    /// <summary>Daily minimum temperatures in Melbourne (°C), 1981–1990.</summary>
    public static TimeseriesData DailyMinTemperatures(string? folder = null) => Load("daily-min-temperatures.csv", folder);

    /// <summary>A series from the shipped sample: "airline-passengers", "monthly-sunspots" or "daily-min-temperatures".</summary>
    public static TimeseriesData LoadSample(string name = "airline-passengers")
    {
        if (name is not ("airline-passengers" or "monthly-sunspots" or "daily-min-temperatures"))
            throw new ArgumentException($"unknown series \"{name}\"; expected \"airline-passengers\", \"monthly-sunspots\" or \"daily-min-temperatures\".", nameof(name));
        string stem = name + ".csv";
        return ReadCsv(TextDatasetFiles.Sample(SampleName, new[] { stem }, $"The time-series sample (data/{SampleName}/{stem}.gz)")[stem]);
    }

    private static TimeseriesData Load(string stem, string? folder) => ReadCsv(TextDatasetFiles.Locate(Name, new[] { stem }, folder)[stem]);

    /// <summary>Reads a two-column CSV with a header line (<c>"date",value</c>; quotes optional, \r\n allowed).</summary>
    /// <exception cref="InvalidDataException">A row is malformed; the message names the file and line.</exception>
    public static TimeseriesData ReadCsv(string path)
    {
        var lines = TextDatasetFiles.ReadLines(path);
        if (lines.Length < 2) throw new InvalidDataException($"{path}: expected a header line and at least one row.");
        var dates = new List<string>(); var values = new List<float>();
        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0) continue;
            var f = lines[i].Split(',');
            if (f.Length != 2 || !float.TryParse(f[1].Trim().Trim('"'), NumberStyles.Float, CultureInfo.InvariantCulture, out float v))
                throw new InvalidDataException($"{path}, line {i + 1}: expected \"date,value\" with a number, found \"{lines[i]}\".");
            dates.Add(f[0].Trim().Trim('"')); values.Add(v);
        }
        string name = Path.GetFileName(path);
        name = name.EndsWith(".gz", StringComparison.Ordinal) ? name[..^3] : name;
        return new TimeseriesData(name.EndsWith(".csv", StringComparison.Ordinal) ? name[..^4] : name, dates.ToArray(), values.ToArray());
    }
}
