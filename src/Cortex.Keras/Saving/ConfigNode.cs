using System.Text.Json;
using Cortex.Keras.Initializers;
using Cortex.Keras.Layers;

namespace Cortex.Keras.Saving;

/// <summary>
/// A read-only view of one saved configuration (a layer's, an initializer's, an optimizer's <c>config</c> dictionary)
/// with typed getters that accept both Keras 3's and Keras 2's spellings (<c>batch_shape</c> /
/// <c>batch_input_shape</c>, <c>learning_rate</c> / <c>lr</c>, initializers as names or as
/// <c>{"class_name", "config"}</c> dictionaries). A missing or ill-typed key raises an error naming the key and the
/// object (<see cref="Owner"/>) it belongs to.
/// </summary>
public sealed class ConfigNode
{
    /// <summary>Wraps a JSON element; <paramref name="owner"/> names it in errors (e.g. <c>layer 'dense' (Dense)</c>).</summary>
    public ConfigNode(JsonElement element, string owner)
    {
        Element = element;
        Owner = owner;
    }

    /// <summary>Parses JSON text.</summary>
    public static ConfigNode Parse(string json, string owner)
    {
        try { return new ConfigNode(JsonDocument.Parse(json).RootElement.Clone(), owner); }
        catch (JsonException e) { throw new FormatException($"The config of {owner} is not valid JSON: {e.Message}", e); }
    }

    /// <summary>The JSON element.</summary>
    public JsonElement Element { get; }

    /// <summary>What this config belongs to, for error messages.</summary>
    public string Owner { get; }

    /// <summary>Whether the key is present and not null.</summary>
    public bool Has(string key) => Element.ValueKind == JsonValueKind.Object && Element.TryGetProperty(key, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>The child at <paramref name="key"/>, or null when absent or null.</summary>
    public ConfigNode? Child(string key) => Has(key) ? new ConfigNode(Element.GetProperty(key), Owner) : null;

    /// <summary>The child at <paramref name="key"/>; an error when missing.</summary>
    public ConfigNode Required(string key) => Child(key) ?? throw Missing(key);

    /// <summary>The elements of an array value.</summary>
    public IReadOnlyList<ConfigNode> Items() => Element.ValueKind == JsonValueKind.Array
        ? Element.EnumerateArray().Select(e => new ConfigNode(e, Owner)).ToList()
        : throw new FormatException($"Expected a list in the config of {Owner}; found {Element.ValueKind}: {Element}");

    /// <summary>A string value, or <paramref name="fallback"/> when absent.</summary>
    public string? String(string key, string? fallback = null) => Has(key) ? Get(key, e => e.ValueKind == JsonValueKind.String ? e.GetString() : throw Bad(key, "a string", e)) : fallback;

    /// <summary>A required string value.</summary>
    public string RequiredString(string key) => String(key) ?? throw Missing(key);

    /// <summary>An integer value (a one-element list is accepted, as Keras 2 saves <c>axis=[1]</c>).</summary>
    public int Int(string key, int? fallback = null)
    {
        if (!Has(key)) return fallback ?? throw Missing(key);
        var e = Element.GetProperty(key);
        if (e.ValueKind == JsonValueKind.Array && e.GetArrayLength() == 1) e = e[0];
        return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out int v) ? v : throw Bad(key, "an integer", e);
    }

    /// <summary>An optional integer.</summary>
    public int? IntOrNull(string key) => Has(key) ? Int(key) : null;

    /// <summary>An optional seed (Keras seeds may exceed 32 bits).</summary>
    public long? Seed(string key = "seed") => Has(key) ? Get(key, e => e.TryGetInt64(out long v) ? v : throw Bad(key, "an integer", e)) : null;

    /// <summary>A float value.</summary>
    public float Float(string key, float? fallback = null)
    {
        if (!Has(key)) return fallback ?? throw Missing(key);
        return Get(key, e => e.ValueKind == JsonValueKind.Number ? (float)e.GetDouble() : throw Bad(key, "a number", e));
    }

    /// <summary>An optional float.</summary>
    public float? FloatOrNull(string key) => Has(key) ? Float(key) : null;

    /// <summary>A boolean value.</summary>
    public bool Bool(string key, bool? fallback = null)
    {
        if (!Has(key)) return fallback ?? throw Missing(key);
        return Get(key, e => e.ValueKind is JsonValueKind.True or JsonValueKind.False ? e.GetBoolean() : throw Bad(key, "true or false", e));
    }

    /// <summary>A list of integers; null entries (None) become −1.</summary>
    public int[]? Ints(string key)
    {
        if (!Has(key)) return null;
        var e = Element.GetProperty(key);
        if (e.ValueKind == JsonValueKind.Number) return new[] { e.GetInt32() };
        if (e.ValueKind != JsonValueKind.Array) throw Bad(key, "a list of integers", e);
        return e.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.Null ? -1 : x.ValueKind == JsonValueKind.Number ? x.GetInt32()
            : x.ValueKind == JsonValueKind.Array && x.GetArrayLength() == 1 ? x[0].GetInt32() : throw Bad(key, "a list of integers", e)).ToArray();
    }

    /// <summary>A (height, width) pair from a list of two or one integer.</summary>
    public Size2D Size2(string key, Size2D? fallback = null)
    {
        var v = Ints(key);
        if (v is null) return fallback ?? throw Missing(key);
        return v.Length switch { 1 => new Size2D(v[0], v[0]), 2 => new Size2D(v[0], v[1]), _ => throw Bad(key, "a list of 2 integers", Element.GetProperty(key)) };
    }

    /// <summary>One integer from a list of one (Keras saves 1-D sizes as <c>[3]</c>).</summary>
    public int Size1(string key, int? fallback = null)
    {
        var v = Ints(key);
        if (v is null) return fallback ?? throw Missing(key);
        return v.Length == 1 ? v[0] : throw Bad(key, "one integer", Element.GetProperty(key));
    }

    /// <summary>The layer's name.</summary>
    public string? Name => String("name");

    /// <summary>
    /// The declared input shape without the batch axis, from Keras 3's <c>batch_shape</c>, Keras 2's
    /// <c>batch_input_shape</c> or <c>input_shape</c>; null when none is declared.
    /// </summary>
    public int[]? InputShape
    {
        get
        {
            var b = Ints("batch_shape") ?? Ints("batch_input_shape");
            if (b is not null) return b.Skip(1).ToArray();
            return Ints("input_shape");
        }
    }

    /// <summary>An activation name: a string, or Keras 3's serialized function <c>{"class_name": "function", "config": "relu"}</c>.</summary>
    public string? Activation(string key = "activation")
    {
        if (!Has(key)) return null;
        var e = Element.GetProperty(key);
        if (e.ValueKind == JsonValueKind.String) return e.GetString();
        if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("config", out var c) && c.ValueKind == JsonValueKind.String) return c.GetString();
        throw Bad(key, "an activation name", e);
    }

    /// <summary>An initializer: a Keras name, or a serialized <c>{"class_name", "config"}</c> dictionary.</summary>
    public Initializer Initializer(string key, string fallback)
    {
        if (!Has(key)) return Initializers.Initializer.Get(fallback);
        var e = Element.GetProperty(key);
        if (e.ValueKind == JsonValueKind.String) return Initializers.Initializer.Get(e.GetString()!);
        return (Initializer)KerasObjects.Deserialize(new ConfigNode(e, $"{key} of {Owner}"), KerasObjects.Kind.Initializer);
    }

    /// <summary>
    /// An optional regularizer: null, a Keras name (<c>"l2"</c>), or a serialized <c>{"class_name": "L2", "config": {"l2": 0.01}}</c>
    /// (Keras 2 and 3 spellings, custom classes through <see cref="CustomObjects"/>).
    /// </summary>
    public Regularizers.Regularizer? Regularizer(string key)
    {
        if (!Has(key)) return null;
        var e = Element.GetProperty(key);
        if (e.ValueKind == JsonValueKind.String) return Regularizers.Regularizer.Get(e.GetString()!);
        return (Regularizers.Regularizer)KerasObjects.Deserialize(new ConfigNode(e, $"{key} of {Owner}"), KerasObjects.Kind.Regularizer);
    }

    /// <summary>An optional constraint: null, a Keras name (<c>"max_norm"</c>), or a serialized <c>{"class_name", "config"}</c>.</summary>
    public Constraints.Constraint? Constraint(string key)
    {
        if (!Has(key)) return null;
        var e = Element.GetProperty(key);
        if (e.ValueKind == JsonValueKind.String) return Constraints.Constraint.Get(e.GetString()!);
        return (Constraints.Constraint)KerasObjects.Deserialize(new ConfigNode(e, $"{key} of {Owner}"), KerasObjects.Kind.Constraint);
    }

    /// <summary>The data format, defaulting as Keras does to channels_last.</summary>
    public string DataFormat(string key = "data_format") => String(key) ?? "channels_last";

    /// <inheritdoc/>
    public override string ToString() => Element.ToString();

    private T Get<T>(string key, Func<JsonElement, T> f) => f(Element.GetProperty(key));

    private FormatException Missing(string key) => new($"The config of {Owner} has no '{key}'.");

    private FormatException Bad(string key, string expected, JsonElement found) =>
        new($"The config of {Owner} has an invalid '{key}': expected {expected}, found {found.ToString()}.");
}
