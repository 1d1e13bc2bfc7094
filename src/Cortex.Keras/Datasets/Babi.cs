using System.Text.RegularExpressions;

namespace Cortex.Keras.Datasets;

/// <summary>One bAbI question with the story before it (sentences as tokens), as Keras's babi_rnn example builds it.</summary>
/// <param name="Story">The story's sentences up to the question (all of them, or only the supporting ones), each tokenized.</param>
/// <param name="Question">The question, tokenized.</param>
/// <param name="Answer">The one-word answer.</param>
/// <param name="SupportingFacts">The line ids (1-based, within the story) of the supporting sentences.</param>
public sealed record BabiSample(IReadOnlyList<IReadOnlyList<string>> Story, IReadOnlyList<string> Question, string Answer, IReadOnlyList<int> SupportingFacts);

/// <summary>The bAbI task's train and test questions.</summary>
public sealed record BabiData(IReadOnlyList<BabiSample> Train, IReadOnlyList<BabiSample> Test);

/// <summary>
/// Facebook's bAbI task 1 (single supporting fact), en-10k: 10,000 train and 1,000 test questions. Files
/// <c>qa1_single-supporting-fact_train.txt[.gz]</c> and <c>..._test.txt[.gz]</c>, parsed as Keras's babi_rnn example
/// (<c>parse_stories</c>): a line "id sentence" adds to the story (id 1 starts a new one); a line
/// "id question\tanswer\tsupporting ids" is a sample. The shipped sample (<c>data/babi-sample/</c>) has the first 200 / 50
/// stories (1,000 / 250 questions). Searched as <see cref="DatasetLocator"/> does (no download mirror).
/// </summary>
public static class Babi
{
    /// <summary>The dataset's folder name.</summary>
    public const string Name = "babi";
    private static readonly Regex NonWord = new(@"(\W+)", RegexOptions.Compiled);
    private static readonly string[] Stems = { "qa1_single-supporting-fact_train.txt", "qa1_single-supporting-fact_test.txt" };

    /// <summary>Loads task 1.</summary>
    /// <param name="folder">A folder holding the files (or a <c>babi/</c> sub-folder); null: the other places.</param>
    /// <param name="onlySupporting">Keep only the supporting sentences in each story (Keras's only_supporting).</param>
    public static BabiData Load(string? folder = null, bool onlySupporting = false) => Read(TextDatasetFiles.Locate(Name, Stems, folder), onlySupporting);

    /// <summary>Loads the shipped sample.</summary>
    /// <param name="onlySupporting">Keep only the supporting sentences in each story.</param>
    public static BabiData LoadSample(bool onlySupporting = false) =>
        Read(TextDatasetFiles.Sample("babi-sample", Stems, "The bAbI sample (data/babi-sample/ with the qa1 train and test files)"), onlySupporting);

    private static BabiData Read(DatasetLocation l, bool onlySupporting) => new(ReadFile(l[Stems[0]], onlySupporting), ReadFile(l[Stems[1]], onlySupporting));

    /// <summary>Keras's babi <c>tokenize</c>: splits on runs of non-word characters, keeping the punctuation as tokens
    /// (<c>"Where is Mary?"</c> → Where, is, Mary, ?).</summary>
    public static List<string> Tokenize(string sentence)
        => NonWord.Split(sentence).Select(t => t.Trim()).Where(t => t.Length > 0).ToList();

    /// <summary>Parses one bAbI file.</summary>
    /// <exception cref="InvalidDataException">A line is malformed; the message names the file and line.</exception>
    public static List<BabiSample> ReadFile(string path, bool onlySupporting = false)
    {
        var data = new List<BabiSample>();
        var story = new List<List<string>?>();
        var lines = TextDatasetFiles.ReadLines(path);
        for (int i = 0; i < lines.Length; i++)
        {
            string line = lines[i].Trim();
            if (line.Length == 0) continue;
            int space = line.IndexOf(' ');
            if (space <= 0 || !int.TryParse(line[..space], out int nid))
                throw new InvalidDataException($"{path}, line {i + 1}: expected \"<id> <sentence>\".");
            line = line[(space + 1)..];
            if (nid == 1) story = new List<List<string>?>();
            if (line.Contains('\t'))
            {
                var parts = line.Split('\t');
                if (parts.Length != 3) throw new InvalidDataException($"{path}, line {i + 1}: a question line needs \"question<TAB>answer<TAB>supporting ids\".");
                var supporting = parts[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
                IReadOnlyList<IReadOnlyList<string>> sub = onlySupporting
                    ? supporting.Select(s => (IReadOnlyList<string>)(story[s - 1] ?? throw new InvalidDataException($"{path}, line {i + 1}: supporting id {s} is a question."))).ToList()
                    : story.Where(x => x is not null).Select(x => (IReadOnlyList<string>)x!).ToList();
                data.Add(new BabiSample(sub, Tokenize(parts[0]), parts[1].Trim(), supporting));
                story.Add(null);
            }
            else story.Add(Tokenize(line));
        }
        return data;
    }
}
