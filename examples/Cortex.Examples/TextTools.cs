using System.Globalization;
using Cortex.Keras.Datasets;
using Cortex.Keras.Preprocessing.Sequence;
using Cortex.Keras.Preprocessing.Text;

namespace Cortex.Examples;

/// <summary>
/// A tour of the Keras text tools: <see cref="Tokenizer"/> fitted on IMDB reviews (word_index, word counts, a review
/// as a sequence and back, the four texts_to_matrix modes, saved to JSON and read back), pad_sequences's padding and
/// truncating, one_hot / hashing_trick, and skipgrams of an Alice sentence without and with a sampling table.
/// </summary>
/// <remarks>Default: the shipped IMDB and Alice samples; <c>--data DIR</c>: a folder holding the full sets
/// (<c>imdb/</c> and <c>text/</c> sub-folders, e.g. /work/shared/datasets).</remarks>
internal static class TextTools
{
    public static int Run(ExampleOptions o)
    {
        var imdb = o.Data is null ? Imdb.LoadSample() : Imdb.Load(o.Data);
        string alice = o.Data is null ? TextCorpus.LoadAliceSample() : TextCorpus.LoadAlice(o.Data);
        var reviews = imdb.Train.Texts.Select(Imdb.Clean).ToArray();

        Section($"Tokenizer fitted on {reviews.Length:N0} IMDB training reviews");
        var tokenizer = new Tokenizer(numWords: 1000);
        tokenizer.FitOnTexts(reviews);
        Console.WriteLine($"document_count {tokenizer.DocumentCount:N0}; word_index holds {tokenizer.WordIndex.Count:N0} words " +
                          "(every word seen; num_words=1000 only limits the conversions to indices 1..999)");
        Console.WriteLine("most frequent: " + string.Join(", ", Enumerable.Range(1, 12).Select(i => $"{tokenizer.IndexWord[i]}={i}")));
        var first = tokenizer.WordCounts.Take(8).Select(kv => $"{kv.Key}×{kv.Value}");
        Console.WriteLine("word_counts, first seen first: " + string.Join(", ", first));

        string review = reviews[0];
        var sequence = tokenizer.TextsToSequences(new[] { review })[0];
        Console.WriteLine($"review 0 ({TextUtils.TextToWordSequence(review).Count} words, {sequence.Count} kept): \"{Clip(review, 90)}\"");
        Console.WriteLine($"  as a sequence: [{string.Join(", ", sequence.Take(20))}, …]");
        Console.WriteLine($"  and back: \"{Clip(tokenizer.SequencesToTexts(new[] { sequence })[0], 90)}\"");

        var oov = new Tokenizer(numWords: 1000, oovToken: "<OOV>");
        oov.FitOnTexts(reviews);
        var withOov = oov.TextsToSequences(new[] { review })[0];
        Console.WriteLine($"  with oov_token \"<OOV>\" (index 1): {withOov.Count} ids, back: \"{Clip(oov.SequencesToTexts(new[] { withOov })[0], 90)}\"");

        Section("texts_to_matrix on three short texts (columns 1..8 of the num_words=1000 matrix)");
        string[] shortTexts = { "the movie was good, the acting was good", "a bad movie", "the the the" };
        Console.WriteLine("columns: " + string.Join(" ", Enumerable.Range(1, 8).Select(i => tokenizer.IndexWord[i].PadLeft(6))));
        foreach (var mode in new[] { "binary", "count", "freq", "tfidf" })
        {
            var m = tokenizer.TextsToMatrix(shortTexts, mode);
            var values = m.ToArray();
            Console.WriteLine($"{mode}:");
            for (int r = 0; r < shortTexts.Length; r++)
            {
                var row = values.Skip(r * m.Shape[1]).Take(m.Shape[1]).ToArray();
                Console.WriteLine($"  {string.Join(" ", Enumerable.Range(1, 8).Select(i => row[i].ToString("0.###", CultureInfo.InvariantCulture).PadLeft(6)))}   \"{shortTexts[r]}\"");
            }
        }
        string json = tokenizer.ToJson();
        var restored = TextUtils.TokenizerFromJson(json);
        bool same = restored.TextsToSequences(reviews.Take(50)).Zip(tokenizer.TextsToSequences(reviews.Take(50))).All(p => p.First.SequenceEqual(p.Second));
        Console.WriteLine($"to_json: {json.Length:N0} characters; tokenizer_from_json gives the same sequences for 50 reviews: {same}");

        Section("pad_sequences (maxlen 5)");
        var seqs = new List<IReadOnlyList<int>> { new[] { 1, 2, 3 }, new[] { 4, 5, 6, 7, 8, 9, 10 }, new[] { 11 } };
        Console.WriteLine("sequences: " + string.Join("  ", seqs.Select(s => $"[{string.Join(",", s)}]")));
        foreach (var (padding, truncating) in new[] { ("pre", "pre"), ("post", "pre"), ("pre", "post"), ("post", "post") })
        {
            var padded = SequenceUtils.PadSequencesToArrays(seqs, maxlen: 5, padding: padding, truncating: truncating);
            Console.WriteLine($"  padding={padding,-4} truncating={truncating,-4}: {string.Join("  ", padded.Select(s => $"[{string.Join(",", s)}]"))}");
        }
        var lengths = tokenizer.TextsToSequences(reviews).Select(s => s.Count).Order().ToArray();
        Console.WriteLine($"IMDB review lengths in kept words: median {lengths[lengths.Length / 2]}, 90th percentile {lengths[lengths.Length * 9 / 10]}, " +
                          $"max {lengths[^1]}; maxlen 200 keeps all of {lengths.Count(l => l <= 200) * 100.0 / lengths.Length:0}% of the reviews");

        Section("one_hot and hashing_trick (md5, n = 50)");
        string sentence = "The cat sat on the mat, and the cat slept.";
        Console.WriteLine($"\"{sentence}\"");
        Console.WriteLine($"  text_to_word_sequence: [{string.Join(", ", TextUtils.TextToWordSequence(sentence))}]");
        Console.WriteLine($"  one_hot(n=50):         [{string.Join(", ", TextUtils.OneHot(sentence, 50))}]");
        Console.WriteLine($"  hashing_trick(n=50, own hash: word length): [{string.Join(", ", TextUtils.HashingTrick(sentence, 50, w => w.Length))}]");

        Section("skipgrams of an Alice sentence (window 2, one negative per positive, seed 1)");
        var aliceTokenizer = new Tokenizer();
        aliceTokenizer.FitOnTexts(new[] { alice });
        int vocab = aliceTokenizer.WordIndex.Count + 1;
        string aliceSentence = "Alice was beginning to get very tired of sitting by her sister on the bank";
        var ids = aliceTokenizer.TextsToSequences(new[] { aliceSentence })[0];
        Console.WriteLine($"\"{aliceSentence}\" → [{string.Join(", ", ids)}] (vocabulary {vocab:N0} from Alice)");
        var (couples, labels) = SequenceUtils.Skipgrams(ids, vocab, windowSize: 2, seed: 1);
        Console.WriteLine($"  {couples.Count} couples ({labels.Count(l => l[0] == 1)} positive), the first 8:");
        foreach (var (c, l) in couples.Zip(labels).Take(8))
            Console.WriteLine($"    ({aliceTokenizer.IndexWord[c[0]]}, {aliceTokenizer.IndexWord[c[1]]}) → {l[0]}");
        var table = SequenceUtils.MakeSamplingTable(vocab, samplingFactor: 1e-2);
        Console.WriteLine($"  make_sampling_table({vocab}, sampling_factor=0.01): keep p(\"{aliceTokenizer.IndexWord[1]}\", rank 1) = {table[1]:0.000}, " +
                          $"p(rank 10) = {table[10]:0.000}, p(rank 100) = {table[100]:0.000}");
        var (sampled, sampledLabels) = SequenceUtils.Skipgrams(ids, vocab, windowSize: 2, samplingTable: table, seed: 1);
        Console.WriteLine($"  with the table: {sampled.Count} couples ({sampledLabels.Count(l => l[0] == 1)} positive): frequent words are skipped as centres;");
        Console.WriteLine("    positives: " + string.Join(", ", sampled.Zip(sampledLabels).Where(p => p.Second[0] == 1)
            .Select(p => $"({aliceTokenizer.IndexWord[p.First[0]]}, {aliceTokenizer.IndexWord[p.First[1]]})")));
        return 0;
    }

    private static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine($"== {title}");
    }

    private static string Clip(string s, int n) => s.Length > n ? s[..n] + "…" : s;
}
