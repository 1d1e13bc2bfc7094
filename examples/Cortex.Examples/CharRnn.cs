using System.Diagnostics;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;

namespace Cortex.Examples;

/// <summary>
/// Deep Learning with Keras ch.6 (alice_chargen_rnn.py): a character-level SimpleRNN language model of Alice in
/// Wonderland. The text is cleaned as the book does (lines stripped, lower-cased, ASCII only, joined by spaces) and
/// cut into 10-character windows at every character; SimpleRNN(128, return_sequences=False, unroll=True) →
/// Dense(vocab) → softmax, RMSprop, categorical cross-entropy, batch 128. The book runs 25 iterations of 1 epoch;
/// after each, 100 characters are generated greedily (argmax) from a random seed window.
/// </summary>
/// <remarks>Default: the shipped 20,000-character sample; <c>--data DIR</c>: the whole book (144,396 characters);
/// <c>--epochs N</c>: the number of iterations (default 25).</remarks>
internal static class CharRnn
{
    private const int SeqLen = 10, Step = 1, HiddenSize = 128, BatchSize = 128, PredsPerIteration = 100;

    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        var corpus = new CharText(CharText.BookClean(CharText.LoadAlice(o.Data)));
        var (windows, next) = corpus.Windows(SeqLen, Step);
        Console.WriteLine($"Cleaned text: {corpus.Text.Length:N0} characters, {corpus.Vocab} distinct; {windows.Length:N0} windows of {SeqLen}");
        var x = corpus.EncodeWindows(windows);
        var y = corpus.EncodeChars(next);

        var model = new Sequential(
            new SimpleRNN(HiddenSize, returnSequences: false, unroll: true, inputShape: new[] { SeqLen, corpus.Vocab }),
            new Dense(corpus.Vocab),
            new Activation("softmax"));
        model.Compile(new RMSprop(), "categorical_crossentropy");
        model.Summary();

        int iterations = o.Epochs ?? 25;
        var rng = new RandomGenerator(o.Seed);
        var clock = Stopwatch.StartNew();
        for (int iteration = 0; iteration < iterations; iteration++)
        {
            Console.WriteLine(new string('=', 50));
            Console.WriteLine($"Iteration #: {iteration}");
            var history = model.Fit(x, y, batchSize: BatchSize, epochs: 1, verbose: 2);
            string seed = windows[rng.NextInt(windows.Length)];
            Console.WriteLine($"Generating from seed: {seed}");
            Console.WriteLine(seed + corpus.Generate(model, seed, PredsPerIteration, CharText.ArgMax));
            Console.WriteLine($"loss {history["loss"][^1]:0.0000}, {clock.Elapsed.TotalSeconds:0} s so far");
        }
        return 0;
    }
}
