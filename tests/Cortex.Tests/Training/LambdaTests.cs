using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;
using Cortex.Keras.Optimizers;
using Cortex.Tests.Engine;
using static Cortex.Tests.Training.TrainingTestUtil;

namespace Cortex.Tests.Training;

using Functional = Cortex.Keras.Models.Functional;

[Collection(nameof(GlobalRandomCollection))]
public class LambdaTests
{
    [Fact]
    public void Output_shapes_come_from_the_tuple_the_function_or_a_dummy_batch()
    {
        var input = new Input(new[] { 6 });
        Assert.Equal(new[] { -1, 3 }, new Lambda(x => Ops.Slice(x, new[] { 0, 0 }, new[] { x.Shape[0], 3 }), outputShape: new[] { 3 }).Apply(input).Shape);
        Assert.Equal(new[] { -1, 2, 3 }, new Lambda(x => Ops.Reshape(x, x.Shape[0], 2, 3), outputShape: s => new[] { s[0], 2, 3 }).Apply(input).Shape);
        Assert.Equal(new[] { -1, 1 }, new Lambda(x => Backend.Sum(x, axis: 1, keepDims: true)).Apply(input).Shape);

        var ex = Assert.Throws<InvalidOperationException>(() => new Lambda((Func<Tensor, Tensor>)(x => throw new NotSupportedException("no symbolic run")), name: "opaque").Apply(input));
        Assert.Contains("could not automatically infer the shape of the Lambda's output", ex.Message);
        Assert.Contains("\"opaque\"", ex.Message);
    }

    [Fact]
    public void A_two_input_lambda_is_differentiable_and_trains_in_a_siamese_model()
    {
        var a = new Input(new[] { 4 }); var b = new Input(new[] { 4 });
        var shared = new Dense(3, name: "embed");
        var distance = new Lambda(xs => Backend.Sqrt(Backend.Maximum(Backend.Sum(Backend.Square(Ops.Subtract(xs[0], xs[1])), axis: 1, keepDims: true), Backend.Epsilon)), outputShape: new[] { 1 }, name: "distance");
        var d = distance.Apply(shared.Apply(a), shared.Apply(b));
        Assert.Equal(new[] { -1, 1 }, d.Shape);
        var model = new Functional(new[] { a, b }, d);
        var xa = Random(1, 8, 4); var xb = Random(2, 8, 4);
        var p = model.Predict(new[] { xa, xb })[0].ToArray();
        var ea = shared.Call(xa, false).ToArray(); var eb = shared.Call(xb, false).ToArray();
        for (int i = 0; i < 8; i++)
            Assert.Equal(MathF.Sqrt(Enumerable.Range(0, 3).Sum(j => (ea[i * 3 + j] - eb[i * 3 + j]) * (ea[i * 3 + j] - eb[i * 3 + j]))), p[i], 4);

        model.Compile(new SGD(0.05f), "mse");
        float before = model.Evaluate(new[] { xa, xb }, new[] { Tensor.Zeros(8, 1) }, verbose: 0)["loss"];
        model.Fit(new[] { xa, xb }, new[] { Tensor.Zeros(8, 1) }, batchSize: 8, epochs: 20, verbose: 0);
        Assert.True(model.Evaluate(new[] { xa, xb }, new[] { Tensor.Zeros(8, 1) }, verbose: 0)["loss"] < before);
        GradientCheck.Assert(xs => distance.Call(new[] { xs[0], xs[1] }, false), Random(3, 2, 3), Random(4, 2, 3));
        Assert.Equal("distance", distance.GetConfig()["name"]);
    }

    [Fact]
    public void A_one_input_lambda_refuses_a_list()
    {
        var l = new Lambda(x => Ops.Negate(x));
        var ex = Assert.Throws<ArgumentException>(() => l.Call(new[] { Tensor.Zeros(1, 2), Tensor.Zeros(1, 2) }, false));
        Assert.Contains("wraps a function of one tensor", ex.Message);
        Assert.Throws<ArgumentException>(() => new Lambda(x => x, outputShape: new[] { 0 }));
    }
}
