using Cortex.Keras.Layers;
using StbImageSharp;
using StbImageWriteSharp;
using ReadComponents = StbImageSharp.ColorComponents;
using WriteComponents = StbImageWriteSharp.ColorComponents;

namespace Cortex.Keras.Preprocessing.Image;

/// <summary>
/// Image files ↔ tensors, like Keras's <c>keras.utils.load_img</c> + <c>img_to_array</c>, <c>save_img</c> /
/// <c>array_to_img</c>, and <c>keras.ops.image.resize</c>. Images are channels-last tensors (H, W, C) of floats in
/// 0..255. Decoding (PNG, JPEG, BMP, GIF, TGA, PSD, HDR, PIC) uses the managed StbImageSharp; encoding (PNG, JPEG)
/// the managed StbImageWriteSharp; no native libraries are involved.
/// </summary>
public static class ImageUtils
{
    /// <summary>
    /// Loads an image file into a tensor (H, W, C) of floats 0..255 (Keras's <c>load_img</c> followed by
    /// <c>img_to_array</c>).
    /// </summary>
    /// <param name="path">The image file (PNG, JPEG, BMP, GIF (first frame), TGA, ...).</param>
    /// <param name="colorMode"><c>"grayscale"</c> (C = 1), <c>"rgb"</c> (C = 3, the default) or <c>"rgba"</c> (C = 4).
    /// Grey is computed by the decoder as (77 R + 150 G + 29 B) / 256, about ITU-R 601 luma as PIL's <c>convert("L")</c>.</param>
    /// <param name="targetSize">(height, width) to resize to, or <see langword="null"/> to keep the file's size.</param>
    /// <param name="interpolation"><c>"nearest"</c> (Keras's default) or <c>"bilinear"</c>, used when resizing (see <see cref="Resize"/>).</param>
    /// <returns>A new tensor (H, W, C).</returns>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file is not an image of a known format, or it is damaged or truncated; the message names the file.</exception>
    /// <exception cref="ArgumentException">An unknown <paramref name="colorMode"/> or <paramref name="interpolation"/>.</exception>
    public static Tensor LoadImg(string path, string colorMode = "rgb", Size2D? targetSize = null, string interpolation = "nearest")
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        int channels = ChannelsOf(colorMode);
        CheckInterpolation(interpolation);
        targetSize?.RequirePositive("target_size");
        string full = Path.GetFullPath(path);
        if (!File.Exists(full)) throw new FileNotFoundException($"{full}: no such file", full);
        byte[] bytes = File.ReadAllBytes(full);
        var (pixels, height, width) = Decode(bytes, channels, full);
        var t = Tensor.Zeros(height, width, channels);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = pixels[i];
        if (targetSize is { } size && (size.Height != height || size.Width != width))
            return Resize(t, size.Height, size.Width, interpolation);
        return t;
    }

    /// <summary>Decodes image bytes to interleaved 8-bit pixels with the given number of channels.</summary>
    internal static (byte[] Pixels, int Height, int Width) Decode(byte[] bytes, int channels, string source)
    {
        if (bytes.Length == 0) throw new InvalidDataException($"{source}: empty file, not an image");
        string? format = SniffFormat(bytes);
        if (format is null)
            throw new InvalidDataException(
                $"{source}: not an image of a supported format (PNG, JPEG, BMP, GIF, TGA); it starts with bytes {Convert.ToHexString(bytes.AsSpan(0, Math.Min(8, bytes.Length)))}");
        if (format == "PNG") CheckPngComplete(bytes, source);
        if (format == "JPEG") CheckJpegComplete(bytes, source);
        var want = channels switch { 1 => ReadComponents.Grey, 3 => ReadComponents.RedGreenBlue, _ => ReadComponents.RedGreenBlueAlpha };
        ImageResult? result;
        try { result = ImageResult.FromMemory(bytes, want); }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new InvalidDataException($"{source}: cannot decode the {format} image ({e.Message}); the file is damaged or truncated", e);
        }
        if (result is null || result.Data is null || result.Width <= 0 || result.Height <= 0
            || result.Data.Length < (long)result.Width * result.Height * channels)
            throw new InvalidDataException($"{source}: cannot decode the {format} image; the file is damaged or truncated");
        return (result.Data, result.Height, result.Width);
    }

    /// <summary>The format named by a file's first bytes, or <see langword="null"/>. TGA has no magic; it is recognised by a plausible header.</summary>
    private static string? SniffFormat(ReadOnlySpan<byte> b)
    {
        if (b.Length >= 8 && b[..8].SequenceEqual(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A })) return "PNG";
        if (b.Length >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF) return "JPEG";
        if (b.Length >= 2 && b[0] == 'B' && b[1] == 'M') return "BMP";
        if (b.Length >= 6 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F' && b[3] == '8') return "GIF";
        if (b.Length >= 4 && b[0] == '8' && b[1] == 'B' && b[2] == 'P' && b[3] == 'S') return "PSD";
        if (b.Length >= 2 && b[0] == '#' && b[1] == '?') return "HDR";
        // TGA: colour-map type 0/1, image type 1, 2, 3, 9, 10, 11, 18 bytes of header at least.
        if (b.Length >= 18 && b[1] <= 1 && b[2] is 1 or 2 or 3 or 9 or 10 or 11 && b[16] is 8 or 15 or 16 or 24 or 32) return "TGA";
        return null;
    }

    /// <summary>
    /// Walks a PNG's chunks: the decoder accepts some cut-off files (it stops at the end of the data), so a PNG
    /// without its <c>IEND</c> chunk, or whose last chunk runs past the end of the file, is reported as truncated.
    /// </summary>
    private static void CheckPngComplete(ReadOnlySpan<byte> b, string source)
    {
        long pos = 8;
        while (pos + 8 <= b.Length)
        {
            long length = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(b.Slice((int)pos, 4));
            var type = b.Slice((int)pos + 4, 4);
            long next = pos + 12 + length;
            if (next > b.Length)
                throw new InvalidDataException(
                    $"{source}: truncated PNG: chunk '{System.Text.Encoding.ASCII.GetString(type)}' at byte {pos} needs {length} data bytes but the file ends at byte {b.Length}");
            if (type.SequenceEqual("IEND"u8)) return;
            pos = next;
        }
        throw new InvalidDataException($"{source}: truncated PNG: the file ends at byte {b.Length} without the IEND chunk");
    }

    /// <summary>A JPEG ends with the EOI marker FF D9; a file cut short lacks it (trailing padding is allowed).</summary>
    private static void CheckJpegComplete(ReadOnlySpan<byte> b, string source)
    {
        if (b.LastIndexOf(new byte[] { 0xFF, 0xD9 }) < 0)
            throw new InvalidDataException($"{source}: truncated JPEG: no end-of-image marker (FF D9) in its {b.Length} bytes");
    }

    /// <summary>
    /// Writes a tensor to an image file (Keras's <c>save_img</c>): PNG for <c>.png</c>, JPEG for <c>.jpg</c>/<c>.jpeg</c>.
    /// The file is written to a temporary file in the same folder and then renamed over <paramref name="path"/>.
    /// </summary>
    /// <param name="path">The file to write; missing folders are created; replaced if it exists.</param>
    /// <param name="image">(H, W) or (H, W, C) with C = 1 (grey), 3 (RGB) or 4 (RGBA). JPEG drops alpha.</param>
    /// <param name="scale">As Keras's <c>array_to_img(scale=True)</c>: shift the values so the minimum is 0, then
    /// divide by the maximum (when not 0) and multiply by 255. When false the values are taken as 0..255. Either way they
    /// are then rounded and clipped to 0..255.</param>
    /// <param name="jpegQuality">JPEG quality 1–100 (default 75, as PIL's).</param>
    /// <exception cref="ArgumentException">The shape is not an image, or the extension is neither PNG nor JPEG.</exception>
    public static void SaveImg(string path, Tensor image, bool scale = true, int jpegQuality = 75)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(image);
        ArgumentOutOfRangeException.ThrowIfLessThan(jpegQuality, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(jpegQuality, 100);
        var (h, w, c) = ImageDims(image, nameof(image));
        string ext = Path.GetExtension(path).ToLowerInvariant();
        if (ext is not ".png" and not ".jpg" and not ".jpeg")
            throw new ArgumentException($"Cannot tell the image format from the extension of '{path}': use .png, .jpg or .jpeg.", nameof(path));
        var bytes = ToBytes(image.Contiguous().Span, scale);
        WriteBytes(path, bytes, h, w, c, ext == ".png", jpegQuality);
    }

    /// <summary>Converts floats to bytes, Keras's <c>array_to_img</c> scaling when <paramref name="scale"/>.</summary>
    internal static byte[] ToBytes(ReadOnlySpan<float> v, bool scale)
    {
        float min = 0f, mul = 1f;
        if (scale && v.Length > 0)
        {
            min = System.Numerics.Tensors.TensorPrimitives.Min(v);
            float max = System.Numerics.Tensors.TensorPrimitives.Max(v) - min;
            mul = max != 0f ? 255f / max : 1f;
        }
        var bytes = new byte[v.Length];
        for (int i = 0; i < v.Length; i++)
        {
            float x = MathF.Round((v[i] - min) * mul);
            bytes[i] = float.IsNaN(x) ? (byte)0 : (byte)Math.Clamp(x, 0f, 255f);
        }
        return bytes;
    }

    /// <summary>Encodes interleaved bytes as PNG or JPEG and writes them atomically.</summary>
    internal static void WriteBytes(string path, byte[] pixels, int height, int width, int channels, bool png, int jpegQuality = 75)
    {
        if (!png && channels is 2 or 4)
        {
            // JPEG has no alpha: keep the colour channels (Keras/PIL convert RGBA to RGB before saving a JPEG).
            int keep = channels - 1;
            var rgb = new byte[height * width * keep];
            for (int p = 0, n = height * width; p < n; p++)
                for (int k = 0; k < keep; k++) rgb[p * keep + k] = pixels[p * channels + k];
            pixels = rgb;
            channels = keep;
        }
        var comp = channels switch
        {
            1 => WriteComponents.Grey,
            2 => WriteComponents.GreyAlpha,
            3 => WriteComponents.RedGreenBlue,
            _ => WriteComponents.RedGreenBlueAlpha,
        };
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var fs = new FileStream(tmp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                var writer = new ImageWriter();
                if (png) writer.WritePng(pixels, width, height, comp, fs);
                else writer.WriteJpg(pixels, width, height, comp, fs, jpegQuality);
            }
            File.Move(tmp, full, overwrite: true);
        }
        catch
        {
            try { File.Delete(tmp); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            throw;
        }
    }

    /// <summary>
    /// Resizes an image (H, W, C) or a batch (N, H, W, C) to (height, width), as <c>tf.image.resize</c> /
    /// <c>keras.ops.image.resize</c> do (without antialiasing), with TensorFlow's half-pixel-centre convention: output
    /// pixel <c>i</c> sits at input coordinate <c>s = (i + 0.5) · in / out − 0.5</c> (pixel centres at integers).
    /// <list type="bullet">
    /// <item><description><c>"nearest"</c>: takes input pixel <c>min(floor((i + 0.5) · in / out), in − 1)</c>;</description></item>
    /// <item><description><c>"bilinear"</c>: interpolates between input pixels <c>floor(s)</c> and <c>floor(s) + 1</c>,
    /// both clamped to <c>[0, in − 1]</c>, with weight <c>s − floor(s)</c>.</description></item>
    /// </list>
    /// Downscaling by a large factor therefore samples rather than averages (PIL, which Keras's <c>load_img</c> uses,
    /// averages when downscaling bilinearly).
    /// </summary>
    /// <param name="image">(H, W, C) or (N, H, W, C).</param>
    /// <param name="height">Output height (positive).</param>
    /// <param name="width">Output width (positive).</param>
    /// <param name="interpolation"><c>"nearest"</c> or <c>"bilinear"</c>.</param>
    /// <returns>A new tensor with the same rank.</returns>
    public static Tensor Resize(Tensor image, int height, int width, string interpolation = "bilinear")
    {
        ArgumentNullException.ThrowIfNull(image);
        if (height <= 0 || width <= 0)
            throw new ArgumentException($"The output size must be positive. Received: size=({height}, {width})");
        CheckInterpolation(interpolation);
        if (image.Rank is not 3 and not 4)
            throw new ArgumentException($"Resize expects an image (H, W, C) or a batch (N, H, W, C); got shape {image.ShapeString}.", nameof(image));
        int n = image.Rank == 4 ? image.Shape[0] : 1;
        int o = image.Rank - 3;
        int ih = image.Shape[o], iw = image.Shape[o + 1], c = image.Shape[o + 2];
        var src = image.Contiguous().Span;
        var result = image.Rank == 4 ? Tensor.Zeros(n, height, width, c) : Tensor.Zeros(height, width, c);
        var dst = result.Span;
        float sy = (float)ih / height, sx = (float)iw / width;
        bool nearest = interpolation.Equals("nearest", StringComparison.OrdinalIgnoreCase);
        for (int b = 0; b < n; b++)
        {
            var inImg = src.Slice(b * ih * iw * c, ih * iw * c);
            var outImg = dst.Slice(b * height * width * c, height * width * c);
            for (int y = 0; y < height; y++)
            {
                if (nearest)
                {
                    int yi = Math.Min((int)MathF.Floor((y + 0.5f) * sy), ih - 1);
                    for (int x = 0; x < width; x++)
                    {
                        int xi = Math.Min((int)MathF.Floor((x + 0.5f) * sx), iw - 1);
                        inImg.Slice((yi * iw + xi) * c, c).CopyTo(outImg.Slice((y * width + x) * c, c));
                    }
                    continue;
                }
                float fy = (y + 0.5f) * sy - 0.5f;
                float y0f = MathF.Floor(fy), wy = fy - y0f;
                int y0 = Math.Clamp((int)y0f, 0, ih - 1), y1 = Math.Clamp((int)y0f + 1, 0, ih - 1);
                for (int x = 0; x < width; x++)
                {
                    float fx = (x + 0.5f) * sx - 0.5f;
                    float x0f = MathF.Floor(fx), wx = fx - x0f;
                    int x0 = Math.Clamp((int)x0f, 0, iw - 1), x1 = Math.Clamp((int)x0f + 1, 0, iw - 1);
                    int o00 = (y0 * iw + x0) * c, o01 = (y0 * iw + x1) * c, o10 = (y1 * iw + x0) * c, o11 = (y1 * iw + x1) * c;
                    int d = (y * width + x) * c;
                    for (int k = 0; k < c; k++)
                    {
                        float top = inImg[o00 + k] + (inImg[o01 + k] - inImg[o00 + k]) * wx;
                        float bottom = inImg[o10 + k] + (inImg[o11 + k] - inImg[o10 + k]) * wx;
                        outImg[d + k] = top + (bottom - top) * wy;
                    }
                }
            }
        }
        return result;
    }

    /// <summary>The number of channels of a Keras colour mode.</summary>
    internal static int ChannelsOf(string colorMode) => colorMode?.ToLowerInvariant() switch
    {
        "grayscale" => 1,
        "rgb" => 3,
        "rgba" => 4,
        _ => throw new ArgumentException($"color_mode must be one of {{\"grayscale\", \"rgb\", \"rgba\"}}. Received: color_mode={colorMode}", nameof(colorMode)),
    };

    private static void CheckInterpolation(string interpolation)
    {
        if (interpolation is null || !(interpolation.Equals("nearest", StringComparison.OrdinalIgnoreCase) || interpolation.Equals("bilinear", StringComparison.OrdinalIgnoreCase)))
            throw new ArgumentException($"interpolation must be one of {{\"nearest\", \"bilinear\"}}. Received: interpolation={interpolation}", nameof(interpolation));
    }

    /// <summary>(H, W, C) of an image tensor of rank 2 or 3 with 1, 3 or 4 channels.</summary>
    internal static (int H, int W, int C) ImageDims(Tensor image, string argument)
    {
        if (image.Rank == 2) return (image.Shape[0], image.Shape[1], 1);
        if (image.Rank == 3 && image.Shape[2] is 1 or 3 or 4) return (image.Shape[0], image.Shape[1], image.Shape[2]);
        throw new ArgumentException($"An image is (H, W) or (H, W, C) with C = 1, 3 or 4; got shape {image.ShapeString}.", argument);
    }
}
