using Cortex.Keras.Layers;
using Cortex.Keras.Utils;

namespace Cortex.Keras.Preprocessing.Image;

/// <summary>
/// The parameters of one random image transform (Keras's <c>get_random_transform</c> dictionary), applied by
/// <see cref="ImageDataGenerator.ApplyTransform"/> in this order: affine (rotation, shift, shear, zoom, about the image
/// centre), channel shift, horizontal flip, vertical flip.
/// </summary>
/// <param name="Theta">Rotation in degrees (Keras's <c>theta</c>).</param>
/// <param name="Tx">Vertical shift in pixels (Keras's <c>tx</c>, drawn from <c>height_shift_range</c>): output row r
/// takes input row r + Tx, so a positive value moves the content up.</param>
/// <param name="Ty">Horizontal shift in pixels (Keras's <c>ty</c>, from <c>width_shift_range</c>): output column c takes
/// input column c + Ty, so a positive value moves the content left.</param>
/// <param name="Shear">Shear angle in degrees.</param>
/// <param name="Zx">Zoom factor along the rows (Keras's <c>zx</c>); above 1 samples a larger area, i.e. zooms out.</param>
/// <param name="Zy">Zoom factor along the columns (Keras's <c>zy</c>).</param>
/// <param name="FlipHorizontal">Mirror left–right.</param>
/// <param name="FlipVertical">Mirror top–bottom.</param>
/// <param name="ChannelShiftIntensity">Added to every channel value, then clipped to the image's [min, max]; 0: none.</param>
public sealed record ImageTransform(
    double Theta = 0, double Tx = 0, double Ty = 0, double Shear = 0, double Zx = 1, double Zy = 1,
    bool FlipHorizontal = false, bool FlipVertical = false, double ChannelShiftIntensity = 0);

/// <summary>
/// Real-time image augmentation and normalisation, as Keras's (legacy) <c>ImageDataGenerator</c>: each image gets its own
/// random affine transform (rotation, shifts, shear, zoom) resampled bilinearly (Keras's <c>interpolation_order=1</c>),
/// random flips, then <see cref="Standardize"/> (rescale, sample-wise and feature-wise normalisation).
/// <see cref="Flow"/> serves an array of images as batches (a <see cref="Sequence"/> for <c>Model.Fit</c>).
/// </summary>
/// <remarks>
/// <para>Images are channels-last (H, W, C); <c>data_format="channels_first"</c> is not supported.</para>
/// <para>Coordinates: the affine map is built as Keras builds it — rotation · shift · shear · zoom, about the centre
/// ((H−1)/2, (W−1)/2) — and acts on (row, column): output pixel (r, c) samples the input at
/// <c>M · (r − r₀, c − c₀) + (r₀, c₀)</c> (the inverse map, as <c>scipy.ndimage.affine_transform</c>).</para>
/// <para>Fill modes for points outside the input, per bilinear tap: <c>"constant"</c> (<see cref="Cval"/>),
/// <c>"nearest"</c> (aaaa|abcd|dddd), <c>"reflect"</c> (dcba|abcd|dcba) and <c>"wrap"</c> (abcd|abcd|abcd).</para>
/// </remarks>
public sealed class ImageDataGenerator
{
    /// <summary>Creates a generator; parameter names and meanings are Keras's.</summary>
    /// <param name="featurewiseCenter">Subtract the per-channel data-set mean computed by <see cref="Fit"/>.</param>
    /// <param name="samplewiseCenter">Subtract each image's own mean.</param>
    /// <param name="featurewiseStdNormalization">Divide by the per-channel data-set std (+1e-6) from <see cref="Fit"/>.</param>
    /// <param name="samplewiseStdNormalization">Divide each image by its own std (+1e-6).</param>
    /// <param name="rotationRange">Rotation drawn uniformly from [−r, r] degrees.</param>
    /// <param name="widthShiftRange">Horizontal shift: below 1 a fraction of the width, drawn from [−w, w]·W; from 1 on, pixels drawn from [−w, w].</param>
    /// <param name="heightShiftRange">Vertical shift, likewise as a fraction of the height or in pixels.</param>
    /// <param name="shearRange">Shear angle drawn from [−s, s] degrees.</param>
    /// <param name="zoomRange">Zoom factors drawn independently for rows and columns from [1 − z, 1 + z].</param>
    /// <param name="channelShiftRange">Channel shift drawn from [−c, c] (pixel units).</param>
    /// <param name="fillMode">"constant", "nearest" (default), "reflect" or "wrap".</param>
    /// <param name="cval">The value outside the input for "constant".</param>
    /// <param name="horizontalFlip">Mirror left–right with probability 1/2.</param>
    /// <param name="verticalFlip">Mirror top–bottom with probability 1/2.</param>
    /// <param name="rescale">Multiply by this after the transform (e.g. 1/255); <see langword="null"/> or 0: none.</param>
    /// <param name="preprocessingFunction">Applied to each image (H, W, C) after augmentation, before the rest of <see cref="Standardize"/>.</param>
    /// <param name="dataFormat">Only "channels_last" (or null).</param>
    /// <param name="zoomRangeBounds">(lower, upper) zoom bounds, overriding <paramref name="zoomRange"/> (Keras's list form).</param>
    public ImageDataGenerator(
        bool featurewiseCenter = false, bool samplewiseCenter = false,
        bool featurewiseStdNormalization = false, bool samplewiseStdNormalization = false,
        float rotationRange = 0f, float widthShiftRange = 0f, float heightShiftRange = 0f, float shearRange = 0f,
        float zoomRange = 0f, float channelShiftRange = 0f, string fillMode = "nearest", float cval = 0f,
        bool horizontalFlip = false, bool verticalFlip = false, float? rescale = null,
        Func<Tensor, Tensor>? preprocessingFunction = null, string? dataFormat = null, (float Lower, float Upper)? zoomRangeBounds = null)
    {
        if (!(rotationRange >= 0)) throw new ArgumentException($"rotation_range must be non-negative. Received: rotation_range={rotationRange}");
        if (!(widthShiftRange >= 0)) throw new ArgumentException($"width_shift_range must be non-negative. Received: width_shift_range={widthShiftRange}");
        if (!(heightShiftRange >= 0)) throw new ArgumentException($"height_shift_range must be non-negative. Received: height_shift_range={heightShiftRange}");
        if (!(shearRange >= 0)) throw new ArgumentException($"shear_range must be non-negative. Received: shear_range={shearRange}");
        if (!(channelShiftRange >= 0)) throw new ArgumentException($"channel_shift_range must be non-negative. Received: channel_shift_range={channelShiftRange}");
        if (zoomRangeBounds is { } zb)
        {
            if (!(zb.Lower > 0 && zb.Upper >= zb.Lower))
                throw new ArgumentException($"zoom_range should be a float or a tuple or list of two floats (lower, upper) with 0 < lower <= upper. Received: zoom_range=({zb.Lower}, {zb.Upper})");
            ZoomRange = zb;
        }
        else
        {
            if (!(zoomRange >= 0 && zoomRange < 1))
                throw new ArgumentException($"zoom_range should be a float in [0, 1) or a (lower, upper) pair. Received: zoom_range={zoomRange}");
            ZoomRange = (1f - zoomRange, 1f + zoomRange);
        }
        FillMode = fillMode?.ToLowerInvariant() switch
        {
            "constant" or "nearest" or "reflect" or "wrap" => fillMode.ToLowerInvariant(),
            _ => throw new ArgumentException($"fill_mode must be one of {{\"constant\", \"nearest\", \"reflect\", \"wrap\"}}. Received: fill_mode={fillMode}"),
        };
        if (dataFormat is not null && DataFormat.Normalize(dataFormat) != "channels_last")
            throw new ArgumentException($"ImageDataGenerator supports only data_format=\"channels_last\". Received: data_format={dataFormat}");
        FeaturewiseCenter = featurewiseCenter;
        SamplewiseCenter = samplewiseCenter;
        FeaturewiseStdNormalization = featurewiseStdNormalization;
        SamplewiseStdNormalization = samplewiseStdNormalization;
        RotationRange = rotationRange;
        WidthShiftRange = widthShiftRange;
        HeightShiftRange = heightShiftRange;
        ShearRange = shearRange;
        ChannelShiftRange = channelShiftRange;
        Cval = cval;
        HorizontalFlip = horizontalFlip;
        VerticalFlip = verticalFlip;
        Rescale = rescale is 0f ? null : rescale;
        PreprocessingFunction = preprocessingFunction;
    }

    /// <summary>Whether <see cref="Standardize"/> subtracts <see cref="Mean"/>.</summary>
    public bool FeaturewiseCenter { get; }
    /// <summary>Whether <see cref="Standardize"/> subtracts each image's mean.</summary>
    public bool SamplewiseCenter { get; }
    /// <summary>Whether <see cref="Standardize"/> divides by <see cref="Std"/>.</summary>
    public bool FeaturewiseStdNormalization { get; }
    /// <summary>Whether <see cref="Standardize"/> divides by each image's std.</summary>
    public bool SamplewiseStdNormalization { get; }
    /// <summary>Rotation range in degrees.</summary>
    public float RotationRange { get; }
    /// <summary>Width shift range (fraction below 1, else pixels).</summary>
    public float WidthShiftRange { get; }
    /// <summary>Height shift range (fraction below 1, else pixels).</summary>
    public float HeightShiftRange { get; }
    /// <summary>Shear range in degrees.</summary>
    public float ShearRange { get; }
    /// <summary>Zoom bounds (lower, upper).</summary>
    public (float Lower, float Upper) ZoomRange { get; }
    /// <summary>Channel shift range.</summary>
    public float ChannelShiftRange { get; }
    /// <summary>Fill mode for points outside the input.</summary>
    public string FillMode { get; }
    /// <summary>Value outside the input for fill mode "constant".</summary>
    public float Cval { get; }
    /// <summary>Random left–right flips.</summary>
    public bool HorizontalFlip { get; }
    /// <summary>Random top–bottom flips.</summary>
    public bool VerticalFlip { get; }
    /// <summary>Rescaling factor, or <see langword="null"/>.</summary>
    public float? Rescale { get; }
    /// <summary>Function applied to each image before standardisation.</summary>
    public Func<Tensor, Tensor>? PreprocessingFunction { get; }

    /// <summary>Per-channel mean computed by <see cref="Fit"/>, shape (1, 1, C); <see langword="null"/> before.</summary>
    public Tensor? Mean { get; private set; }

    /// <summary>Per-channel standard deviation computed by <see cref="Fit"/>, shape (1, 1, C); <see langword="null"/> before.</summary>
    public Tensor? Std { get; private set; }

    /// <summary>
    /// Computes the statistics feature-wise normalisation needs (Keras's <c>fit</c>): the per-channel mean and standard
    /// deviation over all images and pixels of <paramref name="x"/>, after <see cref="Rescale"/>.
    /// </summary>
    /// <param name="x">Images (N, H, W, C).</param>
    public void Fit(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4)
            throw new ArgumentException($"Input to ImageDataGenerator.Fit should have rank 4 (N, H, W, C). Received: shape {x.ShapeString}", nameof(x));
        int c = x.Shape[3];
        var v = x.Contiguous().Span;
        double scale = Rescale ?? 1f;
        var sum = new double[c];
        var sq = new double[c];
        long count = v.Length / c;
        for (int i = 0; i < v.Length; i++)
        {
            double d = v[i] * scale;
            sum[i % c] += d;
        }
        var mean = sum.Select(s => s / count).ToArray();
        for (int i = 0; i < v.Length; i++)
        {
            double d = v[i] * scale - mean[i % c];
            sq[i % c] += d * d;
        }
        Mean = Tensor.FromArray(mean.Select(m => (float)m).ToArray(), 1, 1, c);
        Std = Tensor.FromArray(sq.Select(s => (float)Math.Sqrt(s / count)).ToArray(), 1, 1, c);
    }

    /// <summary>
    /// Draws the parameters of a random transform for an image of shape (H, W, C) (Keras's <c>get_random_transform</c>).
    /// </summary>
    /// <param name="imageShape">(H, W, C).</param>
    /// <param name="seed">Seed for this draw; <see langword="null"/>: from <see cref="RandomGenerator.Global"/>.</param>
    public ImageTransform GetRandomTransform(IReadOnlyList<int> imageShape, int? seed = null) =>
        GetRandomTransform(imageShape, seed is { } s ? new RandomGenerator(s) : RandomGenerator.Global);

    internal ImageTransform GetRandomTransform(IReadOnlyList<int> shape, RandomGenerator rng)
    {
        if (shape.Count != 3) throw new ArgumentException($"An image is (H, W, C); got a shape of rank {shape.Count}.");
        double Uniform(double lo, double hi) => lo + (hi - lo) * rng.NextDouble();
        double theta = RotationRange > 0 ? Uniform(-RotationRange, RotationRange) : 0;
        double tx = 0, ty = 0;
        if (HeightShiftRange > 0)
        {
            tx = Uniform(-HeightShiftRange, HeightShiftRange);
            if (HeightShiftRange < 1) tx *= shape[0];
        }
        if (WidthShiftRange > 0)
        {
            ty = Uniform(-WidthShiftRange, WidthShiftRange);
            if (WidthShiftRange < 1) ty *= shape[1];
        }
        double shear = ShearRange > 0 ? Uniform(-ShearRange, ShearRange) : 0;
        double zx = 1, zy = 1;
        if (ZoomRange.Lower != 1 || ZoomRange.Upper != 1)
        {
            zx = Uniform(ZoomRange.Lower, ZoomRange.Upper);
            zy = Uniform(ZoomRange.Lower, ZoomRange.Upper);
        }
        bool flipH = HorizontalFlip && rng.NextDouble() < 0.5;
        bool flipV = VerticalFlip && rng.NextDouble() < 0.5;
        double channelShift = ChannelShiftRange > 0 ? Uniform(-ChannelShiftRange, ChannelShiftRange) : 0;
        return new ImageTransform(theta, tx, ty, shear, zx, zy, flipH, flipV, channelShift);
    }

    /// <summary>Applies a random transform to one image (H, W, C) (Keras's <c>random_transform</c>); returns a new tensor.</summary>
    /// <param name="x">The image.</param>
    /// <param name="seed">Seed of the draw; <see langword="null"/>: from <see cref="RandomGenerator.Global"/>.</param>
    public Tensor RandomTransform(Tensor x, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        return ApplyTransform(x, GetRandomTransform(x.Shape, seed));
    }

    /// <summary>
    /// Applies the given transform to one image (H, W, C) (Keras's <c>apply_transform</c>), using this generator's fill
    /// mode and cval; returns a new tensor.
    /// </summary>
    /// <param name="x">The image.</param>
    /// <param name="transform">The parameters.</param>
    public Tensor ApplyTransform(Tensor x, ImageTransform transform)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(transform);
        if (x.Rank != 3) throw new ArgumentException($"An image is (H, W, C); got shape {x.ShapeString}.", nameof(x));
        int h = x.Shape[0], w = x.Shape[1], c = x.Shape[2];
        var src = x.Contiguous().Span;
        var result = Tensor.Zeros(h, w, c);
        var dst = result.Span;
        Transform(src, dst, h, w, c, transform);
        return result;
    }

    /// <summary>The transform on spans: affine resampling, channel shift, flips.</summary>
    internal void Transform(ReadOnlySpan<float> src, Span<float> dst, int h, int w, int c, ImageTransform t)
    {
        var m = AffineMatrix(t, h, w);
        if (m is null) src.CopyTo(dst);
        else Resample(src, dst, h, w, c, m.Value);

        if (t.ChannelShiftIntensity != 0)
        {
            float min = System.Numerics.Tensors.TensorPrimitives.Min(dst), max = System.Numerics.Tensors.TensorPrimitives.Max(dst);
            float add = (float)t.ChannelShiftIntensity;
            for (int i = 0; i < dst.Length; i++) dst[i] = Math.Clamp(dst[i] + add, min, max);
        }
        if (t.FlipHorizontal)
            for (int r = 0; r < h; r++)
                for (int a = 0, b = w - 1; a < b; a++, b--)
                    for (int k = 0; k < c; k++)
                        (dst[(r * w + a) * c + k], dst[(r * w + b) * c + k]) = (dst[(r * w + b) * c + k], dst[(r * w + a) * c + k]);
        if (t.FlipVertical)
            for (int a = 0, b = h - 1; a < b; a++, b--)
                for (int i = 0; i < w * c; i++)
                    (dst[a * w * c + i], dst[b * w * c + i]) = (dst[b * w * c + i], dst[a * w * c + i]);
    }

    /// <summary>The 2×3 inverse map (output (r, c) → input coordinates) of the transform, or null for the identity.</summary>
    private static (double A, double B, double C, double D, double E, double F)? AffineMatrix(ImageTransform t, int h, int w)
    {
        // 3x3 matrices as row-major arrays, composed as Keras does: rotation · shift · shear · zoom.
        double[] m = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        bool any = false;
        static double[] Mul(double[] a, double[] b)
        {
            var r = new double[9];
            for (int i = 0; i < 3; i++)
                for (int j = 0; j < 3; j++)
                    r[i * 3 + j] = a[i * 3] * b[j] + a[i * 3 + 1] * b[3 + j] + a[i * 3 + 2] * b[6 + j];
            return r;
        }
        if (t.Theta != 0)
        {
            double th = t.Theta * Math.PI / 180, cs = Math.Cos(th), sn = Math.Sin(th);
            m = Mul(m, [cs, -sn, 0, sn, cs, 0, 0, 0, 1]); any = true;
        }
        if (t.Tx != 0 || t.Ty != 0) { m = Mul(m, [1, 0, t.Tx, 0, 1, t.Ty, 0, 0, 1]); any = true; }
        if (t.Shear != 0)
        {
            double s = t.Shear * Math.PI / 180;
            m = Mul(m, [1, -Math.Sin(s), 0, 0, Math.Cos(s), 0, 0, 0, 1]); any = true;
        }
        if (t.Zx != 1 || t.Zy != 1) { m = Mul(m, [t.Zx, 0, 0, 0, t.Zy, 0, 0, 0, 1]); any = true; }
        if (!any) return null;
        double or = h / 2.0 - 0.5, oc = w / 2.0 - 0.5;
        m = Mul(Mul([1, 0, or, 0, 1, oc, 0, 0, 1], m), [1, 0, -or, 0, 1, -oc, 0, 0, 1]);
        return (m[0], m[1], m[2], m[3], m[4], m[5]);
    }

    private void Resample(ReadOnlySpan<float> src, Span<float> dst, int h, int w, int c,
        (double A, double B, double C, double D, double E, double F) m)
    {
        float cval = Cval;
        for (int r = 0; r < h; r++)
            for (int col = 0; col < w; col++)
            {
                double ir = Snap(m.A * r + m.B * col + m.C), ic = Snap(m.D * r + m.E * col + m.F);
                double r0f = Math.Floor(ir), c0f = Math.Floor(ic);
                float wr = (float)(ir - r0f), wc = (float)(ic - c0f);
                int r0 = Index((long)r0f, h), r1 = Index((long)r0f + 1, h), c0 = Index((long)c0f, w), c1 = Index((long)c0f + 1, w);
                int d = (r * w + col) * c;
                for (int k = 0; k < c; k++)
                {
                    float v00 = Tap(src, r0, c0, w, c, k, cval), v01 = wc == 0 ? 0 : Tap(src, r0, c1, w, c, k, cval);
                    float top = wc == 0 ? v00 : v00 + (v01 - v00) * wc;
                    float val = top;
                    if (wr != 0)
                    {
                        float v10 = Tap(src, r1, c0, w, c, k, cval), v11 = wc == 0 ? 0 : Tap(src, r1, c1, w, c, k, cval);
                        float bottom = wc == 0 ? v10 : v10 + (v11 - v10) * wc;
                        val = top + (bottom - top) * wr;
                    }
                    dst[d + k] = val;
                }
            }

        // An index into [0, n), or -1 for "outside" in constant mode.
        int Index(long i, int n)
        {
            if (i >= 0 && i < n) return (int)i;
            switch (FillMode)
            {
                case "constant": return -1;
                case "nearest": return i < 0 ? 0 : n - 1;
                case "wrap": return (int)(((i % n) + n) % n);
                default: // reflect: d c b a | a b c d | d c b a
                    long p = 2L * n, q = ((i % p) + p) % p;
                    return (int)(q < n ? q : p - 1 - q);
            }
        }
    }

    private static float Tap(ReadOnlySpan<float> src, int r, int c, int w, int channels, int k, float cval) =>
        r < 0 || c < 0 ? cval : src[(r * w + c) * channels + k];

    /// <summary>Rounds coordinates within 1e-9 of an integer to it, so integer shifts resample exactly.</summary>
    private static double Snap(double v)
    {
        double r = Math.Round(v);
        return Math.Abs(v - r) < 1e-9 ? r : v;
    }

    /// <summary>
    /// Normalises one image (H, W, C) in Keras's order: <see cref="PreprocessingFunction"/>, rescale, sample-wise centre,
    /// sample-wise std, feature-wise centre, feature-wise std (Keras's <c>standardize</c>); returns a new tensor.
    /// </summary>
    /// <param name="x">The image.</param>
    /// <exception cref="InvalidOperationException">Feature-wise normalisation is on but <see cref="Fit"/> was not called.</exception>
    public Tensor Standardize(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 3) throw new ArgumentException($"An image is (H, W, C); got shape {x.ShapeString}.", nameof(x));
        if (PreprocessingFunction is not null) x = PreprocessingFunction(x);
        var result = Tensor.FromArray(x.Contiguous().Span, x.Shape.ToArray());
        StandardizeInPlace(result.Span, x.Shape[2]);
        return result;
    }

    internal void StandardizeInPlace(Span<float> v, int channels)
    {
        if (Rescale is { } s) System.Numerics.Tensors.TensorPrimitives.Multiply(v, s, v);
        if (SamplewiseCenter)
        {
            float mean = System.Numerics.Tensors.TensorPrimitives.Sum(v) / v.Length;
            System.Numerics.Tensors.TensorPrimitives.Add(v, -mean, v);
        }
        if (SamplewiseStdNormalization)
        {
            double mean = 0, sq = 0;
            foreach (float f in v) mean += f;
            mean /= v.Length;
            foreach (float f in v) sq += (f - mean) * (f - mean);
            float std = (float)Math.Sqrt(sq / v.Length);
            System.Numerics.Tensors.TensorPrimitives.Multiply(v, 1f / (std + 1e-6f), v);
        }
        if (FeaturewiseCenter || FeaturewiseStdNormalization)
        {
            if (Mean is null || Std is null)
                throw new InvalidOperationException(
                    $"This ImageDataGenerator specifies {(FeaturewiseCenter ? "featurewise_center" : "featurewise_std_normalization")}, but it hasn't been fit on any training data. Fit it first by calling Fit(x).");
            if (Mean.Shape[2] != channels)
                throw new ArgumentException($"The generator was fit on images with {Mean.Shape[2]} channels; this image has {channels}.");
            var mean = Mean.Span;
            var std = Std.Span;
            for (int i = 0; i < v.Length; i++)
            {
                int k = i % channels;
                if (FeaturewiseCenter) v[i] -= mean[k];
                if (FeaturewiseStdNormalization) v[i] /= std[k] + 1e-6f;
            }
        }
    }

    /// <summary>
    /// Serves images and targets as augmented, standardised batches (Keras's <c>flow</c>): a <see cref="Sequence"/> of
    /// ceil(N / batchSize) batches per epoch, each image transformed afresh by <see cref="GetRandomTransform(IReadOnlyList{int}, int?)"/>
    /// and <see cref="Standardize"/>. With <paramref name="shuffle"/>, the order is a new permutation every epoch.
    /// </summary>
    /// <param name="x">Images (N, H, W, C).</param>
    /// <param name="y">Targets with N rows, or <see langword="null"/> (batches then have null targets).</param>
    /// <param name="batchSize">Images per batch (positive).</param>
    /// <param name="shuffle">Shuffle the order every epoch.</param>
    /// <param name="seed">Seed for the shuffles and transforms (same seed: same batches); <see langword="null"/>: drawn from <see cref="RandomGenerator.Global"/>.</param>
    public Utils.Sequence Flow(Tensor x, Tensor? y = null, int batchSize = 32, bool shuffle = true, int? seed = null)
    {
        ArgumentNullException.ThrowIfNull(x);
        if (x.Rank != 4)
            throw new ArgumentException($"Input data in Flow should have rank 4 (N, H, W, C). Received: shape {x.ShapeString}", nameof(x));
        if (y is not null && (y.Rank == 0 || y.Shape[0] != x.Shape[0]))
            throw new ArgumentException($"x (images tensor) and y (labels) should have the same length. Found: x.shape = {x.ShapeString}, y.shape = {y.ShapeString}");
        if (batchSize <= 0) throw new ArgumentException($"batch_size must be a positive integer. Received: batch_size={batchSize}", nameof(batchSize));
        long s = seed ?? (long)(RandomGenerator.Global.NextUInt64() >> 33);
        return new ImageArraySequence(this, x, y, batchSize, shuffle, s);
    }
}

/// <summary>The <see cref="Sequence"/> returned by <see cref="ImageDataGenerator.Flow"/> (Keras's <c>NumpyArrayIterator</c>).</summary>
public sealed class ImageArraySequence : Utils.Sequence
{
    private readonly ImageDataGenerator _generator;
    private readonly float[] _x;
    private readonly float[]? _y;
    private readonly int[] _xShape, _yShape;
    private readonly int _n, _batchSize;
    private readonly bool _shuffle;
    private readonly long _seed;
    private int[] _order;

    internal ImageArraySequence(ImageDataGenerator generator, Tensor x, Tensor? y, int batchSize, bool shuffle, long seed)
    {
        _generator = generator;
        _x = x.ToArray();
        _xShape = x.Shape.ToArray();
        _y = y?.ToArray();
        _yShape = y?.Shape.ToArray() ?? [];
        _n = _xShape[0];
        _batchSize = batchSize;
        _shuffle = shuffle;
        _seed = seed;
        _order = MakeOrder();
    }

    /// <summary>The epochs completed (incremented by <see cref="OnEpochEnd"/>).</summary>
    public int Epoch { get; private set; }

    /// <summary>The number of samples.</summary>
    public int SampleCount => _n;

    /// <summary>The batch size.</summary>
    public int BatchSize => _batchSize;

    /// <summary>The sample indices of the current epoch, in serving order.</summary>
    public IReadOnlyList<int> Order => _order;

    /// <inheritdoc/>
    public override int Count => (_n + _batchSize - 1) / _batchSize;

    /// <inheritdoc/>
    public override (Tensor X, Tensor? Y) GetBatch(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index), index, $"batch index must be in [0, {Count}).");
        int start = index * _batchSize, count = Math.Min(_batchSize, _n - start);
        int h = _xShape[1], w = _xShape[2], c = _xShape[3], size = h * w * c;
        var xb = new float[count * size];
        int[] imageShape = [h, w, c];
        for (int i = 0; i < count; i++)
        {
            int k = _order[start + i];
            var rng = new RandomGenerator(Mix(_seed, Epoch, k));
            var t = _generator.GetRandomTransform(imageShape, rng);
            var src = _x.AsSpan(k * size, size);
            var dst = xb.AsSpan(i * size, size);
            _generator.Transform(src, dst, h, w, c, t);
            if (_generator.PreprocessingFunction is not null)
            {
                var p = _generator.PreprocessingFunction(Tensor.FromArray(dst, imageShape));
                p.Contiguous().Span.CopyTo(dst);
            }
            _generator.StandardizeInPlace(dst, c);
        }
        Tensor? yb = null;
        if (_y is not null)
        {
            int row = _yShape.Skip(1).Aggregate(1, (a, b) => a * b);
            var yd = new float[count * row];
            for (int i = 0; i < count; i++) _y.AsSpan(_order[start + i] * row, row).CopyTo(yd.AsSpan(i * row));
            yb = Tensor.Wrap(yd, [count, .. _yShape.Skip(1)]);
        }
        return (Tensor.Wrap(xb, [count, h, w, c]), yb);
    }

    /// <summary>Starts the next epoch: a new random transform per image and, with shuffling, a new order.</summary>
    public override void OnEpochEnd()
    {
        Epoch++;
        _order = MakeOrder();
    }

    private int[] MakeOrder()
    {
        if (!_shuffle) return Enumerable.Range(0, _n).ToArray();
        return new RandomGenerator(Mix(_seed, Epoch, -1)).Permutation(_n);
    }

    private static long Mix(long seed, int epoch, int sample)
    {
        ulong z = (ulong)seed * 0x9E3779B97F4A7C15UL ^ ((ulong)(uint)epoch << 32 | (uint)sample);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return (long)(z ^ (z >> 31));
    }
}
