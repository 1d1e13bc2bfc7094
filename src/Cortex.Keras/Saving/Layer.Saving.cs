using Cortex.Keras.Saving;

namespace Cortex.Keras.Layers;

public abstract partial class Layer
{
    /// <summary>Records a call of the layer on symbolic tensors as a saved config describes it (list call or single-tensor call).</summary>
    internal IReadOnlyList<KerasTensor> ApplyFromConfig(KerasTensor[] xs, bool listCall) => ApplyCore(xs, listCall);

    /// <summary>The variables Keras saves for this layer (<c>layers/NAME/vars/0..n</c>): declared-trainable first, each group in creation order.</summary>
    internal IReadOnlyList<Variable> SavedVariables => Weights.OrderBy(w => w.DeclaredTrainable ? 0 : 1).ToList();
}
