using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Optimizers;

namespace Cortex.Tests.Functional;

using Functional = Cortex.Keras.Models.Functional;

/// <summary>
/// The library paths Keras's babi_memnn example (examples/babi_memnn) takes: Dot with axes (2, 2) on two 3-D inputs,
/// a softmax over the last axis of a 3-D tensor, Add + Permute((2, 1)) + Concatenate inside a functional graph, and
/// a two-input Fit with sparse integer labels.
/// </summary>
[Collection(nameof(GlobalRandomCollection))]
public class MemoryNetworkTests
{
    [Fact]
    public void Dot_axes_2_2_on_3d_inputs_is_the_batch_of_x_times_y_transposed()
    {
        // x (2, 3, 2), y (2, 2, 2): out[b, i, j] = Σ_k x[b, i, k] · y[b, j, k].
        var x = Tensor.FromArray(new float[] { 1, 2, 3, 4, 5, 6, -1, 0.5f, 2, 1, -2, 3 }, 2, 3, 2);
        var y = Tensor.FromArray(new float[] { 0.5f, 1, -1, 2, 1.5f, -0.5f, 1, 1 }, 2, 2, 2);
        var xs = x.ToArray(); var ys = y.ToArray();
        var expected = new float[2 * 3 * 2];
        for (int b = 0; b < 2; b++)
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 2; j++)
                    expected[(b * 3 + i) * 2 + j] = xs[(b * 3 + i) * 2] * ys[(b * 2 + j) * 2] + xs[(b * 3 + i) * 2 + 1] * ys[(b * 2 + j) * 2 + 1];
        var dot = new Dot((2, 2));
        var z = dot.Apply(new[] { x, y });
        Assert.Equal(new[] { 2, 3, 2 }, z.Shape);
        var zs = z.ToArray();
        for (int i = 0; i < expected.Length; i++) Assert.Equal(expected[i], zs[i], 5);
        Assert.Equal(new[] { -1, 68, 4 }, dot.ComputeOutputShape(new[] { new[] { -1, 68, 64 }, new[] { -1, 4, 64 } }));
        GradientCheck.Assert(t => new Dot((2, 2)).Apply(t), x, y);
        // The contracted sizes must agree: the error names the layer and both shapes.
        var e = Assert.Throws<ArgumentException>(() => new Dot((2, 2), name: "match").ComputeOutputShape(new[] { new[] { -1, 68, 64 }, new[] { -1, 4, 32 } }));
        Assert.Contains("match", e.Message);
        Assert.Contains("64", e.Message);
    }

    [Fact]
    public void Memory_network_graph_has_keras_shapes_and_learns_from_sparse_labels_with_two_inputs()
    {
        // Task: the answer is the story's token at the position the question names (a lookup through the memory).
        // Ids 1..6 are story words, 7..10 question words naming positions 0..3, 11 the question mark.
        RandomGenerator.SetGlobalSeed(3);
        const int n = 256, storyLen = 4, queryLen = 2, vocab = 12, epochs = 40;
        var rng = new RandomGenerator(5);
        var s = new float[n * storyLen]; var q = new float[n * queryLen]; var a = new float[n];
        for (int i = 0; i < n; i++)
        {
            for (int t = 0; t < storyLen; t++) s[i * storyLen + t] = 1 + rng.NextInt(6);
            int pos = rng.NextInt(storyLen);
            q[i * queryLen] = 7 + pos;
            q[i * queryLen + 1] = 11;
            a[i] = s[i * storyLen + pos];
        }
        var stories = Tensor.FromArray(s, n, storyLen); var queries = Tensor.FromArray(q, n, queryLen); var answers = Tensor.FromArray(a, n);

        var story = new Input(new[] { storyLen }, name: "story");
        var question = new Input(new[] { queryLen }, name: "question");
        var m = new Embedding(vocab, 16).Apply(story);
        var c = new Embedding(vocab, queryLen).Apply(story);
        var u = new Embedding(vocab, 16).Apply(question);
        var match = new Activation("softmax").Apply(new Dot((2, 2)).Apply(m, u));
        var response = new Permute(2, 1).Apply(new Add().Apply(match, c));
        var joined = new Concatenate().Apply(response, u);
        Assert.Equal(new[] { -1, storyLen, queryLen }, match.Shape);
        Assert.Equal(new[] { -1, queryLen, storyLen }, response.Shape);
        Assert.Equal(new[] { -1, queryLen, storyLen + 16 }, joined.Shape);
        var output = new Dense(vocab, activation: "softmax").Apply(new LSTM(16).Apply(joined));
        var model = new Functional(new KerasTensor[] { story, question }, output);
        model.Compile(new RMSprop(0.01f), "sparse_categorical_crossentropy", new[] { "accuracy" });
        var before = model.Evaluate(new[] { stories, queries }, new[] { answers }, verbose: 0);
        var history = model.Fit(new[] { stories, queries }, new[] { answers }, batchSize: 32, epochs: epochs, verbose: 0);
        var after = model.Evaluate(new[] { stories, queries }, new[] { answers }, verbose: 0);
        Assert.Equal(epochs, history.HistoryData["loss"].Count);
        Assert.True(after["loss"] < 0.7f * before["loss"], $"loss {before["loss"]} -> {after["loss"]}");
        // Chance is 1/6 (a model that ignored the question would stay near it); this seed reaches about 0.97.
        Assert.True(after["accuracy"] > 0.8f, $"accuracy {after["accuracy"]}");
    }
}
