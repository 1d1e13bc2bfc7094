namespace Cortex.Keras.Utils;

/// <summary>
/// Resolves Keras identifiers such as <c>"relu"</c> or <c>"categorical_crossentropy"</c> to objects; an unknown name
/// raises an error that lists every valid one.
/// </summary>
public sealed class NameRegistry<T>
{
    private readonly string _kind;
    private readonly Dictionary<string, Func<T>> _factories = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Creates a registry; <paramref name="kind"/> names the kind of thing in errors ("activation", "loss", ...).</summary>
    public NameRegistry(string kind) => _kind = kind;

    /// <summary>Registers a factory under one or more names (aliases).</summary>
    public NameRegistry<T> Add(Func<T> factory, params string[] names)
    {
        foreach (var n in names) _factories[n] = factory;
        return this;
    }

    /// <summary>The registered names, sorted.</summary>
    public IReadOnlyList<string> Names => _factories.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

    /// <summary>Whether <paramref name="name"/> is registered.</summary>
    public bool Contains(string name) => _factories.ContainsKey(name);

    /// <summary>Creates the object registered under <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">Unknown name; the message lists the valid ones.</exception>
    public T Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_factories.TryGetValue(name, out var f)) return f();
        throw new ArgumentException($"Unknown {_kind}: '{name}'. Valid {_kind} names are: {string.Join(", ", Names)}.", nameof(name));
    }
}
