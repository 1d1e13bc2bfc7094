namespace Cortex.Cli;

/// <summary>The <c>cortex</c> command: the main MNIST job and the benchmark workloads.</summary>
internal static class CommandLine
{
    private const string Usage = """
        usage: cortex [train] [--data DIR] [--epochs N] [--batch-size N] [--seed N]
               cortex bench mnist_mlp [--data DIR] [--epochs N]
               cortex bench gemm

          train   (default) trains Keras's mnist_mlp (784-512-512-10, dropout 0.2, RMSprop) and prints test accuracy.
                  Without --data it uses the MNIST sample shipped in data/mnist-sample (6,000 train / 1,000 test images);
                  with --data it reads the IDX files (gzipped or not) from DIR.
          bench   prints JSON lines in the format of ../shared/bench/PROTOCOL.md.
        """;

    public static int Run(string[] args)
    {
        try
        {
            var list = args.ToList();
            string command = list.Count > 0 && !list[0].StartsWith("--", StringComparison.Ordinal) ? Pop(list) : "train";
            var opts = Options.Parse(list);
            switch (command)
            {
                case "train": return TrainCommand.Run(opts);
                case "bench":
                    if (opts.Positional.Count != 1) throw new UsageException("bench needs one workload: mnist_mlp or gemm.");
                    return BenchCommand.Run(opts.Positional[0], opts);
                case "help": case "-h": case "--help": Console.WriteLine(Usage); return 0;
                default: throw new UsageException($"unknown command '{command}'.");
            }
        }
        catch (UsageException e)
        {
            Console.Error.WriteLine($"cortex: {e.Message}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or ArgumentException or DirectoryNotFoundException)
        {
            Console.Error.WriteLine($"cortex: {e.Message}");
            return 1;
        }
    }

    private static string Pop(List<string> l) { var s = l[0]; l.RemoveAt(0); return s; }
}

/// <summary>A mistake in the command line.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>Parsed <c>--name value</c> options and positional arguments.</summary>
internal sealed class Options
{
    private readonly Dictionary<string, string> _values = new();
    public List<string> Positional { get; } = new();

    public static Options Parse(List<string> args)
    {
        var o = new Options();
        for (int i = 0; i < args.Count; i++)
        {
            if (args[i].StartsWith("--", StringComparison.Ordinal))
            {
                if (i + 1 >= args.Count) throw new UsageException($"option {args[i]} needs a value.");
                o._values[args[i][2..]] = args[++i];
            }
            else o.Positional.Add(args[i]);
        }
        return o;
    }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public int GetInt(string name, int fallback)
    {
        var v = Get(name);
        if (v is null) return fallback;
        if (!int.TryParse(v, out int n) || n < 0) throw new UsageException($"--{name} needs a non-negative integer; got '{v}'.");
        return n;
    }
}
