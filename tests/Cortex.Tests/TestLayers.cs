using Cortex.Keras.Layers;

namespace Cortex.Tests;

/// <summary>Test-only layers shared by the masking, recurrent and training tests.</summary>
public static class TestLayers
{
    /// <summary>
    /// Passes its (batch, timesteps, features) input through and makes a mask: 1 where a step's first feature is
    /// non-zero, 0 where it is 0 (padding), as an <c>Embedding(mask_zero=True)</c> or <c>Masking</c> layer would.
    /// </summary>
    public sealed class FirstFeatureMask : Layer
    {
        /// <inheritdoc/>
        public override bool SupportsMasking => true;

        /// <inheritdoc/>
        public override Tensor Call(Tensor inputs, bool training) => inputs;

        /// <inheritdoc/>
        public override Tensor? ComputeMask(Tensor inputs, Tensor? mask)
        {
            int b = inputs.Shape[0], t = inputs.Shape[1], f = inputs.Shape[2];
            var m = Tensor.Zeros(b, t);
            var x = inputs.Contiguous().Span;
            for (int i = 0; i < b * t; i++) m.Span[i] = x[i * f] != 0f ? 1f : 0f;
            return m;
        }
    }
}
