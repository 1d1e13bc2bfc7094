using Cortex.Keras.Preprocessing.Text;

namespace Cortex.Tests.Text;

/// <summary>
/// Tokenizer and the text functions against Keras's rules (keras_preprocessing/text.py), on a small corpus whose
/// values are worked out by hand in the comments.
/// </summary>
public class TokenizerTests
{
    // the:3 cat:2 sat:1 on:1 mat:1 dog:2 ate:1 my:1 homework:1 and:1 (first-seen order);
    // word_index by count, ties first-seen: the 1, cat 2, dog 3, sat 4, on 5, mat 6, ate 7, my 8, homework 9, and 10.
    private static readonly string[] Corpus = { "The cat sat on the mat.", "The dog ate my homework!", "Cat and dog" };

    private static Tokenizer Fitted(int? numWords = null, string? oov = null)
    {
        var t = new Tokenizer(numWords, oovToken: oov);
        t.FitOnTexts(Corpus);
        return t;
    }

    [Fact]
    public void Text_to_word_sequence_lowercases_filters_and_splits()
    {
        Assert.Equal(new[] { "hello", "world", "it's", "me" }, TextUtils.TextToWordSequence("Hello, World! It's\tme\n"));
        Assert.Equal(new[] { "A", "b c" }, TextUtils.TextToWordSequence("A,b c", lower: false, split: ","));
        Assert.Equal(new[] { "a.b" }, TextUtils.TextToWordSequence("a.b", filters: ""));
    }

    [Fact]
    public void Word_index_is_by_count_with_ties_in_first_seen_order()
    {
        var t = Fitted();
        Assert.Equal(new[] { "the", "cat", "dog", "sat", "on", "mat", "ate", "my", "homework", "and" },
            t.WordIndex.OrderBy(kv => kv.Value).Select(kv => kv.Key));
        Assert.Equal(Enumerable.Range(1, 10), t.WordIndex.Values.OrderBy(v => v));
        Assert.Equal("dog", t.IndexWord[3]);
        Assert.Equal(new[] { "the", "cat", "sat", "on", "mat", "dog", "ate", "my", "homework", "and" }, t.WordCounts.Select(kv => kv.Key));
        Assert.Equal(new[] { 3, 2, 1, 1, 1, 2, 1, 1, 1, 1 }, t.WordCounts.Select(kv => kv.Value));
        Assert.Equal(2, t.WordDocs["the"]); Assert.Equal(2, t.WordDocs["dog"]); Assert.Equal(1, t.WordDocs["mat"]);
        Assert.Equal(2, t.IndexDocs[1]); Assert.Equal(1, t.IndexDocs[6]);
        Assert.Equal(3, t.DocumentCount);
    }

    [Fact]
    public void Texts_to_sequences_drops_unknown_words_and_num_words_cuts_indices()
    {
        Assert.Equal(new[] { 1, 2, 7 }, Fitted().TextsToSequences(new[] { "the cat ate a fish" })[0]);
        // num_words=4 keeps indices < 4: the, cat, dog (ate, 7, is dropped).
        Assert.Equal(new[] { 1, 2, 1, 3 }, Fitted(4).TextsToSequences(new[] { "The cat ate the dog" })[0]);
    }

    [Fact]
    public void Oov_token_is_index_one_and_replaces_unknown_and_cut_words()
    {
        var t = Fitted(4, "<OOV>");
        Assert.Equal(1, t.WordIndex["<OOV>"]);
        Assert.Equal(2, t.WordIndex["the"]); Assert.Equal(4, t.WordIndex["dog"]);
        // the 2, cat 3, dog 4 (>= num_words) -> oov, ate (8 >= 4) -> oov, fish (unknown) -> oov.
        Assert.Equal(new[] { 2, 3, 1, 1, 1 }, t.TextsToSequences(new[] { "the cat dog ate fish" })[0]);
        Assert.Equal(new[] { "the cat <OOV> <OOV>" }, t.SequencesToTexts(new[] { new[] { 2, 3, 4, 99 } }));
    }

    [Fact]
    public void Sequences_to_texts_inverts_without_oov()
    {
        var t = Fitted();
        var seqs = t.TextsToSequences(Corpus);
        Assert.Equal(new[] { "the cat sat on the mat", "the dog ate my homework", "cat and dog" }, t.SequencesToTexts(seqs));
        Assert.Equal(new[] { "the cat" }, t.SequencesToTexts(new[] { new[] { 1, 2, 99, 0 } }));
    }

    [Fact]
    public void Matrix_modes_follow_keras_formulas()
    {
        var t = Fitted();
        var texts = new[] { "the cat the", "dog" }; // sequences [1, 2, 1] and [3]; width = 10 + 1
        float[] Row(Tensor m, int r) => m.ToArray().Skip(r * 11).Take(11).ToArray();

        var binary = t.TextsToMatrix(texts, "binary");
        Assert.Equal(new[] { 2, 11 }, binary.Shape);
        Assert.Equal(new float[] { 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, Row(binary, 0));
        Assert.Equal(new float[] { 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 }, Row(binary, 1));
        Assert.Equal(new float[] { 0, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, Row(t.TextsToMatrix(texts, "count"), 0));
        var freq = Row(t.TextsToMatrix(texts, "freq"), 0);
        Assert.Equal(2f / 3, freq[1], 6); Assert.Equal(1f / 3, freq[2], 6);

        // tf-idf: (1 + ln c) * ln(1 + document_count / (1 + index_docs[j])), document_count 3, index_docs of 1, 2, 3 = 2.
        var tfidf = t.TextsToMatrix(texts, "tfidf");
        double idf = Math.Log(1 + 3.0 / 3);
        Assert.Equal((1 + Math.Log(2)) * idf, Row(tfidf, 0)[1], 5);
        Assert.Equal(idf, Row(tfidf, 0)[2], 5);
        Assert.Equal(idf, Row(tfidf, 1)[3], 5);
        Assert.Equal(0f, Row(tfidf, 1)[1]);
    }

    [Fact]
    public void Fit_on_sequences_feeds_tfidf_and_num_words_sets_the_width()
    {
        var t = new Tokenizer(numWords: 5);
        t.FitOnSequences(new[] { new[] { 1, 2, 2 }, new[] { 2, 3 } });
        Assert.Equal(2, t.DocumentCount);
        var m = t.SequencesToMatrix(new[] { new[] { 2, 2, 4, 7 } }, "tfidf").ToArray();
        Assert.Equal(5, m.Length);
        Assert.Equal((1 + Math.Log(2)) * Math.Log(1 + 2.0 / 3), m[2], 5); // index 2 in both documents
        Assert.Equal(Math.Log(1 + 2.0 / 1), m[4], 5);                      // index 4 in none
    }

    [Fact]
    public void Char_level_and_pretokenized_texts()
    {
        var c = new Tokenizer(charLevel: true);
        c.FitOnTexts(new[] { "abCa" });
        Assert.Equal(1, c.WordIndex["a"]); Assert.Equal(2, c.WordIndex["b"]); Assert.Equal(3, c.WordIndex["c"]);
        Assert.Equal(new[] { 3, 1, 2 }, c.TextsToSequences(new[] { "cab!" })[0]);

        var p = new Tokenizer();
        p.FitOnTexts(new IReadOnlyList<string>[] { new[] { "New York", "is", "big" }, new[] { "new york" } });
        Assert.Equal(1, p.WordIndex["new york"]);
        Assert.Equal(new[] { 1, 3 }, p.TextsToSequences(new IReadOnlyList<string>[] { new[] { "NEW YORK", "big" } })[0]);
    }

    [Fact]
    public void Json_round_trip_keeps_the_vocabulary_and_behaviour()
    {
        var t = Fitted(6, "<OOV>");
        var json = t.ToJson();
        Assert.Contains("\"class_name\":\"Tokenizer\"", json);
        var back = TextUtils.TokenizerFromJson(json);
        Assert.Equal(t.WordIndex.OrderBy(kv => kv.Value), back.WordIndex.OrderBy(kv => kv.Value));
        Assert.Equal(t.WordCounts, back.WordCounts);
        Assert.Equal(t.DocumentCount, back.DocumentCount);
        Assert.Equal(6, back.NumWords); Assert.Equal("<OOV>", back.OovToken);
        Assert.Equal(t.TextsToSequences(Corpus), back.TextsToSequences(Corpus));
        Assert.Equal(t.TextsToMatrix(Corpus, "tfidf").ToArray(), back.TextsToMatrix(Corpus, "tfidf").ToArray());
    }

    [Fact]
    public void Reads_json_written_by_keras()
    {
        // Tokenizer(num_words=3).fit_on_texts(["a b b"]).to_json() from keras_preprocessing 1.1.2.
        const string keras = "{\"class_name\": \"Tokenizer\", \"config\": {\"num_words\": 3, \"filters\": \"!\\\"#$%&()*+,-./:;<=>?@[\\\\]^_`{|}~\\t\\n\", \"lower\": true, \"split\": \" \", \"char_level\": false, \"oov_token\": null, \"document_count\": 1, \"word_counts\": \"{\\\"a\\\": 1, \\\"b\\\": 2}\", \"word_docs\": \"{\\\"b\\\": 1, \\\"a\\\": 1}\", \"index_docs\": \"{\\\"1\\\": 1, \\\"2\\\": 1}\", \"index_word\": \"{\\\"1\\\": \\\"b\\\", \\\"2\\\": \\\"a\\\"}\", \"word_index\": \"{\\\"b\\\": 1, \\\"a\\\": 2}\"}}";
        var t = Tokenizer.FromJson(keras);
        Assert.Equal(TextUtils.DefaultFilters, t.Filters);
        Assert.Equal(1, t.WordIndex["b"]);
        Assert.Equal(new[] { 2, 1 }, t.TextsToSequences(new[] { "a b c" })[0]);
        Assert.Throws<FormatException>(() => Tokenizer.FromJson("{\"config\": {}}"));
    }

    [Fact]
    public void Errors_are_keras_messages()
    {
        var empty = new Tokenizer();
        Assert.Equal("Specify a dimension (`num_words` argument), or fit on some text data first.",
            Assert.Throws<InvalidOperationException>(() => empty.SequencesToMatrix(new[] { new[] { 1 } })).Message);
        Assert.Equal("Fit the Tokenizer on some data before using tfidf mode.",
            Assert.Throws<InvalidOperationException>(() => new Tokenizer(4).SequencesToMatrix(new[] { new[] { 1 } }, "tfidf")).Message);
        Assert.Contains("Unknown vectorization mode: bag", Assert.Throws<ArgumentException>(() => Fitted().TextsToMatrix(Corpus, "bag")).Message);
        Assert.Throws<ArgumentException>(() => new Tokenizer(0));
    }

    [Fact]
    public void Hashing_trick_with_md5_is_deterministic_and_in_range()
    {
        // int(md5(w).hexdigest(), 16) % 9 + 1 for hello, world, it's, me (Python).
        Assert.Equal(new[] { 8, 9, 2, 2 }, TextUtils.HashingTrick("Hello, world! It's me", 10));
        Assert.Equal(new[] { 8, 9, 2, 2 }, TextUtils.OneHot("Hello, world! It's me", 10));
        Assert.All(TextUtils.OneHot(string.Join(' ', Corpus), 5), i => Assert.InRange(i, 1, 4));
        Assert.Equal(new[] { 3, 1 }, TextUtils.HashingTrick("ab b", 4, w => w.Length == 2 ? 5 : -3));
        Assert.Throws<ArgumentException>(() => TextUtils.HashingTrick("a", 1));
        Assert.Throws<ArgumentException>(() => TextUtils.HashingTrick("a", 5, "python"));
    }
}
