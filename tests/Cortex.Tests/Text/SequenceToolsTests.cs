using Cortex.Keras.Models;
using Cortex.Keras.Layers;
using Cortex.Keras.Preprocessing.Sequence;

namespace Cortex.Tests.Text;

/// <summary>pad_sequences, skipgrams, make_sampling_table, TimeseriesGenerator and sliding windows, with Keras's documented examples.</summary>
public class SequenceToolsTests
{
    private static readonly int[][] Seqs = { new[] { 1 }, new[] { 2, 3 }, new[] { 4, 5, 6 } };

    [Fact]
    public void Pad_sequences_reproduces_the_keras_doc_examples()
    {
        Assert.Equal(new float[] { 0, 0, 1, 0, 2, 3, 4, 5, 6 }, SequenceUtils.PadSequences(Seqs).ToArray());
        Assert.Equal(new[] { 3, 3 }, SequenceUtils.PadSequences(Seqs).Shape);
        Assert.Equal(new float[] { -1, -1, 1, -1, 2, 3, 4, 5, 6 }, SequenceUtils.PadSequences(Seqs, value: -1).ToArray());
        Assert.Equal(new float[] { 1, 0, 0, 2, 3, 0, 4, 5, 6 }, SequenceUtils.PadSequences(Seqs, padding: "post").ToArray());
        Assert.Equal(new float[] { 0, 1, 2, 3, 5, 6 }, SequenceUtils.PadSequences(Seqs, maxlen: 2).ToArray());
        Assert.Equal(new float[] { 0, 1, 2, 3, 4, 5 }, SequenceUtils.PadSequences(Seqs, maxlen: 2, truncating: "post").ToArray());
        Assert.Equal(new[] { new[] { 1, 0, 0, 0 }, new[] { 2, 3, 0, 0 }, new[] { 4, 5, 6, 0 } }, SequenceUtils.PadSequencesToArrays(Seqs, maxlen: 4, padding: "post"));
    }

    [Fact]
    public void Pad_sequences_dtype_empty_sequences_and_floats()
    {
        Assert.Equal(new float[] { 0, 7 }, SequenceUtils.PadSequences(new[] { Array.Empty<int>(), new[] { 7 } }).ToArray());
        Assert.Equal(new float[] { 0, 0, 0, 7 }, SequenceUtils.PadSequences(new[] { Array.Empty<int>(), new[] { 7 } }, maxlen: 2).ToArray());
        // int32 (default for ids) truncates the padding value as numpy's cast does; float32 keeps it.
        Assert.Equal(new float[] { 0, 1 }, SequenceUtils.PadSequences(new[] { new[] { 1 } }, maxlen: 2, value: 0.5f).ToArray());
        Assert.Equal(new float[] { 0.5f, 1 }, SequenceUtils.PadSequences(new[] { new[] { 1 } }, maxlen: 2, dtype: "float32", value: 0.5f).ToArray());
        Assert.Equal(new float[] { 0, 1.5f, 2.5f }, SequenceUtils.PadSequences(new IReadOnlyList<float>[] { new[] { 1.5f, 2.5f } }, maxlen: 3).ToArray());
    }

    [Fact]
    public void Pad_sequences_errors_are_keras_messages()
    {
        Assert.Equal("Padding type \"middle\" not understood (Parameter 'padding')", Assert.Throws<ArgumentException>(() => SequenceUtils.PadSequences(Seqs, padding: "middle")).Message);
        Assert.StartsWith("Truncating type \"both\" not understood", Assert.Throws<ArgumentException>(() => SequenceUtils.PadSequences(Seqs, truncating: "both")).Message);
        Assert.Throws<ArgumentException>(() => SequenceUtils.PadSequences(Seqs, dtype: "str"));
        Assert.Throws<ArgumentException>(() => SequenceUtils.PadSequences(Seqs, maxlen: -1));
    }

    [Fact]
    public void To_tensor_needs_equal_lengths()
    {
        Assert.Equal(new float[] { 1, 2, 3, 4 }, SequenceUtils.ToTensor(new[] { new[] { 1, 2 }, new[] { 3, 4 } }).ToArray());
        var ex = Assert.Throws<ArgumentException>(() => SequenceUtils.ToTensor(Seqs));
        Assert.Contains("sequence 0 has 1 values, sequence 1 has 2", ex.Message);
        Assert.Contains("PadSequences", ex.Message);
    }

    [Fact]
    public void Make_sampling_table_matches_keras()
    {
        // numpy: make_sampling_table(6)
        var t = SequenceUtils.MakeSamplingTable(6);
        double[] expected = { 0.00315225, 0.00315225, 0.00547597, 0.00741556, 0.00912817, 0.01068435 };
        for (int i = 0; i < 6; i++) Assert.True(Math.Abs(expected[i] - t[i]) < 1e-8, $"table[{i}] = {t[i]}, expected {expected[i]}");
        var big = SequenceUtils.MakeSamplingTable(100000, 1e-2);
        Assert.True(Math.Abs(0.54117943 - big[10]) < 1e-8, $"table[10] = {big[10]}");
        Assert.Equal(1.0, big[50]);
    }

    [Fact]
    public void Skipgrams_positive_pairs_without_shuffle()
    {
        var (couples, labels) = SequenceUtils.Skipgrams(new[] { 1, 2, 3 }, 4, windowSize: 1, negativeSamples: 0, shuffle: false);
        Assert.Equal(new[] { new[] { 1, 2 }, new[] { 2, 1 }, new[] { 2, 3 }, new[] { 3, 2 } }, couples);
        Assert.All(labels, l => Assert.Equal(new[] { 1 }, l));
        // 0 is padding: skipped as a word and as a context.
        var (c0, _) = SequenceUtils.Skipgrams(new[] { 1, 0, 2 }, 3, windowSize: 2, negativeSamples: 0, shuffle: false);
        Assert.Equal(new[] { new[] { 1, 2 }, new[] { 2, 1 } }, c0);
        var (_, cat) = SequenceUtils.Skipgrams(new[] { 1, 2 }, 3, windowSize: 1, negativeSamples: 0, shuffle: false, categorical: true);
        Assert.All(cat, l => Assert.Equal(new[] { 0, 1 }, l));
    }

    [Fact]
    public void Skipgrams_negatives_and_shuffle()
    {
        var seq = new[] { 3, 1, 4, 1, 5, 9, 2, 6 };
        var (pos, _) = SequenceUtils.Skipgrams(seq, 10, windowSize: 2, negativeSamples: 0, shuffle: false);
        var (couples, labels) = SequenceUtils.Skipgrams(seq, 10, windowSize: 2, negativeSamples: 1.0, shuffle: false, seed: 7);
        Assert.Equal(2 * pos.Count, couples.Count);
        Assert.Equal(pos, couples.Take(pos.Count));
        var negatives = couples.Skip(pos.Count).ToList();
        Assert.All(labels.Skip(pos.Count), l => Assert.Equal(new[] { 0 }, l));
        Assert.Equal(pos.Select(c => c[0]).OrderBy(v => v), negatives.Select(c => c[0]).OrderBy(v => v));
        Assert.All(negatives, c => Assert.InRange(c[1], 1, 9));

        var (shuffled, sl) = SequenceUtils.Skipgrams(seq, 10, windowSize: 2, negativeSamples: 1.0, shuffle: true, seed: 7);
        Assert.NotEqual(couples, shuffled);
        // Same pairs with the same labels, in another order.
        string Key(int[] c, int[] l) => $"{c[0]},{c[1]}:{l[0]}";
        Assert.Equal(couples.Zip(labels, Key).OrderBy(s => s), shuffled.Zip(sl, Key).OrderBy(s => s));
        var (again, _) = SequenceUtils.Skipgrams(seq, 10, windowSize: 2, shuffle: true, seed: 7);
        Assert.Equal(shuffled, again);
    }

    [Fact]
    public void Skipgrams_sampling_table_drops_words()
    {
        var table = new double[] { 0, 1, 0 }; // keep word 1 always, word 2 never (as the center word)
        var (couples, _) = SequenceUtils.Skipgrams(new[] { 1, 2, 1 }, 3, windowSize: 1, negativeSamples: 0, shuffle: false, samplingTable: table, seed: 1);
        Assert.Equal(new[] { new[] { 1, 2 }, new[] { 1, 2 } }, couples);
    }

    [Fact]
    public void Timeseries_generator_reproduces_the_keras_doc_example()
    {
        var series = Tensor.FromArray(Enumerable.Range(0, 50).Select(i => (float)i).ToArray(), 50, 1);
        var gen = new TimeseriesGenerator(series, series, length: 10, samplingRate: 2, batchSize: 2);
        Assert.Equal(20, gen.Count);
        var (x, y) = gen[0];
        Assert.Equal(new[] { 2, 5, 1 }, x.Shape);
        Assert.Equal(new float[] { 0, 2, 4, 6, 8, 1, 3, 5, 7, 9 }, x.ToArray());
        Assert.Equal(new float[] { 10, 11 }, y!.ToArray());
        var (xl, yl) = gen[19];
        Assert.Equal(new float[] { 48, 49 }, yl!.ToArray());
        Assert.Equal(new float[] { 38, 40, 42, 44, 46, 39, 41, 43, 45, 47 }, xl.ToArray());
    }

    [Fact]
    public void Timeseries_generator_stride_reverse_shuffle_and_errors()
    {
        var series = Tensor.FromArray(Enumerable.Range(0, 20).Select(i => (float)i).ToArray(), 20);
        var gen = new TimeseriesGenerator(series, series, length: 3, stride: 4, startIndex: 1, endIndex: 15, reverse: true, batchSize: 2);
        // targets at 4, 8, 12 (start_index + length = 4, every 4th, up to 15): (15 - 4 + 8) // 8 = 2 batches.
        Assert.Equal(2, gen.Count);
        var (x, y) = gen[0];
        Assert.Equal(new float[] { 4, 8 }, y!.ToArray());
        Assert.Equal(new float[] { 3, 2, 1, 7, 6, 5 }, x.ToArray());
        Assert.Equal(new float[] { 12 }, gen[1].Y!.ToArray());

        var sh = new TimeseriesGenerator(series, series, length: 3, shuffle: true, batchSize: 8, seed: 4);
        var (xs, ys) = sh[0];
        var xa = xs.ToArray(); var ya = ys!.ToArray();
        for (int b = 0; b < 8; b++)
        {
            Assert.InRange(ya[b], 3, 19);
            Assert.Equal(new[] { ya[b] - 3, ya[b] - 2, ya[b] - 1 }, xa.Skip(b * 3).Take(3));
        }

        Assert.StartsWith("Data and targets have to be of same length. Data length is 20 while target length is 19",
            Assert.Throws<ArgumentException>(() => new TimeseriesGenerator(series, Tensor.Zeros(19), 3)).Message);
        Assert.StartsWith("`start_index+length=25 > end_index=19` is disallowed",
            Assert.Throws<ArgumentException>(() => new TimeseriesGenerator(series, series, 5, startIndex: 20)).Message);
    }

    [Fact]
    public void Timeseries_generator_feeds_model_fit()
    {
        var values = Enumerable.Range(0, 64).Select(i => MathF.Sin(i * 0.3f)).ToArray();
        var series = Tensor.FromArray(values, 64, 1);
        var gen = new TimeseriesGenerator(series, series, length: 4, batchSize: 16);
        var model = new Sequential(new Flatten(inputShape: new[] { 4, 1 }), new Dense(1));
        model.Compile("adam", "mse");
        var h = model.Fit(gen, epochs: 3, verbose: 0);
        Assert.Equal(3, h.HistoryData["loss"].Count);
    }

    [Fact]
    public void Sliding_windows_pairs_each_window_with_the_value_horizon_steps_later()
    {
        var (x, y) = SlidingWindows.Make(new float[] { 1, 2, 3, 4, 5, 6 }, window: 3, horizon: 2);
        Assert.Equal(new[] { 2, 3, 1 }, x.Shape);
        Assert.Equal(new float[] { 1, 2, 3, 2, 3, 4 }, x.ToArray());
        Assert.Equal(new[] { 2, 1 }, y.Shape);
        Assert.Equal(new float[] { 5, 6 }, y.ToArray());

        var multi = Tensor.FromArray(new float[] { 1, 10, 2, 20, 3, 30, 4, 40 }, 4, 2);
        var (xm, ym) = SlidingWindows.Make(multi, 2);
        Assert.Equal(new[] { 2, 2, 2 }, xm.Shape);
        Assert.Equal(new float[] { 3, 30, 4, 40 }, ym.ToArray());
        Assert.Contains("too short", Assert.Throws<ArgumentException>(() => SlidingWindows.Make(multi, 4)).Message);
    }
}
