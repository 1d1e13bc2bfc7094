using Cortex.Keras.Callbacks;
using StbImageSharp;
using CortexPlots = Cortex.Plots.Plots;

namespace Cortex.Tests.Plots;

public class PlotsTests
{
    private static string TempPng(string name) => Path.Combine(Path.GetTempPath(), $"cortex-plot-{name}-{Guid.NewGuid():N}.png");

    private static ImageResult Decode(string path) => ImageResult.FromMemory(File.ReadAllBytes(path), ColorComponents.RedGreenBlue);

    /// <summary>How many pixels of the region differ from white.</summary>
    private static int InkPixels(ImageResult img, int x0, int y0, int x1, int y1)
    {
        int n = 0;
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
            {
                int o = (y * img.Width + x) * 3;
                if (img.Data[o] < 230 || img.Data[o + 1] < 230 || img.Data[o + 2] < 230) n++;
            }
        return n;
    }

    private static History FakeHistory()
    {
        var h = new History();
        for (int e = 0; e < 6; e++)
            h.OnEpochEnd(e, new Dictionary<string, float> { ["loss"] = 1f / (e + 1), ["accuracy"] = 0.5f + 0.08f * e, ["val_loss"] = 1.2f / (e + 1), ["val_accuracy"] = 0.45f + 0.07f * e });
        return h;
    }

    [Fact]
    public void History_plot_has_one_panel_per_metric_with_curves_in_each()
    {
        string path = TempPng("history");
        try
        {
            var (w, h) = CortexPlots.PlotHistory(path, FakeHistory(), "test", panelWidth: 400, height: 300);
            Assert.Equal((800, 300), (w, h));
            var img = Decode(path);
            Assert.Equal((800, 300), (img.Width, img.Height));
            // the inner part of both panels has curve pixels (blue train, orange validation)
            Assert.True(InkPixels(img, 100, 60, 380, 240) > 500);
            Assert.True(InkPixels(img, 500, 60, 780, 240) > 500);
            Assert.True(HasColor(img, 0, 0, 400, 300, r => r.B > 150 && r.R < 100), "no blue (train) curve in the loss panel");
            Assert.True(HasColor(img, 400, 0, 800, 300, r => r.R > 200 && r.G is > 100 and < 180 && r.B < 80), "no orange (validation) curve in the accuracy panel");
            Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.*.tmp"));
        }
        finally { File.Delete(path); }
    }

    private static bool HasColor(ImageResult img, int x0, int y0, int x1, int y1, Func<(byte R, byte G, byte B), bool> test)
    {
        for (int y = y0; y < y1; y++)
            for (int x = x0; x < x1; x++)
            {
                int o = (y * img.Width + x) * 3;
                if (test((img.Data[o], img.Data[o + 1], img.Data[o + 2]))) return true;
            }
        return false;
    }

    [Fact]
    public void Confusion_matrix_is_a_heat_map_darkest_on_the_largest_count()
    {
        string path = TempPng("cm");
        try
        {
            var counts = new[,] { { 50, 0, 0 }, { 0, 45, 5 }, { 0, 3, 47 } };
            var (w, h) = CortexPlots.PlotConfusionMatrix(path, counts, new[] { "setosa", "versicolor", "virginica" }, width: 500, height: 450);
            var img = Decode(path);
            Assert.Equal((500, 450), (img.Width, img.Height));
            Assert.True(InkPixels(img, 60, 40, 400, 380) > 20000, "the heat map area is blank");
            Assert.True(HasColor(img, 0, 0, 500, 450, c => c.B > 80 && c.R < 60 && c.G < 120), "no dark blue cell");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Confusion_matrix_cells_sit_under_their_counts_and_labels()
    {
        // Regression: the heat map used to be drawn with cells k/(k−1) wide, shifted half a cell off the tick labels
        // and the count texts, so a dark diagonal cell spilled into its neighbours. Sample each cell near its corners
        // (away from the count text) and check it is dark exactly where the count is large.
        var counts = new[,] { { 90, 0, 0, 0 }, { 0, 0, 90, 0 }, { 0, 90, 0, 0 }, { 0, 0, 0, 90 } };
        int k = 4, width = 520, height = 480;
        var plot = CortexPlots.ConfusionMatrixPlot(counts, new[] { "a", "b", "c", "d" }, null, width);
        var img = ImageResult.FromMemory(plot.GetImageBytes(width, height, ScottPlot.ImageFormat.Png), ColorComponents.RedGreenBlue);
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
                foreach (var (dx, dy) in new[] { (-0.4, -0.4), (-0.4, 0.4), (0.4, -0.4), (0.4, 0.4) })
                {
                    var px = plot.GetPixel(new ScottPlot.Coordinates(j + dx, k - 1 - i + dy));
                    int o = ((int)px.Y * img.Width + (int)px.X) * 3;
                    bool dark = img.Data[o] < 100;
                    Assert.True(dark == counts[i, j] > 0, $"cell ({i}, {j}) at offset ({dx}, {dy}): red {img.Data[o]}, count {counts[i, j]}");
                }
    }

    [Fact]
    public void Confusion_matrix_slants_labels_wider_than_their_cells()
    {
        var names = new[] { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };
        var wide = CortexPlots.ConfusionMatrixPlot(new int[10, 10], names, null, 560);
        Assert.Equal(45, wide.Axes.Bottom.TickLabelStyle.Rotation);
        var narrow = CortexPlots.ConfusionMatrixPlot(new int[3, 3], new[] { "0", "1", "2" }, null, 560);
        Assert.Equal(0, narrow.Axes.Bottom.TickLabelStyle.Rotation);
    }

    [Fact]
    public void Confusion_matrix_from_predictions_and_bad_input()
    {
        string path = TempPng("cm2");
        try
        {
            var yTrue = Tensor.FromArray(new float[] { 0, 1, 1, 2 }, 4);
            var yPred = Tensor.FromArray(new float[] { 0, 1, 2, 2 }, 4);
            CortexPlots.PlotConfusionMatrix(path, yTrue, yPred, new[] { "a", "b", "c" });
            Assert.True(File.Exists(path));
        }
        finally { File.Delete(path); }
        Assert.Contains("3 classes but 2 labels", Assert.Throws<ArgumentException>(() => CortexPlots.PlotConfusionMatrix(TempPng("x"), new int[3, 3], new[] { "a", "b" })).Message);
        Assert.Contains("square", Assert.Throws<ArgumentException>(() => CortexPlots.PlotConfusionMatrix(TempPng("x"), new int[2, 3], new[] { "a", "b" })).Message);
        Assert.Contains("does not end in .png", Assert.Throws<ArgumentException>(() => CortexPlots.PlotHistory("h.jpg", FakeHistory())).Message);
        Assert.Contains("no recorded epochs", Assert.Throws<ArgumentException>(() => CortexPlots.PlotHistory(TempPng("x"), new History())).Message);
    }

    [Fact]
    public void PlotImages_writes_the_grid()
    {
        string path = TempPng("grid");
        try
        {
            var images = Tensor.FromArray(Enumerable.Range(0, 6 * 8 * 8).Select(i => (i % 64) / 63f).ToArray(), 6, 8, 8);
            var (w, h) = CortexPlots.PlotImages(path, images, columns: 3, padding: 1);
            Assert.Equal((3 * 8 + 4, 2 * 8 + 3), (w, h));
            var img = Decode(path);
            Assert.Equal((w, h), (img.Width, img.Height));
        }
        finally { File.Delete(path); }
    }
}
