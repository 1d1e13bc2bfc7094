using Cortex.Keras.Layers;

namespace Cortex.Tests.Layers;

/// <summary>
/// The reshaping and activation layers against PyTorch (<c>tests/reference/layers_reference.py</c>): forward output and
/// the gradients of every input (the layer's input, and PReLU's alpha) for each case.
/// </summary>
public class LayersReferenceTests
{
    private const string File = "layers_reference.json";

    public static IEnumerable<object[]> Cases => ReferenceFixture.Names(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var c = ReferenceFixture.Load(File)[name];
        ReferenceFixture.Check(c, inputs => Apply(c, inputs), atol: 1e-5, rtol: 1e-4);
    }

    private static Tensor Apply(ReferenceFixture.Case c, Tensor[] t)
    {
        Layer layer = c.Op switch
        {
            "ZeroPadding1D" => new ZeroPadding1D((c.I("left"), c.I("right"))),
            "ZeroPadding2D" => new ZeroPadding2D(((c.I("top"), c.I("bottom")), (c.I("left"), c.I("right"))), c.S("data_format")),
            "Cropping1D" => new Cropping1D((c.I("left"), c.I("right"))),
            "Cropping2D" => new Cropping2D(((c.I("top"), c.I("bottom")), (c.I("left"), c.I("right"))), c.S("data_format")),
            "UpSampling1D" => new UpSampling1D(c.I("size")),
            "UpSampling2D" => new UpSampling2D((c.I("h"), c.I("w")), c.S("data_format"), c.S("interpolation")),
            "Permute" => new Permute(c.Ints("dims")!),
            "LeakyReLU" => new LeakyReLU(c.F("negative_slope")),
            "PReLU" => new PReLU(sharedAxes: c.Ints("shared_axes")),
            "ELU" => new ELU(c.F("alpha")),
            "ThresholdedReLU" => new ThresholdedReLU(c.F("theta")),
            "ReLU" => new ReLU(c.Has("max_value") ? c.F("max_value") : null, c.F("negative_slope"), c.F("threshold")),
            "Softmax" => new Softmax(c.I("axis")),
            "Pad" => null!,
            _ => throw new InvalidOperationException($"no mapping for {c.Op}"),
        };
        if (c.Op == "Pad") return Ops.Pad(t[0], c.Ints("before")!, c.Ints("after")!, c.F("value"));
        if (layer is PReLU p)
        {
            // The fixture's alpha is the layer's weight: build, then make the weight the (watched) input tensor.
            p.EnsureBuilt(t[0].Shape.ToArray());
            Assert.Equal(t[1].Shape.ToArray(), p.Alpha.Value.Shape.ToArray());
            return Ops.Prelu(t[0], t[1]);
        }
        var y = layer.Apply(t[0]);
        Assert.Equal(layer.ComputeOutputShape(t[0].Shape.ToArray()), y.Shape.ToArray());
        return y;
    }
}
