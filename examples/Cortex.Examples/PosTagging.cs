using System.Diagnostics;
using Cortex.Keras.Datasets;
using Cortex.Keras.Layers;
using Cortex.Keras.Losses;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Preprocessing.Sequence;
using Cortex.Keras.Preprocessing.Text;

namespace Cortex.Examples;

/// <summary>
/// Deep Learning with Keras ch.6: part-of-speech tagging as sequence-to-sequence learning, on CoNLL-2000 (the shipped
/// 300/100-sentence sample unless --data names a folder with the full corpus). Words are ids from a Tokenizer fitted on
/// the training sentences (the 5,000 most frequent, the rest "UNK"), tags are ids from the closed tag set, both padded
/// at the front ("pre", Keras's default) with 0 to the longest sentence.
/// <list type="bullet">
/// <item>(a) the book's encoder-decoder: Embedding(mask_zero) → GRU encoder → RepeatVector(maxlen) → GRU(return_sequences)
/// → TimeDistributed(Dense(tags, softmax)).</item>
/// <item>(b) a direct tagger: Embedding(mask_zero) → Bidirectional(LSTM(return_sequences)) → TimeDistributed(Dense(tags, softmax)).</item>
/// </list>
/// Cortex's Fit does not weight the loss by the output mask (Keras 3 does, through the mask it attaches to the
/// output), so the padding is left out of the loss with <c>SparseCategoricalCrossentropy(ignore_class=0)</c>
/// (tag id 0 is the padding); <c>--variant unmasked</c> trains on the plain loss instead, so the nets also learn to tag
/// the padding. The "accuracy" metric counts padding positions either way, as the book's figures do; the example
/// reports that number and the per-token accuracy over the real tokens only, computed from Predict.
/// </summary>
internal static class PosTagging
{
    private const int MaxWords = 5000, EmbedSize = 128, HiddenSize = 64, BatchSize = 32;

    public static int Run(ExampleOptions o)
    {
        bool masked = o.Variant switch
        {
            null or "masked" => true,
            "unmasked" => false,
            _ => throw new ArgumentException($"unknown variant '{o.Variant}'; expected masked or unmasked."),
        };
        RandomGenerator.SetGlobalSeed(o.Seed);
        var data = o.Data is null ? Conll2000.LoadSample() : Conll2000.Load(o.Data);
        int epochs = o.Epochs ?? (o.Data is null ? 40 : 3);
        var corpus = TaggingCorpus.Build(data, MaxWords);
        Console.WriteLine($"CoNLL-2000 {(o.Data is null ? "sample" : "from " + o.Data)}: {data.Train.Count} train / {data.Test.Count} test sentences, " +
                          $"{corpus.TestTokens} test tokens; vocabulary {corpus.VocabularySize} ids (incl. PAD, UNK), {corpus.TagCount} tags (incl. PAD), maxlen {corpus.MaxLen}");
        Console.WriteLine($"Test tokens outside the vocabulary (UNK): {corpus.TestUnknownRate:P1}. Majority-tag baseline (most frequent tag of each training word): {corpus.MajorityBaseline():P2}");
        Console.WriteLine(masked ? "Loss: sparse categorical cross-entropy with ignore_class=0 (padding left out)" : "Loss: sparse categorical cross-entropy over every position, padding included");
        Console.WriteLine();

        var variants = new (string Name, Func<Sequential> Make)[]
        {
            ("encoder-decoder GRU", () => new Sequential(
                new Embedding(corpus.VocabularySize, EmbedSize, maskZero: true, inputShape: new[] { corpus.MaxLen }),
                new GRU(HiddenSize, dropout: 0.2f, recurrentDropout: 0.2f),
                new RepeatVector(corpus.MaxLen),
                new GRU(HiddenSize, returnSequences: true),
                new TimeDistributed(new Dense(corpus.TagCount, activation: "softmax")))),
            ("bidirectional LSTM", () => new Sequential(
                new Embedding(corpus.VocabularySize, EmbedSize, maskZero: true, inputShape: new[] { corpus.MaxLen }),
                new Bidirectional(new LSTM(HiddenSize, dropout: 0.2f, recurrentDropout: 0.2f, returnSequences: true)),
                new TimeDistributed(new Dense(corpus.TagCount, activation: "softmax")))),
        };

        var rows = new List<string[]>();
        foreach (var (name, make) in variants)
        {
            RandomGenerator.SetGlobalSeed(o.Seed);
            var model = make();
            Console.WriteLine($"--- {name}");
            model.Summary();
            model.Compile(new Adam(), new SparseCategoricalCrossentropy(ignoreClass: masked ? 0 : null), new[] { "accuracy" });
            var sw = Stopwatch.StartNew();
            model.Fit(corpus.XTrain, corpus.YTrain, batchSize: BatchSize, epochs: epochs, verbose: 2, validationData: (corpus.XTest, corpus.YTest));
            double seconds = sw.Elapsed.TotalSeconds;
            var score = model.Evaluate(corpus.XTest, corpus.YTest, batchSize: BatchSize, verbose: 0);
            double tokenAccuracy = corpus.TokenAccuracy(model.Predict(corpus.XTest, batchSize: BatchSize));
            Console.WriteLine($"{name}: test accuracy with padding {score["accuracy"]:P2}, per-token accuracy (padding excluded) {tokenAccuracy:P2}, trained in {seconds:0.0} s");
            Console.WriteLine();
            rows.Add(new[] { name, model.CountParams().ToString("N0", ExampleTable.Culture), epochs.ToString(ExampleTable.Culture),
                             $"{score["accuracy"]:P2}", $"{tokenAccuracy:P2}", $"{seconds:0.0} s" });
        }
        ExampleTable.Print(new[] { "model", "parameters", "epochs", "test acc. (with padding)", "test acc. per token", "fit time" }, rows);
        return 0;
    }

    /// <summary>The corpus as padded id tensors, with what the accuracy over real tokens needs.</summary>
    private sealed class TaggingCorpus
    {
        public required Tensor XTrain, YTrain, XTest, YTest;
        public required int VocabularySize, TagCount, MaxLen, TestTokens;
        public required double TestUnknownRate;
        public required List<List<int>> TrainWords, TrainTags, TestWords, TestTags;

        public static TaggingCorpus Build(Conll2000Data data, int maxWords)
        {
            static List<string[]> Words(IReadOnlyList<IReadOnlyList<ConllToken>> s) => s.Select(t => t.Select(k => k.Word).ToArray()).ToList();
            static List<string[]> Tags(IReadOnlyList<IReadOnlyList<ConllToken>> s) => s.Select(t => t.Select(k => k.Pos).ToArray()).ToList();
            // Words: lower-cased, no filtering (punctuation tokens are words here); ids ≥ maxWords become UNK, so no token is dropped.
            var words = new Tokenizer(numWords: maxWords, filters: "", lower: true, oovToken: "UNK");
            words.FitOnTexts(Words(data.Train));
            // Tags: a closed set, fitted on both splits so that a tag absent from a small training sample still has an id.
            var tags = new Tokenizer(filters: "", lower: false);
            tags.FitOnTexts(Tags(data.Train).Concat(Tags(data.Test)));
            var trainWords = words.TextsToSequences(Words(data.Train)); var testWords = words.TextsToSequences(Words(data.Test));
            var trainTags = tags.TextsToSequences(Tags(data.Train)); var testTags = tags.TextsToSequences(Tags(data.Test));
            int maxLen = trainWords.Concat(testWords).Max(s => s.Count);
            int unk = words.WordIndex["UNK"];
            Tensor Pad(List<List<int>> s) => SequenceUtils.PadSequences(s.Cast<IReadOnlyList<int>>().ToList(), maxLen);
            return new TaggingCorpus
            {
                XTrain = Pad(trainWords), YTrain = Pad(trainTags), XTest = Pad(testWords), YTest = Pad(testTags),
                VocabularySize = Math.Min(maxWords, words.WordIndex.Count + 1), TagCount = tags.WordIndex.Count + 1, MaxLen = maxLen,
                TestTokens = testWords.Sum(s => s.Count),
                TestUnknownRate = testWords.SelectMany(s => s).Count(i => i == unk) / (double)testWords.Sum(s => s.Count),
                TrainWords = trainWords, TrainTags = trainTags, TestWords = testWords, TestTags = testTags,
            };
        }

        /// <summary>Accuracy of the predicted tags (argmax of (sentences, maxlen, tags)) over the real (unpadded) tokens.</summary>
        public double TokenAccuracy(Tensor probabilities)
        {
            var predicted = Ops.ArgMax(probabilities, -1).ToArray();
            var truth = YTest.ToArray();
            int right = 0, total = 0;
            for (int i = 0; i < truth.Length; i++)
            {
                if (truth[i] == 0f) continue; // padding ("pre": the sentence is at the end of its row)
                total++;
                if (predicted[i] == truth[i]) right++;
            }
            return right / (double)total;
        }

        /// <summary>Tags each test word with its most frequent training tag (unknown words: the most frequent tag overall).</summary>
        public double MajorityBaseline()
        {
            var counts = new Dictionary<(int Word, int Tag), int>();
            var tagCounts = new Dictionary<int, int>();
            for (int s = 0; s < TrainWords.Count; s++)
                for (int t = 0; t < TrainWords[s].Count; t++)
                {
                    var key = (TrainWords[s][t], TrainTags[s][t]);
                    counts[key] = counts.GetValueOrDefault(key) + 1;
                    tagCounts[key.Item2] = tagCounts.GetValueOrDefault(key.Item2) + 1;
                }
            int overall = tagCounts.MaxBy(kv => kv.Value).Key;
            var best = counts.GroupBy(kv => kv.Key.Word).ToDictionary(g => g.Key, g => g.MaxBy(kv => kv.Value).Key.Tag);
            int right = 0, total = 0;
            for (int s = 0; s < TestWords.Count; s++)
                for (int t = 0; t < TestWords[s].Count; t++)
                {
                    total++;
                    if (best.GetValueOrDefault(TestWords[s][t], overall) == TestTags[s][t]) right++;
                }
            return right / (double)total;
        }
    }
}
