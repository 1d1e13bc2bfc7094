namespace Cortex.Examples;

/// <summary>The options every example accepts.</summary>
internal sealed record ExampleOptions(string? Data, int? Epochs, int Seed, string? Variant)
{
    public static ExampleOptions Parse(string[] args)
    {
        string? data = null, variant = null; int? epochs = null; int seed = 42;
        for (int i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"option {args[i]} needs a value.");
            switch (args[i])
            {
                case "--data": data = Next(); break;
                case "--epochs": epochs = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--seed": seed = int.Parse(Next(), System.Globalization.CultureInfo.InvariantCulture); break;
                case "--variant": variant = Next(); break;
                default: throw new ArgumentException($"unknown option '{args[i]}'.");
            }
        }
        return new ExampleOptions(data, epochs, seed, variant);
    }
}
