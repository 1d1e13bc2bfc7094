using Cortex.Keras.Layers;

namespace Cortex.Keras.Models;

/// <summary>Keras 2's <c>model.reset_states()</c> for models with stateful recurrent layers.</summary>
public abstract partial class Model
{
    /// <summary>
    /// Resets the states of every stateful recurrent layer in the model, nested models and wrappers
    /// (Bidirectional, TimeDistributed) included, to zeros (Keras 2's <c>model.reset_states()</c>); a model without
    /// stateful layers is left as it is.
    /// </summary>
    public void ResetStates()
    {
        foreach (var layer in SelfAndSublayers())
            if (layer is BaseRNN { Stateful: true } rnn) rnn.ResetStates();
    }
}
