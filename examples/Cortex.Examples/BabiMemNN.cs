using System.Diagnostics;
using Cortex.Keras;
using Cortex.Keras.Callbacks;
using Cortex.Keras.Datasets;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Preprocessing.Sequence;

namespace Cortex.Examples;

/// <summary>
/// "Deep Learning with Keras" ch.7 / Keras's examples/babi_memnn.py: an end-to-end memory network on bAbI task 1
/// (single supporting fact, 10k). Each story is flattened to one token sequence; the vocabulary is every word of
/// the stories, questions and answers (sorted, ids from 1, 0 = padding); stories and questions are pre-padded to their
/// longest length and the answer is a word id. The story is embedded twice — as memory keys m (64 wide) and as memory
/// values c (query_maxlen wide) — and the question once (64 wide); softmax(m · q) over the question's words plus c,
/// transposed and joined with the question, goes through LSTM(32) and a softmax over the vocabulary.
/// RMSprop, sparse categorical cross-entropy, batch 32, Keras's 120 epochs (the Keras script's docstring: 98.6% on 10k, 3 s an epoch on a core i7; the book: over 81%).
/// Without <c>--data</c> it runs on the shipped sample (1,000 / 250 questions) as a smoke run.
/// </summary>
internal static class BabiMemNN
{
    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        var data = o.Data is null ? Babi.LoadSample() : Babi.Load(o.Data);
        Console.WriteLine(o.Data is null ? "bAbI task 1: the shipped sample (pass --data DIR for the full 10k set)" : $"bAbI task 1 from {o.Data}");
        var v = BabiVectors.Build(data);
        Console.WriteLine($"Vocab size: {v.VocabSize} unique words (0 = padding); story max length: {v.StoryMaxLen} words; query max length: {v.QueryMaxLen} words");
        Console.WriteLine($"Training samples: {v.TrainStories.Shape[0]:N0}; test samples: {v.TestStories.Shape[0]:N0}");

        var model = Build(v.VocabSize, v.StoryMaxLen, v.QueryMaxLen);
        model.Summary();
        model.Compile(new RMSprop(), "sparse_categorical_crossentropy", new[] { "accuracy" });
        int epochs = o.Epochs ?? 120;
        var timer = new EpochTimer();
        model.Fit(new[] { v.TrainStories, v.TrainQueries }, new[] { v.TrainAnswers }, batchSize: 32, epochs: epochs, verbose: 2,
            callbacks: new Callback[] { timer }, validationData: (new[] { v.TestStories, v.TestQueries }, new[] { v.TestAnswers }));
        var score = model.Evaluate(new[] { v.TestStories, v.TestQueries }, new[] { v.TestAnswers }, verbose: 0);
        Console.WriteLine($"Mean epoch time: {timer.Mean:0.0} s over {timer.Count} epochs");
        Console.WriteLine($"Test loss: {score["loss"]:0.0000}");
        Console.WriteLine($"Test accuracy: {score["accuracy"]:0.0000}");
        return 0;
    }

    /// <summary>Keras's babi_memnn model: inputs (story ids, question ids), output the answer word's probabilities.</summary>
    internal static Functional Build(int vocabSize, int storyMaxLen, int queryMaxLen)
    {
        var inputSequence = new Input(new[] { storyMaxLen }, name: "story");
        var question = new Input(new[] { queryMaxLen }, name: "question");

        // Encoders, each a small Sequential applied as a layer (as the Keras script does).
        var inputEncoderM = new Sequential(new Layer[] { new Embedding(vocabSize, 64), new Dropout(0.3f) }, name: "input_encoder_m");
        var inputEncoderC = new Sequential(new Layer[] { new Embedding(vocabSize, queryMaxLen), new Dropout(0.3f) }, name: "input_encoder_c");
        var questionEncoder = new Sequential(new Layer[] { new Embedding(vocabSize, 64, inputLength: queryMaxLen), new Dropout(0.3f) }, name: "question_encoder");

        var inputEncodedM = inputEncoderM.Apply(inputSequence);    // (samples, story_maxlen, 64)
        var inputEncodedC = inputEncoderC.Apply(inputSequence);    // (samples, story_maxlen, query_maxlen)
        var questionEncoded = questionEncoder.Apply(question);     // (samples, query_maxlen, 64)

        var match = new Dot((2, 2)).Apply(inputEncodedM, questionEncoded);   // (samples, story_maxlen, query_maxlen)
        match = new Activation("softmax").Apply(match);
        var response = new Add().Apply(match, inputEncodedC);                // (samples, story_maxlen, query_maxlen)
        response = new Permute(2, 1).Apply(response);                        // (samples, query_maxlen, story_maxlen)

        var answer = new Concatenate().Apply(response, questionEncoded);     // (samples, query_maxlen, story_maxlen + 64)
        answer = new LSTM(32).Apply(answer);
        answer = new Dropout(0.3f).Apply(answer);
        answer = new Dense(vocabSize).Apply(answer);
        answer = new Activation("softmax").Apply(answer);
        return new Functional(new KerasTensor[] { inputSequence, question }, answer, name: "babi_memnn");
    }

    /// <summary>Keeps the mean wall time of the epochs (the first one included; validation included).</summary>
    private sealed class EpochTimer : Callback
    {
        private readonly Stopwatch _watch = new();
        private double _total;
        public int Count { get; private set; }
        public double Mean => Count == 0 ? 0 : _total / Count;
        public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs) => _watch.Restart();
        public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) { _total += _watch.Elapsed.TotalSeconds; Count++; }
    }
}

/// <summary>
/// Keras's babi_memnn vectorisation: the vocabulary of stories, questions and answers (train and test), sorted
/// ordinally, ids from 1; stories flattened and pre-padded to the longest, questions likewise, answers as ids.
/// </summary>
internal sealed record BabiVectors(int VocabSize, int StoryMaxLen, int QueryMaxLen, IReadOnlyDictionary<string, int> WordIndex,
    Tensor TrainStories, Tensor TrainQueries, Tensor TrainAnswers, Tensor TestStories, Tensor TestQueries, Tensor TestAnswers)
{
    public static BabiVectors Build(BabiData data)
    {
        var all = data.Train.Concat(data.Test).ToList();
        var vocab = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var s in all) { vocab.UnionWith(s.Story.SelectMany(w => w)); vocab.UnionWith(s.Question); vocab.Add(s.Answer); }
        var wordIndex = vocab.Select((w, i) => (w, i + 1)).ToDictionary(p => p.w, p => p.Item2);
        int storyMax = all.Max(s => s.Story.Sum(x => x.Count)), queryMax = all.Max(s => s.Question.Count);
        (Tensor S, Tensor Q, Tensor A) Vectorize(IReadOnlyList<BabiSample> set) => (
            SequenceUtils.PadSequences(set.Select(s => (IReadOnlyList<int>)s.Story.SelectMany(w => w).Select(w => wordIndex[w]).ToList()).ToList(), storyMax),
            SequenceUtils.PadSequences(set.Select(s => (IReadOnlyList<int>)s.Question.Select(w => wordIndex[w]).ToList()).ToList(), queryMax),
            Tensor.FromArray(set.Select(s => (float)wordIndex[s.Answer]).ToArray(), set.Count));
        var (trS, trQ, trA) = Vectorize(data.Train);
        var (teS, teQ, teA) = Vectorize(data.Test);
        return new BabiVectors(vocab.Count + 1, storyMax, queryMax, wordIndex, trS, trQ, trA, teS, teQ, teA);
    }
}
