using System.Collections;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cortex.Keras.Saving;

/// <summary>
/// Writes Keras configurations (nested dictionaries, lists, arrays and scalars, as <c>GetConfig</c> returns them) as
/// JSON the way Python's <c>json.dumps</c> writes Keras's configs: float32 values in their shortest round-trip form
/// (0.3, not 0.30000001192092896), null for <c>None</c>.
/// </summary>
public static class KerasJson
{
    /// <summary>Serializes a configuration value to JSON text.</summary>
    public static string Serialize(object? value, bool indented = false)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = indented, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            Write(w, value);
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void Write(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case string s: w.WriteStringValue(s); break;
            case bool b: w.WriteBooleanValue(b); break;
            case float f:
                if (float.IsFinite(f)) w.WriteRawValue(ShortestFloat(f)); else w.WriteRawValue(float.IsNaN(f) ? "NaN" : f > 0 ? "Infinity" : "-Infinity", skipInputValidation: true);
                break;
            case double d: w.WriteNumberValue(d); break;
            case int i: w.WriteNumberValue(i); break;
            case long l: w.WriteNumberValue(l); break;
            case JsonElement e: e.WriteTo(w); break;
            case ConfigNode n: n.Element.WriteTo(w); break;
            case IDictionary dict:
                w.WriteStartObject();
                foreach (DictionaryEntry kv in dict) { w.WritePropertyName((string)kv.Key); Write(w, kv.Value); }
                w.WriteEndObject();
                break;
            case System.Runtime.CompilerServices.ITuple t:
                w.WriteStartArray();
                for (int k = 0; k < t.Length; k++) Write(w, t[k]);
                w.WriteEndArray();
                break;
            case IEnumerable list:
                w.WriteStartArray();
                foreach (var item in list) Write(w, item);
                w.WriteEndArray();
                break;
            default:
                throw new ArgumentException($"Cannot serialize a value of type {value.GetType().Name} in a Keras config.");
        }
    }

    /// <summary>The shortest decimal text that reads back as the same float32 (Python prints float32 configs this way after float()).</summary>
    public static string ShortestFloat(float f)
    {
        var s = f.ToString("R", CultureInfo.InvariantCulture);
        if (!s.Contains('.') && !s.Contains('E') && !s.Contains('e')) s += ".0";
        return s.Replace("E", "e");
    }

    /// <summary>A shape for a config: the batch axis and unknown sizes (−1) become null (Python's <c>None</c>).</summary>
    public static object?[] Shape(IEnumerable<int> shape) => shape.Select(d => d < 0 ? (object?)null : d).ToArray();
}
