using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Cortex.Keras.Callbacks;

/// <summary>
/// Keras's text progress bar: <c>128/469 [=======>......................] - ETA: 2s - loss: 0.4012 - accuracy: 0.8813</c>.
/// On a terminal it redraws in place; when output is redirected it writes only the final line of each target, as
/// Keras does in a non-interactive session.
/// </summary>
public sealed class Progbar
{
    private readonly int _target;
    private readonly int _width;
    private readonly int _verbose;
    private readonly TextWriter _out;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private double _lastDraw = double.NegativeInfinity;
    private int _lastLength;

    /// <summary>Creates a bar for <paramref name="target"/> steps; verbose 1 draws the bar, 2 prints one line at the end.</summary>
    public Progbar(int target, int width = 30, int verbose = 1, TextWriter? output = null, bool? interactive = null)
    {
        _target = target; _width = width; _verbose = verbose;
        _out = output ?? Console.Out;
        _interactive = interactive ?? (output is null && !Console.IsOutputRedirected);
    }

    /// <summary>Shows progress at step <paramref name="current"/> with the given values (averaged by the caller).</summary>
    public void Update(int current, IEnumerable<KeyValuePair<string, float>> values, bool finalize = false)
    {
        finalize |= current >= _target;
        double now = _clock.Elapsed.TotalSeconds;
        if (_verbose == 1)
        {
            if (!finalize && (!_interactive || now - _lastDraw < 0.05)) return;
            _lastDraw = now;
            var sb = new StringBuilder();
            int digits = _target.ToString(CultureInfo.InvariantCulture).Length;
            sb.Append(current.ToString(CultureInfo.InvariantCulture).PadLeft(digits)).Append('/').Append(_target).Append(" [");
            int done = _target > 0 ? (int)(_width * (double)current / _target) : _width;
            if (done > 0) { sb.Append('=', done - 1); sb.Append(current < _target ? '>' : '='); }
            sb.Append('.', _width - Math.Max(done, 0)).Append(']');
            double perStep = current > 0 ? now / current : 0;
            if (finalize) sb.Append(" - ").Append(FormatElapsed(now)).Append(' ').Append(FormatPerUnit(perStep, "step"));
            else sb.Append(" - ETA: ").Append(FormatEta(perStep * (_target - current)));
            AppendValues(sb, values);
            var line = sb.ToString();
            if (_interactive)
            {
                _out.Write('\r' + line + new string(' ', Math.Max(0, _lastLength - line.Length)));
                _lastLength = line.Length;
                if (finalize) _out.WriteLine();
            }
            else _out.WriteLine(line);
            _out.Flush();
        }
        else if (_verbose == 2 && finalize)
        {
            var sb = new StringBuilder();
            sb.Append(current).Append('/').Append(_target).Append(" - ").Append(FormatElapsed(now));
            AppendValues(sb, values);
            // Keras 2: "... - 2s/epoch - 4ms/step" (the bar lives for one epoch, so its age is the epoch's time).
            sb.Append(" - ").Append(FormatPerUnit(now, "epoch"));
            sb.Append(" - ").Append(FormatPerUnit(current > 0 ? now / current : 0, "step"));
            _out.WriteLine(sb.ToString());
            _out.Flush();
        }
    }

    private static void AppendValues(StringBuilder sb, IEnumerable<KeyValuePair<string, float>> values)
    {
        foreach (var (k, v) in values)
        {
            sb.Append(" - ").Append(k).Append(": ");
            // Keras 2: " %.4f" when |avg| > 1e-3, else " %.4e" (so a zero loss prints 0.0000e+00).
            sb.Append(Math.Abs(v) > 1e-3f ? v.ToString("0.0000", CultureInfo.InvariantCulture) : v.ToString("0.0000e+00", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>Keras 2's ETA: "%d:%02d:%02d" above an hour, "%d:%02d" above a minute, else "%ds" (truncated).</summary>
    private static string FormatEta(double s) => s > 3600 ? $"{(int)(s / 3600)}:{(int)(s % 3600 / 60):00}:{(int)(s % 60):00}"
        : s > 60 ? $"{(int)(s / 60)}:{(int)(s % 60):00}" : $"{(int)s}s";

    /// <summary>Keras 2's elapsed time, " - %.0fs".</summary>
    private static string FormatElapsed(double s) => $"{Math.Round(s, MidpointRounding.ToEven).ToString("0", CultureInfo.InvariantCulture)}s";

    /// <summary>Keras 2's <c>_format_time</c>: "4s/step", "12ms/step" or "350us/step".</summary>
    private static string FormatPerUnit(double s, string unit) => s >= 1 ? $"{s.ToString("0", CultureInfo.InvariantCulture)}s/{unit}"
        : s >= 1e-3 ? $"{(s * 1e3).ToString("0", CultureInfo.InvariantCulture)}ms/{unit}" : $"{(s * 1e6).ToString("0", CultureInfo.InvariantCulture)}us/{unit}";
}
