using System.Security.Cryptography;
using Cortex.Keras.Applications;
using Cortex.Tests.Engine;

namespace Cortex.Tests.Applications;

public class ImageNetUtilsTests
{
    // Two 1×2 RGB images (H=1, W=2, C=3), row-major channels_last.
    private static readonly float[] ImageA = { 10, 20, 30, 0, 127.5f, 255 };
    private static readonly float[] ImageB = { 200, 100, 50, 64, 32, 16 };

    // Hand-computed results, channels_last order.
    // caffe: reverse to BGR, subtract [103.939, 116.779, 123.68]: (30 − 103.939, 20 − 116.779, 10 − 123.68), ...
    // tf: x / 127.5 − 1.  torch: (x / 255 − mean) / std with mean [0.485, 0.456, 0.406], std [0.229, 0.224, 0.225].
    private static readonly Dictionary<string, (float[] A, float[] B)> Expected = new()
    {
        ["caffe"] = (new[] { -73.939f, -96.779f, -113.68f, 151.061f, 10.721f, -123.68f },
                     new[] { -53.939f, -16.779f, 76.32f, -87.939f, -84.779f, -59.68f }),
        ["tf"] = (new[] { -0.921569f, -0.843137f, -0.764706f, -1f, 0f, 1f },
                  new[] { 0.568627f, -0.215686f, -0.607843f, -0.498039f, -0.749020f, -0.874510f }),
        ["torch"] = (new[] { -1.946656f, -1.685574f, -1.281569f, -2.117904f, 0.196429f, 2.64f },
                     new[] { 1.307047f, -0.285014f, -0.932985f, -1.021920f, -1.475490f, -1.525577f }),
    };

    /// <summary>(H, W, C) row-major → (C, H, W) row-major, for one 1×2 image.</summary>
    private static float[] ToChannelsFirst(float[] hwc)
    {
        var chw = new float[6];
        for (int w = 0; w < 2; w++)
            for (int c = 0; c < 3; c++)
                chw[c * 2 + w] = hwc[w * 3 + c];
        return chw;
    }

    private static void AssertClose(float[] expected, Tensor actual, float tol)
    {
        var a = actual.ToArray();
        Assert.Equal(expected.Length, a.Length);
        for (int i = 0; i < a.Length; i++)
            Assert.True(Math.Abs(expected[i] - a[i]) <= tol, $"element {i}: expected {expected[i]}, got {a[i]}");
    }

    private static float Tol(string mode) => mode == "caffe" ? 1e-4f : 2e-5f;

    [Theory]
    [InlineData("caffe")]
    [InlineData("tf")]
    [InlineData("torch")]
    public void SingleImageChannelsLast(string mode)
    {
        var x = Tensor.FromArray(ImageA, 1, 2, 3);
        var y = ImageNetUtils.PreprocessInput(x, mode);
        Assert.Equal(new[] { 1, 2, 3 }, y.Shape);
        AssertClose(Expected[mode].A, y, Tol(mode));
        Assert.Equal(ImageA, x.ToArray()); // the input is left unchanged
        Assert.NotSame(x, y);
    }

    [Theory]
    [InlineData("caffe")]
    [InlineData("tf")]
    [InlineData("torch")]
    public void SingleImageChannelsFirst(string mode)
    {
        var x = Tensor.FromArray(ToChannelsFirst(ImageA), 3, 1, 2);
        var y = ImageNetUtils.PreprocessInput(x, mode, "channels_first");
        Assert.Equal(new[] { 3, 1, 2 }, y.Shape);
        AssertClose(ToChannelsFirst(Expected[mode].A), y, Tol(mode));
        Assert.Equal(ToChannelsFirst(ImageA), x.ToArray());
    }

    [Theory]
    [InlineData("caffe")]
    [InlineData("tf")]
    [InlineData("torch")]
    public void BatchChannelsLast(string mode)
    {
        var x = Tensor.FromArray(ImageA.Concat(ImageB).ToArray(), 2, 1, 2, 3);
        var y = ImageNetUtils.PreprocessInput(x, mode, "channels_last");
        Assert.Equal(new[] { 2, 1, 2, 3 }, y.Shape);
        AssertClose(Expected[mode].A.Concat(Expected[mode].B).ToArray(), y, Tol(mode));
    }

    [Theory]
    [InlineData("caffe")]
    [InlineData("tf")]
    [InlineData("torch")]
    public void BatchChannelsFirst(string mode)
    {
        var x = Tensor.FromArray(ToChannelsFirst(ImageA).Concat(ToChannelsFirst(ImageB)).ToArray(), 2, 3, 1, 2);
        var y = ImageNetUtils.PreprocessInput(x, mode, "channels_first");
        Assert.Equal(new[] { 2, 3, 1, 2 }, y.Shape);
        var e = Expected[mode];
        AssertClose(ToChannelsFirst(e.A).Concat(ToChannelsFirst(e.B)).ToArray(), y, Tol(mode));
    }

    [Fact]
    public void CaffeOnStridedViewAndNullDataFormat()
    {
        // A transposed (non-contiguous) view of the channels_first image is the channels_last image.
        var chw = Tensor.FromArray(ToChannelsFirst(ImageA), 3, 1, 2);
        var hwc = Ops.Transpose(chw, 1, 2, 0);
        AssertClose(Expected["caffe"].A, ImageNetUtils.PreprocessInput(hwc, "caffe", null), 1e-4f);
    }

    [Theory]
    [InlineData("caffe", "channels_last")]
    [InlineData("torch", "channels_first")]
    [InlineData("tf", "channels_first")]
    public void GradientMatchesFiniteDifferences(string mode, string format)
    {
        var x = Tensor.FromArray(ImageA.Concat(ImageB).Select(v => v / 100f).ToArray(), format == "channels_last" ? new[] { 2, 1, 2, 3 } : new[] { 2, 3, 1, 2 });
        GradientCheck.Assert(t => ImageNetUtils.PreprocessInput(t[0], mode, format), x);
    }

    [Theory]
    [InlineData(new[] { 2, 2, 4 }, "channels_last", "axis 2 (channels_last)", "(2, 2, 4)")]
    [InlineData(new[] { 1, 2, 2, 1 }, "channels_last", "axis 3 (channels_last)", "(1, 2, 2, 1)")]
    [InlineData(new[] { 2, 2, 3 }, "channels_first", "axis 0 (channels_first)", "(2, 2, 3)")]
    [InlineData(new[] { 1, 4, 3, 3 }, "channels_first", "axis 1 (channels_first)", "(1, 4, 3, 3)")]
    public void WrongChannelCountIsAClearError(int[] shape, string format, string axis, string shapeText)
    {
        foreach (var mode in new[] { "caffe", "tf", "torch" })
        {
            var ex = Assert.Throws<ArgumentException>(() => ImageNetUtils.PreprocessInput(Tensor.Zeros(shape), mode, format));
            Assert.Contains($"expects 3 color channels on {axis}", ex.Message);
            Assert.Contains($"Received a tensor of shape: {shapeText}", ex.Message);
        }
    }

    [Fact]
    public void BadModeFormatOrRankAreErrors()
    {
        var x = Tensor.Zeros(1, 2, 3);
        var ex = Assert.Throws<ArgumentException>(() => ImageNetUtils.PreprocessInput(x, "pytorch"));
        Assert.Contains("Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode=pytorch", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => ImageNetUtils.PreprocessInput(x, "caffe", "channels_middle"));
        Assert.Contains("Received: data_format=channels_middle", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => ImageNetUtils.PreprocessInput(Tensor.Zeros(4, 3), "tf"));
        Assert.Contains("Received a tensor of shape: (4, 3)", ex.Message);
    }

    // ------------------------------------------------------------------ decode_predictions

    private static Tensor Preds(params (int Sample, int Class, float Score)[] entries)
    {
        int samples = entries.Max(e => e.Sample) + 1;
        var p = Tensor.Zeros(samples, 1000);
        foreach (var (s, c, v) in entries) p[s, c] = v;
        return p;
    }

    [Fact]
    public void DecodeSortsByScoreWithIdsAndNames()
    {
        var preds = Preds((0, 0, 0.3f), (0, 207, 0.5f), (0, 999, 0.2f),
                          (1, 999, 0.9f), (1, 1, 0.06f), (1, 0, 0.04f));
        var r = ImageNetUtils.DecodePredictions(preds, top: 3);
        Assert.Equal(2, r.Count);
        Assert.Equal(new[] { ("n02099601", "golden_retriever", 0.5f), ("n01440764", "tench", 0.3f), ("n15075141", "toilet_tissue", 0.2f) }, r[0]);
        Assert.Equal(new[] { ("n15075141", "toilet_tissue", 0.9f), ("n01443537", "goldfish", 0.06f), ("n01440764", "tench", 0.04f) }, r[1]);
        Assert.Equal("golden_retriever", r[0][0].Name);
        Assert.Equal("n02099601", r[0][0].ClassId);
        Assert.Equal(0.5f, r[0][0].Score);
    }

    [Fact]
    public void DecodeTopArgument()
    {
        var preds = Preds((0, 5, 0.9f), (0, 6, 0.8f), (0, 7, 0.7f), (0, 8, 0.6f), (0, 9, 0.5f), (0, 10, 0.4f), (0, 11, 0.3f));
        var five = ImageNetUtils.DecodePredictions(preds)[0];
        Assert.Equal(new[] { "electric_ray", "stingray", "cock", "hen", "ostrich" }, five.Select(t => t.Name));
        Assert.Single(ImageNetUtils.DecodePredictions(preds, top: 1)[0]);
        Assert.Equal("electric_ray", ImageNetUtils.DecodePredictions(preds, top: 1)[0][0].Name);
        Assert.Equal(7, ImageNetUtils.DecodePredictions(preds, top: 7)[0].Count);

        // More than 1000 gives all 1000 (as Python's slicing does), sorted descending; equal scores by index.
        var all = ImageNetUtils.DecodePredictions(preds, top: 5000)[0];
        Assert.Equal(1000, all.Count);
        Assert.True(all.Zip(all.Skip(1)).All(p => p.First.Score >= p.Second.Score));
        Assert.Equal(("n01440764", "tench", 0f), all[7]); // first of the zero scores is class 0
        Assert.Equal(("n15075141", "toilet_tissue", 0f), all[999]);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ImageNetUtils.DecodePredictions(preds, top: 0));
        Assert.Contains("Received: top=0", ex.Message);
    }

    [Fact]
    public void DecodeOnAStridedView()
    {
        // (1000, 2) transposed to (2, 1000): a non-contiguous batch.
        var t = Tensor.Zeros(1000, 2);
        t[207, 0] = 1f; t[3, 1] = 1f;
        var r = ImageNetUtils.DecodePredictions(Ops.Transpose(t, 1, 0), top: 1);
        Assert.Equal("golden_retriever", r[0][0].Name);
        Assert.Equal("tiger_shark", r[1][0].Name);
    }

    [Theory]
    [InlineData(new[] { 1000 }, "(1000,)")]
    [InlineData(new[] { 2, 999 }, "(2, 999)")]
    [InlineData(new[] { 1, 2, 1000 }, "(1, 2, 1000)")]
    public void DecodeWrongShapeError(int[] shape, string shapeText)
    {
        var ex = Assert.Throws<ArgumentException>(() => ImageNetUtils.DecodePredictions(Tensor.Zeros(shape)));
        Assert.StartsWith(
            "`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape (samples, 1000)). " +
            $"Received array with shape: {shapeText}", ex.Message);
    }

    // ------------------------------------------------------------------ class index

    [Fact]
    public void ClassIndexHas1000DistinctIds()
    {
        var index = ImageNetUtils.ClassIndex;
        Assert.Equal(1000, index.Count);
        Assert.Equal(1000, index.Select(e => e.ClassId).Distinct().Count());
        Assert.All(index, e => Assert.Matches("^n[0-9]{8}$", e.ClassId));
        Assert.All(index, e => Assert.False(string.IsNullOrEmpty(e.Name)));
        Assert.Equal(("n01440764", "tench"), index[0]);
        Assert.Equal(("n01443537", "goldfish"), index[1]);
        Assert.Equal(("n02099601", "golden_retriever"), index[207]);
        Assert.Equal(("n04380533", "table_lamp"), index[846]);
        Assert.Equal(("n15075141", "toilet_tissue"), index[999]);
    }

    [Fact]
    public void EmbeddedFileIsKerasFileByteForByte()
    {
        // Keras's decode_predictions checks the downloaded file against this MD5 (file_hash in imagenet_utils.py).
        using var stream = typeof(ImageNetUtils).Assembly.GetManifestResourceStream(ImageNetUtils.ClassIndexResource);
        Assert.NotNull(stream);
        Assert.Equal("c2c37ea517e94d9795004a39431a14cb", Convert.ToHexStringLower(MD5.HashData(stream!)));
    }
}
