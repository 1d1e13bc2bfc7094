using Cortex.Keras;
using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Tests.Functional;

using Functional = Cortex.Keras.Models.Functional;

[Collection(nameof(GlobalRandomCollection))]
public class FunctionalSummaryTests
{
    private static void AssertTable(string expected, string actual, int width)
    {
        var e = expected.ReplaceLineEndings("\n").Split('\n');
        var a = actual.ReplaceLineEndings("\n").Split('\n');
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++)
        {
            Assert.Equal(e[i].TrimEnd(), a[i].TrimEnd());
            if (i > 0 && !a[i].StartsWith("Total") && !a[i].StartsWith("Trainable") && !a[i].StartsWith("Non-trainable"))
                Assert.Equal(width, a[i].Length);
        }
    }

    [Fact]
    public void BranchingModelPrintsKeras2TableWithConnectedTo()
    {
        // Lines made with Keras 2's print_row (line_length 98, positions [.33, .55, .67, 1.] -> 32, 53, 65, 98).
        const string expected = """
            Model: "branchy"
            __________________________________________________________________________________________________
            Layer (type)                    Output Shape         Param #     Connected to
            ==================================================================================================
            in (InputLayer)                 [(None, 4)]          0
            __________________________________________________________________________________________________
            a (Dense)                       (None, 3)            15          in[0][0]
            __________________________________________________________________________________________________
            b (Dense)                       (None, 3)            15          in[0][0]
            __________________________________________________________________________________________________
            sum (Add)                       (None, 3)            0           a[0][0]
                                                                             b[0][0]
            __________________________________________________________________________________________________
            out (Dense)                     (None, 2)            8           sum[0][0]
            ==================================================================================================
            Total params: 38
            Trainable params: 38
            Non-trainable params: 0
            __________________________________________________________________________________________________
            """;
        var inp = new Input(new[] { 4 }, name: "in");
        var a = new Dense(3, name: "a").Apply(inp);
        var b = new Dense(3, name: "b").Apply(inp);
        var s = new Add(name: "sum").Apply(a, b);
        var model = new Functional(inp, new Dense(2, name: "out").Apply(s), name: "branchy");
        AssertTable(expected, model.Summary(_ => { }), 98);
    }

    [Fact]
    public void ChainModelPrintsTheSequentialTableWithItsInputLayer()
    {
        const string expected = """
            Model: "mlp"
            _________________________________________________________________
            Layer (type)                 Output Shape              Param #
            =================================================================
            pixels (InputLayer)          [(None, 784)]             0
            _________________________________________________________________
            hidden (Dense)               (None, 512)               401920
            _________________________________________________________________
            probs (Dense)                (None, 10)                5130
            =================================================================
            Total params: 407,050
            Trainable params: 407,050
            Non-trainable params: 0
            _________________________________________________________________
            """;
        var x = new Input(new[] { 784 }, name: "pixels");
        var y = new Dense(10, activation: "softmax", name: "probs").Apply(new Dense(512, activation: "relu", name: "hidden").Apply(x));
        AssertTable(expected, new Functional(x, y, name: "mlp").Summary(_ => { }), 65);
    }

    [Fact]
    public void LongShapesAreCutAsKerasCutsThem()
    {
        var x = new Input(new[] { 224, 224, 3 }, name: "input_1");
        var y = new Concatenate(name: "cat").Apply(x, x);
        var text = new Functional(x, y, name: "m").Summary(_ => { });
        Assert.Contains("input_1 (InputLayer)            [(None, 224, 224, 3) 0           ", text);
        Assert.Contains("cat (Concatenate)               (None, 224, 224, 6)  0           input_1[0][0]", text);
    }
}
