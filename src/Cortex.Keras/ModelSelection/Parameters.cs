using System.Globalization;

namespace Cortex.Keras.ModelSelection;

/// <summary>Helpers shared by the estimators' and transformers' <c>SetParams</c>: name checks and value conversion.</summary>
public static class Parameters
{
    /// <summary>
    /// Throws when <paramref name="name"/> is not in <paramref name="valid"/>, with sklearn's message
    /// ("Invalid parameter 'x' for estimator E. Valid parameters are: [...]").
    /// </summary>
    /// <param name="owner">The estimator's description, e.g. <c>KerasClassifier</c>.</param>
    /// <param name="name">The parameter asked for.</param>
    /// <param name="valid">The parameter names the estimator has.</param>
    /// <exception cref="ArgumentException">The name is unknown.</exception>
    public static void CheckKnown(string owner, string name, IEnumerable<string> valid)
    {
        var list = valid.ToList();
        if (!list.Contains(name, StringComparer.Ordinal))
            throw new ArgumentException($"Invalid parameter '{name}' for estimator {owner}. Valid parameters are: [{string.Join(", ", list.OrderBy(s => s, StringComparer.Ordinal).Select(s => $"'{s}'"))}].");
    }

    /// <summary>A parameter value as an int: any integral number (boxed int, long, a double with no fraction).</summary>
    /// <exception cref="ArgumentException">The value is not a whole number.</exception>
    public static int ToInt(string name, object? value)
    {
        switch (value)
        {
            case int i: return i;
            case long l when l is >= int.MinValue and <= int.MaxValue: return (int)l;
            case short or byte or sbyte or ushort: return Convert.ToInt32(value, CultureInfo.InvariantCulture);
            case double d when Math.Floor(d) == d && Math.Abs(d) <= int.MaxValue: return (int)d;
            case float f when MathF.Floor(f) == f && MathF.Abs(f) <= int.MaxValue: return (int)f;
            default: throw new ArgumentException($"Parameter '{name}' must be an integer. Received: {name}={Format(value)}");
        }
    }

    /// <summary>A parameter value as a long (see <see cref="ToInt"/>).</summary>
    public static long ToLong(string name, object? value) => value switch
    {
        long l => l,
        int i => i,
        _ => ToInt(name, value),
    };

    /// <summary>A parameter value as a double: any number.</summary>
    /// <exception cref="ArgumentException">The value is not a number.</exception>
    public static double ToDouble(string name, object? value) => value switch
    {
        double d => d,
        float f => f,
        int or long or short or byte or decimal => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => throw new ArgumentException($"Parameter '{name}' must be a number. Received: {name}={Format(value)}"),
    };

    /// <summary>A parameter value as a bool.</summary>
    /// <exception cref="ArgumentException">The value is not a bool.</exception>
    public static bool ToBool(string name, object? value) => value is bool b ? b
        : throw new ArgumentException($"Parameter '{name}' must be true or false. Received: {name}={Format(value)}");

    /// <summary>A value as sklearn prints it in a parameter list: strings quoted, numbers invariant, null as None.</summary>
    public static string Format(object? value) => value switch
    {
        null => "None",
        string s => $"'{s}'",
        bool b => b ? "True" : "False",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable fm => fm.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.IEnumerable e => "(" + string.Join(", ", e.Cast<object?>().Select(Format)) + ")",
        _ => value.ToString() ?? "",
    };

    /// <summary>A parameter set as <c>{'a': 1, 'b': 'adam'}</c>, keys sorted.</summary>
    public static string Format(IReadOnlyDictionary<string, object?> parameters) =>
        "{" + string.Join(", ", parameters.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"'{p.Key}': {Format(p.Value)}")) + "}";
}
