using Cortex.Keras.Preprocessing.Text;

namespace Cortex.Tests.Text;

/// <summary>Temperature sampling as Keras's lstm_text_generation <c>sample</c>.</summary>
public class SamplingTests
{
    private static double[] Frequencies(float[] p, double temperature, int draws, long seed)
    {
        var rng = new RandomGenerator(seed);
        var counts = new double[p.Length];
        for (int i = 0; i < draws; i++) counts[Sampling.SampleWithTemperature(p, temperature, rng)]++;
        return counts.Select(c => c / draws).ToArray();
    }

    [Fact]
    public void Draws_follow_softmax_of_log_p_over_t()
    {
        var p = new[] { 0.1f, 0.2f, 0.7f, 0f };
        var f1 = Frequencies(p, 1.0, 20000, 1);
        Assert.Equal(0.1, f1[0], 1); Assert.InRange(f1[1], 0.18, 0.22); Assert.InRange(f1[2], 0.68, 0.72);
        Assert.Equal(0, f1[3]);
        // T = 0.5: p^2 normalised = [0.01, 0.04, 0.49] / 0.54.
        var f05 = Frequencies(p, 0.5, 20000, 2);
        Assert.InRange(f05[2], 0.49 / 0.54 - 0.015, 0.49 / 0.54 + 0.015);
        Assert.InRange(f05[0], 0.01 / 0.54 - 0.008, 0.01 / 0.54 + 0.008);
        Assert.Equal(1.0, Frequencies(p, 1e-3, 200, 3)[2]);
    }

    [Fact]
    public void Seeded_draws_repeat_and_bad_input_is_an_error()
    {
        var p = Tensor.FromArray(new[] { 0.25f, 0.25f, 0.5f }, 3);
        var r1 = new RandomGenerator(9); var r2 = new RandomGenerator(9);
        Assert.Equal(Enumerable.Range(0, 50).Select(_ => Sampling.SampleWithTemperature(p, 1.0, r1)),
                     Enumerable.Range(0, 50).Select(_ => Sampling.SampleWithTemperature(p, 1.0, r2)));
        Assert.Throws<ArgumentException>(() => Sampling.SampleWithTemperature(p, 0, r1));
        Assert.Throws<ArgumentException>(() => Sampling.SampleWithTemperature(new[] { 0f, 0f }, 1, r1));
        Assert.Throws<ArgumentException>(() => Sampling.SampleWithTemperature(new[] { -0.1f, 1f }, 1, r1));
    }
}
