using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;

namespace Cortex.Keras.Datasets;

/// <summary>
/// One file of a dataset, as <see cref="DatasetLocator"/> looks for it: a file named <see cref="Stem"/> or
/// <c>Stem.gz</c> counts; a download is fetched from <c>mirror + Stem + ".gz"</c>.
/// </summary>
/// <param name="Stem">The file name without <c>.gz</c>, e.g. <c>train-images-idx3-ubyte</c>.</param>
/// <param name="ContentSha256">
/// SHA-256 (hex) of the decompressed content. A downloaded file is accepted when its decompressed content has this
/// checksum, so a mirror that re-compresses the same content is accepted too. <see langword="null"/>: not checked.
/// </param>
/// <param name="PublishedGzSha256">
/// SHA-256 (hex) of the <c>.gz</c> file as published by the mirrors, if known; a download whose bytes have this
/// checksum is accepted without decompressing it. <see langword="null"/>: only <paramref name="ContentSha256"/> is used.
/// </param>
public sealed record DatasetFile(string Stem, string? ContentSha256, string? PublishedGzSha256 = null);

/// <summary>
/// What <see cref="DatasetLocator"/> needs to know about a dataset: its <see cref="Name"/> (the sub-folder it is
/// looked for and cached in), its <see cref="Files"/> and the <see cref="Mirrors"/> it can be downloaded from.
/// </summary>
public sealed class DatasetDescriptor
{
    /// <summary>Creates a descriptor.</summary>
    /// <param name="name">The dataset's name, used as a folder name (e.g. <c>mnist</c>).</param>
    /// <param name="files">The files the dataset consists of (at least one).</param>
    /// <param name="mirrors">Base URLs to download from, tried in order; each should end in <c>/</c>. May be empty.</param>
    public DatasetDescriptor(string name, IReadOnlyList<DatasetFile> files, IReadOnlyList<Uri> mirrors)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(mirrors);
        if (files.Count == 0) throw new ArgumentException("a dataset has at least one file", nameof(files));
        if (name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0 || name is "." or "..")
            throw new ArgumentException($"dataset name '{name}' is not a valid folder name", nameof(name));
        Name = name;
        Files = files;
        Mirrors = mirrors;
    }

    /// <summary>The dataset's name, used as the folder name under <c>CORTEX_DATASETS</c> and the cache.</summary>
    public string Name { get; }

    /// <summary>The files the dataset consists of.</summary>
    public IReadOnlyList<DatasetFile> Files { get; }

    /// <summary>Base URLs the files can be downloaded from, in the order they are tried.</summary>
    public IReadOnlyList<Uri> Mirrors { get; }
}

/// <summary>Where <see cref="DatasetLocator"/> found a dataset.</summary>
public enum DatasetSourceKind
{
    /// <summary>In the folder the caller named (or its sub-folder named after the dataset).</summary>
    CallerFolder,

    /// <summary>In the folder named by the <c>CORTEX_DATASETS</c> environment variable (or its sub-folder named after the dataset).</summary>
    EnvironmentFolder,

    /// <summary>Already in the local cache (<c>~/.cortex/datasets/&lt;name&gt;/</c>).</summary>
    Cache,

    /// <summary>Downloaded (at least one file) into the local cache by this call.</summary>
    Downloaded,
}

/// <summary>The result of <see cref="DatasetLocator.Locate"/>: the folder holding the dataset and each file's path.</summary>
public sealed class DatasetLocation
{
    internal DatasetLocation(string folder, DatasetSourceKind kind, IReadOnlyDictionary<string, string> files)
    {
        Folder = folder;
        Kind = kind;
        Files = files;
    }

    /// <summary>The full path of the folder that holds every file of the dataset.</summary>
    public string Folder { get; }

    /// <summary>Which kind of place the dataset was found in.</summary>
    public DatasetSourceKind Kind { get; }

    /// <summary>For each file stem (<see cref="DatasetFile.Stem"/>), the full path of the file found (<c>stem</c> or <c>stem.gz</c>).</summary>
    public IReadOnlyDictionary<string, string> Files { get; }

    /// <summary>The full path of the file with the given stem.</summary>
    /// <param name="stem">A <see cref="DatasetFile.Stem"/> of the dataset.</param>
    public string this[string stem] => Files.TryGetValue(stem, out var p) ? p
        : throw new KeyNotFoundException($"no file '{stem}' in dataset location {Folder}");
}

/// <summary>
/// Downloads <paramref name="url"/> into the file <paramref name="destination"/> (which does not exist yet; the
/// caller verifies and renames it). Throws on any failure.
/// </summary>
/// <param name="url">The URL to fetch.</param>
/// <param name="destination">The file to create with the downloaded bytes.</param>
/// <param name="cancellationToken">Cancels the download.</param>
public delegate Task DatasetDownloader(Uri url, string destination, CancellationToken cancellationToken);

/// <summary>Options for <see cref="DatasetLocator.Locate"/>; the defaults give the documented search order.</summary>
public sealed class DatasetLocatorOptions
{
    /// <summary>A folder to look in first (the caller's folder); <see langword="null"/>: none.</summary>
    public string? Folder { get; init; }

    /// <summary>
    /// Whether missing files may be downloaded into the cache (default <see langword="true"/>). Downloads are also
    /// skipped when the environment variable <c>CORTEX_OFFLINE</c> is <c>1</c>, <c>true</c> or <c>yes</c>.
    /// </summary>
    public bool AllowDownload { get; init; } = true;

    /// <summary>The cache root to use instead of <c>~/.cortex/datasets</c> (tests use a temporary folder).</summary>
    public string? CacheRoot { get; init; }

    /// <summary>The downloader to use instead of the built-in HTTP one (tests inject a fake here).</summary>
    public DatasetDownloader? Downloader { get; init; }
}

/// <summary>
/// Finds a dataset's files, Keras-style. For each folder below, a folder holds the dataset when it has every one of
/// its files, each named <c>stem</c> or <c>stem.gz</c> (the plain name is preferred when both exist). Places are
/// searched in this order and the first complete one wins:
/// <list type="number">
/// <item><description>the folder the caller names (<see cref="DatasetLocatorOptions.Folder"/>), then its sub-folder
/// <c>&lt;name&gt;/</c>;</description></item>
/// <item><description>the folder in the environment variable <c>CORTEX_DATASETS</c>: first <c>$CORTEX_DATASETS/&lt;name&gt;/</c>,
/// then <c>$CORTEX_DATASETS/</c> itself;</description></item>
/// <item><description>the local cache <c>~/.cortex/datasets/&lt;name&gt;/</c> (or <see cref="DatasetLocatorOptions.CacheRoot"/>);</description></item>
/// <item><description>a download of the files missing from the cache, from the dataset's mirrors in order, into the
/// cache. Each download goes to a temporary file, its SHA-256 is verified (<see cref="DatasetFile"/>), and only then
/// is it renamed into place. Downloads are skipped when <see cref="DatasetLocatorOptions.AllowDownload"/> is false
/// or <c>CORTEX_OFFLINE=1</c>.</description></item>
/// </list>
/// When no place has the dataset, a <see cref="FileNotFoundException"/> lists every folder looked in (with what it
/// lacked) and every URL tried (with the error it gave).
/// </summary>
public static class DatasetLocator
{
    /// <summary>The environment variable naming a folder of datasets: <c>CORTEX_DATASETS</c>.</summary>
    public const string DatasetsEnvironmentVariable = "CORTEX_DATASETS";

    /// <summary>The environment variable that disables downloads when <c>1</c>, <c>true</c> or <c>yes</c>: <c>CORTEX_OFFLINE</c>.</summary>
    public const string OfflineEnvironmentVariable = "CORTEX_OFFLINE";

    /// <summary>How long the built-in downloader waits for a server's response, or for more bytes during a download.</summary>
    public static readonly TimeSpan DownloadTimeout = TimeSpan.FromSeconds(30);

    private static readonly Lazy<HttpClient> Http = new(() =>
    {
        var client = new HttpClient { Timeout = DownloadTimeout };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Cortex.Keras-datasets/1.0");
        return client;
    });

    /// <summary>
    /// The default cache root, <c>~/.cortex/datasets</c>, or <see langword="null"/> when the user has no home folder.
    /// </summary>
    public static string? DefaultCacheRoot
    {
        get
        {
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return string.IsNullOrEmpty(home) ? null : Path.Combine(home, ".cortex", "datasets");
        }
    }

    /// <summary>Whether downloads are disabled by the environment (<c>CORTEX_OFFLINE</c> is <c>1</c>, <c>true</c> or <c>yes</c>).</summary>
    public static bool IsOfflineByEnvironment
    {
        get
        {
            string? v = Environment.GetEnvironmentVariable(OfflineEnvironmentVariable)?.Trim();
            return v is not null && (v == "1" || v.Equals("true", StringComparison.OrdinalIgnoreCase) || v.Equals("yes", StringComparison.OrdinalIgnoreCase));
        }
    }

    /// <summary>
    /// Finds (or downloads) a dataset, searching the places in the order documented on <see cref="DatasetLocator"/>.
    /// </summary>
    /// <param name="dataset">The dataset to find.</param>
    /// <param name="options">Where else to look, whether to download, test hooks; <see langword="null"/>: defaults.</param>
    /// <param name="cancellationToken">Cancels downloads.</param>
    /// <returns>The folder holding all the dataset's files and each file's path.</returns>
    /// <exception cref="FileNotFoundException">No place has every file; the message lists every place looked and every URL tried.</exception>
    public static DatasetLocation Locate(DatasetDescriptor dataset, DatasetLocatorOptions? options = null, CancellationToken cancellationToken = default) =>
        LocateAsync(dataset, options, cancellationToken).ConfigureAwait(false).GetAwaiter().GetResult();

    /// <summary>The asynchronous form of <see cref="Locate"/>.</summary>
    /// <param name="dataset">The dataset to find.</param>
    /// <param name="options">Where else to look, whether to download, test hooks; <see langword="null"/>: defaults.</param>
    /// <param name="cancellationToken">Cancels downloads.</param>
    /// <returns>The folder holding all the dataset's files and each file's path.</returns>
    /// <exception cref="FileNotFoundException">No place has every file; the message lists every place looked and every URL tried.</exception>
    public static async Task<DatasetLocation> LocateAsync(DatasetDescriptor dataset, DatasetLocatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        options ??= new DatasetLocatorOptions();
        var report = new List<string>();

        // (1) the caller's folder, (2) CORTEX_DATASETS.
        // A candidate with a null Path is only a note for the report (e.g. "CORTEX_DATASETS: not set").
        var candidates = new List<(string Label, string? Path, DatasetSourceKind Kind)>();
        if (!string.IsNullOrWhiteSpace(options.Folder))
        {
            string f = Path.GetFullPath(options.Folder);
            candidates.Add(("folder given", f, DatasetSourceKind.CallerFolder));
            candidates.Add(("folder given", Path.Combine(f, dataset.Name), DatasetSourceKind.CallerFolder));
        }
        string? env = Environment.GetEnvironmentVariable(DatasetsEnvironmentVariable);
        if (string.IsNullOrWhiteSpace(env))
            candidates.Add(($"{DatasetsEnvironmentVariable}: not set", null, DatasetSourceKind.EnvironmentFolder));
        else
        {
            string e = Path.GetFullPath(env.Trim());
            candidates.Add((DatasetsEnvironmentVariable, Path.Combine(e, dataset.Name), DatasetSourceKind.EnvironmentFolder));
            candidates.Add((DatasetsEnvironmentVariable, e, DatasetSourceKind.EnvironmentFolder));
        }

        // (3) the cache.
        string? cacheRoot = options.CacheRoot is null ? DefaultCacheRoot : Path.GetFullPath(options.CacheRoot);
        string? cacheDir = cacheRoot is null ? null : Path.Combine(cacheRoot, dataset.Name);
        if (cacheDir is not null) candidates.Add(("cache", cacheDir, DatasetSourceKind.Cache));
        else candidates.Add(("cache: no home folder, so no ~/.cortex/datasets", null, DatasetSourceKind.Cache));

        Dictionary<string, string>? cacheFound = null;
        foreach (var (label, path, kind) in candidates)
        {
            if (path is null)
            {
                report.Add(label);
                continue;
            }
            var (found, missing, note) = Probe(dataset, path);
            if (missing.Count == 0) return new DatasetLocation(path, kind, found);
            report.Add($"{label}: {path}: {note}");
            if (kind == DatasetSourceKind.Cache) cacheFound = found;
        }

        // (4) download what the cache lacks.
        if (cacheDir is null)
            report.Add("download: not attempted (no cache folder to download into)");
        else if (!options.AllowDownload)
            report.Add("download: not attempted (allowDownload: false)");
        else if (IsOfflineByEnvironment)
            report.Add($"download: not attempted ({OfflineEnvironmentVariable}={Environment.GetEnvironmentVariable(OfflineEnvironmentVariable)})");
        else if (dataset.Mirrors.Count == 0)
            report.Add("download: not attempted (the dataset has no download mirrors)");
        else
        {
            var downloaded = await DownloadMissingAsync(dataset, cacheDir, cacheFound ?? new(), options.Downloader ?? HttpDownloadAsync, report, cancellationToken).ConfigureAwait(false);
            if (downloaded is not null) return new DatasetLocation(cacheDir, DatasetSourceKind.Downloaded, downloaded);
        }

        var msg = new StringBuilder();
        msg.Append($"Dataset '{dataset.Name}' not found: no place has all of ");
        msg.Append(string.Join(", ", dataset.Files.Select(f => f.Stem + "[.gz]")));
        msg.AppendLine(". Looked in:");
        foreach (var line in report) msg.Append("  ").AppendLine(line);
        msg.Append($"Put the files in a folder and pass it, or set {DatasetsEnvironmentVariable} to a folder holding a '{dataset.Name}' sub-folder");
        if (cacheDir is not null) msg.Append($", or copy them to {cacheDir}");
        msg.Append('.');
        throw new FileNotFoundException(msg.ToString());
    }

    /// <summary>
    /// Finds a sample folder shipped with Cortex: <paramref name="relativeFolder"/> (e.g. <c>data/mnist-sample</c>) next to
    /// the application (the build copies samples there), or else under the first ancestor of the application's folder
    /// that has it (e.g. the repository root). Never downloads.
    /// </summary>
    /// <param name="relativeFolder">The sample's folder relative to the output folder, with <c>/</c> separators.</param>
    /// <param name="isComplete">Whether a candidate folder holds the sample's files.</param>
    /// <param name="description">What is looked for, for the error message (e.g. "The MNIST sample (...)").</param>
    /// <returns>The full path of the first complete folder.</returns>
    /// <exception cref="FileNotFoundException">No candidate is complete; the message lists the places looked.</exception>
    public static string FindSampleFolder(string relativeFolder, Func<string, bool> isComplete, string description)
    {
        ArgumentException.ThrowIfNullOrEmpty(relativeFolder);
        ArgumentNullException.ThrowIfNull(isComplete);
        var looked = new List<string>();
        string rel = relativeFolder.Replace('/', Path.DirectorySeparatorChar);
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, rel);
            looked.Add(candidate);
            if (isComplete(candidate)) return candidate;
        }
        throw new FileNotFoundException(
            $"{description} was not found. Looked in:" + Environment.NewLine
            + string.Join(Environment.NewLine, looked.Select(l => "  " + l)));
    }

    /// <summary>Which of the dataset's files a folder has; the note says what it lacks.</summary>
    private static (Dictionary<string, string> Found, List<string> Missing, string Note) Probe(DatasetDescriptor dataset, string folder)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var missing = new List<string>();
        if (!Directory.Exists(folder))
            return (found, dataset.Files.Select(f => f.Stem).ToList(), "no such folder");
        foreach (var f in dataset.Files)
        {
            string? p = FindFile(folder, f.Stem);
            if (p is null) missing.Add(f.Stem);
            else found[f.Stem] = p;
        }
        string note = missing.Count == dataset.Files.Count
            ? "none of the files"
            : $"missing {string.Join(", ", missing.Select(m => m + "[.gz]"))} (has {found.Count} of {dataset.Files.Count})";
        return (found, missing, note);
    }

    /// <summary>The path of <c>stem</c> or else <c>stem.gz</c> in <paramref name="folder"/>, or <see langword="null"/>.</summary>
    private static string? FindFile(string folder, string stem)
    {
        string plain = Path.Combine(folder, stem);
        if (File.Exists(plain)) return plain;
        string gz = plain + ".gz";
        return File.Exists(gz) ? gz : null;
    }

    private static async Task<Dictionary<string, string>?> DownloadMissingAsync(
        DatasetDescriptor dataset, string cacheDir, Dictionary<string, string> have, DatasetDownloader download,
        List<string> report, CancellationToken ct)
    {
        try { Directory.CreateDirectory(cacheDir); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            report.Add($"download: cannot create cache folder {cacheDir}: {e.Message}");
            return null;
        }

        var result = new Dictionary<string, string>(have, StringComparer.Ordinal);
        foreach (var file in dataset.Files)
        {
            if (result.ContainsKey(file.Stem)) continue;
            string target = Path.Combine(cacheDir, file.Stem + ".gz");
            bool ok = false;
            foreach (var mirror in dataset.Mirrors)
            {
                var url = new Uri(mirror, file.Stem + ".gz");
                string tmp = Path.Combine(cacheDir, $".{file.Stem}.gz.{Guid.NewGuid():N}.part");
                try
                {
                    await download(url, tmp, ct).ConfigureAwait(false);
                    if (!File.Exists(tmp)) throw new IOException("the downloader wrote no file");
                    string? problem = Verify(tmp, file);
                    if (problem is not null) throw new InvalidDataException(problem);
                    File.Move(tmp, target, overwrite: true);
                    result[file.Stem] = target;
                    ok = true;
                    break;
                }
                catch (OperationCanceledException) when (ct.IsCancellationRequested)
                {
                    TryDelete(tmp);
                    throw;
                }
                catch (Exception e)
                {
                    TryDelete(tmp);
                    report.Add($"download: {url}: {Describe(e)}");
                }
            }
            if (!ok)
            {
                var rest = dataset.Files.Where(f => !result.ContainsKey(f.Stem) && f.Stem != file.Stem).Select(f => f.Stem).ToList();
                if (rest.Count > 0)
                    report.Add($"download: not attempted for {string.Join(", ", rest)} (no mirror had {file.Stem}.gz)");
                return null;
            }
        }
        return result;
    }

    /// <summary>Checks a downloaded file's SHA-256; returns what is wrong, or <see langword="null"/> when it is accepted.</summary>
    private static string? Verify(string path, DatasetFile file)
    {
        if (file.ContentSha256 is null && file.PublishedGzSha256 is null) return null;
        string raw;
        using (var fs = File.OpenRead(path)) raw = Convert.ToHexStringLower(SHA256.HashData(fs));
        if (file.PublishedGzSha256 is not null && raw.Equals(file.PublishedGzSha256, StringComparison.OrdinalIgnoreCase)) return null;
        if (file.ContentSha256 is null)
            return $"SHA-256 mismatch: file has {raw}, expected {file.PublishedGzSha256}";

        string content;
        try { content = ContentSha256(path); }
        catch (InvalidDataException e) { return $"not a valid gzip stream ({e.Message}); file SHA-256 {raw}"; }
        if (content.Equals(file.ContentSha256, StringComparison.OrdinalIgnoreCase)) return null;
        return $"SHA-256 mismatch: decompressed content has {content}, expected {file.ContentSha256.ToLowerInvariant()}"
               + (file.PublishedGzSha256 is null ? "" : $" (file has {raw}, published .gz is {file.PublishedGzSha256.ToLowerInvariant()})");
    }

    /// <summary>
    /// SHA-256 (lower-case hex) of a file's content: of its decompressed bytes when it starts with the gzip magic
    /// <c>1F 8B</c>, else of its bytes.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The checksum as 64 lower-case hex digits.</returns>
    /// <exception cref="InvalidDataException">The file starts like gzip but is not a valid gzip stream.</exception>
    public static string ContentSha256(string path)
    {
        using var fs = File.OpenRead(path);
        Span<byte> head = stackalloc byte[2];
        int n = fs.Read(head);
        if (n == 1 && fs.Read(head[1..]) == 1) n = 2;
        fs.Position = 0;
        if (n == 2 && head[0] == 0x1F && head[1] == 0x8B)
        {
            using var gz = new GZipStream(fs, CompressionMode.Decompress);
            return Convert.ToHexStringLower(SHA256.HashData(gz));
        }
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }

    /// <summary>The built-in downloader: HTTP GET with <see cref="DownloadTimeout"/> for the response and for each stall.</summary>
    private static async Task HttpDownloadAsync(Uri url, string destination, CancellationToken ct)
    {
        using var response = await Http.Value.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        await using var body = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        await using var file = new FileStream(destination, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        var buffer = new byte[1 << 16];
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(ct);
        while (true)
        {
            stall.CancelAfter(DownloadTimeout);
            int n;
            try { n = await body.ReadAsync(buffer, stall.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"no data for {DownloadTimeout.TotalSeconds:0} s");
            }
            if (n == 0) break;
            await file.WriteAsync(buffer.AsMemory(0, n), ct).ConfigureAwait(false);
        }
        await file.FlushAsync(ct).ConfigureAwait(false);
    }

    private static string Describe(Exception e)
    {
        if (e is TaskCanceledException) return $"timed out after {DownloadTimeout.TotalSeconds:0} s";
        string s = $"{e.GetType().Name}: {e.Message}";
        if (e.InnerException is { } inner && !e.Message.Contains(inner.Message, StringComparison.Ordinal))
            s += $" ({inner.Message})";
        return s;
    }

    private static void TryDelete(string path)
    {
        try { if (File.Exists(path)) File.Delete(path); } catch { /* best effort */ }
    }
}
