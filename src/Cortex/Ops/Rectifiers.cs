namespace Cortex;

public static partial class Ops
{
    /// <summary>
    /// Keras's general rectifier (<c>keras.activations.relu(x, negative_slope, max_value, threshold)</c>):
    /// min(x, max_value) for x &gt; threshold, else negative_slope·(x − threshold).
    /// </summary>
    public static Tensor Relu(Tensor x, float negativeSlope, float? maxValue, float threshold)
    {
        float max = maxValue ?? float.PositiveInfinity;
        return Unary(x, (s, d) =>
        {
            for (int i = 0; i < d.Length; i++) d[i] = s[i] > threshold ? MathF.Min(s[i], max) : negativeSlope * (s[i] - threshold);
        }, (x, y, g) =>
        {
            var dx = Empty((int[])x.Dims.Clone());
            var xs = Read(x); var gs = Read(g); var d = dx.Span;
            for (int i = 0; i < d.Length; i++) d[i] = xs[i] > threshold ? (xs[i] < max ? gs[i] : 0f) : negativeSlope * gs[i];
            return dx;
        });
    }

    /// <summary>Thresholded rectifier: x for x &gt; θ, else 0 (Keras 2's <c>ThresholdedReLU</c>).</summary>
    public static Tensor ThresholdedRelu(Tensor x, float theta = 1f) => Unary(x, (s, d) =>
    {
        for (int i = 0; i < d.Length; i++) d[i] = s[i] > theta ? s[i] : 0f;
    }, (x, y, g) =>
    {
        var dx = Empty((int[])x.Dims.Clone());
        var xs = Read(x); var gs = Read(g); var d = dx.Span;
        for (int i = 0; i < d.Length; i++) d[i] = xs[i] > theta ? gs[i] : 0f;
        return dx;
    });

    /// <summary>
    /// Parametric ReLU: x for x ≥ 0, else α·x, with α broadcast against x (a learned weight in Keras's <c>PReLU</c>).
    /// Composed as relu(x) − α·relu(−x), so both x and α get gradients.
    /// </summary>
    public static Tensor Prelu(Tensor x, Tensor alpha) => Subtract(Relu(x), Multiply(alpha, Relu(Negate(x))));
}
