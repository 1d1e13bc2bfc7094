namespace Cortex.Keras.Layers;

/// <summary>
/// Keras's <c>data_format</c> argument of image and sequence layers: <c>"channels_last"</c> (the default,
/// <c>(batch, ..., channels)</c>) or <c>"channels_first"</c> (<c>(batch, channels, ...)</c>, the Theano ordering some
/// books use).
/// </summary>
public static class DataFormat
{
    /// <summary>Keras's default and the engine's native layout.</summary>
    public const string ChannelsLast = "channels_last";

    /// <summary>Channels right after the batch axis.</summary>
    public const string ChannelsFirst = "channels_first";

    /// <summary>Validates a data_format value (null means channels_last) and returns its canonical spelling.</summary>
    public static string Normalize(string? dataFormat)
    {
        var f = (dataFormat ?? ChannelsLast).ToLowerInvariant();
        if (f != ChannelsLast && f != ChannelsFirst)
            throw new ArgumentException($"The `data_format` argument must be one of \"channels_first\", \"channels_last\". Received: data_format={dataFormat}", nameof(dataFormat));
        return f;
    }

    /// <summary>Whether a normalized format is channels_first.</summary>
    public static bool IsChannelsFirst(string dataFormat) => dataFormat == ChannelsFirst;

    /// <summary>Validates Keras's <c>padding</c> argument ("valid" or "same", and "causal" where allowed) and returns it lower-cased.</summary>
    public static string NormalizePadding(string? padding, bool allowCausal = false)
    {
        var p = (padding ?? "valid").ToLowerInvariant();
        if (p == "valid" || p == "same" || (allowCausal && p == "causal")) return p;
        var allowed = allowCausal ? "\"valid\", \"same\", \"causal\"" : "\"valid\", \"same\"";
        throw new ArgumentException($"The `padding` argument must be one of {allowed}. Received: padding={padding}", nameof(padding));
    }
}
