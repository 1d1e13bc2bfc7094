using System.Globalization;

namespace Cortex.Keras.Callbacks;

/// <summary>Numbers written as Python's <c>repr(float)</c> writes them, for messages and logs that match Keras's text.</summary>
internal static class PyFormat
{
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
