using System.Buffers.Binary;
using Cortex.Keras.Preprocessing.Image;
using Cortex.Tests.Datasets;

namespace Cortex.Tests.Images;

public class ImageUtilsTests
{
    /// <summary>An (h, w, c) image whose values are distinct bytes.</summary>
    internal static Tensor Pattern(int h, int w, int c)
    {
        var t = Tensor.Zeros(h, w, c);
        var s = t.Span;
        for (int i = 0; i < s.Length; i++) s[i] = (i * 37 + 11) % 256;
        return t;
    }

    [Theory]
    [InlineData(1, "grayscale")]
    [InlineData(3, "rgb")]
    [InlineData(4, "rgba")]
    public void PngRoundTripIsExact(int channels, string mode)
    {
        using var dir = new TempFolder();
        var img = Pattern(5, 7, channels);
        ImageUtils.SaveImg(dir["a.png"], img, scale: false);
        var back = ImageUtils.LoadImg(dir["a.png"], colorMode: mode);
        Assert.Equal(new[] { 5, 7, channels }, back.Shape);
        Assert.Equal(img.ToArray(), back.ToArray());
        Assert.Empty(Directory.GetFiles(dir.Path, "*.tmp", SearchOption.AllDirectories));
    }

    [Fact]
    public void ColorModesConvert()
    {
        using var dir = new TempFolder();
        var img = Tensor.FromArray(new float[] { 255, 0, 0, 0, 255, 0, 0, 0, 255, 10, 10, 10 }, 2, 2, 3);
        ImageUtils.SaveImg(dir["c.png"], img, scale: false);
        var rgba = ImageUtils.LoadImg(dir["c.png"], "rgba");
        Assert.Equal(new[] { 2, 2, 4 }, rgba.Shape);
        Assert.Equal(new float[] { 255, 0, 0, 255 }, rgba.ToArray()[..4]);
        var grey = ImageUtils.LoadImg(dir["c.png"], "grayscale");
        Assert.Equal(new[] { 2, 2, 1 }, grey.Shape);
        // stb's luma: (77 R + 150 G + 29 B) >> 8.
        Assert.Equal(new float[] { 76, 149, 28, 10 }, grey.ToArray());
        var ex = Assert.Throws<ArgumentException>(() => ImageUtils.LoadImg(dir["c.png"], "cmyk"));
        Assert.Contains("color_mode=cmyk", ex.Message);
    }

    [Fact]
    public void JpegRoundTripIsClose()
    {
        using var dir = new TempFolder();
        // A smooth image: JPEG keeps it within a few levels.
        var img = Tensor.Zeros(32, 32, 3);
        var s = img.Span;
        for (int y = 0; y < 32; y++)
            for (int x = 0; x < 32; x++)
            {
                s[(y * 32 + x) * 3] = x * 8;
                s[(y * 32 + x) * 3 + 1] = y * 8;
                s[(y * 32 + x) * 3 + 2] = 128;
            }
        ImageUtils.SaveImg(dir["a.jpg"], img, scale: false, jpegQuality: 95);
        var back = ImageUtils.LoadImg(dir["a.jpg"]);
        Assert.Equal(new[] { 32, 32, 3 }, back.Shape);
        var a = img.ToArray();
        var b = back.ToArray();
        double mae = a.Zip(b, (p, q) => Math.Abs(p - q)).Average();
        Assert.True(mae < 3, $"mean abs error {mae}");
        Assert.True(a.Zip(b, (p, q) => Math.Abs(p - q)).Max() < 30);
        var bytes = File.ReadAllBytes(dir["a.jpg"]);
        Assert.Equal(new byte[] { 0xFF, 0xD8 }, bytes[..2]);
    }

    [Fact]
    public void SaveScalesAsArrayToImg()
    {
        using var dir = new TempFolder();
        var img = Tensor.FromArray(new float[] { -1, 0, 1, 3 }, 2, 2, 1);
        ImageUtils.SaveImg(dir["s.png"], img); // scale: min → 0, max → 255
        Assert.Equal(new float[] { 0, 64, 128, 255 }, ImageUtils.LoadImg(dir["s.png"], "grayscale").ToArray());
        ImageUtils.SaveImg(dir["u.png"], img, scale: false); // clipped
        Assert.Equal(new float[] { 0, 0, 1, 3 }, ImageUtils.LoadImg(dir["u.png"], "grayscale").ToArray());
        Assert.Contains(".bmp", Assert.Throws<ArgumentException>(() => ImageUtils.SaveImg(dir["x.bmp"], img)).Message);
        Assert.Throws<ArgumentException>(() => ImageUtils.SaveImg(dir["x.png"], Tensor.Zeros(2, 2, 2)));
    }

    [Fact]
    public void NotAnImageNamesTheFile()
    {
        using var dir = new TempFolder();
        File.WriteAllText(dir["notes.png"], "hello, this is text");
        var ex = Assert.Throws<InvalidDataException>(() => ImageUtils.LoadImg(dir["notes.png"]));
        Assert.Contains(dir["notes.png"], ex.Message);
        Assert.Contains("not an image", ex.Message);
        File.WriteAllBytes(dir["empty.jpg"], []);
        Assert.Contains(dir["empty.jpg"], Assert.Throws<InvalidDataException>(() => ImageUtils.LoadImg(dir["empty.jpg"])).Message);
        var missing = Assert.Throws<FileNotFoundException>(() => ImageUtils.LoadImg(dir["nope.png"]));
        Assert.Contains(dir["nope.png"], missing.Message);
    }

    [Fact]
    public void TruncatedPngAndJpegNameTheFile()
    {
        using var dir = new TempFolder();
        ImageUtils.SaveImg(dir["full.png"], Pattern(16, 16, 3), scale: false);
        var bytes = File.ReadAllBytes(dir["full.png"]);
        foreach (int keep in new[] { bytes.Length - 12, bytes.Length / 2, 20 })
        {
            File.WriteAllBytes(dir["cut.png"], bytes[..keep]);
            var ex = Assert.Throws<InvalidDataException>(() => ImageUtils.LoadImg(dir["cut.png"]));
            Assert.Contains(dir["cut.png"], ex.Message);
            Assert.Contains("truncated", ex.Message);
        }
        ImageUtils.SaveImg(dir["full.jpg"], Pattern(16, 16, 3), scale: false);
        var jpg = File.ReadAllBytes(dir["full.jpg"]);
        File.WriteAllBytes(dir["cut.jpg"], jpg[..(jpg.Length / 2)]);
        var je = Assert.Throws<InvalidDataException>(() => ImageUtils.LoadImg(dir["cut.jpg"]));
        Assert.Contains(dir["cut.jpg"], je.Message);
    }

    [Fact]
    public void LoadWithTargetSizeResizes()
    {
        using var dir = new TempFolder();
        ImageUtils.SaveImg(dir["a.png"], Pattern(4, 4, 3), scale: false);
        var img = ImageUtils.LoadImg(dir["a.png"], targetSize: (2, 8));
        Assert.Equal(new[] { 2, 8, 3 }, img.Shape);
        var expected = ImageUtils.Resize(Pattern(4, 4, 3), 2, 8, "nearest");
        Assert.Equal(expected.ToArray(), img.ToArray());
    }

    [Fact]
    public void ResizeNearestHalfPixel()
    {
        // 1x4 → 1x2: output i takes input floor((i + 0.5) * 2) = 1, 3.
        var x = Tensor.FromArray(new float[] { 10, 20, 30, 40 }, 1, 4, 1);
        Assert.Equal(new float[] { 20, 40 }, ImageUtils.Resize(x, 1, 2, "nearest").ToArray());
        // 1x2 → 1x4: floor((i + 0.5) / 2) = 0, 0, 1, 1.
        var y = Tensor.FromArray(new float[] { 1, 2 }, 1, 2, 1);
        Assert.Equal(new float[] { 1, 1, 2, 2 }, ImageUtils.Resize(y, 1, 4, "nearest").ToArray());
    }

    [Fact]
    public void ResizeBilinearHalfPixel()
    {
        // 1x2 → 1x4: s = (i + 0.5) / 2 − 0.5 = −0.25, 0.25, 0.75, 1.25 → 0, 2.5, 7.5, 10 for [0, 10].
        var y = Tensor.FromArray(new float[] { 0, 10 }, 1, 2, 1);
        Assert.Equal(new float[] { 0, 2.5f, 7.5f, 10 }, ImageUtils.Resize(y, 1, 4, "bilinear").ToArray());
        // 2x2 → 1x1: s = 0.5 in both axes → the mean of the four pixels, per channel.
        var z = Tensor.FromArray(new float[] { 0, 4, 8, 12, 1, 1, 1, 1 }, 2, 2, 2);
        Assert.Equal(new float[] { 2.5f, 4.5f }, ImageUtils.Resize(z, 1, 1, "bilinear").ToArray());
        // 4 → 2: s = 0.5, 2.5 → means of neighbours.
        var w = Tensor.FromArray(new float[] { 0, 10, 20, 30 }, 1, 4, 1);
        Assert.Equal(new float[] { 5, 25 }, ImageUtils.Resize(w, 1, 2, "bilinear").ToArray());
        // A batch keeps its rank.
        Assert.Equal(new[] { 3, 5, 6, 2 }, ImageUtils.Resize(Tensor.Zeros(3, 2, 2, 2), 5, 6).Shape);
        Assert.Contains("interpolation=bicubic", Assert.Throws<ArgumentException>(() => ImageUtils.Resize(y, 2, 2, "bicubic")).Message);
    }

    [Fact]
    public void GridHasExpectedSize()
    {
        using var dir = new TempFolder();
        var imgs = Tensor.Zeros(7, 5, 6);
        var (h, w) = ImageGrid.Save(dir["grid.png"], imgs, columns: 3, padding: 2);
        Assert.Equal((3 * 5 + 4 * 2, 3 * 6 + 4 * 2), (h, w));
        var png = File.ReadAllBytes(dir["grid.png"]);
        Assert.Equal(w, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        Assert.Equal(h, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
        var back = ImageUtils.LoadImg(dir["grid.png"], "grayscale");
        Assert.Equal(ImageGrid.PaddingValue, back[0, 0, 0]);
        Assert.Equal(0f, back[2, 2, 0]);
        // [0, 1] values are scaled to 255; RGB stays RGB.
        var (h2, w2) = ImageGrid.Save(dir["rgb.png"], Tensor.Ones(2, 3, 3, 3), columns: 4, padding: 0);
        Assert.Equal((3, 6), (h2, w2));
        Assert.Equal(255f, ImageUtils.LoadImg(dir["rgb.png"])[1, 1, 2]);
    }
}
