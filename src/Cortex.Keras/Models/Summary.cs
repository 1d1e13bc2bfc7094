using System.Globalization;
using System.Text;
using Cortex.Keras.Layers;

namespace Cortex.Keras.Models;

/// <summary>
/// Writes Keras's model summary table, in the classic Keras 2 layout the books print (65 columns: layer name and type,
/// output shape, parameter count; totals below).
/// </summary>
internal static partial class Summary
{
    private static readonly int[] Positions = { 29, 55, 65 };

    public static string Format(Model model, IReadOnlyList<Layer> layers)
    {
        if (model is Functional f && !IsSequentialLike(f)) return FormatWithConnections(f);
        var sb = new StringBuilder();
        sb.Append("Model: \"").Append(model.Name).AppendLine("\"");
        sb.AppendLine(new string('_', 65));
        sb.AppendLine(Row("Layer (type)", "Output Shape", "Param #"));
        sb.AppendLine(new string('=', 65));
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            var shape = OutputShapeText(l);
            sb.AppendLine(Row($"{l.Name} ({l.GetType().Name})", shape, l.CountParams().ToString(CultureInfo.InvariantCulture)));
            sb.AppendLine(i == layers.Count - 1 ? new string('=', 65) : new string('_', 65));
        }
        if (layers.Count == 0) sb.AppendLine(new string('=', 65));
        long trainable = model.TrainableWeights.Sum(w => (long)w.Value.Size);
        long total = model.Weights.Sum(w => (long)w.Value.Size);
        sb.Append("Total params: ").AppendLine(total.ToString("N0", CultureInfo.InvariantCulture));
        sb.Append("Trainable params: ").AppendLine(trainable.ToString("N0", CultureInfo.InvariantCulture));
        sb.Append("Non-trainable params: ").AppendLine((total - trainable).ToString("N0", CultureInfo.InvariantCulture));
        sb.Append(new string('_', 65));
        return sb.ToString();
    }

    private static string Row(params string[] fields)
    {
        var sb = new StringBuilder();
        int start = 0;
        for (int i = 0; i < fields.Length; i++)
        {
            var f = fields[i];
            int width = Positions[i] - start;
            if (f.Length >= width) f = f[..(width - 1)] + " ";
            sb.Append(f.PadRight(width));
            start = Positions[i];
        }
        return sb.ToString();
    }
}
