using Cortex.Keras.Callbacks;
using Cortex.Keras.Data;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using static Cortex.Tests.Training.TrainingTestUtil;

namespace Cortex.Tests.Data;

public class DatasetTests
{
    private static Tensor Range(int n, int width = 1)
    {
        var d = new float[n * width];
        for (int i = 0; i < n; i++) for (int j = 0; j < width; j++) d[i * width + j] = i;
        return Tensor.FromArray(d, n, width);
    }

    private static float[] Firsts(Dataset ds) => ds.SelectMany(e => { var a = e.Input.ToArray(); int w = a.Length / e.Rows; return Enumerable.Range(0, e.Rows).Select(i => a[i * w]); }).ToArray();

    [Fact]
    public void Slices_batch_with_and_without_the_remainder()
    {
        var ds = Dataset.FromTensorSlices(Range(7, 2), Range(7));
        Assert.Equal(7, ds.Cardinality);
        var first = ds.First();
        Assert.Equal(new[] { 2 }, first.Input.Shape);
        var batches = ds.Batch(3).ToList();
        Assert.Equal(3, ds.Batch(3).Cardinality);
        Assert.Equal(new[] { 3, 3, 1 }, batches.Select(b => b.Rows));
        Assert.Equal(new[] { 3, 2 }, batches[0].Input.Shape);
        Assert.Equal(new float[] { 3, 4, 5 }, batches[1].Target.ToArray());
        Assert.Equal(2, ds.Batch(3, dropRemainder: true).Count());
        Assert.Equal(2, ds.Batch(3, dropRemainder: true).Cardinality);
        Assert.Throws<ArgumentException>(() => Dataset.FromTensorSlices(Range(3), Range(4)));
    }

    [Fact]
    public void Shuffle_is_a_seeded_permutation_that_changes_each_pass()
    {
        var ds = Dataset.FromTensorSlices(Range(50)).Shuffle(50, seed: 3);
        var a = Firsts(ds); var b = Firsts(ds);
        Assert.Equal(Enumerable.Range(0, 50).Select(i => (float)i), a.OrderBy(v => v));
        Assert.NotEqual(a, b);
        Assert.Equal(a, Firsts(Dataset.FromTensorSlices(Range(50)).Shuffle(50, seed: 3)));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (float)i), Firsts(Dataset.FromTensorSlices(Range(10)).Shuffle(1, seed: 1)));
        // A small buffer only moves elements a little ahead: element i can come out no earlier than position i - buffer + 1.
        var local = Firsts(Dataset.FromTensorSlices(Range(40)).Shuffle(4, seed: 9));
        for (int pos = 0; pos < local.Length; pos++) Assert.True(local[pos] <= pos + 3, $"element {local[pos]} at {pos}");
    }

    [Fact]
    public void Map_repeat_and_take_compose()
    {
        var ds = Dataset.FromTensorSlices(Range(4), Range(4)).Map((x, y) => (Ops.MultiplyScalar(x, 10f), y));
        Assert.Equal(new float[] { 0, 10, 20, 30, 0, 10 }, Firsts(ds.Repeat(2).Take(6)));
        Assert.Equal(8, ds.Repeat(2).Cardinality);
        Assert.Equal(Dataset.InfiniteCardinality, ds.Repeat().Cardinality);
        Assert.Equal(10, ds.Repeat().Take(10).Cardinality);
        Assert.Equal(10, ds.Repeat().Take(10).Count());
        Assert.Empty(Dataset.FromTensorSlices(Range(4)).Take(0).Repeat());
    }

    [Fact]
    public void Prefetch_yields_the_same_elements_and_surfaces_upstream_errors()
    {
        var ds = Dataset.FromTensorSlices(Range(20)).Batch(3);
        Assert.Equal(Firsts(ds), Firsts(ds.Prefetch(2)));
        Assert.Equal(7, ds.Prefetch(2).Cardinality);

        var failing = Dataset.FromTensorSlices(Range(10)).Map(e => e.Input.Item() == 6f ? throw new FormatException("bad record 6") : e).Prefetch(2);
        int seen = 0;
        var ex = Assert.Throws<FormatException>(() => { foreach (var _ in failing) seen++; });
        Assert.Equal("bad record 6", ex.Message);
        Assert.Equal(6, seen);
    }

    [Fact]
    public void Disposing_a_prefetching_enumerator_stops_its_producer()
    {
        int produced = 0;
        var ds = Dataset.FromGenerator(() => Forever()).Prefetch(3);
        IEnumerable<DataElement> Forever() { while (true) { Interlocked.Increment(ref produced); yield return new DataElement(Tensor.Zeros(1)); } }
        using (var it = ds.GetEnumerator())
            for (int i = 0; i < 5; i++) Assert.True(it.MoveNext());
        int after = Volatile.Read(ref produced);
        Assert.True(after <= 5 + 3 + 2, $"produced {after}");
        Thread.Sleep(50);
        Assert.Equal(after, Volatile.Read(ref produced));
    }
}

[Collection(nameof(GlobalRandomCollection))]
public class DatasetFitTests
{
    private sealed class BatchCounter : Callback
    {
        public readonly List<int> PerEpoch = new();
        public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs) => PerEpoch.Add(0);
        public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs) => PerEpoch[^1]++;
    }

    private static Sequential Net() => new(new Dense(3, activation: "tanh", inputShape: new[] { 4 }), new Dense(2));

    [Fact]
    public void Fit_on_a_dataset_equals_fit_on_the_same_batches_of_tensors()
    {
        var x = Random(1, 10, 4); var y = Random(2, 10, 2);
        var a = Net(); var b = Net();
        CopyWeights(a, b);
        a.Compile(new SGD(0.1f), "mse", new[] { "mae" }); b.Compile(new SGD(0.1f), "mse", new[] { "mae" });
        var ha = a.Fit(x, y, batchSize: 4, epochs: 3, verbose: 0, shuffle: false, validationData: (x, y));
        var ds = Dataset.FromTensorSlices(x, y).Batch(4);
        var hb = b.Fit(ds.Prefetch(2), epochs: 3, verbose: 0, validationData: ds);
        AssertWeightsClose(a, b);
        Assert.Equal(ha.HistoryData.Keys, hb.HistoryData.Keys);
        AssertClose(ha["val_loss"].ToArray(), hb["val_loss"].ToArray());
        Assert.Equal(a.Evaluate(x, y, verbose: 0)["loss"], b.Evaluate(ds, verbose: 0)["loss"], 5);
        AssertClose(a.Predict(x).ToArray(), b.Predict(ds).ToArray());
    }

    [Fact]
    public void With_steps_per_epoch_an_infinite_generator_is_consumed_across_epochs()
    {
        var used = new List<int>();
        IEnumerable<(Tensor, Tensor)> Batches()
        {
            for (int i = 0; ; i++) { used.Add(i); yield return (Random(i, 2, 4), Random(100 + i, 2, 2)); }
        }
        var model = Net();
        model.Compile(new SGD(0.1f), "mse");
        var counter = new BatchCounter();
        model.Fit(Batches(), epochs: 3, verbose: 0, callbacks: new[] { counter }, stepsPerEpoch: 2);
        Assert.Equal(new[] { 2, 2, 2 }, counter.PerEpoch);
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, used);

        var ex = Assert.Throws<ArgumentException>(() => model.Fit(Dataset.FromTensorSlices(Random(1, 4, 4), Random(2, 4, 2)).Batch(2).Repeat(), verbose: 0));
        Assert.Contains("you must specify the `steps_per_epoch` argument", ex.Message);
    }

    [Fact]
    public void A_finite_dataset_is_one_epoch_per_pass_and_running_out_stops_training()
    {
        var ds = Dataset.FromTensorSlices(Random(1, 10, 4), Random(2, 10, 2)).Batch(4);
        var model = Net();
        model.Compile(new SGD(0.1f), "mse");
        var counter = new BatchCounter();
        model.Fit(ds.Map(e => e), epochs: 2, verbose: 0, callbacks: new[] { counter });   // Map keeps the cardinality
        Assert.Equal(new[] { 3, 3 }, counter.PerEpoch);

        var unknown = new BatchCounter();
        model.Fit(Dataset.FromGenerator(() => ds), epochs: 2, verbose: 0, callbacks: new[] { unknown });
        Assert.Equal(new[] { 3, 3 }, unknown.PerEpoch);

        var short_ = new BatchCounter();
        var h = model.Fit(ds, epochs: 5, verbose: 0, callbacks: new[] { short_ }, stepsPerEpoch: 2);
        Assert.True(model.StopTraining);
        Assert.Equal(new[] { 2, 1 }, short_.PerEpoch);
    }
}
