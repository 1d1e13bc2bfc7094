using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cortex.Keras.Preprocessing.Text;

/// <summary>
/// Keras's text tokenization utility class (<c>keras.preprocessing.text.Tokenizer</c>, keras_preprocessing 1.1),
/// reproduced rule for rule: it turns texts into sequences of word indices or into bag-of-words matrices.
/// </summary>
/// <remarks>
/// <para><b>Vocabulary.</b> <see cref="FitOnTexts(IEnumerable{string})"/> counts words (<see cref="WordCounts"/>, in
/// first-seen order) and the documents each word occurs in (<see cref="WordDocs"/>). <see cref="WordIndex"/> then ranks
/// every word seen by count, most frequent first, ties in first-seen order, from 1 (0 is reserved for padding); the
/// <c>oov_token</c>, when given, is index 1. Every word is indexed; <c>num_words</c> only limits what the conversions
/// keep: indices ≥ num_words are dropped (or become the oov index), so at most num_words − 1 words are kept.</para>
/// <para><b>Words.</b> A text is split by <see cref="TextUtils.TextToWordSequence"/> (lower-cased, filters replaced by
/// the separator); with <c>char_level</c> every character is a token; a pre-tokenized text (a list of words) is used
/// as it is (lower-cased when <c>lower</c>).</para>
/// <para><b>Matrices.</b> Row i, column j of <see cref="SequencesToMatrix"/> for a sequence holding index j c times:
/// binary 1; count c; freq c / len(sequence); tfidf (1 + ln c)·ln(1 + document_count / (1 + index_docs[j])).
/// The width is num_words, or len(word_index) + 1 without it; column 0 is never set by fitted words.</para>
/// </remarks>
public sealed class Tokenizer
{
    private readonly Dictionary<string, int> _wordCounts = new();
    private readonly List<string> _wordOrder = new();
    private readonly Dictionary<string, int> _wordDocs = new();
    private readonly List<string> _wordDocsOrder = new();
    private readonly Dictionary<int, int> _indexDocs = new();
    private readonly List<int> _indexDocsOrder = new();
    private Dictionary<string, int> _wordIndex = new();
    private List<string> _wordIndexOrder = new();
    private Dictionary<int, string> _indexWord = new();

    /// <summary>Creates a tokenizer.</summary>
    /// <param name="numWords">Keep only indices below num_words in the conversions (the num_words − 1 most common
    /// words); null keeps all. Must be positive when given.</param>
    /// <param name="filters">Characters removed from texts (Keras's default: punctuation except <c>'</c>, tab, newline).</param>
    /// <param name="lower">Lower-case texts.</param>
    /// <param name="split">Word separator.</param>
    /// <param name="charLevel">Treat every character as a token.</param>
    /// <param name="oovToken">Token added to the index (as 1) and used for words outside the vocabulary.</param>
    public Tokenizer(int? numWords = null, string filters = TextUtils.DefaultFilters, bool lower = true, string split = " ",
        bool charLevel = false, string? oovToken = null)
    {
        ArgumentNullException.ThrowIfNull(filters);
        if (numWords is int n && n <= 0) throw new ArgumentException($"num_words must be a positive integer or null. Received: num_words={n}", nameof(numWords));
        if (string.IsNullOrEmpty(split)) throw new ArgumentException("`split` must be a non-empty string.", nameof(split));
        NumWords = numWords; Filters = filters; Lower = lower; Split = split; CharLevel = charLevel; OovToken = oovToken;
    }

    /// <summary>The largest index + 1 kept by the conversions (null: all).</summary>
    public int? NumWords { get; }
    /// <summary>The characters removed from texts.</summary>
    public string Filters { get; }
    /// <summary>Whether texts are lower-cased.</summary>
    public bool Lower { get; }
    /// <summary>The word separator.</summary>
    public string Split { get; }
    /// <summary>Whether every character is a token.</summary>
    public bool CharLevel { get; }
    /// <summary>The out-of-vocabulary token, if any.</summary>
    public string? OovToken { get; }
    /// <summary>The number of documents (texts or sequences) fitted on.</summary>
    public int DocumentCount { get; private set; }

    /// <summary>Each word's number of occurrences, in first-seen order (Keras's OrderedDict).</summary>
    public IReadOnlyList<KeyValuePair<string, int>> WordCounts => _wordOrder.Select(w => new KeyValuePair<string, int>(w, _wordCounts[w])).ToList();
    /// <summary>For each word, the number of documents it occurs in.</summary>
    public IReadOnlyDictionary<string, int> WordDocs => _wordDocs;
    /// <summary>For each index, the number of documents it occurs in (what tf-idf uses).</summary>
    public IReadOnlyDictionary<int, int> IndexDocs => _indexDocs;
    /// <summary>Word → index, from 1 (most frequent first).</summary>
    public IReadOnlyDictionary<string, int> WordIndex => _wordIndex;
    /// <summary>Index → word.</summary>
    public IReadOnlyDictionary<int, string> IndexWord => _indexWord;

    /// <summary>The tokens of one text, as the tokenizer splits it.</summary>
    private IEnumerable<string> Tokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text, nameof(text));
        if (CharLevel)
        {
            if (Lower) text = text.ToLowerInvariant();
            return text.EnumerateRunes().Select(r => r.ToString()).ToList();
        }
        return TextUtils.TextToWordSequence(text, Filters, Lower, Split);
    }

    private IEnumerable<string> Tokens(IReadOnlyList<string> words)
    {
        ArgumentNullException.ThrowIfNull(words, nameof(words));
        return Lower ? words.Select(w => w.ToLowerInvariant()).ToList() : words;
    }

    /// <summary>Updates the vocabulary from texts (Keras's <c>fit_on_texts</c>).</summary>
    public void FitOnTexts(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        Fit(texts.Select(Tokens));
    }

    /// <summary>Updates the vocabulary from pre-tokenized texts (Keras's <c>fit_on_texts</c> on lists of words).</summary>
    public void FitOnTexts(IEnumerable<IReadOnlyList<string>> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        Fit(texts.Select(Tokens));
    }

    private void Fit(IEnumerable<IEnumerable<string>> documents)
    {
        foreach (var doc in documents)
        {
            DocumentCount++;
            var seen = new HashSet<string>();
            foreach (var w in doc)
            {
                if (_wordCounts.TryGetValue(w, out int c)) _wordCounts[w] = c + 1;
                else { _wordCounts[w] = 1; _wordOrder.Add(w); }
                if (seen.Add(w))
                {
                    if (_wordDocs.TryGetValue(w, out int d)) _wordDocs[w] = d + 1;
                    else { _wordDocs[w] = 1; _wordDocsOrder.Add(w); }
                }
            }
        }
        // Stable sort by count, descending: ties stay in first-seen order, as Python's list.sort.
        var sorted = new List<string>();
        if (OovToken is not null) sorted.Add(OovToken);
        sorted.AddRange(_wordOrder.Select((w, i) => (w, i)).OrderByDescending(p => _wordCounts[p.w]).ThenBy(p => p.i).Select(p => p.w));
        // dict(zip(sorted_voc, range(1, ...))): a word listed twice (the oov token also seen in a text) keeps its last index.
        var index = new Dictionary<string, int>();
        var order = new List<string>();
        for (int i = 0; i < sorted.Count; i++)
        {
            if (!index.ContainsKey(sorted[i])) order.Add(sorted[i]);
            index[sorted[i]] = i + 1;
        }
        _wordIndex = index;
        _wordIndexOrder = order;
        _indexWord = order.ToDictionary(w => index[w], w => w);
        foreach (var w in _wordDocsOrder) SetIndexDocs(index[w], _wordDocs[w]);
    }

    private void SetIndexDocs(int index, int value)
    {
        if (!_indexDocs.ContainsKey(index)) _indexDocsOrder.Add(index);
        _indexDocs[index] = value;
    }

    /// <summary>Updates the document counts from index sequences (Keras's <c>fit_on_sequences</c>), for tf-idf on sequences.</summary>
    public void FitOnSequences(IEnumerable<IReadOnlyList<int>> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        var list = sequences.ToList();
        DocumentCount += list.Count;
        foreach (var seq in list)
            foreach (var i in seq.Distinct())
                SetIndexDocs(i, _indexDocs.GetValueOrDefault(i) + 1);
    }

    /// <summary>Each text as a sequence of word indices (Keras's <c>texts_to_sequences</c>); unknown words are dropped, or become the oov index.</summary>
    public List<List<int>> TextsToSequences(IEnumerable<string> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return texts.Select(t => ToSequence(Tokens(t))).ToList();
    }

    /// <summary>Pre-tokenized texts as sequences of word indices.</summary>
    public List<List<int>> TextsToSequences(IEnumerable<IReadOnlyList<string>> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        return texts.Select(t => ToSequence(Tokens(t))).ToList();
    }

    private int? OovIndex => OovToken is not null && _wordIndex.TryGetValue(OovToken, out int i) ? i : null;

    private List<int> ToSequence(IEnumerable<string> words)
    {
        int? oov = OovIndex;
        var vect = new List<int>();
        foreach (var w in words)
        {
            if (_wordIndex.TryGetValue(w, out int i))
            {
                if (NumWords is int n && i >= n) { if (oov is int o) vect.Add(o); }
                else vect.Add(i);
            }
            else if (OovToken is not null && oov is int o) vect.Add(o);
        }
        return vect;
    }

    /// <summary>Each index sequence back as a text, words joined by single spaces (Keras's <c>sequences_to_texts</c>).</summary>
    public List<string> SequencesToTexts(IEnumerable<IReadOnlyList<int>> sequences)
    {
        ArgumentNullException.ThrowIfNull(sequences);
        int? oov = OovIndex;
        var result = new List<string>();
        foreach (var seq in sequences)
        {
            var words = new List<string>();
            foreach (var num in seq)
            {
                if (_indexWord.TryGetValue(num, out var word))
                {
                    if (NumWords is int n && num >= n) { if (oov is int o) words.Add(_indexWord[o]); }
                    else words.Add(word);
                }
                else if (oov is int o) words.Add(_indexWord[o]);
            }
            result.Add(string.Join(' ', words));
        }
        return result;
    }

    /// <summary>Texts as a (texts, width) matrix (Keras's <c>texts_to_matrix</c>); see the remarks for the modes.</summary>
    /// <param name="texts">The texts.</param>
    /// <param name="mode">"binary", "count", "tfidf" or "freq".</param>
    public Tensor TextsToMatrix(IEnumerable<string> texts, string mode = "binary") => SequencesToMatrix(TextsToSequences(texts), mode);

    /// <summary>Index sequences as a (sequences, width) matrix (Keras's <c>sequences_to_matrix</c>); see the remarks for the modes.</summary>
    /// <param name="sequences">The index sequences; indices ≥ the width are ignored.</param>
    /// <param name="mode">"binary", "count", "tfidf" or "freq".</param>
    public Tensor SequencesToMatrix(IEnumerable<IReadOnlyList<int>> sequences, string mode = "binary")
    {
        ArgumentNullException.ThrowIfNull(sequences);
        if (mode is not ("binary" or "count" or "tfidf" or "freq"))
            throw new ArgumentException($"Unknown vectorization mode: {mode} (expected \"binary\", \"count\", \"tfidf\" or \"freq\").", nameof(mode));
        int width;
        if (NumWords is int n) width = n;
        else if (_wordIndex.Count > 0) width = _wordIndex.Count + 1;
        else throw new InvalidOperationException("Specify a dimension (`num_words` argument), or fit on some text data first.");
        if (mode == "tfidf" && DocumentCount == 0)
            throw new InvalidOperationException("Fit the Tokenizer on some data before using tfidf mode.");

        var seqs = sequences.ToList();
        var x = Tensor.Zeros(seqs.Count, width);
        var d = x.Span;
        for (int r = 0; r < seqs.Count; r++)
        {
            var seq = seqs[r];
            if (seq.Count == 0) continue;
            var counts = new Dictionary<int, int>();
            foreach (var j in seq)
            {
                if (j < 0) throw new ArgumentException($"sequence {r} holds a negative index {j}.", nameof(sequences));
                if (j >= width) continue;
                counts[j] = counts.GetValueOrDefault(j) + 1;
            }
            foreach (var (j, c) in counts)
            {
                d[r * width + j] = mode switch
                {
                    "count" => c,
                    "freq" => (float)((double)c / seq.Count),
                    "binary" => 1f,
                    _ => (float)((1 + Math.Log(c)) * Math.Log(1 + DocumentCount / (1.0 + _indexDocs.GetValueOrDefault(j)))),
                };
            }
        }
        return x;
    }

    // ------------------------------------------------------------------ JSON

    /// <summary>
    /// The tokenizer as JSON, in Keras's <c>to_json</c> layout: <c>{"class_name": "Tokenizer", "config": {...}}</c>,
    /// where word_counts, word_docs, index_docs, index_word and word_index are themselves JSON strings.
    /// </summary>
    public string ToJson()
    {
        static string Obj<TK>(IEnumerable<TK> keys, Func<TK, object> value)
        {
            var o = new JsonObject();
            foreach (var k in keys) o[k!.ToString()!] = JsonValue.Create(value(k));
            return o.ToJsonString();
        }
        var config = new JsonObject
        {
            ["num_words"] = NumWords,
            ["filters"] = Filters,
            ["lower"] = Lower,
            ["split"] = Split,
            ["char_level"] = CharLevel,
            ["oov_token"] = OovToken,
            ["document_count"] = DocumentCount,
            ["word_counts"] = Obj(_wordOrder, w => _wordCounts[w]),
            ["word_docs"] = Obj(_wordDocsOrder, w => _wordDocs[w]),
            ["index_docs"] = Obj(_indexDocsOrder, i => _indexDocs[i]),
            ["index_word"] = Obj(_wordIndexOrder.Select(w => _wordIndex[w]), i => _indexWord[i]),
            ["word_index"] = Obj(_wordIndexOrder, w => _wordIndex[w]),
        };
        return new JsonObject { ["class_name"] = "Tokenizer", ["config"] = config }.ToJsonString();
    }

    /// <summary>Keras's <c>tokenizer_from_json</c>: reads what <see cref="ToJson"/> (or Keras) wrote.</summary>
    /// <exception cref="FormatException">The JSON is not a saved tokenizer; the message says what is missing.</exception>
    public static Tokenizer FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonNode? root;
        try { root = JsonNode.Parse(json); }
        catch (JsonException e) { throw new FormatException($"tokenizer JSON is not valid JSON: {e.Message}", e); }
        var config = root?["config"] as JsonObject ?? throw new FormatException("tokenizer JSON has no \"config\" object.");
        string Str(string key) => config[key]?.GetValue<string>() ?? throw new FormatException($"tokenizer JSON config has no \"{key}\".");
        JsonObject Inner(string key)
        {
            try { return JsonNode.Parse(Str(key)) as JsonObject ?? throw new FormatException($"tokenizer JSON config \"{key}\" is not a JSON object."); }
            catch (JsonException e) { throw new FormatException($"tokenizer JSON config \"{key}\" is not valid JSON: {e.Message}", e); }
        }
        var t = new Tokenizer(
            config["num_words"]?.GetValue<int>(),
            config["filters"]?.GetValue<string>() ?? TextUtils.DefaultFilters,
            config["lower"]?.GetValue<bool>() ?? true,
            config["split"]?.GetValue<string>() ?? " ",
            config["char_level"]?.GetValue<bool>() ?? false,
            config["oov_token"]?.GetValue<string>());
        t.DocumentCount = config["document_count"]?.GetValue<int>() ?? 0;
        foreach (var (w, v) in Inner("word_counts")) { t._wordCounts[w] = v!.GetValue<int>(); t._wordOrder.Add(w); }
        foreach (var (w, v) in Inner("word_docs")) { t._wordDocs[w] = v!.GetValue<int>(); t._wordDocsOrder.Add(w); }
        foreach (var (k, v) in Inner("index_docs")) t.SetIndexDocs(int.Parse(k, System.Globalization.CultureInfo.InvariantCulture), v!.GetValue<int>());
        foreach (var (w, v) in Inner("word_index")) { t._wordIndex[w] = v!.GetValue<int>(); t._wordIndexOrder.Add(w); }
        foreach (var (k, v) in Inner("index_word")) t._indexWord[int.Parse(k, System.Globalization.CultureInfo.InvariantCulture)] = v!.GetValue<string>();
        return t;
    }
}
