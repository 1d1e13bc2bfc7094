using Cortex.Keras.Datasets;

namespace Cortex.Tests.Datasets;

/// <summary>
/// The text and time-series loaders on the samples shipped in data/ (always), and on the full sets in
/// ../shared/datasets when that folder exists (skipped otherwise).
/// </summary>
public class TextDatasetTests
{
    private static string? Shared(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "datasets", name);
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }

    [Fact]
    public void Imdb_sample_is_balanced_raw_reviews()
    {
        var d = Imdb.LoadSample();
        Assert.Equal(500, d.Train.Count); Assert.Equal(500, d.Test.Count);
        Assert.Equal(250, d.Train.Labels.Count(l => l == 1));
        Assert.StartsWith("Story of a man who has unnatural feelings for a pig.", d.Train.Texts[0]);
        Assert.All(d.Train.Ratings.Zip(d.Train.Labels), p => Assert.True(p.Second == 1 ? p.First >= 7 : p.First <= 4));
    }

    [Fact]
    public void Imdb_load_data_follows_keras_id_rules()
    {
        // 50 negative + 50 positive reviews per split keep the test quick.
        var full = Imdb.LoadSample();
        ImdbSplit Cut(ImdbSplit x) { int[] k = Enumerable.Range(0, 50).Concat(Enumerable.Range(x.Count - 50, 50)).ToArray();
            return new ImdbSplit(k.Select(i => x.Texts[i]).ToArray(), k.Select(i => x.Labels[i]).ToArray(), k.Select(i => x.Ratings[i]).ToArray()); }
        var d = new ImdbData(Cut(full.Train), Cut(full.Test));
        var s = Imdb.LoadData(numWords: 1000, data: d);
        Assert.Equal(100, s.XTrain.Length); Assert.Equal(100, s.YTest.Length);
        Assert.True(s.XTrain.All(x => x[0] == 1));                       // start_char
        Assert.True(s.XTrain.SelectMany(x => x).All(w => w >= 1 && w <= 999)); // ids < num_words, oov 2
        Assert.True(s.XTrain.Any(x => x.Contains(2)));
        Assert.Equal(1, s.WordIndex["the"]);                                      // most frequent word
        Assert.Contains(s.WordIndex["the"] + 3, s.XTrain[0]);                     // index_from = 3
        Assert.Equal(50, s.YTrain.Count(y => y == 1));

        // maxlen drops longer reviews; oov_char null removes out-of-range words; skip_top turns the top words into oov.
        var shortOnes = Imdb.LoadData(maxlen: 100, data: d);
        Assert.True(shortOnes.XTrain.All(x => x.Length <= 100));
        Assert.True(shortOnes.XTrain.Length < 100);
        var removed = Imdb.LoadData(numWords: 50, oovChar: null, data: d);
        Assert.True(removed.XTrain.SelectMany(x => x).All(w => w < 50 && w != 2));
        var skipped = Imdb.LoadData(numWords: 1000, skipTop: 10, data: d);
        Assert.True(skipped.XTrain.SelectMany(x => x).All(w => w == 2 || w >= 10));
        // Same seed, same order.
        Assert.Equal(s.YTrain, Imdb.LoadData(numWords: 1000, data: d).YTrain);
    }

    [Fact]
    public void Text_conll_babi_and_timeseries_samples()
    {
        var alice = TextCorpus.LoadAliceSample();
        Assert.Equal(20000, alice.Length);
        Assert.StartsWith("[Alice's Adventures in Wonderland by Lewis Carroll 1865]", alice);
        Assert.StartsWith("First Citizen:", TextCorpus.LoadTinyShakespeareSample());

        var conll = Conll2000.LoadSample();
        Assert.Equal(300, conll.Train.Count); Assert.Equal(100, conll.Test.Count);
        Assert.Equal(new ConllToken("Confidence", "NN", "B-NP"), conll.Train[0][0]);

        var babi = Babi.LoadSample();
        Assert.Equal(1000, babi.Train.Count); Assert.Equal(250, babi.Test.Count);
        var first = babi.Train[0];
        Assert.Equal(new[] { "Where", "is", "Mary", "?" }, first.Question);
        Assert.Equal("bathroom", first.Answer);
        Assert.Equal(2, first.Story.Count);
        Assert.Equal(new[] { "Mary", "moved", "to", "the", "bathroom", "." }, first.Story[0]);
        var supporting = Babi.LoadSample(onlySupporting: true).Train[0];
        Assert.Equal(new[] { first.Story[0] }, supporting.Story);

        var air = Timeseries.LoadSample();
        Assert.Equal(144, air.Values.Length);
        Assert.Equal("1949-01", air.Dates[0]); Assert.Equal(112f, air.Values[0]); Assert.Equal(432f, air.Values[^1]);
        Assert.Equal(new[] { 144, 1 }, air.ToTensor().Shape);
        Assert.Equal(3650, Timeseries.LoadSample("daily-min-temperatures").Values.Length);
        Assert.Equal(2820, Timeseries.LoadSample("monthly-sunspots").Values.Length);
        Assert.Throws<ArgumentException>(() => Timeseries.LoadSample("rain"));
    }

    [Fact]
    public void Full_sets_when_shared_data_is_present()
    {
        var conllDir = Shared("conll2000");
        if (conllDir is null) return; // no ../shared/datasets on this machine
        var conll = Conll2000.Load(conllDir);
        Assert.Equal(8936, conll.Train.Count); Assert.Equal(2012, conll.Test.Count);
        Assert.Equal(211727, conll.Train.Sum(s => s.Count));
        var babi = Babi.Load(Shared("babi"));
        Assert.Equal(10000, babi.Train.Count); Assert.Equal(1000, babi.Test.Count);
        Assert.Equal(144396, TextCorpus.LoadAlice(Shared("text")).Length);
        Assert.Equal(1115394, TextCorpus.LoadTinyShakespeare(Shared("text")).Length);
        Assert.Equal(2820, Timeseries.MonthlySunspots(Shared("timeseries")).Values.Length);
        // The full IMDB files (66 MB of text) are left out here to keep the suite fast; the sample covers the parser.
    }

    [Fact]
    public void Missing_and_malformed_files_are_clear_errors()
    {
        var dir = Directory.CreateTempSubdirectory("cortex-text-");
        try
        {
            var ex = Assert.Throws<FileNotFoundException>(() => TextDatasetFiles.Locate("no-such-text-set", new[] { "x.txt" }, dir.FullName));
            Assert.Contains("Dataset 'no-such-text-set' not found", ex.Message);
            Assert.Contains(dir.FullName, ex.Message);

            var bad = Path.Combine(dir.FullName, "train.txt");
            File.WriteAllText(bad, "Confidence NN B-NP\nin IN\n\n");
            Assert.Contains("train.txt, line 2", Assert.Throws<InvalidDataException>(() => Conll2000.ReadFile(bad)).Message);
            var csv = Path.Combine(dir.FullName, "s.csv");
            File.WriteAllText(csv, "\"Month\",\"V\"\r\n\"1949-01\",abc\r\n");
            Assert.Contains("s.csv, line 2", Assert.Throws<InvalidDataException>(() => Timeseries.ReadCsv(csv)).Message);
            var tsv = Path.Combine(dir.FullName, "i.tsv");
            File.WriteAllText(tsv, "label\trating\tid\ttext\n3\t1\t0\tbad label\n");
            Assert.Contains("i.tsv, line 2", Assert.Throws<InvalidDataException>(() => Imdb.ReadSplit(tsv)).Message);
        }
        finally { dir.Delete(true); }
    }
}
