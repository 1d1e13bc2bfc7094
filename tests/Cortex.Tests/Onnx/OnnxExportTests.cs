using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Onnx;
using Cortex.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;

namespace Cortex.Tests.Onnx;

/// <summary>
/// ONNX export: each model is exported, loaded by ONNX Runtime (the validator) and run; its outputs must match
/// Cortex's Predict within 1e-5.
/// </summary>
[Collection(nameof(GlobalRandomCollection))]
public class OnnxExportTests
{
    public OnnxExportTests() => RandomGenerator.SetGlobalSeed(7);

    [Fact]
    public void MlpMatchesAndUsesGemm()
    {
        var model = new Sequential(
            new Dense(32, activation: "relu", inputShape: new[] { 20 }),
            new Dropout(0.5f),
            new Dense(16, activation: "tanh"),
            new GaussianNoise(0.1f),
            new Dense(5, activation: "softmax"));
        OnnxCheck.MaxDiff(model, OnnxCheck.Random(1, 7, 20));

        var proto = OnnxExporter.ToOnnxModel(model);
        Assert.Equal(new[] { "Gemm", "Relu", "Gemm", "Tanh", "Gemm", "Softmax" }, proto.Graph.Nodes.Select(n => n.OpType));
        Assert.Equal(3, proto.Graph.Initializers.Count(t => t.Name.EndsWith("/kernel")));
        Assert.Equal(13, proto.Opset);
        Assert.Equal(7, proto.IrVersion);
    }

    [Fact]
    public void BatchDimensionIsDynamic()
    {
        var model = new Sequential(new Dense(4, activation: "sigmoid", inputShape: new[] { 3 }));
        var bytes = OnnxExporter.ToBytes(model);
        var proto = OnnxExporter.ToOnnxModel(model);
        Assert.Equal("N", proto.Graph.Inputs[0].Shape[0].Param);
        Assert.Equal("N", proto.Graph.Outputs[0].Shape[0].Param);
        foreach (int batch in new[] { 1, 9 })
        {
            var x = OnnxCheck.Random(batch, batch, 3);
            OnnxCheck.Compare(model.Predict(x), OnnxCheck.Run(bytes, x).Single());
        }
    }

    [Theory]
    [InlineData("linear")] [InlineData("relu")] [InlineData("sigmoid")] [InlineData("tanh")] [InlineData("softmax")]
    [InlineData("elu")] [InlineData("selu")] [InlineData("softplus")] [InlineData("softsign")] [InlineData("exponential")]
    [InlineData("leaky_relu")] [InlineData("hard_sigmoid")] [InlineData("relu6")] [InlineData("swish")] [InlineData("silu")]
    public void EveryNamedActivationMatches(string activation)
    {
        // Scaled so relu6's and hard_sigmoid's clipping and the rectifiers' negative side are all exercised (exp's
        // outputs would then reach e^15, beyond an absolute 1e-5 in float32).
        var model = new Sequential(new Dense(12, inputShape: new[] { 6 }), new Activation(activation));
        var x = Ops.MultiplyScalar(OnnxCheck.Random(2, 8, 6), activation == "exponential" ? 0.5f : 4f);
        OnnxCheck.MaxDiff(model, x);
    }

    [Fact]
    public void ActivationLayersMatch()
    {
        var model = new Sequential(
            new Dense(10, inputShape: new[] { 4 }),
            new ReLU(maxValue: 1.5f, negativeSlope: 0.1f, threshold: 0.2f),
            new Dense(10), new ReLU(maxValue: 2f),
            new Dense(10), new ELU(alpha: 0.7f),
            new Dense(10), new LeakyReLU(0.05f),
            new Dense(10), new ThresholdedReLU(0.3f),
            new Dense(10), new PReLU("random_normal"),
            new Dense(10), new Softmax());
        OnnxCheck.MaxDiff(model, Ops.MultiplyScalar(OnnxCheck.Random(3, 6, 4), 3f));
    }

    [Fact]
    public void CnnWithBatchNormPoolingPaddingAndStridesMatches()
    {
        // Odd sizes with strides 2 and "same" padding: the padding is asymmetric, as TensorFlow's rule makes it.
        var model = new Sequential(
            new Conv2D(6, 3, strides: 2, padding: "same", activation: "relu", inputShape: new[] { 13, 11, 3 }),
            new BatchNormalization(),
            new ZeroPadding2D(((1, 0), (2, 1))),
            new Conv2D(8, (3, 2), padding: "valid", dilationRate: (1, 2)),
            new BatchNormalization(epsilon: 1e-2f, center: false),
            new Activation("elu"),
            new MaxPooling2D(3, strides: 2, padding: "same"),
            new Conv2D(8, 2, strides: (1, 2), padding: "same", useBias: false),
            new AveragePooling2D(2, strides: 1, padding: "same"),
            new Cropping2D(((1, 0), (0, 1))),
            new UpSampling2D(2),
            new AveragePooling2D(2),
            new Flatten(),
            new Dense(10, activation: "softmax"));
        OnnxCheck.RandomizeBatchNorms(model, 5);
        OnnxCheck.MaxDiff(model, OnnxCheck.Random(4, 3, 13, 11, 3));
    }

    [Fact]
    public void ConvolutionBlocksStayChannelsFirstBetweenTwoTransposes()
    {
        var model = new Sequential(
            new Conv2D(4, 3, padding: "same", inputShape: new[] { 8, 8, 2 }),
            new BatchNormalization(), new ReLU(), new ZeroPadding2D(1),
            new Conv2D(4, 3), new MaxPooling2D(2), new Dropout(0.2f),
            new Flatten(), new Dense(3));
        var nodes = OnnxExporter.ToOnnxModel(model).Graph.Nodes;
        Assert.Equal(2, nodes.Count(n => n.OpType == "Transpose"));
        var first = nodes.First(n => n.OpType == "Transpose");
        Assert.Equal(new long[] { 0, 3, 1, 2 }, first.Attribute("perm")!.Ints);
        OnnxCheck.MaxDiff(model, OnnxCheck.Random(5, 2, 8, 8, 2));
    }

    [Fact]
    public void BilinearUpSamplingAndGlobalPoolingMatch()
    {
        var inputs = new Input(new[] { 5, 7, 3 });
        var x = new Conv2D(4, 3, padding: "same").Apply(inputs);
        var up = new UpSampling2D((2, 3), interpolation: "bilinear").Apply(x);
        var avg = new GlobalAveragePooling2D().Apply(up);
        var max = new GlobalMaxPooling2D().Apply(up);
        var kept = new Flatten().Apply(new GlobalAveragePooling2D(keepdims: true).Apply(x));
        var model = new Cortex.Keras.Models.Functional(inputs, new Concatenate().Apply(avg, max, kept));
        OnnxCheck.MaxDiff(model, OnnxCheck.Random(6, 2, 5, 7, 3));
    }

    [Fact]
    public void ChannelsFirstLayersMatch()
    {
        var model = new Sequential(
            new Conv2D(4, 3, strides: 2, padding: "same", dataFormat: "channels_first", inputShape: new[] { 3, 9, 8 }),
            new BatchNormalization(axis: 1),
            new MaxPooling2D(2, padding: "same", dataFormat: "channels_first"),
            new ZeroPadding2D(1, dataFormat: "channels_first"),
            new UpSampling2D(2, dataFormat: "channels_first"),
            new GlobalAveragePooling2D(dataFormat: "channels_first"),
            new Dense(2));
        OnnxCheck.RandomizeBatchNorms(model, 6);
        OnnxCheck.MaxDiff(model, OnnxCheck.Random(7, 2, 3, 9, 8));
    }

    [Fact]
    public void Conv1DStackMatches()
    {
        var model = new Sequential(
            new Conv1D(6, 3, padding: "causal", dilationRate: 2, activation: "relu", inputShape: new[] { 15, 4 }),
            new Conv1D(6, 4, strides: 2, padding: "same"),
            new BatchNormalization(),
            // (Not ZeroPadding then MaxPooling: ONNX Runtime's PadFusion folds a zero Pad into MaxPool's -inf padding;
            // see docs/design.md, "ONNX export".)
            new MaxPooling1D(2, padding: "same"),
            new ZeroPadding1D((2, 1)),
            new Cropping1D((1, 0)),
            new UpSampling1D(3),
            new AveragePooling1D(3, strides: 2),
            new GlobalMaxPooling1D());
        OnnxCheck.RandomizeBatchNorms(model, 7);
        OnnxCheck.MaxDiff(model, OnnxCheck.Random(8, 3, 15, 4));
    }

    [Fact]
    public void ReshapePermuteAndRankThreeDenseMatch()
    {
        var model = new Sequential(
            new Reshape(new[] { 4, -1 }, inputShape: new[] { 12 }),
            new Dense(5, activation: "softmax"),
            new Permute(2, 1),
            new Dense(3, useBias: false),
            new BatchNormalization(axis: 1),
            new Flatten());
        OnnxCheck.RandomizeBatchNorms(model, 8);
        OnnxCheck.MaxDiff(model, OnnxCheck.Random(9, 4, 12));
    }

    [Fact]
    public void PermuteAfterConvolutionComposesTheTransposes()
    {
        var model = new Sequential(new Conv2D(3, 2, inputShape: new[] { 5, 4, 2 }), new Permute(3, 1, 2), new Flatten());
        var nodes = OnnxExporter.ToOnnxModel(model).Graph.Nodes;
        Assert.Equal(2, nodes.Count(n => n.OpType == "Transpose")); // one into NCHW, the Permute itself
        OnnxCheck.MaxDiff(model, OnnxCheck.Random(10, 2, 5, 4, 2));
    }

    [Fact]
    public void FunctionalModelWithMergesAndTwoOutputsMatches()
    {
        var a = new Input(new[] { 6, 6, 2 }, name: "image");
        var b = new Input(new[] { 8 }, name: "features");
        var c1 = new Conv2D(4, 3, padding: "same", activation: "relu").Apply(a);
        var c2 = new Conv2D(4, 1).Apply(a);
        var c3 = new Conv2D(4, 3, padding: "same").Apply(a);
        var sum = new Add().Apply(c1, c2, c3);
        var diff = new Subtract().Apply(c1, c2);
        var prod = new Multiply().Apply(sum, diff);
        var hi = new Maximum().Apply(prod, c3);
        var lo = new Minimum().Apply(prod, c2);
        var mean = new Average().Apply(hi, lo, c1);
        var cat = new Concatenate(axis: -1).Apply(mean, c3);
        var pooled = new GlobalAveragePooling2D().Apply(cat);
        var dense = new Dense(8, activation: "relu").Apply(b);
        var joined = new Concatenate().Apply(pooled, dense, new Multiply().Apply(dense, dense));
        var outA = new Dense(3, activation: "softmax", name: "class").Apply(joined);
        var outB = new Dense(1, name: "score").Apply(new Add().Apply(dense, new Dense(8).Apply(pooled)));
        var model = new Cortex.Keras.Models.Functional(new KerasTensor[] { a, b }, new[] { outA, outB });

        var xa = OnnxCheck.Random(11, 3, 6, 6, 2);
        var xb = OnnxCheck.Random(12, 3, 8);
        var expected = model.Predict(new[] { xa, xb });
        var proto = OnnxExporter.ToOnnxModel(model);
        Assert.Equal(new[] { "image", "features" }, proto.Graph.Inputs.Select(i => i.Name));
        Assert.Equal(new[] { "class", "score" }, proto.Graph.Outputs.Select(o => o.Name));
        var actual = OnnxCheck.Run(proto.ToByteArray(), xa, xb);
        OnnxCheck.Compare(expected[0], actual[0]);
        OnnxCheck.Compare(expected[1], actual[1]);
    }

    [Fact]
    public void NestedModelsAndSharedLayersAreInlined()
    {
        var inner = new Sequential(new Dense(6, activation: "relu", inputShape: new[] { 4 }), new Dense(4));
        var x = new Input(new[] { 4 });
        var shared = new Dense(4, activation: "tanh");
        var y = shared.Apply(inner.Apply(shared.Apply(x)));
        var model = new Cortex.Keras.Models.Functional(x, y);
        OnnxCheck.MaxDiff(model, OnnxCheck.Random(13, 5, 4));
    }

    [Fact]
    public void AnOutputThatIsTheInputStillGetsItsName()
    {
        var x = new Input(new[] { 3 }, name: "in");
        var model = new Cortex.Keras.Models.Functional(x, new Dropout(0.5f, name: "drop").Apply(x));
        var proto = OnnxExporter.ToOnnxModel(model);
        Assert.Equal("drop", proto.Graph.Outputs[0].Name);
        Assert.Equal("Identity", Assert.Single(proto.Graph.Nodes).OpType);
        OnnxCheck.MaxDiff(model, OnnxCheck.Random(14, 2, 3));
    }

    [Theory]
    [InlineData(13)] [InlineData(17)] [InlineData(21)]
    public void OtherOpsetsLoadAndMatch(int opset)
    {
        var model = new Sequential(
            new Conv2D(3, 3, padding: "same", inputShape: new[] { 6, 5, 2 }), new ZeroPadding2D(1), new Cropping2D(1),
            new UpSampling2D(2), new MaxPooling2D(2), new BatchNormalization(), new Flatten(), new Dense(2, activation: "relu6"));
        OnnxCheck.RandomizeBatchNorms(model, 9);
        OnnxCheck.MaxDiff(model, OnnxCheck.Random(15, 2, 6, 5, 2), opset);
        Assert.Equal(OnnxExporter.IrVersionFor(opset), OnnxExporter.ToOnnxModel(model, opset).IrVersion);
    }

    [Fact]
    public void ExportToFileIsLoadableAndLeavesNoTemporaryFile()
    {
        var dir = Path.Combine(Path.GetTempPath(), "cortex-onnx-" + Guid.NewGuid().ToString("N"));
        try
        {
            var model = new Sequential(new Dense(3, inputShape: new[] { 2 }, name: "dense"));
            var path = Path.Combine(dir, "sub", "model.onnx");
            OnnxExporter.Export(model, path);
            OnnxExporter.Export(model, path); // overwrites
            Assert.Equal(new[] { "model.onnx" }, Directory.GetFiles(Path.GetDirectoryName(path)!).Select(Path.GetFileName));
            using var session = new InferenceSession(path);
            Assert.Equal("dense_input", Assert.Single(session.InputNames)); // Keras's name for a Sequential's input
            using var stream = new MemoryStream();
            OnnxExporter.Export(model, stream);
            Assert.Equal(File.ReadAllBytes(path), stream.ToArray());
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void UnsupportedLayerNamesTheLayerAndItsType()
    {
        var model = new Sequential(new Conv2DTranspose(2, 3, inputShape: new[] { 4, 4, 1 }, name: "deconv"));
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToOnnxModel(model));
        Assert.Contains("\"deconv\"", e.Message);
        Assert.Contains("Conv2DTranspose", e.Message);
        Assert.Contains("Dense", e.Message); // lists what is supported
    }

    [Fact]
    public void UnsupportedConfigurationsAndArgumentsAreClearErrors()
    {
        var bn = new Sequential(new BatchNormalization(axis: 2, inputShape: new[] { 3, 4, 5 }, name: "bn_mid"));
        var e = Assert.Throws<NotSupportedException>(() => OnnxExporter.ToOnnxModel(bn));
        Assert.Contains("\"bn_mid\"", e.Message);

        var ok = new Sequential(new Dense(2, inputShape: new[] { 2 }));
        var opset = Assert.Throws<ArgumentOutOfRangeException>(() => OnnxExporter.ToOnnxModel(ok, opset: 11));
        Assert.Contains("opset=11", opset.Message);

        var unbuilt = new Sequential(new Dense(2));
        Assert.Contains("not built", Assert.Throws<InvalidOperationException>(() => OnnxExporter.ToOnnxModel(unbuilt)).Message);
    }

    [Fact]
    public void ConvertersCanBeRegisteredForNewLayerTypes()
    {
        OnnxConverters.Register<TimesTwo>(new TimesTwoConverter());
        var model = new Sequential(new Dense(3, inputShape: new[] { 2 }), new TimesTwo());
        OnnxCheck.MaxDiff(model, OnnxCheck.Random(16, 4, 2));
        Assert.Contains(typeof(TimesTwo), OnnxConverters.SupportedLayerTypes);
    }

    private sealed class TimesTwo : Layer
    {
        public override Tensor Call(Tensor inputs, bool training) => Ops.MultiplyScalar(inputs, 2f);
    }

    private sealed class TimesTwoConverter : OnnxLayerConverter<TimesTwo>
    {
        protected override OnnxValue Convert(OnnxConversionContext ctx, TimesTwo layer, OnnxValue input)
        {
            var layout = input.Preferred;
            var y = ctx.AddNode("Mul", new[] { ctx.Get(input, layout), ctx.AddScalar($"{layer.Name}/two", 2f) }, layer.Name);
            return ctx.Result(y, layout);
        }
    }
}
