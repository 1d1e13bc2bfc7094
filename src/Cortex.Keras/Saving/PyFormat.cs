using System.Globalization;
using System.Text;

namespace Cortex.Keras.Saving;

/// <summary>
/// Python's text formatting where Keras's output depends on it: <see cref="Format"/> is <c>str.format</c> for
/// checkpoint paths (<c>{epoch:02d}</c>, <c>{val_loss:.2f}</c>, <c>{loss:.4e}</c>, <c>{loss}</c>, and <c>{{</c> / <c>}}</c>
/// for braces; a key that is not available is an error listing the keys there are), and <see cref="Float"/> is
/// <c>repr(float)</c> for messages and CSV logs.
/// </summary>
public static class PyFormat
{
    /// <summary>Formats <paramref name="template"/> with <paramref name="values"/>.</summary>
    /// <exception cref="KeyNotFoundException">The template names a key that <paramref name="values"/> lacks.</exception>
    /// <exception cref="FormatException">The template is malformed or uses an unsupported format spec.</exception>
    public static string Format(string template, IReadOnlyDictionary<string, double> values, string what = "filepath")
    {
        var sb = new StringBuilder();
        for (int i = 0; i < template.Length; i++)
        {
            char c = template[i];
            if (c == '{' && i + 1 < template.Length && template[i + 1] == '{') { sb.Append('{'); i++; continue; }
            if (c == '}' && i + 1 < template.Length && template[i + 1] == '}') { sb.Append('}'); i++; continue; }
            if (c == '}') throw new FormatException($"Single '}}' encountered in the {what} format string \"{template}\".");
            if (c != '{') { sb.Append(c); continue; }
            int end = template.IndexOf('}', i);
            if (end < 0) throw new FormatException($"Single '{{' encountered in the {what} format string \"{template}\".");
            var field = template[(i + 1)..end];
            int colon = field.IndexOf(':');
            var key = colon < 0 ? field : field[..colon];
            var spec = colon < 0 ? "" : field[(colon + 1)..];
            if (!values.TryGetValue(key, out var v))
                throw new KeyNotFoundException($"Failed to format this callback {what}: \"{template}\". Reason: '{key}' is not available; " +
                    $"the available keys are: {string.Join(", ", values.Keys.OrderBy(k => k, StringComparer.Ordinal))}.");
            sb.Append(FormatValue(v, spec, template));
            i = end;
        }
        return sb.ToString();
    }

    private static string FormatValue(double v, string spec, string template)
    {
        var inv = CultureInfo.InvariantCulture;
        if (spec.Length == 0) return Math.Abs(v) < 1e15 && v == Math.Round(v) ? ((long)v).ToString(inv) : Repr(v);
        char type = spec[^1];
        var body = spec[..^1];
        bool zero = body.StartsWith('0');
        int precision = 6;
        int dot = body.IndexOf('.');
        var widthText = dot < 0 ? body : body[..dot];
        if (dot >= 0 && !int.TryParse(body[(dot + 1)..], NumberStyles.None, inv, out precision)) throw Bad(spec, template);
        int width = widthText.Length == 0 ? 0 : int.TryParse(widthText, NumberStyles.None, inv, out int w) ? w : throw Bad(spec, template);
        string s = type switch
        {
            'd' => ((long)Math.Round(v)).ToString(inv),
            'f' => v.ToString("F" + precision, inv),
            'e' => Exponent(v, precision),
            'g' => v.ToString("G" + Math.Max(precision, 1), inv),
            '%' => (v * 100).ToString("F" + precision, inv) + "%",
            _ => throw Bad(spec, template),
        };
        if (s.Length < width)
            s = zero ? (s.StartsWith('-') ? "-" + s[1..].PadLeft(width - 1, '0') : s.PadLeft(width, '0')) : s.PadLeft(width);
        return s;
    }

    private static string Repr(double v) => ((float)v).ToString("R", CultureInfo.InvariantCulture);

    private static string Exponent(double v, int precision)
    {
        var s = v.ToString((precision == 0 ? "0" : "0." + new string('0', precision)) + "e+00", CultureInfo.InvariantCulture);
        return s;
    }

    private static FormatException Bad(string spec, string template) => new($"Unsupported format spec ':{spec}' in \"{template}\" (supported: d, f, e, g, % with width and precision).");

    /// <summary>
    /// Python's shortest round-trip form of a double: <c>0.1</c>, <c>1.0</c>, <c>1e-05</c>, <c>nan</c>, <c>inf</c>.
    /// A float32 log value is widened first, as Keras's <c>float(np.float32)</c>: 0.1f → 0.10000000149011612.
    /// </summary>
    public static string Float(double v)
    {
        if (double.IsNaN(v)) return "nan";
        if (double.IsPositiveInfinity(v)) return "inf";
        if (double.IsNegativeInfinity(v)) return "-inf";
        string s = v.ToString("R", CultureInfo.InvariantCulture);
        int e = s.IndexOf('E');
        if (e >= 0)
        {
            // .NET "1E-05" / "1.5E+20" → Python "1e-05" / "1.5e+20" (exponent at least two digits).
            string mantissa = s[..e], exp = s[(e + 1)..];
            char sign = exp[0] == '-' ? '-' : '+';
            exp = exp.TrimStart('+', '-').PadLeft(2, '0');
            return $"{mantissa}e{sign}{exp}";
        }
        return s.Contains('.') ? s : s + ".0";
    }
}
