using System.Globalization;

namespace Cortex.Keras.Optimizers.Schedules;

/// <summary>
/// Keras's <c>PiecewiseConstantDecay</c>: <c>values[0]</c> while step ≤ <c>boundaries[0]</c>, <c>values[i]</c> while
/// <c>boundaries[i-1]</c> &lt; step ≤ <c>boundaries[i]</c>, and the last value after the last boundary.
/// </summary>
public sealed class PiecewiseConstantDecay : LearningRateSchedule
{
    private readonly double[] _boundaries, _values;

    /// <summary>Creates the schedule.</summary>
    /// <param name="boundaries">Increasing step boundaries.</param>
    /// <param name="values">One more value than boundaries.</param>
    /// <param name="name">Defaults to "PiecewiseConstant" (Keras's default).</param>
    /// <exception cref="ArgumentException">The lengths do not fit, or the boundaries are not increasing.</exception>
    public PiecewiseConstantDecay(IReadOnlyList<double> boundaries, IReadOnlyList<double> values, string? name = null)
        : base(name ?? "PiecewiseConstant")
    {
        ArgumentNullException.ThrowIfNull(boundaries);
        ArgumentNullException.ThrowIfNull(values);
        if (boundaries.Count != values.Count - 1)
            throw new ArgumentException("The length of boundaries should be 1 less than the length of values. " +
                $"Received: boundaries={List(boundaries)} of length {boundaries.Count}, and values={List(values)} of length {values.Count}.", nameof(values));
        for (int i = 1; i < boundaries.Count; i++)
            if (!(boundaries[i] > boundaries[i - 1]))
                throw new ArgumentException($"PiecewiseConstantDecay: boundaries must be strictly increasing. Received: boundaries={List(boundaries)}", nameof(boundaries));
        _boundaries = boundaries.ToArray();
        _values = values.ToArray();
    }

    /// <summary>The step boundaries.</summary>
    public IReadOnlyList<double> Boundaries => _boundaries;
    /// <summary>The values between them.</summary>
    public IReadOnlyList<double> Values => _values;

    /// <inheritdoc/>
    protected override double Compute(double step)
    {
        int i = 0;
        while (i < _boundaries.Length && step > _boundaries[i]) i++;
        return _values[i];
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new()
    {
        ["boundaries"] = _boundaries.ToList(), ["values"] = _values.ToList(), ["name"] = Name,
    };

    private static string List(IReadOnlyList<double> xs) => "[" + string.Join(", ", xs.Select(x => x.ToString(CultureInfo.InvariantCulture))) + "]";
}
