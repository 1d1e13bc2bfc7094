using Cortex.Autodiff;
using Cortex.Keras;

namespace Cortex.Tests.Layers;

/// <summary>
/// Checks a layer against a case of <c>text_layers_reference.json</c> (<c>tests/reference/text_layers_reference.py</c>)
/// where some of the case's inputs are the layer's weights: those are assigned to the weights, and the gradients are
/// taken with respect to the weights' values (and the layer's input, when the case differentiates it).
/// </summary>
internal static class TextLayerReference
{
    public const string File = "text_layers_reference.json";

    /// <summary>
    /// Runs <paramref name="call"/> with input <paramref name="inputIndex"/> of the case as the layer input, after
    /// assigning input k of the case to <paramref name="weights"/>[k] wherever that is not null.
    /// </summary>
    public static void Check(string name, int inputIndex, Variable?[] weights, Func<Tensor, Tensor> call, double atol = 1e-5, double rtol = 1e-5)
    {
        var c = ReferenceFixture.Load(File)[name];
        var x = c.Inputs[inputIndex].ToTensor();
        for (int k = 0; k < weights.Length; k++) weights[k]?.Assign(c.Inputs[k].ToTensor());
        ReferenceFixture.AssertClose(c.Output, call(x), $"{c.Name}: output", atol, rtol);

        var sources = new List<(int Index, Tensor T)>();
        for (int k = 0; k < c.Inputs.Length; k++)
        {
            if (c.Grads[k] is null) continue;
            sources.Add((k, k == inputIndex ? x : weights[k]!.Value));
        }
        using var tape = GradientTape.Begin();
        foreach (var (_, t) in sources) tape.Watch(t);
        var y = call(x);
        var loss = Ops.Sum(Ops.Multiply(y, c.Upstream!.ToTensor()));
        var grads = tape.Gradient(loss, sources.Select(s => s.T).ToArray());
        for (int i = 0; i < sources.Count; i++)
            ReferenceFixture.AssertClose(c.Grads[sources[i].Index]!, grads[i], $"{c.Name}: gradient of input {sources[i].Index}", atol, rtol);
    }
}
