using System.Globalization;
using System.Text.Json;
using Cortex.Keras.Layers;

namespace Cortex.Keras.Applications;

/// <summary>
/// Keras's <c>keras.applications.imagenet_utils</c>: the input preprocessing and the prediction decoding shared by the
/// ImageNet application models (VGG16, VGG19, ResNet50 use mode <c>"caffe"</c>, InceptionV3 uses <c>"tf"</c>).
/// Each model's own <c>PreprocessInput</c> / <c>DecodePredictions</c> is a thin wrapper over these.
/// </summary>
public static class ImageNetUtils
{
    /// <summary>The number of ImageNet classes a prediction row must have.</summary>
    public const int NumClasses = 1000;

    /// <summary>The resource name of the embedded <c>imagenet_class_index.json</c>.</summary>
    internal const string ClassIndexResource = "Cortex.Keras.Applications.imagenet_class_index.json";

    // caffe: BGR means of the ImageNet training set; torch: RGB mean and std of pixels scaled to [0, 1].
    private static readonly float[] CaffeMean = { 103.939f, 116.779f, 123.68f };
    private static readonly float[] TorchMean = { 0.485f, 0.456f, 0.406f };
    private static readonly float[] TorchStd = { 0.229f, 0.224f, 0.225f };

    private static readonly Lazy<(string ClassId, string Name)[]> Index = new(LoadClassIndex);

    /// <summary>
    /// Preprocesses a tensor encoding an image or a batch of images, with pixel values in [0, 255], for an ImageNet
    /// model. Returns a new tensor of the same shape; <paramref name="x"/> is left unchanged. Built from differentiable
    /// ops, so it may also sit inside a model.
    /// </summary>
    /// <param name="x">Images of shape <c>(..., H, W, 3)</c> (channels_last) or <c>(..., 3, H, W)</c>
    /// (channels_first): a single image <c>(H, W, 3)</c> or a batch <c>(N, H, W, 3)</c>.</param>
    /// <param name="mode">One of <c>"caffe"</c>, <c>"tf"</c> or <c>"torch"</c>.
    /// <list type="bullet">
    /// <item><c>caffe</c>: converts the images from RGB to BGR, then zero-centers each color channel with respect to
    /// the ImageNet dataset (subtracts [103.939, 116.779, 123.68] in BGR order), without scaling.</item>
    /// <item><c>tf</c>: scales pixels between -1 and 1: <c>x / 127.5 − 1</c>.</item>
    /// <item><c>torch</c>: scales pixels between 0 and 1 (<c>x / 255</c>), then normalizes each channel with respect to
    /// the ImageNet dataset: subtracts mean [0.485, 0.456, 0.406] and divides by std [0.229, 0.224, 0.225].</item>
    /// </list></param>
    /// <param name="dataFormat"><c>"channels_last"</c> (default; null means the same) or <c>"channels_first"</c>.</param>
    /// <exception cref="ArgumentException">Unknown mode or data_format, fewer than 3 axes, or not 3 channels.</exception>
    public static Tensor PreprocessInput(Tensor x, string mode, string? dataFormat = DataFormat.ChannelsLast)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (mode is not ("caffe" or "tf" or "torch"))
            throw new ArgumentException($"Expected mode to be one of `caffe`, `tf` or `torch`. Received: mode={mode}", nameof(mode));
        var format = DataFormat.Normalize(dataFormat);
        bool channelsFirst = DataFormat.IsChannelsFirst(format);
        if (x.Rank < 3)
            throw new ArgumentException(
                $"`preprocess_input` expects an image of shape {(channelsFirst ? "(3, H, W)" : "(H, W, 3)")} or a batch of them. " +
                $"Received a tensor of shape: {x.ShapeString}", nameof(x));
        int channelAxis = channelsFirst ? x.Rank - 3 : x.Rank - 1;
        if (x.Shape[channelAxis] != 3)
            throw new ArgumentException(
                $"`preprocess_input` expects 3 color channels on axis {channelAxis} ({format}). " +
                $"Received a tensor of shape: {x.ShapeString}", nameof(x));

        if (mode == "tf")
            return Ops.AddScalar(Ops.Divide(x, Tensor.Scalar(127.5f)), -1f);

        if (mode == "torch")
        {
            var scaled = Ops.Divide(x, Tensor.Scalar(255f));
            var centered = Ops.Subtract(scaled, PerChannel(TorchMean, channelsFirst));
            return Ops.Divide(centered, PerChannel(TorchStd, channelsFirst));
        }

        // caffe: 'RGB' -> 'BGR' by reversing the channel axis, then subtract the BGR means.
        var bgr = Ops.Concat(new[] { Channel(x, channelAxis, 2), Channel(x, channelAxis, 1), Channel(x, channelAxis, 0) }, channelAxis);
        return Ops.Subtract(bgr, PerChannel(CaffeMean, channelsFirst));
    }

    /// <summary>
    /// Decodes the predictions of an ImageNet model: for each sample, the <paramref name="top"/> classes with the highest
    /// scores, as <c>(ClassId, Name, Score)</c> (e.g. <c>("n02099601", "golden_retriever", 0.93)</c>), highest first.
    /// Equal scores keep the lower class index first.
    /// </summary>
    /// <param name="preds">A batch of predictions of shape <c>(samples, 1000)</c>.</param>
    /// <param name="top">How many top guesses to return per sample (at most 1000 are returned).</param>
    /// <returns>One list of tuples per sample in the batch.</returns>
    /// <exception cref="ArgumentException"><paramref name="preds"/> is not of shape (samples, 1000).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="top"/> is less than 1.</exception>
    public static IReadOnlyList<IReadOnlyList<(string ClassId, string Name, float Score)>> DecodePredictions(Tensor preds, int top = 5)
    {
        ArgumentNullException.ThrowIfNull(preds);
        if (preds.Rank != 2 || preds.Shape[1] != NumClasses)
            throw new ArgumentException(
                "`decode_predictions` expects a batch of predictions (i.e. a 2D array of shape (samples, 1000)). " +
                $"Received array with shape: {preds.ShapeString}", nameof(preds));
        if (top < 1)
            throw new ArgumentOutOfRangeException(nameof(top), $"`top` must be a positive integer. Received: top={top}");
        int k = Math.Min(top, NumClasses);
        var index = Index.Value;
        var values = preds.ToArray();
        int samples = preds.Shape[0];
        var results = new IReadOnlyList<(string, string, float)>[samples];
        var order = new int[NumClasses];
        for (int s = 0; s < samples; s++)
        {
            var row = new ReadOnlySpan<float>(values, s * NumClasses, NumClasses).ToArray();
            for (int i = 0; i < NumClasses; i++) order[i] = i;
            // Descending by score (float.CompareTo puts NaN below every number, so last), ties by ascending index.
            Array.Sort(order, (a, b) =>
            {
                int c = row[b].CompareTo(row[a]);
                return c != 0 ? c : a.CompareTo(b);
            });
            var result = new (string, string, float)[k];
            for (int j = 0; j < k; j++)
            {
                var (id, name) = index[order[j]];
                result[j] = (id, name, row[order[j]]);
            }
            results[s] = result;
        }
        return results;
    }

    /// <summary>
    /// The ImageNet class index Keras uses (<c>imagenet_class_index.json</c>, shipped with Cortex.Keras as an embedded
    /// resource): entry i is the WordNet id and the short name of class i, e.g. <c>[0] = ("n01440764", "tench")</c>.
    /// </summary>
    public static IReadOnlyList<(string ClassId, string Name)> ClassIndex => Index.Value;

    private static Tensor Channel(Tensor x, int axis, int c)
    {
        var start = new int[x.Rank];
        var size = Enumerable.Repeat(-1, x.Rank).ToArray();
        start[axis] = c;
        size[axis] = 1;
        return Ops.Slice(x, start, size);
    }

    /// <summary>Three per-channel constants shaped to broadcast: (3,) for channels_last, (3, 1, 1) for channels_first.</summary>
    private static Tensor PerChannel(float[] v, bool channelsFirst)
        => channelsFirst ? Tensor.FromArray(v, 3, 1, 1) : Tensor.FromArray(v, 3);

    private static (string ClassId, string Name)[] LoadClassIndex()
    {
        using var stream = typeof(ImageNetUtils).Assembly.GetManifestResourceStream(ClassIndexResource)
            ?? throw new InvalidOperationException($"The embedded resource {ClassIndexResource} is missing from {typeof(ImageNetUtils).Assembly.GetName().Name}.");
        using var doc = JsonDocument.Parse(stream);
        var index = new (string, string)[NumClasses];
        int count = 0;
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            if (!int.TryParse(entry.Name, NumberStyles.None, CultureInfo.InvariantCulture, out int i) || i >= NumClasses
                || entry.Value.ValueKind != JsonValueKind.Array || entry.Value.GetArrayLength() != 2 || index[i].Item1 is not null)
                throw new InvalidDataException($"{ClassIndexResource}: unexpected entry \"{entry.Name}\".");
            index[i] = (entry.Value[0].GetString()!, entry.Value[1].GetString()!);
            count++;
        }
        if (count != NumClasses)
            throw new InvalidDataException($"{ClassIndexResource}: expected {NumClasses} classes, found {count}.");
        return index;
    }
}
