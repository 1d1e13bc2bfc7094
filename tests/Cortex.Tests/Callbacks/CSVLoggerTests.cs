using Cortex.Keras.Saving;
using Cortex.Keras.Callbacks;
using static Cortex.Tests.Callbacks.CallbackTestUtil;

namespace Cortex.Tests.Callbacks;

[Collection(nameof(GlobalRandomCollection))]
public class CSVLoggerTests
{
    [Fact]
    public void WritesEpochThenSortedKeysWithPythonFloats()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "log.csv");
        var model = SmallModel();
        var (x, y) = Cortex.Tests.Keras.ModelTests.Blobs(12, 4);
        var h = model.Fit(x, y, batchSize: 4, epochs: 2, verbose: 0, validationSplit: 0.25f, callbacks: new[] { new CSVLogger(file) });
        var text = File.ReadAllText(file);
        Assert.EndsWith("\r\n", text);
        var lines = text.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("epoch,accuracy,loss,val_accuracy,val_loss", lines[0]);
        Assert.Equal(3, lines.Length);
        for (int e = 0; e < 2; e++)
        {
            var f = lines[e + 1].Split(',');
            Assert.Equal(e.ToString(), f[0]);
            Assert.Equal(h["accuracy"][e], float.Parse(f[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(h["loss"][e], float.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(h["val_loss"][e], float.Parse(f[4], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(PyFormat.Float(h["loss"][e]), f[2]);
        }
    }

    [Fact]
    public void WithoutValidationTheValColumnsAreNA()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "log.tsv");
        var cb = new CSVLogger(file, separator: "\t");
        cb.OnTrainBegin(Logs());
        cb.OnEpochEnd(0, Logs(("loss", 0.5f), ("accuracy", 0.25f)));
        cb.OnTrainEnd(Logs());
        Assert.Equal("epoch\taccuracy\tloss\tval_accuracy\tval_loss\r\n0\t0.25\t0.5\tNA\tNA\r\n", File.ReadAllText(file));
    }

    [Fact]
    public void AppendAddsRowsWithoutASecondHeader()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "log.csv");
        foreach (bool append in new[] { false, true })
        {
            var cb = new CSVLogger(file, append: append);
            cb.OnTrainBegin(Logs());
            cb.OnEpochEnd(append ? 1 : 0, Logs(("loss", 0.1f), ("val_loss", 0.2f)));
            cb.OnTrainEnd(Logs());
        }
        Assert.Equal("epoch,loss,val_loss\r\n0,0.10000000149011612,0.20000000298023224\r\n1,0.10000000149011612,0.20000000298023224\r\n", File.ReadAllText(file));
        var fresh = new CSVLogger(file);                    // not appending: overwritten
        fresh.OnTrainBegin(Logs());
        fresh.OnEpochEnd(0, Logs(("loss", 1f)));
        fresh.OnTrainEnd(Logs());
        Assert.Equal("epoch,loss,val_loss\r\n0,1.0,NA\r\n", File.ReadAllText(file));
    }

    [Fact]
    public void FieldsWithTheSeparatorAreQuotedAndAMissingFolderIsNamed()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "q.csv");
        var cb = new CSVLogger(file);
        cb.OnTrainBegin(Logs());
        cb.OnEpochEnd(0, Logs(("a,b", 1f), ("val_x", 2f)));
        cb.OnTrainEnd(Logs());
        Assert.Equal("epoch,\"a,b\",val_x\r\n0,1.0,2.0\r\n", File.ReadAllText(file));
        var missing = new CSVLogger(Path.Combine(dir.Path, "nope", "log.csv"));
        var e = Assert.Throws<DirectoryNotFoundException>(() => missing.OnTrainBegin(Logs()));
        Assert.Contains("nope", e.Message);
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1.0, "1.0")]
    [InlineData(1e-5, "1e-05")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(1.5e-7, "1.5e-07")]
    [InlineData(double.NaN, "nan")]
    [InlineData(double.NegativeInfinity, "-inf")]
    public void PythonFloatRepr(double v, string expected) => Assert.Equal(expected, PyFormat.Float(v));
}
