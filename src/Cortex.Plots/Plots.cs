using Cortex.Keras.Callbacks;
using Cortex.Keras.ModelSelection;
using Cortex.Keras.Preprocessing.Image;
using ScottPlot;

namespace Cortex.Plots;

/// <summary>
/// Plots written as PNG files: <see cref="PlotHistory"/> (loss and metrics per epoch, train and validation, one panel
/// per metric), <see cref="PlotConfusionMatrix(string, int[,], IReadOnlyList{string}, string?, int, int)"/> (a heat
/// map with counts and class labels) and <see cref="PlotImages"/> (a grid of images). Rendered with ScottPlot 5
/// (SkiaSharp). Every file is written to a temporary file in the same folder, then renamed over the target.
/// </summary>
public static class Plots
{
    /// <summary>
    /// Plots a training history: one panel per metric (<c>loss</c>, <c>accuracy</c>, …), side by side, each with the
    /// training curve and, where recorded, the validation curve (<c>val_</c> + name), against epochs 1..n.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="history">What <c>Model.Fit</c> returned.</param>
    /// <param name="title">A title above the panels' own titles, or null.</param>
    /// <param name="panelWidth">Width of one panel in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <returns>The image's (width, height).</returns>
    /// <exception cref="ArgumentException">The history has no epochs, or the path does not end in .png.</exception>
    public static (int Width, int Height) PlotHistory(string path, History history, string? title = null, int panelWidth = 420, int height = 320)
    {
        ArgumentNullException.ThrowIfNull(history);
        CheckPath(path);
        CheckSize(panelWidth, height);
        var metrics = history.HistoryData.Keys.Where(k => !k.StartsWith("val_", StringComparison.Ordinal)).ToList();
        foreach (var k in history.HistoryData.Keys.Where(k => k.StartsWith("val_", StringComparison.Ordinal)))
            if (!metrics.Contains(k[4..])) metrics.Add(k[4..]);
        if (metrics.Count == 0 || history.Epoch.Count == 0)
            throw new ArgumentException("The history has no recorded epochs to plot (fit for at least one epoch).", nameof(history));

        var mp = new Multiplot();
        mp.AddPlots(metrics.Count);
        mp.Layout = new ScottPlot.MultiplotLayouts.Columns();
        for (int i = 0; i < metrics.Count; i++)
        {
            var plot = mp.GetPlot(i);
            string m = metrics[i];
            AddCurve(plot, history, m, "train", Colors.C0);
            AddCurve(plot, history, "val_" + m, "validation", Colors.C1);
            plot.Title(i == 0 && title is not null ? $"{title}: {m}" : m);
            plot.XLabel("epoch");
            plot.YLabel(m);
            // Keep the legend off the curves: where the curve ends low (a loss) it goes top right, else bottom right.
            var train = history.HistoryData.TryGetValue(m, out var tv) && tv.Count > 0 ? tv : history.HistoryData["val_" + m];
            plot.ShowLegend(train[^1] <= train[0] ? Alignment.UpperRight : Alignment.LowerRight);
            plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };
        }
        int width = panelWidth * metrics.Count;
        WriteAtomically(path, mp.Render(width, height).GetImageBytes(ImageFormat.Png));
        return (width, height);
    }

    private static void AddCurve(Plot plot, History history, string key, string label, Color color)
    {
        if (!history.HistoryData.TryGetValue(key, out var values) || values.Count == 0) return;
        var xs = Enumerable.Range(0, values.Count).Select(i => (double)(i < history.Epoch.Count ? history.Epoch[i] + 1 : i + 1)).ToArray();
        var s = plot.Add.Scatter(xs, values.Select(v => (double)v).ToArray(), color);
        s.LegendText = label;
        s.LineWidth = 2;
        s.MarkerSize = values.Count > 30 ? 0 : 5;
    }

    /// <summary>
    /// Plots a confusion matrix as a heat map: row = true class, column = predicted class, each cell showing its count
    /// (white text on dark cells, black on light), the class labels on both axes.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="counts">The counts, classes × classes (e.g. from <see cref="Scoring.ConfusionMatrix"/>).</param>
    /// <param name="labels">One label per class, in row/column order.</param>
    /// <param name="title">The title; null: "Confusion matrix".</param>
    /// <param name="width">Width in pixels.</param>
    /// <param name="height">Height in pixels.</param>
    /// <returns>The image's (width, height).</returns>
    /// <exception cref="ArgumentException">The matrix is not square, is empty, or the label count differs.</exception>
    public static (int Width, int Height) PlotConfusionMatrix(string path, int[,] counts, IReadOnlyList<string> labels, string? title = null, int width = 560, int height = 500)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(labels);
        CheckPath(path);
        CheckSize(width, height);
        int k = counts.GetLength(0);
        if (k == 0 || counts.GetLength(1) != k)
            throw new ArgumentException($"A confusion matrix is square and non-empty; got {counts.GetLength(0)}×{counts.GetLength(1)}.", nameof(counts));
        if (labels.Count != k)
            throw new ArgumentException($"The confusion matrix has {k} classes but {labels.Count} labels were given.", nameof(labels));

        var plot = ConfusionMatrixPlot(counts, labels, title, width);
        WriteAtomically(path, plot.GetImageBytes(width, height, ImageFormat.Png));
        return (width, height);
    }

    /// <summary>The confusion-matrix heat map, not yet rendered (<paramref name="width"/>: the pixel width it will be rendered at).</summary>
    internal static Plot ConfusionMatrixPlot(int[,] counts, IReadOnlyList<string> labels, string? title, int width)
    {
        int k = counts.GetLength(0);
        var plot = new Plot();
        var values = new double[k, k];
        int max = 0;
        for (int i = 0; i < k; i++) for (int j = 0; j < k; j++) { values[i, j] = counts[i, j]; max = Math.Max(max, counts[i, j]); }
        var hm = plot.Add.Heatmap(values);
        hm.Colormap = new LightToDark(new ScottPlot.Colormaps.Blues()); // few = light, many = dark
        // ScottPlot's default placement centres cell (i, j) on x = j, y = k − 1 − i (row 0 at the top), each cell 1
        // wide. (Its Extent names the centres of the edge cells, not the image's edges: Extent (−0.5, k − 0.5) drew
        // cells k/(k − 1) wide, shifted half a cell off their counts and labels.)
        for (int i = 0; i < k; i++)
            for (int j = 0; j < k; j++)
            {
                var t = plot.Add.Text(counts[i, j].ToString(System.Globalization.CultureInfo.InvariantCulture), j, k - 1 - i);
                t.Alignment = Alignment.MiddleCenter;
                t.LabelFontSize = k > 12 ? 10 : 16;
                t.LabelBold = true;
                t.LabelFontColor = max > 0 && counts[i, j] > max / 2.0 ? Colors.White : Colors.Black;
            }
        var positions = Enumerable.Range(0, k).Select(i => (double)i).ToArray();
        plot.Axes.Bottom.SetTicks(positions, labels.ToArray());
        // Labels wider than their cells (Fashion-MNIST's "T-shirt/top") would run into each other: slant them.
        // (Width estimated at 0.6 em per character, the average advance of the default sans-serif font.)
        float widest = labels.Max(l => l.Length) * plot.Axes.Bottom.TickLabelStyle.FontSize * 0.6f;
        if (widest > 0.8 * width / (k + 2))
        {
            plot.Axes.Bottom.TickLabelStyle.Rotation = 45;
            plot.Axes.Bottom.TickLabelStyle.Alignment = Alignment.MiddleLeft;
            plot.Axes.Bottom.MinimumSize = widest * 0.75f + 30;
        }
        plot.Axes.Left.SetTicks(positions, labels.Reverse().ToArray());
        plot.Axes.SetLimits(-0.5, k - 0.5, -0.5, k - 0.5);
        plot.Add.ColorBar(hm);
        plot.Title(title ?? "Confusion matrix");
        plot.XLabel("predicted");
        plot.YLabel("true");
        plot.Grid.IsVisible = false;
        return plot;
    }

    /// <summary>
    /// Plots the confusion matrix of predictions: counts by <see cref="Scoring.ConfusionMatrix"/>, labels from
    /// <paramref name="classNames"/> (indexed by class value) or the class values themselves.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="yTrue">True class values (n) (or one-hot rows).</param>
    /// <param name="yPred">Predicted class values (n) (or probability rows, taken by arg-max).</param>
    /// <param name="classNames">Names indexed by class value 0..k−1, or null.</param>
    /// <param name="title">The title, or null.</param>
    /// <returns>The image's (width, height).</returns>
    public static (int Width, int Height) PlotConfusionMatrix(string path, Tensor yTrue, Tensor yPred, IReadOnlyList<string>? classNames = null, string? title = null)
    {
        var t = Labels.ClassValues(yTrue, "PlotConfusionMatrix");
        var p = Labels.ClassValues(yPred, "PlotConfusionMatrix");
        IReadOnlyList<float>? order = classNames is null ? null : Enumerable.Range(0, classNames.Count).Select(i => (float)i).ToArray();
        var (counts, ls) = Scoring.ConfusionMatrix(t, p, order);
        var names = classNames ?? ls.Select(l => l.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return PlotConfusionMatrix(path, counts, names, title);
    }

    /// <summary>
    /// Writes images as one grid PNG (Keras books' "show some samples" figure): the entry point to
    /// <see cref="ImageGrid.Save"/>, which does the work.
    /// </summary>
    /// <param name="path">The PNG file to write.</param>
    /// <param name="images">(n, H, W) or (n, H, W, C) with C = 1, 3 or 4; values in [0, 1] or 0..255.</param>
    /// <param name="columns">Images per row.</param>
    /// <param name="padding">Pixels between and around images.</param>
    /// <returns>The image's (width, height).</returns>
    public static (int Width, int Height) PlotImages(string path, Tensor images, int columns = 8, int padding = 2)
    {
        var (h, w) = ImageGrid.Save(path, images, columns, padding);
        return (w, h);
    }

    /// <summary>A colormap read backwards (ScottPlot's sequential maps run dark to light).</summary>
    private sealed class LightToDark(IColormap inner) : IColormap
    {
        public string Name => inner.Name + " (reversed)";
        public Color GetColor(double position) => inner.GetColor(1 - position);
    }

    private static void CheckPath(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!path.EndsWith(".png", StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Plots are written as PNG; '{path}' does not end in .png.", nameof(path));
    }

    private static void CheckSize(int width, int height)
    {
        if (width < 50 || height < 50 || width > 10000 || height > 10000)
            throw new ArgumentException($"Plot size must be 50..10000 pixels each way. Received: width={width}, height={height}");
    }

    private static void WriteAtomically(string path, byte[] bytes)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        Directory.CreateDirectory(dir);
        string tmp = Path.Combine(dir, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        try
        {
            File.WriteAllBytes(tmp, bytes);
            File.Move(tmp, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
