using System.Text;
using Cortex.Keras.Datasets;
using Cortex.Keras.Models;

namespace Cortex.Examples;

/// <summary>
/// What the character-level examples (<see cref="CharRnn"/>, <see cref="LstmTextGeneration"/>) share: the corpus, its
/// character vocabulary, the (window → next character) training pairs one-hot encoded as the books do, and the
/// generation loop that feeds the model its own predictions.
/// </summary>
internal sealed class CharText
{
    private readonly Dictionary<char, int> _index;

    /// <summary>Builds the vocabulary of <paramref name="text"/> (sorted characters, as Keras's example does).</summary>
    public CharText(string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(text);
        Text = text;
        Chars = text.Distinct().Order().ToArray();
        _index = Chars.Select((c, i) => (c, i)).ToDictionary(p => p.c, p => p.i);
    }

    /// <summary>The corpus.</summary>
    public string Text { get; }
    /// <summary>The vocabulary: index → character.</summary>
    public char[] Chars { get; }
    /// <summary>The vocabulary's size.</summary>
    public int Vocab => Chars.Length;

    /// <summary>
    /// Alice from <c>--data DIR</c> (a folder holding <c>carroll-alice.txt[.gz]</c> or a <c>text/</c> sub-folder), else the
    /// shipped 20,000-character sample; prints where it came from.
    /// </summary>
    public static string LoadAlice(string? data)
    {
        string text = data is null ? TextCorpus.LoadAliceSample() : TextCorpus.LoadAlice(data);
        Console.WriteLine($"Alice's Adventures in Wonderland from {(data is null ? "the shipped sample (data/text-sample)" : data)}: {text.Length:N0} characters");
        return text;
    }

    /// <summary>
    /// The cleaning of Deep Learning with Keras's alice_chargen_rnn.py: each line stripped and lower-cased, non-ASCII
    /// characters dropped, empty lines dropped, the lines joined with single spaces.
    /// </summary>
    public static string BookClean(string text) => string.Join(" ", text.Split('\n')
        .Select(l => new string(l.Trim().ToLowerInvariant().Where(char.IsAscii).ToArray()))
        .Where(l => l.Length > 0));

    /// <summary>The windows <c>text[i, i + length)</c> for i = 0, step, 2·step, … and the character after each.</summary>
    public (string[] Windows, char[] Next) Windows(int length, int step)
    {
        if (length <= 0 || step <= 0) throw new ArgumentException($"window length and step must be positive. Received: length={length}, step={step}");
        if (Text.Length <= length) throw new ArgumentException($"the text ({Text.Length} characters) is not longer than one window ({length}).");
        var windows = new List<string>();
        var next = new List<char>();
        for (int i = 0; i < Text.Length - length; i += step)
        {
            windows.Add(Text.Substring(i, length));
            next.Add(Text[i + length]);
        }
        return (windows.ToArray(), next.ToArray());
    }

    /// <summary>The windows one-hot encoded, (windows, length, vocab).</summary>
    public Tensor EncodeWindows(IReadOnlyList<string> windows)
    {
        int length = windows.Count == 0 ? 0 : windows[0].Length;
        var data = new float[windows.Count * length * Vocab];
        for (int w = 0; w < windows.Count; w++)
        {
            if (windows[w].Length != length) throw new ArgumentException($"window {w} has {windows[w].Length} characters, window 0 has {length}.");
            for (int t = 0; t < length; t++) data[(w * length + t) * Vocab + Index(windows[w][t])] = 1f;
        }
        return Tensor.FromArray(data, windows.Count, length, Vocab);
    }

    /// <summary>The characters one-hot encoded, (count, vocab).</summary>
    public Tensor EncodeChars(IReadOnlyList<char> chars)
    {
        var data = new float[chars.Count * Vocab];
        for (int i = 0; i < chars.Count; i++) data[i * Vocab + Index(chars[i])] = 1f;
        return Tensor.FromArray(data, chars.Count, Vocab);
    }

    private int Index(char c) => _index.TryGetValue(c, out int i) ? i
        : throw new ArgumentException($"character '{c}' (U+{(int)c:X4}) is not in the corpus's vocabulary.");

    /// <summary>
    /// Generates <paramref name="count"/> characters after <paramref name="seed"/>: at each step the last
    /// seed-length characters are encoded, the model predicts the next character's distribution, <paramref name="pick"/>
    /// chooses an index from it, and the window slides on by that character.
    /// </summary>
    public string Generate(Model model, string seed, int count, Func<float[], int> pick)
    {
        var sb = new StringBuilder(count);
        string window = seed;
        for (int i = 0; i < count; i++)
        {
            var probabilities = model.Predict(EncodeWindows(new[] { window }), batchSize: 1).ToArray();
            char c = Chars[pick(probabilities)];
            sb.Append(c);
            window = window[1..] + c;
        }
        return sb.ToString();
    }

    /// <summary>The index of the largest value (the book's greedy <c>np.argmax</c>).</summary>
    public static int ArgMax(float[] values)
    {
        int best = 0;
        for (int i = 1; i < values.Length; i++) if (values[i] > values[best]) best = i;
        return best;
    }

    /// <summary>The text on one line, for printing (newlines shown as ⏎).</summary>
    public static string OneLine(string s) => s.Replace("\r", "").Replace("\n", "⏎");
}
