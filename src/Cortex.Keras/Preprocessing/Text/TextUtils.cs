using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Cortex.Keras.Preprocessing.Text;

/// <summary>
/// Keras's text functions (<c>keras.preprocessing.text</c>, from keras_preprocessing): splitting a text into words,
/// and hashing words to indices.
/// </summary>
public static class TextUtils
{
    /// <summary>
    /// Keras's default filters: every ASCII punctuation character except the apostrophe, plus tab and newline
    /// (<c>'!"#$%&amp;()*+,-./:;&lt;=&gt;?@[\]^_`{|}~\t\n'</c>).
    /// </summary>
    public const string DefaultFilters = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

    /// <summary>
    /// Splits a text into words as Keras's <c>text_to_word_sequence</c>: lower-cases it (when <paramref name="lower"/>),
    /// replaces every character of <paramref name="filters"/> by <paramref name="split"/>, splits on
    /// <paramref name="split"/> and drops the empty pieces.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="filters">Characters to remove (each becomes a separator).</param>
    /// <param name="lower">Whether to lower-case first.</param>
    /// <param name="split">The separator (not empty).</param>
    public static List<string> TextToWordSequence(string text, string filters = DefaultFilters, bool lower = true, string split = " ")
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(filters);
        if (string.IsNullOrEmpty(split)) throw new ArgumentException("empty separator: `split` must be a non-empty string.", nameof(split));
        if (lower) text = text.ToLowerInvariant();
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (filters.Contains(c)) sb.Append(split);
            else sb.Append(c);
        }
        return sb.ToString().Split(split, StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>
    /// Keras's <c>one_hot</c>: each word of the text as an index in [1, n), by <see cref="HashingTrick(string, int, string, string, bool, string)"/>
    /// with the md5 hash. (Keras's default is Python's built-in <c>hash</c>, which is salted per process, so its indices are
    /// not reproducible; Cortex always uses md5, Keras's <c>hash_function='md5'</c>, which is.)
    /// </summary>
    public static List<int> OneHot(string text, int n, string filters = DefaultFilters, bool lower = true, string split = " ")
        => HashingTrick(text, n, "md5", filters, lower, split);

    /// <summary>
    /// Keras's <c>hashing_trick</c>: each word <c>w</c> of the text becomes <c>hash(w) % (n − 1) + 1</c>, an index in
    /// [1, n) (0 is left for padding; different words may collide).
    /// </summary>
    /// <param name="text">The text.</param>
    /// <param name="n">The dimension of the hashing space (at least 2).</param>
    /// <param name="hashFunction">"md5" (Keras's <c>hash_function='md5'</c>: the md5 digest of the UTF-8 word read as a
    /// 128-bit big-endian integer). Python's salted <c>hash</c> is not offered; pass a function to the other overload
    /// for another hash.</param>
    /// <param name="filters">Characters to remove.</param>
    /// <param name="lower">Whether to lower-case first.</param>
    /// <param name="split">The word separator.</param>
    public static List<int> HashingTrick(string text, int n, string hashFunction = "md5", string filters = DefaultFilters, bool lower = true, string split = " ")
    {
        if (hashFunction != "md5")
            throw new ArgumentException($"hash_function must be 'md5' (Python's salted built-in hash is not reproducible; pass a function instead). Received: hash_function={hashFunction}", nameof(hashFunction));
        return HashingTrick(text, n, Md5, filters, lower, split);
    }

    /// <summary>Keras's <c>hashing_trick</c> with a hash function of your own (<c>hash(w) % (n − 1) + 1</c>; negative hashes are taken modulo as Python does).</summary>
    public static List<int> HashingTrick(string text, int n, Func<string, BigInteger> hashFunction, string filters = DefaultFilters, bool lower = true, string split = " ")
    {
        ArgumentNullException.ThrowIfNull(hashFunction);
        if (n < 2) throw new ArgumentException($"n must be at least 2 (indices are hash % (n - 1) + 1). Received: n={n}", nameof(n));
        var result = new List<int>();
        foreach (var w in TextToWordSequence(text, filters, lower, split))
        {
            var r = BigInteger.Remainder(hashFunction(w), n - 1);
            if (r.Sign < 0) r += n - 1;
            result.Add((int)r + 1);
        }
        return result;
    }

    /// <summary>The md5 hash Keras uses with <c>hash_function='md5'</c>: <c>int(md5(w.encode()).hexdigest(), 16)</c>.</summary>
    public static BigInteger Md5(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var digest = MD5.HashData(Encoding.UTF8.GetBytes(word));
        return new BigInteger(digest, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Keras's <c>tokenizer_from_json</c>: the tokenizer saved by <see cref="Tokenizer.ToJson"/> (or by Keras's <c>to_json</c>).</summary>
    public static Tokenizer TokenizerFromJson(string json) => Tokenizer.FromJson(json);
}
