using System.Diagnostics;
using Cortex.Keras.Callbacks;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Preprocessing.Text;

namespace Cortex.Examples;

/// <summary>
/// Keras's examples/lstm_text_generation.py: LSTM(128) over 40-character windows taken every 3 characters of the
/// lower-cased text, Dense(vocab, softmax), RMSprop(learning_rate=0.01), categorical cross-entropy, batch 128. At the
/// end of every epoch a LambdaCallback generates text from one random seed window at the temperatures 0.2, 0.5, 1.0
/// and 1.2 with <see cref="Sampling.SampleWithTemperature(ReadOnlySpan{float}, double, RandomGenerator)"/> (seeded).
/// </summary>
/// <remarks>Keras's example reads Nietzsche (600,893 characters), which is not available here: Alice in Wonderland is
/// used instead (the shipped 20,000-character sample by default; <c>--data DIR</c>: the whole book). Keras runs 60
/// epochs and generates 400 characters per temperature; the default here is 10 epochs of 200 characters
/// (<c>--epochs N</c>; <c>--variant full</c> generates 400).</remarks>
internal static class LstmTextGeneration
{
    private const int MaxLen = 40, Step = 3;
    private static readonly double[] Temperatures = { 0.2, 0.5, 1.0, 1.2 };

    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        var corpus = new CharText(CharText.LoadAlice(o.Data).ToLowerInvariant());
        var (sentences, next) = corpus.Windows(MaxLen, Step);
        Console.WriteLine($"corpus length: {corpus.Text.Length:N0}, total chars: {corpus.Vocab}, nb sequences: {sentences.Length:N0}");
        var x = corpus.EncodeWindows(sentences);
        var y = corpus.EncodeChars(next);

        var model = new Sequential(
            new LSTM(128, inputShape: new[] { MaxLen, corpus.Vocab }),
            new Dense(corpus.Vocab, activation: "softmax"));
        model.Compile(new RMSprop(learningRate: 0.01f), "categorical_crossentropy");
        model.Summary();

        int epochs = o.Epochs ?? 10, generate = o.Variant == "full" ? 400 : 200;
        var rng = new RandomGenerator(o.Seed);
        var clock = Stopwatch.StartNew();
        var printCallback = new LambdaCallback(onEpochEnd: (epoch, logs) =>
        {
            Console.WriteLine();
            Console.WriteLine($"----- Generating text after Epoch: {epoch} (loss {logs["loss"]:0.0000}, {clock.Elapsed.TotalSeconds:0} s)");
            int start = rng.NextInt(corpus.Text.Length - MaxLen - 1);
            string seed = corpus.Text.Substring(start, MaxLen);
            foreach (double temperature in Temperatures)
            {
                Console.WriteLine($"----- diversity: {temperature}");
                Console.WriteLine($"----- Generating with seed: \"{CharText.OneLine(seed)}\"");
                string text = corpus.Generate(model, seed, generate, p => Sampling.SampleWithTemperature(p, temperature, rng));
                Console.WriteLine(CharText.OneLine(seed + text));
            }
        });
        model.Fit(x, y, batchSize: 128, epochs: epochs, verbose: 2, callbacks: new Callback[] { printCallback });
        Console.WriteLine($"Trained {epochs} epochs in {clock.Elapsed.TotalSeconds:0} s");
        return 0;
    }
}
