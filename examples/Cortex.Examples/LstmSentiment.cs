using System.Diagnostics;
using Cortex.Keras.Datasets;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Keras.Preprocessing.Sequence;
using Cortex.Keras.Preprocessing.Text;

namespace Cortex.Examples;

/// <summary>
/// Deep Learning with Keras ch.6 (umich_sentiment_lstm.py): Embedding(vocab, 128) → SpatialDropout1D(0.2) →
/// LSTM(64, dropout=0.2, recurrent_dropout=0.2) → Dense(1) → sigmoid, Adam, binary cross-entropy, batch 32, 10 epochs,
/// validated on the test split every epoch; then a few test sentences with their predicted and true labels.
/// </summary>
/// <remarks>The book trains on the UMICH SI650 sentences (7,086 one-line movie opinions, not available here; vocabulary
/// 2,000, maxlen 42) and reports about 99% test accuracy. Here the data are IMDB reviews (long, harder): a
/// <see cref="Tokenizer"/> with num_words 5,000 fitted on the training reviews, sequences padded/truncated to the last
/// 200 words. Default: the shipped sample (500 train / 500 test reviews); <c>--data DIR</c>: the full 25,000 / 25,000.</remarks>
internal static class LstmSentiment
{
    private const int MaxFeatures = 5000, MaxLen = 200, EmbedSize = 128, HiddenSize = 64, BatchSize = 32;

    public static int Run(ExampleOptions o)
    {
        RandomGenerator.SetGlobalSeed(o.Seed);
        var data = o.Data is null ? Imdb.LoadSample() : Imdb.Load(o.Data);
        Console.WriteLine($"IMDB from {(o.Data is null ? "the shipped sample (data/imdb-sample)" : o.Data)}: {data.Train.Count:N0} train, {data.Test.Count:N0} test reviews");
        var tokenizer = new Tokenizer(numWords: MaxFeatures);
        tokenizer.FitOnTexts(data.Train.Texts.Select(Imdb.Clean));
        Console.WriteLine($"word_index: {tokenizer.WordIndex.Count:N0} words, keeping the {MaxFeatures - 1:N0} most frequent; maxlen {MaxLen}");
        Tensor Encode(ImdbSplit split) => SequenceUtils.PadSequences(tokenizer.TextsToSequences(split.Texts.Select(Imdb.Clean)), maxlen: MaxLen);
        Tensor Labels(ImdbSplit split) => Tensor.FromArray(split.Labels.Select(l => (float)l).ToArray(), split.Count, 1);
        var (xTrain, yTrain, xTest, yTest) = (Encode(data.Train), Labels(data.Train), Encode(data.Test), Labels(data.Test));

        var model = new Sequential(
            new Embedding(MaxFeatures, EmbedSize, inputLength: MaxLen),
            new SpatialDropout1D(0.2f),
            new LSTM(HiddenSize, dropout: 0.2f, recurrentDropout: 0.2f),
            new Dense(1),
            new Activation("sigmoid"));
        model.Compile(new Adam(), "binary_crossentropy", new[] { "accuracy" });
        model.Summary();

        int epochs = o.Epochs ?? 10;
        var clock = Stopwatch.StartNew();
        var history = model.Fit(xTrain, yTrain, batchSize: BatchSize, epochs: epochs, verbose: 2, validationData: (xTest, yTest));
        double seconds = clock.Elapsed.TotalSeconds;
        var score = model.Evaluate(xTest, yTest, batchSize: BatchSize, verbose: 0);
        Console.WriteLine($"Test score: {score["loss"]:0.000}, accuracy: {score["accuracy"]:0.000} ({epochs} epochs, {seconds:0} s training; " +
                          $"best val_accuracy {history["val_accuracy"].Max():0.000})");

        var rng = new RandomGenerator(o.Seed);
        var predictions = model.Predict(xTest, batchSize: BatchSize).ToArray();
        for (int k = 0; k < 5; k++)
        {
            int i = rng.NextInt(data.Test.Count);
            string text = Imdb.Clean(data.Test.Texts[i]);
            Console.WriteLine($"{predictions[i]:0.000}\t{data.Test.Labels[i]}\t{(text.Length > 100 ? text[..100] + "…" : text)}");
        }
        return 0;
    }
}
