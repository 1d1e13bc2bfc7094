namespace Cortex.Examples;

/// <summary>Runs one of the books' examples by name: <c>dotnet run --project examples/Cortex.Examples -c Release -- NAME [--data DIR] [--epochs N]</c>.</summary>
internal static class ExampleRunner
{
    private static readonly Dictionary<string, (string About, Func<ExampleOptions, int> Run)> Examples = new()
    {
        ["mnist_mlp"] = ("Keras examples/mnist_mlp.py: 784-512-512-10, dropout 0.2, RMSprop, 20 epochs (Keras: 98.40%)", MnistMlp.Run),
        ["mnist_ladder"] = ("Deep Learning with Keras ch.1: the MNIST ladder, from one softmax layer to Adam (92.2% .. 97.9%)", MnistLadder.Run),
        ["deep_dense"] = ("Deep Learning: From Basics to Practice ch.23: 784-784-10, 623,290 parameters (about 98.3%)", DeepDense.Run),
        ["mnist_cnn"] = ("Keras examples/mnist_cnn.py: two convolutions, max pooling, dropout, Adadelta, 12 epochs (Keras: 99.25%)", MnistCnn.Run),
        ["lenet"] = ("Deep Learning with Keras ch.3: LeNet, channels-first, Adam, 20 epochs (book: 99.06%); --variant small: the reduced training sets", LeNet.Run),
        ["mnist_conv_variants"] = ("Deep Learning: From Basics to Practice ch.24: plain, deeper, pooling, striding, batch-norm conv-nets (book: 98.6% .. 99.4%)", MnistConvVariants.Run),
        ["cifar10_cnn"] = ("Deep Learning with Keras ch.3: CIFAR-10 conv-nets, --variant basic|deeper|augmented (book: 66.4% / 76.9% / 78.3% on 50k images)", Cifar10Cnn.Run),
        ["applications"] = ("Deep Learning with Keras ch.3: VGG16 / ResNet50 / InceptionV3 summaries; --variant transfer: freeze, cut at block3_pool, fine-tune", Applications.Run),
        ["onnx_export"] = ("ONNX export: an MLP and a conv-net (MNIST sample, 1 epoch) and a sentiment LSTM (IMDB sample, 3 epochs), exported, run in ONNX Runtime and compared with Predict", OnnxExport.Run),

        ["cross_validation"] = ("Deep Learning: From Basics to Practice ch.23-24: 10-fold CV of a dense classifier on breast cancer, with and without StandardScaler (book: about 0.955)", ModelSelectionExamples.CrossValidationRun),
        ["grid_search"] = ("Deep Learning: From Basics to Practice ch.23-24: grid search over layers, neurons and optimizer, results table (book's best: 2 layers, Adam)", ModelSelectionExamples.GridSearchRun),

        ["pos_tagging"] = ("Deep Learning with Keras ch.6: POS tagging on CoNLL-2000, GRU encoder-decoder vs bidirectional LSTM, per-token test accuracy without padding", PosTagging.Run),
        ["stateful_lstm"] = ("Stateless LSTM on windows vs stateful LSTM one step at a time, airline passengers (--variant sunspots), test RMSE vs persistence", StatefulLstm.Run),
        ["sine_rnn"] = ("Deep Learning: From Basics to Practice ch.24: a sine wave with RNNs: window sizes, stacked LSTMs, a whole shifted sequence (test MSE table)", SineRnn.Run),

        ["callbacks_tour"] = ("LossHistory (Deep Learning with Keras ch.2), EarlyStopping, ReduceLROnPlateau, CSVLogger, TensorBoard, a CosineDecay schedule on MNIST", CallbacksTour.Run),
        ["checkpoint_schedule"] = ("Deep Learning: From Basics to Practice ch.23: best-only ModelCheckpoint, step-decay LearningRateScheduler, EarlyStopping, reload the best; Deep Learning with Keras ch.2: LossHistory, a checkpoint every epoch", CheckpointSchedule.Run),
        ["training_report"] = ("Fashion-MNIST MLP with a TensorBoard log (read back), history and confusion-matrix PNGs and a classification report", TrainingReport.Run),

        ["functional_api"] = ("Deep Learning with Keras ch.7: Sequential vs Functional, two-in/two-out with loss weights, Lambda distance (siamese), a custom LRN layer", FunctionalApi.Run),
        ["babi_memnn"] = ("Deep Learning with Keras ch.7 / Keras examples/babi_memnn.py: memory network on bAbI task 1, 10k, RMSprop, 120 epochs (Keras: 98.6%; book: over 81%)", BabiMemNN.Run),
        ["prefetch"] = ("Dataset pipeline: MNIST MLP fit over a Map (shift augmentation + a --variant ms decode per batch), with and without Prefetch (epoch times)", PrefetchBench.Run),

        ["save_resume"] = ("Save, reload, continue: an MNIST MLP trained N epochs straight vs N/2 + Save(.keras) + LoadModel + N/2 (identical weights)", SaveResume.Run),

        ["char_rnn"] = ("Deep Learning with Keras ch.6: character-level SimpleRNN(128, unroll) on Alice, 10-char windows, RMSprop, 25 iterations, greedy generation", CharRnn.Run),
        ["lstm_text_generation"] = ("Keras examples/lstm_text_generation.py: LSTM(128) on 40-char windows of Alice, RMSprop(0.01), samples at temperatures 0.2/0.5/1.0/1.2", LstmTextGeneration.Run),
        ["lstm_sentiment"] = ("Deep Learning with Keras ch.6: Embedding → SpatialDropout1D → LSTM(64) → sigmoid on IMDB (book: ~99% on UMICH SI650 sentences)", LstmSentiment.Run),
        ["text_tools"] = ("Tour of the text tools: Tokenizer on IMDB (word_index, sequences, matrix modes, JSON), pad_sequences, one_hot, hashing_trick, skipgrams", TextTools.Run),
        ["xor"] = ("The XOR network (2-2-1, tanh) trained from scratch", Xor.Run),
    };

    public static int Run(string[] args)
    {
        if (args.Length == 0 || !Examples.TryGetValue(args[0], out var ex))
        {
            Console.Error.WriteLine(args.Length == 0 ? "usage: Cortex.Examples NAME [--data DIR] [--epochs N] [--seed N]" : $"unknown example '{args[0]}'.");
            foreach (var (name, e) in Examples) Console.Error.WriteLine($"  {name,-14} {e.About}");
            return 2;
        }
        return ex.Run(ExampleOptions.Parse(args.Skip(1).ToArray()));
    }
}
