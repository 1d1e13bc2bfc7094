using Cortex.Keras.Layers;
using Cortex.Keras.Models;

namespace Cortex.Tests.Recurrent;

/// <summary>
/// A stateful recurrent layer inside a model, as the stateful_lstm example uses it: Predict over a series fed one step
/// per batch must equal one stateless pass over the whole series (the state survives Predict's batches and their
/// tensor scopes), keep going on the next call, and start again after ResetStates.
/// </summary>
[Collection(nameof(GlobalRandomCollection))]
public class StatefulModelTests
{
    [Fact]
    public void StatefulPredictOneStepPerBatchMatchesAStatelessPassOverTheSeries()
    {
        RandomGenerator.SetGlobalSeed(11);
        const int steps = 7;
        var values = Enumerable.Range(0, steps).Select(t => MathF.Sin(0.7f * t) + 0.1f * t).ToArray();
        var stepwise = Tensor.FromArray((float[])values.Clone(), steps, 1, 1);   // 7 batches of one 1-step sequence
        var whole = Tensor.FromArray((float[])values.Clone(), 1, steps, 1);      // one 7-step sequence

        var stateful = new LSTM(3, stateful: true, batchInputShape: new[] { 1, 1, 1 });
        var statefulDense = new Dense(1);
        var statefulModel = new Sequential(stateful, statefulDense);
        var stateless = new LSTM(3, returnSequences: true, inputShape: new[] { steps, 1 });
        var statelessDense = new Dense(1);
        var statelessModel = new Sequential(stateless, new TimeDistributed(statelessDense));
        statefulModel.Predict(stepwise, batchSize: 1);                             // builds the weights
        statelessModel.Predict(whole);
        stateless.Kernel.Assign(stateful.Kernel.Value); stateless.RecurrentKernel.Assign(stateful.RecurrentKernel.Value);
        stateless.Bias!.Assign(stateful.Bias!.Value);
        statelessDense.Kernel.Assign(statefulDense.Kernel.Value); statelessDense.Bias!.Assign(statefulDense.Bias!.Value);

        stateful.ResetStates();
        var expected = statelessModel.Predict(whole).ToArray();
        var first = statefulModel.Predict(stepwise, batchSize: 1).ToArray();
        AssertClose(expected, first, 1e-5f);
        Assert.NotEqual(first, statefulModel.Predict(stepwise, batchSize: 1).ToArray());   // carries on from step 7
        statefulModel.ResetStates();                                               // Keras 2's model.reset_states()
        Assert.Null(stateful.States);
        AssertClose(first, statefulModel.Predict(stepwise, batchSize: 1).ToArray(), 1e-6f);
    }

    [Fact]
    public void ModelResetStatesLeavesAStatelessModelAlone()
    {
        var model = new Sequential(new LSTM(2, inputShape: new[] { 3, 1 }), new Dense(1));
        model.ResetStates();   // no stateful layer: nothing to do, no error (a stateless layer's own ResetStates throws)
        Assert.Throws<InvalidOperationException>(() => ((LSTM)model.Layers[0]).ResetStates());
    }

    private static void AssertClose(float[] expected, float[] actual, float tolerance)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) Assert.True(MathF.Abs(expected[i] - actual[i]) <= tolerance, $"entry {i}: expected {expected[i]}, got {actual[i]}");
    }
}
