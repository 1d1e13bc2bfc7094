using Cortex.Keras.Applications;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Tests.Applications;

/// <summary>
/// The application models' parameter counts, shapes, layer names and summaries against Keras's
/// (keras.applications with weights=None: VGG16 138,357,544; VGG19 143,667,240; ResNet50 25,636,712 of which 53,120
/// non-trainable; InceptionV3 23,851,784 of which 34,432 non-trainable).
/// </summary>
[Collection(nameof(GlobalRandomCollection))]
public sealed class ApplicationModelTests
{
    private static (long Total, long Trainable) Count(Model m)
        => (m.Weights.Sum(w => (long)w.Value.Size), m.TrainableWeights.Sum(w => (long)w.Value.Size));

    private static string SummaryText(Model m) => m.Summary(_ => { });

    [Fact]
    public void Vgg16HasKerasParameterCountAndNames()
    {
        var m = VGG.VGG16();
        Assert.Equal((138_357_544L, 138_357_544L), Count(m));
        Assert.Contains("Total params: 138,357,544", SummaryText(m));
        Assert.Equal(new[] { -1, 7, 7, 512 }, m.GetLayer("block5_pool").OutputShape);
        Assert.Equal(new[] { -1, 1000 }, m.GetLayer("predictions").OutputShape);
        Assert.Equal(new[] { "input", "block1_conv1", "block1_conv2", "block1_pool" }, m.Layers.Take(4).Select(l => l.Name.StartsWith("input") ? "input" : l.Name));
    }

    [Fact]
    public void Vgg19HasKerasParameterCount()
    {
        var m = VGG.VGG19();
        Assert.Equal(143_667_240L, Count(m).Total);
        Assert.NotNull(m.GetLayer("block5_conv4"));
    }

    [Fact]
    public void ResNet50HasKerasParameterCountsAndSummary()
    {
        var m = ResNet50.Build();
        Assert.Equal((25_636_712L, 25_583_592L), Count(m));
        var text = SummaryText(m);
        Assert.Contains("Total params: 25,636,712", text);
        Assert.Contains("Trainable params: 25,583,592", text);
        Assert.Contains("Non-trainable params: 53,120", text);
        Assert.Contains("Connected to", text);
        Assert.Contains("conv2_block1_add", text);
        Assert.Equal(new[] { -1, 7, 7, 2048 }, m.GetLayer("conv5_block3_out").OutputShape);
        Assert.Equal(new[] { -1, 56, 56, 64 }, m.GetLayer("pool1_pool").OutputShape);
    }

    [Fact]
    public void InceptionV3HasKerasParameterCountsAndSummary()
    {
        var m = InceptionV3.Build();
        Assert.Equal((23_851_784L, 23_817_352L), Count(m));
        var text = SummaryText(m);
        Assert.Contains("Total params: 23,851,784", text);
        Assert.Contains("Non-trainable params: 34,432", text);
        Assert.Equal(new[] { -1, 35, 35, 256 }, m.GetLayer("mixed0").OutputShape);
        Assert.Equal(new[] { -1, 17, 17, 768 }, m.GetLayer("mixed7").OutputShape);
        Assert.Equal(new[] { -1, 8, 8, 2048 }, m.GetLayer("mixed10").OutputShape);
    }

    [Fact]
    public void WithoutTopAndWithPoolingTheOutputsAreFeatureVectors()
    {
        var vgg = VGG.VGG16(includeTop: false, inputShape: new[] { 64, 64, 3 }, pooling: "avg");
        Assert.Equal(14_714_688L, Count(vgg).Total);          // Keras: VGG16(include_top=False) has 14,714,688
        Assert.Equal(new[] { -1, 512 }, vgg.OutputShape);
        var res = ResNet50.Build(includeTop: false, pooling: "max", inputShape: new[] { 64, 64, 3 });
        Assert.Equal(23_587_712L, Count(res).Total);          // Keras: ResNet50(include_top=False) has 23,587,712
        Assert.Equal(new[] { -1, 2048 }, res.OutputShape);
        var inc = InceptionV3.Build(includeTop: false, inputShape: new[] { 75, 75, 3 });
        Assert.Equal(21_802_784L, Count(inc).Total);          // Keras: InceptionV3(include_top=False) has 21,802,784
        Assert.Equal(4, inc.OutputShape!.Length);
    }

    [Fact]
    public void ASmallResNetRunsForwardAndPredictsProbabilities()
    {
        RandomGenerator.SetGlobalSeed(1);
        var m = ResNet50.Build(inputShape: new[] { 32, 32, 3 }, classes: 3);
        var x = ResNet50.PreprocessInput(new RandomGenerator(2).Uniform(new[] { 2, 32, 32, 3 }, 0f, 255f));
        var y = m.Predict(x);
        Assert.Equal(new[] { 2, 3 }, y.Shape);
        for (int i = 0; i < 2; i++) Assert.Equal(1f, y[i, 0] + y[i, 1] + y[i, 2], 4);
    }

    [Fact]
    public void TransferLearningFreezesTheBaseAndCutsAtANamedLayer()
    {
        var baseModel = VGG.VGG16(includeTop: false, inputShape: new[] { 32, 32, 3 });
        var features = new Cortex.Keras.Models.Functional(baseModel.Inputs, baseModel.GetLayer("block3_pool").Output);
        Assert.Equal(new[] { -1, 4, 4, 256 }, features.OutputShape);
        Assert.Same(baseModel.GetLayer("block1_conv1").Weights[0], features.GetLayer("block1_conv1").Weights[0]);

        baseModel.Trainable = false;
        var x = new Flatten().Apply(baseModel.Output);
        var top = new Cortex.Keras.Models.Functional(baseModel.Inputs, new Dense(2, activation: "softmax").Apply(x));
        Assert.Equal(Count(top).Total - 14_714_688L, Count(top).Trainable);
        foreach (var l in baseModel.Layers.Take(5)) l.Trainable = true;   // fine-tune the first block
        Assert.True(Count(top).Trainable > Count(top).Total - 14_714_688L);
    }

    [Fact]
    public void BadArgumentsAreClearErrors()
    {
        Assert.Contains("weights=\"imagenet\"", Assert.Throws<NotSupportedException>(() => VGG.VGG16(weights: "imagenet")).Message);
        Assert.Contains("at least 32x32", Assert.Throws<ArgumentException>(() => ResNet50.Build(inputShape: new[] { 16, 16, 3 })).Message);
        Assert.Contains("at least 75x75", Assert.Throws<ArgumentException>(() => InceptionV3.Build(inputShape: new[] { 64, 64, 3 })).Message);
        Assert.Contains("3 channels", Assert.Throws<ArgumentException>(() => VGG.VGG16(inputShape: new[] { 64, 64, 1 })).Message);
        Assert.Contains("static `input_shape`", Assert.Throws<ArgumentException>(() => VGG.VGG16(inputShape: new[] { -1, -1, 3 })).Message);
        Assert.Contains("pooling=min", Assert.Throws<ArgumentException>(() => VGG.VGG16(includeTop: false, pooling: "min")).Message);
    }
}
