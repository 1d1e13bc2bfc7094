using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Preprocessing.Image;
using Cortex.Keras.Utils;

namespace Cortex.Tests.Images;

[Collection(nameof(GlobalRandomCollection))]
public class ImageDataGeneratorTests
{
    [Fact]
    public void HorizontalAndVerticalFlipAreExact()
    {
        var gen = new ImageDataGenerator();
        var x = ImageUtilsTests.Pattern(3, 4, 2);
        var h = gen.ApplyTransform(x, new ImageTransform(FlipHorizontal: true));
        var v = gen.ApplyTransform(x, new ImageTransform(FlipVertical: true));
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 4; c++)
                for (int k = 0; k < 2; k++)
                {
                    Assert.Equal(x[r, 3 - c, k], h[r, c, k]);
                    Assert.Equal(x[2 - r, c, k], v[r, c, k]);
                }
        // horizontal_flip=True flips about half of the draws, and each draw is a flip or the identity.
        var flipGen = new ImageDataGenerator(horizontalFlip: true);
        int flips = 0;
        for (int seed = 0; seed < 200; seed++)
        {
            var t = flipGen.RandomTransform(x, seed).ToArray();
            if (t.SequenceEqual(h.ToArray())) flips++;
            else Assert.Equal(x.ToArray(), t);
        }
        Assert.InRange(flips, 70, 130);
    }

    [Theory]
    [InlineData("nearest")]
    [InlineData("constant")]
    [InlineData("wrap")]
    [InlineData("reflect")]
    public void IntegerShiftMovesPixels(string fillMode)
    {
        var gen = new ImageDataGenerator(fillMode: fillMode, cval: -1f);
        const int H = 5, W = 6;
        var x = ImageUtilsTests.Pattern(H, W, 1);
        // Tx = 2 rows, Ty = −1 column: output (r, c) takes input (r + 2, c − 1), so the content moves up 2 and right 1.
        var y = gen.ApplyTransform(x, new ImageTransform(Tx: 2, Ty: -1));
        for (int r = 0; r < H; r++)
            for (int c = 0; c < W; c++)
            {
                int ir = r + 2, ic = c - 1;
                float expected;
                if (ir < H && ic >= 0) expected = x[ir, ic, 0];
                else expected = fillMode switch
                {
                    "constant" => -1f,
                    "nearest" => x[Math.Min(ir, H - 1), Math.Max(ic, 0), 0],
                    "wrap" => x[ir % H, (ic + W) % W, 0],
                    _ => x[ir >= H ? 2 * H - 1 - ir : ir, ic < 0 ? -ic - 1 : ic, 0],
                };
                Assert.Equal(expected, y[r, c, 0]);
            }
    }

    [Fact]
    public void WidthShiftRangeIsAFractionOfTheWidth()
    {
        var gen = new ImageDataGenerator(widthShiftRange: 0.25f, heightShiftRange: 0.5f);
        double maxTy = 0, maxTx = 0;
        for (int seed = 0; seed < 300; seed++)
        {
            var t = gen.GetRandomTransform([10, 40, 3], seed);
            maxTy = Math.Max(maxTy, Math.Abs(t.Ty));
            maxTx = Math.Max(maxTx, Math.Abs(t.Tx));
            Assert.Equal(0, t.Theta);
        }
        Assert.InRange(maxTy, 9.0, 10.0); // 0.25 × width 40
        Assert.InRange(maxTx, 4.5, 5.0);  // 0.5 × height 10
        var zoom = new ImageDataGenerator(zoomRange: 0.2f);
        Assert.Equal((0.8f, 1.2f), zoom.ZoomRange);
        var z = zoom.GetRandomTransform([8, 8, 1], 3);
        Assert.InRange(z.Zx, 0.8, 1.2);
        Assert.InRange(z.Zy, 0.8, 1.2);
    }

    [Fact]
    public void RotationBy90DegreesIsATranspose()
    {
        var gen = new ImageDataGenerator();
        var x = ImageUtilsTests.Pattern(5, 5, 1);
        var y = gen.ApplyTransform(x, new ImageTransform(Theta: 90));
        // output (r, c) samples input (c0 + ... ): with M = [[0, −1], [1, 0]] about the centre 2: (r, c) → (4 − c, r).
        for (int r = 0; r < 5; r++)
            for (int c = 0; c < 5; c++)
                Assert.Equal(x[4 - c, r, 0], y[r, c, 0], 3);
    }

    [Fact]
    public void BilinearHalfPixelShiftAverages()
    {
        var gen = new ImageDataGenerator();
        var x = Tensor.FromArray(new float[] { 0, 10, 20, 30 }, 1, 4, 1);
        var y = gen.ApplyTransform(x, new ImageTransform(Ty: 0.5));
        Assert.Equal(new float[] { 5, 15, 25, 30 }, y.ToArray());
    }

    [Fact]
    public void RescaleAndSamplewise()
    {
        var x = Tensor.FromArray(new float[] { 0, 255, 51, 102 }, 2, 2, 1);
        var r = new ImageDataGenerator(rescale: 1f / 255).Standardize(x).ToArray();
        Assert.Equal(new float[] { 0, 1, 0.2f, 0.4f }, r, (a, b) => Math.Abs(a - b) < 1e-6f);
        Assert.Equal(new float[] { 0, 255, 51, 102 }, x.ToArray()); // the input is not changed
        var s = new ImageDataGenerator(samplewiseCenter: true, samplewiseStdNormalization: true).Standardize(x).ToArray();
        Assert.Equal(0, s.Average(), 4);
        Assert.Equal(1, Math.Sqrt(s.Select(v => v * v).Average()), 4);
    }

    [Fact]
    public void FeaturewiseStatisticsPerChannel()
    {
        // Channel 0 holds 0..7, channel 1 holds 10 everywhere.
        var data = new float[2 * 2 * 2 * 2];
        for (int i = 0; i < 8; i++) { data[2 * i] = i; data[2 * i + 1] = 10; }
        var x = Tensor.FromArray(data, 2, 2, 2, 2);
        var gen = new ImageDataGenerator(featurewiseCenter: true, featurewiseStdNormalization: true, rescale: 0.5f);
        var unfit = Assert.Throws<InvalidOperationException>(() => gen.Standardize(Tensor.Zeros(2, 2, 2)));
        Assert.Contains("Fit", unfit.Message);
        gen.Fit(x);
        Assert.Equal(new[] { 1, 1, 2 }, gen.Mean!.Shape);
        Assert.Equal(1.75f, gen.Mean![0, 0, 0], 5); // mean of 0..7 × 0.5
        Assert.Equal(5f, gen.Mean![0, 0, 1], 5);
        Assert.Equal((float)(Math.Sqrt(5.25) * 0.5), gen.Std![0, 0, 0], 5);
        Assert.Equal(0f, gen.Std![0, 0, 1], 5);
        var img = Tensor.FromArray(new float[] { 7, 10, 0, 10, 1, 10, 2, 10 }, 2, 2, 2);
        var s = gen.Standardize(img);
        Assert.Equal((3.5f - 1.75f) / (gen.Std![0, 0, 0] + 1e-6f), s[0, 0, 0], 4);
        Assert.Equal(0f, s[0, 0, 1], 4);
        Assert.Contains("rank 4", Assert.Throws<ArgumentException>(() => gen.Fit(Tensor.Zeros(2, 2, 2))).Message);
    }

    [Fact]
    public void FlowCoversEverySampleOncePerEpochAndReshuffles()
    {
        const int N = 23;
        var x = Tensor.Zeros(N, 2, 2, 1);
        var y = Tensor.Zeros(N, 1);
        for (int i = 0; i < N; i++) { y.Span[i] = i; for (int k = 0; k < 4; k++) x.Span[i * 4 + k] = i; }
        var seq = (ImageArraySequence)new ImageDataGenerator().Flow(x, y, batchSize: 5, shuffle: true, seed: 42);
        Assert.Equal(5, seq.Count);
        var orders = new List<int[]>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = new List<int>();
            for (int b = 0; b < seq.Count; b++)
            {
                var (xb, yb) = seq[b];
                Assert.Equal(b < 4 ? 5 : 3, xb.Shape[0]);
                for (int i = 0; i < xb.Shape[0]; i++)
                {
                    Assert.Equal(yb![i, 0], xb[i, 1, 1, 0]); // images travel with their labels
                    seen.Add((int)yb[i, 0]);
                }
            }
            Assert.Equal(Enumerable.Range(0, N), seen.Order());
            orders.Add(seen.ToArray());
            seq.OnEpochEnd();
        }
        Assert.NotEqual(orders[0], orders[1]);
        Assert.NotEqual(Enumerable.Range(0, N).ToArray(), orders[0]);
        // The same seed gives the same batches.
        var again = new ImageDataGenerator().Flow(x, y, batchSize: 5, shuffle: true, seed: 42);
        Assert.Equal(orders[0][..5], again[0].Y!.ToArray().Select(v => (int)v));
        // No shuffle: in order; no y: null targets.
        var plain = new ImageDataGenerator().Flow(x, batchSize: 10, shuffle: false);
        Assert.Null(plain[0].Y);
        Assert.Equal(0f, plain[0].X[0, 0, 0, 0]);
        Assert.Equal(22f, plain[2].X[2, 0, 0, 0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => plain[3]);
        Assert.Contains("rank 4", Assert.Throws<ArgumentException>(() => new ImageDataGenerator().Flow(Tensor.Zeros(3, 2, 2))).Message);
    }

    [Fact]
    public void FitOnFlowTrainsATinyModel()
    {
        RandomGenerator.SetGlobalSeed(7);
        // Two classes: bright left half vs bright right half, 8x8 grey images.
        const int N = 64;
        var x = Tensor.Zeros(N, 8, 8, 1);
        var y = Tensor.Zeros(N, 2);
        var rng = new RandomGenerator(1);
        for (int i = 0; i < N; i++)
        {
            int cls = i % 2;
            y[i, cls] = 1; // indexer set
            for (int r = 0; r < 8; r++)
                for (int c = 0; c < 8; c++)
                    x.Span[((i * 8 + r) * 8 + c)] = ((c < 4) == (cls == 0) ? 200 : 20) + rng.NextFloat() * 30;
        }
        var gen = new ImageDataGenerator(rescale: 1f / 255, heightShiftRange: 0.1f, fillMode: "nearest");
        var flow = gen.Flow(x, y, batchSize: 16, seed: 3);
        var model = new Sequential(new Flatten(inputShape: [8, 8, 1]), new Dense(2, activation: "softmax"));
        model.Compile("adam", "categorical_crossentropy", ["accuracy"]);
        var history = model.Fit(flow, epochs: 8, verbose: 0, validationData: gen.Flow(x, y, batchSize: 32, shuffle: false, seed: 0));
        var loss = history.HistoryData["loss"];
        Assert.Equal(8, loss.Count);
        Assert.True(loss[^1] < loss[0] * 0.7f, $"loss {loss[0]} → {loss[^1]}");
        Assert.True(history.HistoryData.ContainsKey("val_loss"));
        Assert.Equal(8, ((ImageArraySequence)flow).Epoch); // OnEpochEnd ran every epoch
        var eval = model.Evaluate(gen.Flow(x, y, batchSize: 32, shuffle: false), verbose: 0);
        Assert.True(eval["accuracy"] > 0.9f, $"accuracy {eval["accuracy"]}");
        var pred = model.Predict(gen.Flow(x, null, batchSize: 10, shuffle: false));
        Assert.Equal(new[] { N, 2 }, pred.Shape);
        // steps_per_epoch limits the batches; array validation data works too.
        var h2 = model.Fit(flow, (x * (1f / 255), y), epochs: 1, verbose: 0, stepsPerEpoch: 2);
        Assert.True(h2.HistoryData.ContainsKey("val_accuracy"));
        Assert.Contains("steps_per_epoch", Assert.Throws<ArgumentException>(() => model.Fit(flow, epochs: 1, verbose: 0, stepsPerEpoch: 9)).Message);
        Assert.Contains("no targets", Assert.Throws<InvalidOperationException>(() => model.Fit(gen.Flow(x), epochs: 1, verbose: 0)).Message);
    }
}
