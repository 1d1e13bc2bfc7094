using System.Globalization;

namespace Cortex.Examples;

/// <summary>Prints results as a Markdown table (ready to paste into docs/examples.md), columns padded to line up.</summary>
internal static class ExampleTable
{
    /// <summary>The culture numbers are formatted in (invariant, so the output is the same on every machine).</summary>
    public static readonly CultureInfo Culture = CultureInfo.InvariantCulture;

    public static void Print(IReadOnlyList<string> header, IReadOnlyList<string[]> rows)
    {
        var widths = header.Select((h, c) => rows.Select(r => r[c].Length).Append(h.Length).Max()).ToArray();
        string Line(IReadOnlyList<string> cells) => "| " + string.Join(" | ", cells.Select((s, c) => s.PadRight(widths[c]))) + " |";
        Console.WriteLine(Line(header));
        Console.WriteLine("| " + string.Join(" | ", widths.Select(w => new string('-', w))) + " |");
        foreach (var r in rows) Console.WriteLine(Line(r));
    }
}
