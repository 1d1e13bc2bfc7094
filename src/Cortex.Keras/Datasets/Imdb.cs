using Cortex.Keras.Preprocessing.Text;

namespace Cortex.Keras.Datasets;

/// <summary>One split of the IMDB reviews: raw texts and labels (0 negative, 1 positive) with the original ratings.</summary>
/// <param name="Texts">The review texts as published (HTML line breaks <c>&lt;br /&gt;</c> included).</param>
/// <param name="Labels">0 = negative (rating 1–4), 1 = positive (rating 7–10).</param>
/// <param name="Ratings">The rating (1–10) from the original file name.</param>
public sealed record ImdbSplit(string[] Texts, int[] Labels, int[] Ratings)
{
    /// <summary>The number of reviews.</summary>
    public int Count => Texts.Length;
}

/// <summary>The IMDB train and test splits.</summary>
public sealed record ImdbData(ImdbSplit Train, ImdbSplit Test);

/// <summary>IMDB as id sequences, as Keras's <c>imdb.load_data</c> returns it, with the word index used.</summary>
/// <param name="XTrain">Training reviews as word-id sequences.</param>
/// <param name="YTrain">Training labels.</param>
/// <param name="XTest">Test reviews as word-id sequences.</param>
/// <param name="YTest">Test labels.</param>
/// <param name="WordIndex">Word → frequency rank (1 = most frequent), before the index_from offset (Keras's <c>get_word_index</c>).</param>
public sealed record ImdbSequences(int[][] XTrain, int[] YTrain, int[][] XTest, int[] YTest, IReadOnlyDictionary<string, int> WordIndex);

/// <summary>
/// The IMDB movie-review sentiment data set (Large Movie Review Dataset v1.0, Maas et al. 2011): 25,000 train and
/// 25,000 test reviews, half positive. <see cref="Load"/> reads the raw reviews from <c>imdb_train.tsv[.gz]</c> and
/// <c>imdb_test.tsv[.gz]</c> (a header line <c>label\trating\tid\ttext</c>, then one review per line);
/// <see cref="LoadSample"/> reads the shipped sample (the first 250 negative and 250 positive reviews of each split).
/// </summary>
/// <remarks>Search order as <see cref="DatasetLocator"/>: the folder given, <c>$CORTEX_DATASETS/imdb</c>, the cache;
/// there is no download mirror for the raw reviews.</remarks>
public static class Imdb
{
    /// <summary>The dataset's folder name.</summary>
    public const string Name = "imdb";
    private static readonly string[] Stems = { "imdb_train.tsv", "imdb_test.tsv" };

    /// <summary>Loads the raw reviews of both splits.</summary>
    /// <param name="folder">A folder holding the two files (or an <c>imdb/</c> sub-folder); null: the other places.</param>
    public static ImdbData Load(string? folder = null) => Read(TextDatasetFiles.Locate(Name, Stems, folder));

    /// <summary>Loads the sample shipped with Cortex (<c>data/imdb-sample/</c>: 500 reviews per split, balanced).</summary>
    public static ImdbData LoadSample() =>
        Read(TextDatasetFiles.Sample("imdb-sample", Stems, "The IMDB sample (data/imdb-sample/ with imdb_train.tsv.gz and imdb_test.tsv.gz)"));

    private static ImdbData Read(DatasetLocation location) => new(ReadSplit(location[Stems[0]]), ReadSplit(location[Stems[1]]));

    /// <summary>Reads one split file.</summary>
    /// <exception cref="InvalidDataException">A line is malformed; the message names the file and line.</exception>
    public static ImdbSplit ReadSplit(string path)
    {
        var lines = TextDatasetFiles.ReadLines(path);
        if (lines.Length == 0 || !lines[0].StartsWith("label\trating\tid\ttext", StringComparison.Ordinal))
            throw new InvalidDataException($"{path}: expected the header line \"label<TAB>rating<TAB>id<TAB>text\".");
        var texts = new string[lines.Length - 1]; var labels = new int[texts.Length]; var ratings = new int[texts.Length];
        for (int i = 1; i < lines.Length; i++)
        {
            var parts = lines[i].Split('\t', 4);
            if (parts.Length != 4 || !int.TryParse(parts[0], out int label) || label is not (0 or 1) || !int.TryParse(parts[1], out int rating))
                throw new InvalidDataException($"{path}, line {i + 1}: expected \"label<TAB>rating<TAB>id<TAB>text\" with label 0 or 1.");
            labels[i - 1] = label; ratings[i - 1] = rating; texts[i - 1] = parts[3];
        }
        return new ImdbSplit(texts, labels, ratings);
    }

    /// <summary>
    /// IMDB as word-id sequences, with Keras's <c>imdb.load_data</c> arguments and rules: each review becomes
    /// <c>[start_char] + [rank + index_from for each word]</c>; reviews longer than <paramref name="maxlen"/> (counting
    /// the start char) are dropped; ids outside [skip_top, num_words) become oov_char (or are removed when it is null).
    /// Both splits are shuffled with a seeded generator.
    /// </summary>
    /// <remarks>Not Keras's precomputed <c>imdb.npz</c> (which is not available here): the ranks come from a
    /// <see cref="Tokenizer"/> (Keras's default filters, lower-cased, <c>&lt;br /&gt;</c> replaced by spaces) fitted on the
    /// training texts, so ids are frequency ranks as in Keras, but of this tokenization.</remarks>
    /// <param name="numWords">Keep the ids below this (the most frequent words); null: all.</param>
    /// <param name="maxlen">Drop longer sequences; null: keep all.</param>
    /// <param name="skipTop">Ids below this (the most frequent words) become oov_char.</param>
    /// <param name="indexFrom">Offset added to the ranks (ids below it are reserved: 0 padding, 1 start, 2 oov).</param>
    /// <param name="oovChar">The id of out-of-range words; null removes them.</param>
    /// <param name="startChar">The id that starts every sequence.</param>
    /// <param name="seed">The shuffle seed (Keras uses 113).</param>
    /// <param name="data">The reviews to use; null: <see cref="Load"/>().</param>
    public static ImdbSequences LoadData(int? numWords = null, int? maxlen = null, int skipTop = 0, int indexFrom = 3,
        int? oovChar = 2, int startChar = 1, long seed = 113, ImdbData? data = null)
    {
        if (numWords is int n && n <= 0) throw new ArgumentException($"num_words must be positive. Received: num_words={n}", nameof(numWords));
        if (maxlen is int m && m <= 0) throw new ArgumentException($"maxlen must be positive. Received: maxlen={m}", nameof(maxlen));
        if (skipTop < 0 || indexFrom < 0) throw new ArgumentException($"skip_top and index_from must be non-negative. Received: skip_top={skipTop}, index_from={indexFrom}");
        data ??= Load();
        var tokenizer = new Tokenizer();
        tokenizer.FitOnTexts(data.Train.Texts.Select(Clean));
        var rng = new RandomGenerator(seed);
        var train = Offset(data.Train, tokenizer, rng, maxlen, indexFrom, startChar);
        var test = Offset(data.Test, tokenizer, rng, maxlen, indexFrom, startChar);
        // Keras: `if not num_words: num_words = max(max(x) for x in xs)`, so the largest id itself becomes oov_char too.
        int limit = numWords ?? train.X.Concat(test.X).Where(x => x.Length > 0).Select(x => x.Max()).DefaultIfEmpty(0).Max();
        int[][] Cut(List<int[]> xs) => xs.Select(x => oovChar is int o
            ? x.Select(w => w >= skipTop && w < limit ? w : o).ToArray()
            : x.Where(w => w >= skipTop && w < limit).ToArray()).ToArray();
        return new ImdbSequences(Cut(train.X), train.Y.ToArray(), Cut(test.X), test.Y.ToArray(), tokenizer.WordIndex);
    }

    /// <summary>The review text as tokenized for <see cref="LoadData"/>: HTML line breaks become spaces.</summary>
    public static string Clean(string review) => review.Replace("<br />", " ", StringComparison.Ordinal);

    /// <summary>One split shuffled, as [start_char] + [rank + index_from ...], without the sequences longer than maxlen.</summary>
    private static (List<int[]> X, List<int> Y) Offset(ImdbSplit split, Tokenizer tokenizer, RandomGenerator rng, int? maxlen, int indexFrom, int startChar)
    {
        var seqs = tokenizer.TextsToSequences(split.Texts.Select(Clean));
        var order = Enumerable.Range(0, seqs.Count).ToArray();
        for (int i = order.Length - 1; i > 0; i--) { int j = rng.NextInt(i + 1); (order[i], order[j]) = (order[j], order[i]); }
        var xs = new List<int[]>(); var ys = new List<int>();
        foreach (var k in order)
        {
            var s = new int[seqs[k].Count + 1];
            s[0] = startChar;
            for (int i = 0; i < seqs[k].Count; i++) s[i + 1] = seqs[k][i] + indexFrom;
            if (maxlen is int m && s.Length > m) continue;
            xs.Add(s); ys.Add(split.Labels[k]);
        }
        return (xs, ys);
    }
}
