namespace Cortex.Keras.Datasets;

/// <summary>
/// Plain-text corpora for character- and word-level language models: Lewis Carroll's <i>Alice's Adventures in
/// Wonderland</i> (NLTK's Gutenberg copy, 144,396 characters; the text of Keras's lstm_text_generation-style examples)
/// and Karpathy's Tiny Shakespeare (1,115,394 characters). Files <c>carroll-alice.txt[.gz]</c> and
/// <c>tinyshakespeare-input.txt[.gz]</c> in a <c>text/</c> dataset folder, searched as <see cref="DatasetLocator"/> does
/// (no download mirror). The shipped sample (<c>data/text-sample/</c>) has the first 20,000 characters of each.
/// </summary>
public static class TextCorpus
{
    /// <summary>The dataset's folder name.</summary>
    public const string Name = "text";
    /// <summary>The stem of Alice's file.</summary>
    public const string AliceStem = "carroll-alice.txt";
    /// <summary>The stem of Tiny Shakespeare's file.</summary>
    public const string TinyShakespeareStem = "tinyshakespeare-input.txt";

    /// <summary>The whole of Alice's Adventures in Wonderland.</summary>
    /// <param name="folder">A folder holding the file (or a <c>text/</c> sub-folder); null: the other places.</param>
    public static string LoadAlice(string? folder = null) => Load(AliceStem, folder);

    /// <summary>The whole of Tiny Shakespeare.</summary>
    /// <param name="folder">A folder holding the file (or a <c>text/</c> sub-folder); null: the other places.</param>
    public static string LoadTinyShakespeare(string? folder = null) => Load(TinyShakespeareStem, folder);

    /// <summary>The first 20,000 characters of Alice (the shipped sample).</summary>
    public static string LoadAliceSample() => LoadSample(AliceStem);

    /// <summary>The first 20,000 characters of Tiny Shakespeare (the shipped sample).</summary>
    public static string LoadTinyShakespeareSample() => LoadSample(TinyShakespeareStem);

    private static string Load(string stem, string? folder)
        => TextDatasetFiles.ReadAllText(TextDatasetFiles.Locate(Name, new[] { stem }, folder)[stem]);

    private static string LoadSample(string stem)
        => TextDatasetFiles.ReadAllText(TextDatasetFiles.Sample("text-sample", new[] { stem }, $"The text sample (data/text-sample/{stem}.gz)")[stem]);
}
