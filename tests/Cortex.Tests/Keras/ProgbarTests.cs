using Cortex.Keras.Callbacks;

namespace Cortex.Tests.Keras;

public class ProgbarTests
{
    [Fact]
    public void NonInteractiveOutputPrintsOnlyTheFinalLine()
    {
        var w = new StringWriter();
        var bar = new Progbar(10, verbose: 1, output: w, interactive: false);
        for (int i = 1; i < 10; i++) bar.Update(i, new Dictionary<string, float> { ["loss"] = 0.5f });
        Assert.Equal("", w.ToString());
        bar.Update(10, new Dictionary<string, float> { ["loss"] = 0.25f, ["accuracy"] = 0.875f });
        Assert.Matches(@"^10/10 \[==============================\] - \d+s \d+(us|ms)/step - loss: 0\.2500 - accuracy: 0\.8750\r?\n$", w.ToString());
    }

    [Fact]
    public void InteractiveOutputRedrawsWithEta()
    {
        var w = new StringWriter();
        var bar = new Progbar(4, verbose: 1, output: w, interactive: true);
        bar.Update(1, new Dictionary<string, float> { ["loss"] = 1f });
        Assert.Matches(@"^\r1/4 \[={6}>\.{23}\] - ETA: \d+s - loss: 1\.0000", w.ToString());
    }

    [Fact]
    public void SmallValuesUseKerasExponentForm()
    {
        var w = new StringWriter();
        new Progbar(1, verbose: 1, output: w, interactive: false)
            .Update(1, new Dictionary<string, float> { ["loss"] = 0f, ["mae"] = 0.0005f, ["acc"] = 0.002f });
        Assert.Contains("loss: 0.0000e+00 - mae: 5.0000e-04 - acc: 0.0020", w.ToString());
    }

    [Fact]
    public void VerboseTwoPrintsOneLine()
    {
        var w = new StringWriter();
        var bar = new Progbar(3, verbose: 2, output: w);
        bar.Update(1, new Dictionary<string, float>());
        bar.Update(3, new Dictionary<string, float> { ["loss"] = 0.1f });
        Assert.Matches(@"^3/3 - \d+s - loss: 0\.1000 - \d+(us|ms|s)/epoch - \d+(us|ms)/step\r?\n$", w.ToString());
    }
}
