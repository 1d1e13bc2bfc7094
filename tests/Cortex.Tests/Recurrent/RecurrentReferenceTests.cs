using Cortex.Kernels;
using Cortex.Keras.Layers;

namespace Cortex.Tests.Recurrent;

/// <summary>
/// The fused recurrent op against PyTorch (<c>tests/reference/recurrent_reference.py</c>): the packed outputs and final
/// states, and the gradients of the inputs, both kernels, the bias and the initial states, for every cell with and
/// without go_backwards, masks (holes, left and right padding, zero_output_for_mask), a recurrent dropout mask and
/// the hard-sigmoid variants.
/// </summary>
public class RecurrentReferenceTests
{
    private const string File = "recurrent_reference.json";

    public static IEnumerable<object[]> Cases => ReferenceFixture.Names(File);

    [Theory]
    [MemberData(nameof(Cases))]
    public void MatchesPyTorch(string name)
    {
        var c = ReferenceFixture.Load(File)[name];
        ReferenceFixture.Check(c, t => Run(c, t), atol: 2e-5, rtol: 1e-4);
    }

    internal static RecurrentCellKind CellOf(string cell) => cell switch
    {
        "simple_rnn" => RecurrentCellKind.SimpleRnn,
        "lstm" => RecurrentCellKind.Lstm,
        "gru" => RecurrentCellKind.Gru,
        _ => RecurrentCellKind.GruResetBefore,
    };

    private static Tensor Run(ReferenceFixture.Case c, Tensor[] t)
    {
        var cell = CellOf(c.S("cell"));
        var options = new RecurrentOptions(cell, BaseRNN.FusedActivation(c.S("activation"), "activation"),
            BaseRNN.FusedActivation(c.S("recurrent_activation"), "recurrent_activation"), c.B("go_backwards"), c.B("zero_output_for_mask"));
        int k = 5;
        Tensor? c0 = cell == RecurrentCellKind.Lstm ? t[k++] : null;
        Tensor? mask = c.B("masked") ? t[k++] : null;
        Tensor? rd = c.B("recurrent_dropout") ? t[k] : null;
        return Ops.Recurrent(options, t[0], t[1], t[2], t[3], t[4], c0, mask, rd);
    }

    [Fact]
    public void LstmLayerWithAssignedWeightsMatchesTheFixture()
    {
        // The layer path (weights as Variables, initial state list, return_state) on the basic LSTM case.
        var c = ReferenceFixture.Load(File)["lstm/basic"];
        var t = c.Inputs.Select(i => i.ToTensor()).ToArray();
        var lstm = new LSTM(4, returnSequences: true, returnState: true);
        lstm.EnsureBuilt(new[] { 2, 5, 3 });
        lstm.Kernel.Assign(t[1]); lstm.RecurrentKernel.Assign(t[2]); lstm.Bias!.Assign(t[3]);
        var outs = lstm.Apply(t[0], new[] { t[4], t[5] });
        Assert.Equal(3, outs.Count);
        var packed = Ops.Concat(new[] { outs[0], Ops.Reshape(outs[1], 2, 1, 4), Ops.Reshape(outs[2], 2, 1, 4) }, 1);
        ReferenceFixture.AssertClose(c.Output, packed, "LSTM layer", 2e-5, 1e-4);
    }
}
