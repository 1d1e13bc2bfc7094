namespace Cortex.Keras.Datasets;

/// <summary>One token of a CoNLL-2000 sentence: the word, its part-of-speech tag and its chunk tag (IOB2).</summary>
public sealed record ConllToken(string Word, string Pos, string Chunk);

/// <summary>The CoNLL-2000 train and test sentences.</summary>
public sealed record Conll2000Data(IReadOnlyList<IReadOnlyList<ConllToken>> Train, IReadOnlyList<IReadOnlyList<ConllToken>> Test);

/// <summary>
/// The CoNLL-2000 chunking corpus (WSJ text with POS and chunk tags; 8,936 train and 2,012 test sentences), for
/// sequence labelling. Files <c>train.txt[.gz]</c>, <c>test.txt[.gz]</c>: one token per line as <c>word POS chunk</c>,
/// an empty line after each sentence. The shipped sample (<c>data/conll2000-sample/</c>) has the first 300 / 100
/// sentences. Searched as <see cref="DatasetLocator"/> does (no download mirror).
/// </summary>
public static class Conll2000
{
    /// <summary>The dataset's folder name.</summary>
    public const string Name = "conll2000";
    private static readonly string[] Stems = { "train.txt", "test.txt" };

    /// <summary>Loads both splits.</summary>
    /// <param name="folder">A folder holding the files (or a <c>conll2000/</c> sub-folder); null: the other places.</param>
    public static Conll2000Data Load(string? folder = null) => Read(TextDatasetFiles.Locate(Name, Stems, folder));

    /// <summary>Loads the shipped sample (300 train and 100 test sentences).</summary>
    public static Conll2000Data LoadSample() =>
        Read(TextDatasetFiles.Sample("conll2000-sample", Stems, "The CoNLL-2000 sample (data/conll2000-sample/ with train.txt.gz and test.txt.gz)"));

    private static Conll2000Data Read(DatasetLocation l) => new(ReadFile(l[Stems[0]]), ReadFile(l[Stems[1]]));

    /// <summary>Reads one file of sentences.</summary>
    /// <exception cref="InvalidDataException">A line does not have three fields; the message names the file and line.</exception>
    public static List<IReadOnlyList<ConllToken>> ReadFile(string path)
    {
        var sentences = new List<IReadOnlyList<ConllToken>>();
        var current = new List<ConllToken>();
        var lines = TextDatasetFiles.ReadLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                if (current.Count > 0) { sentences.Add(current); current = new List<ConllToken>(); }
                continue;
            }
            var f = lines[i].Split(' ');
            if (f.Length != 3) throw new InvalidDataException($"{path}, line {i + 1}: expected \"word POS chunk\" (three fields separated by spaces), found \"{lines[i]}\".");
            current.Add(new ConllToken(f[0], f[1], f[2]));
        }
        if (current.Count > 0) sentences.Add(current);
        return sentences;
    }
}
