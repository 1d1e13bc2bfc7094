using System.Globalization;
using System.IO.Compression;

namespace Cortex.Keras.Datasets;

/// <summary>
/// One of scikit-learn's small datasets (sklearn's <c>Bunch</c>): <see cref="Data"/> (n, features),
/// <see cref="Target"/> (n), the feature and class names and where it was read from.
/// </summary>
/// <param name="Name">The dataset's name (<c>iris</c>, <c>breast_cancer</c>, …).</param>
/// <param name="Data">The features, (n, features), float32.</param>
/// <param name="Target">The targets, (n): class indices for classification sets, values for diabetes.</param>
/// <param name="FeatureNames">sklearn's <c>feature_names</c>.</param>
/// <param name="TargetNames">sklearn's <c>target_names</c> (class names; empty for regression).</param>
/// <param name="Source">The folder the files were read from.</param>
public sealed record SklearnDataset(string Name, Tensor Data, Tensor Target, IReadOnlyList<string> FeatureNames,
    IReadOnlyList<string> TargetNames, string Source)
{
    /// <summary>The number of samples.</summary>
    public int Count => Data.Shape[0];

    /// <summary>A one-line description.</summary>
    public override string ToString() => $"{Name}: {Count} samples × {Data.Shape[1]} features, {(TargetNames.Count > 0 ? TargetNames.Count + " classes" : "regression target")}, from {Source}";
}

/// <summary>
/// Loads scikit-learn's small datasets from the files sklearn ships (<c>sklearn/datasets/data/</c>), like
/// <c>sklearn.datasets.load_iris()</c> and friends. Files are looked for, in order, in the folder given (and its
/// <c>sklearn/</c> sub-folder), <c>$CORTEX_DATASETS/sklearn/</c> and <c>$CORTEX_DATASETS/</c>, the cache
/// <c>~/.cortex/datasets/sklearn/</c> (see <see cref="DatasetLocator"/>), and finally the copy shipped with Cortex in
/// <c>data/sklearn-sample/</c> (all five sets, complete). There is nothing to download: sklearn itself ships them.
/// </summary>
public static class SklearnDatasets
{
    /// <summary>The dataset folder name (<c>sklearn</c>).</summary>
    public const string Name = "sklearn";

    /// <summary>The shipped copy's folder relative to the output folder and the repository root.</summary>
    public const string SampleFolder = "data/sklearn-sample";

    private static readonly string[] BreastCancerBase =
        ["radius", "texture", "perimeter", "area", "smoothness", "compactness", "concavity", "concave points", "symmetry", "fractal dimension"];

    /// <summary>Iris (150 × 4, three classes; sklearn's <c>load_iris</c>).</summary>
    /// <param name="folder">A folder to look in first, or null.</param>
    public static SklearnDataset LoadIris(string? folder = null) => LoadHeadered("iris", "iris.csv", folder,
        ["sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)"]);

    /// <summary>Breast cancer Wisconsin (diagnostic) (569 × 30, 0 = malignant, 1 = benign; sklearn's <c>load_breast_cancer</c>).</summary>
    /// <param name="folder">A folder to look in first, or null.</param>
    public static SklearnDataset LoadBreastCancer(string? folder = null) => LoadHeadered("breast_cancer", "breast_cancer.csv", folder,
        BreastCancerBase.Select(b => "mean " + b).Concat(BreastCancerBase.Select(b => b + " error")).Concat(BreastCancerBase.Select(b => "worst " + b)).ToArray());

    /// <summary>Wine recognition (178 × 13, three classes; sklearn's <c>load_wine</c>).</summary>
    /// <param name="folder">A folder to look in first, or null.</param>
    public static SklearnDataset LoadWine(string? folder = null) => LoadHeadered("wine", "wine_data.csv", folder,
        ["alcohol", "malic_acid", "ash", "alcalinity_of_ash", "magnesium", "total_phenols", "flavanoids", "nonflavanoid_phenols",
         "proanthocyanins", "color_intensity", "hue", "od280/od315_of_diluted_wines", "proline"]);

    /// <summary>Optical handwritten digits (1,797 × 64 pixel values 0–16 of 8×8 images, ten classes; sklearn's <c>load_digits</c>).</summary>
    /// <param name="folder">A folder to look in first, or null.</param>
    public static SklearnDataset LoadDigits(string? folder = null)
    {
        var (path, dir) = Find("digits.csv", folder);
        var rows = ReadRows(path, ',');
        var names = Enumerable.Range(0, 64).Select(i => $"pixel_{i / 8}_{i % 8}").ToArray();
        return Build("digits", path, dir, rows, 64, names, Enumerable.Range(0, 10).Select(i => i.ToString(CultureInfo.InvariantCulture)).ToArray());
    }

    /// <summary>
    /// Diabetes (442 × 10, regression target: disease progression after one year; sklearn's <c>load_diabetes</c>).
    /// </summary>
    /// <param name="folder">A folder to look in first, or null.</param>
    /// <param name="scaled">As sklearn's default: each feature mean-centred and divided by (population std × √n), so
    /// every column has unit Euclidean norm. False: the raw values (age in years, sex 1/2, bmi, …).</param>
    public static SklearnDataset LoadDiabetes(string? folder = null, bool scaled = true)
    {
        var (dataPath, dir) = Find("diabetes_data_raw.csv", folder);
        var (targetPath, _) = Find("diabetes_target.csv", dir);
        var x = ReadRows(dataPath, ' ');
        var t = ReadRows(targetPath, ' ');
        if (x.Count != 442 || t.Count != 442 || x.Any(r => r.Length != 10) || t.Any(r => r.Length != 1))
            throw new InvalidDataException($"{dataPath} / {targetPath}: expected 442 rows of 10 features and 442 targets; got {x.Count} and {t.Count} rows.");
        var data = new float[442 * 10];
        for (int f = 0; f < 10; f++)
        {
            double mean = 0, var = 0;
            for (int i = 0; i < 442; i++) mean += x[i][f];
            mean /= 442;
            for (int i = 0; i < 442; i++) var += (x[i][f] - mean) * (x[i][f] - mean);
            double div = Math.Sqrt(var / 442) * Math.Sqrt(442);
            for (int i = 0; i < 442; i++) data[i * 10 + f] = (float)(scaled ? (x[i][f] - mean) / div : x[i][f]);
        }
        return new SklearnDataset("diabetes", Tensor.FromArray(data, 442, 10), Tensor.FromArray(t.Select(r => (float)r[0]).ToArray(), 442),
            ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"], [], dir);
    }

    /// <summary>The iris/breast_cancer/wine layout: a header <c>n,features,class names…</c>, then rows of features + label.</summary>
    private static SklearnDataset LoadHeadered(string name, string stem, string? folder, string[] featureNames)
    {
        var (path, dir) = Find(stem, folder);
        using var reader = Open(path);
        var header = (reader.ReadLine() ?? throw new InvalidDataException($"{path} is empty.")).Split(',');
        if (header.Length < 3 || !int.TryParse(header[0], CultureInfo.InvariantCulture, out int n) || !int.TryParse(header[1], CultureInfo.InvariantCulture, out int f) || f != featureNames.Length)
            throw new InvalidDataException($"{path}: the first line should be 'n_samples,{featureNames.Length},class names...'; got '{string.Join(',', header)}'.");
        var rows = ReadRows(reader, path, ',');
        if (rows.Count != n) throw new InvalidDataException($"{path}: the header says {n} samples but there are {rows.Count} rows.");
        return Build(name, path, dir, rows, f, featureNames, header[2..]);
    }

    private static SklearnDataset Build(string name, string path, string dir, List<double[]> rows, int features, string[] featureNames, string[] classes)
    {
        int n = rows.Count;
        var data = new float[n * features];
        var target = new float[n];
        for (int i = 0; i < n; i++)
        {
            if (rows[i].Length != features + 1)
                throw new InvalidDataException($"{path}, data row {i + 1}: expected {features + 1} values ({features} features and the label), got {rows[i].Length}.");
            for (int j = 0; j < features; j++) data[i * features + j] = (float)rows[i][j];
            double label = rows[i][features];
            if (label != Math.Floor(label) || label < 0 || label >= classes.Length)
                throw new InvalidDataException($"{path}, data row {i + 1}: label {label} is not a class index 0..{classes.Length - 1}.");
            target[i] = (float)label;
        }
        return new SklearnDataset(name, Tensor.FromArray(data, n, features), Tensor.FromArray(target, n), featureNames, classes, dir);
    }

    /// <summary>Finds <paramref name="stem"/>[.gz]: the given folder, CORTEX_DATASETS, the cache, then the shipped copy.</summary>
    private static (string Path, string Folder) Find(string stem, string? folder)
    {
        var descriptor = new DatasetDescriptor(Name, [new DatasetFile(stem, null)], []);
        try
        {
            var loc = DatasetLocator.Locate(descriptor, new DatasetLocatorOptions { Folder = folder, AllowDownload = false });
            return (loc[stem], loc.Folder);
        }
        catch (FileNotFoundException e)
        {
            try
            {
                string dir = DatasetLocator.FindSampleFolder(SampleFolder, d => File.Exists(Path.Combine(d, stem)) || File.Exists(Path.Combine(d, stem + ".gz")),
                    $"The scikit-learn sample ({SampleFolder}/ with {stem}.gz)");
                string p = Path.Combine(dir, stem);
                return (File.Exists(p) ? p : p + ".gz", dir);
            }
            catch (FileNotFoundException e2)
            {
                throw new FileNotFoundException(e.Message + Environment.NewLine + e2.Message);
            }
        }
    }

    private static StreamReader Open(string path)
    {
        Stream s = File.OpenRead(path);
        if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) s = new GZipStream(s, CompressionMode.Decompress);
        return new StreamReader(s);
    }

    private static List<double[]> ReadRows(string path, char separator)
    {
        using var reader = Open(path);
        return ReadRows(reader, path, separator);
    }

    private static List<double[]> ReadRows(StreamReader reader, string path, char separator)
    {
        var rows = new List<double[]>();
        int line = 0;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0) continue;
            var parts = text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var row = new double[parts.Length];
            for (int i = 0; i < parts.Length; i++)
                if (!double.TryParse(parts[i], NumberStyles.Float, CultureInfo.InvariantCulture, out row[i]))
                    throw new InvalidDataException($"{path}, line {line}: '{parts[i]}' is not a number.");
            rows.Add(row);
        }
        return rows;
    }
}
