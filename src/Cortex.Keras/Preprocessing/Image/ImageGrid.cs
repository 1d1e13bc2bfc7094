namespace Cortex.Keras.Preprocessing.Image;

/// <summary>Writes a batch of images as one contact-sheet PNG, to look at what a data set or a generator produces.</summary>
public static class ImageGrid
{
    /// <summary>The grey level (0..255) of the padding between and around the images.</summary>
    public const byte PaddingValue = 128;

    /// <summary>
    /// Writes the images as a grid, left to right and top to bottom, <paramref name="columns"/> per row, separated and
    /// surrounded by <paramref name="padding"/> pixels of mid grey (<see cref="PaddingValue"/>). The file is written to a
    /// temporary file in the same folder, then renamed over <paramref name="path"/>.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="images">(n, H, W) or (n, H, W, C) with C = 1, 3 or 4. When every value is in [0, 1] the values are
    /// taken as fractions (× 255), otherwise as 0..255; either way they are rounded and clipped to 0..255.</param>
    /// <param name="columns">Images per row (positive); fewer when n is smaller.</param>
    /// <param name="padding">Pixels between images and around the sheet (≥ 0).</param>
    /// <returns>The sheet's (height, width) in pixels: <c>rows·H + (rows+1)·padding</c> by <c>cols·W + (cols+1)·padding</c>.</returns>
    public static (int Height, int Width) Save(string path, Tensor images, int columns, int padding = 2)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(images);
        if (columns <= 0) throw new ArgumentException($"columns must be positive. Received: columns={columns}", nameof(columns));
        if (padding < 0) throw new ArgumentException($"padding must be non-negative. Received: padding={padding}", nameof(padding));
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"An image grid is written as PNG; '{path}' does not end in .png.", nameof(path));
        if (images.Rank is not 3 and not 4 || (images.Rank == 4 && images.Shape[3] is not 1 and not 3 and not 4))
            throw new ArgumentException($"Images must be (n, H, W) or (n, H, W, C) with C = 1, 3 or 4; got shape {images.ShapeString}.", nameof(images));
        int n = images.Shape[0], h = images.Shape[1], w = images.Shape[2], c = images.Rank == 4 ? images.Shape[3] : 1;
        if (n == 0) throw new ArgumentException("There are no images to put in a grid (n = 0).", nameof(images));
        var v = images.Contiguous().Span;
        float mul = System.Numerics.Tensors.TensorPrimitives.Min(v) >= 0f && System.Numerics.Tensors.TensorPrimitives.Max(v) <= 1f ? 255f : 1f;
        int cols = Math.Min(columns, n), rows = (n + cols - 1) / cols;
        int sheetH = rows * h + (rows + 1) * padding, sheetW = cols * w + (cols + 1) * padding;
        var pixels = new byte[(long)sheetH * sheetW * c];
        Array.Fill(pixels, PaddingValue);
        if (c == 4) for (int i = 3; i < pixels.Length; i += 4) pixels[i] = 255;
        for (int k = 0; k < n; k++)
        {
            int top = padding + (k / cols) * (h + padding), left = padding + (k % cols) * (w + padding);
            var img = v.Slice(k * h * w * c, h * w * c);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w * c; x++)
                {
                    float f = MathF.Round(img[y * w * c + x] * mul);
                    pixels[((long)(top + y) * sheetW + left) * c + x] = float.IsNaN(f) ? (byte)0 : (byte)Math.Clamp(f, 0f, 255f);
                }
        }
        ImageUtils.WriteBytes(path, pixels, sheetH, sheetW, c, png: true);
        return (sheetH, sheetW);
    }
}
