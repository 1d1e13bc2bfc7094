using Cortex.Keras.Saving;

namespace Cortex.Keras.Layers;

public abstract partial class Layer
{
    /// <summary>Records a call of the layer on symbolic tensors as a saved config describes it (list call or single-tensor call).</summary>
    internal IReadOnlyList<KerasTensor> ApplyFromConfig(KerasTensor[] xs, bool listCall) => ApplyCore(xs, listCall);

    /// <summary>The variables Keras saves for this layer (<c>layers/NAME/vars/0..n</c>): declared-trainable first, each group in creation order.</summary>
    internal IReadOnlyList<Variable> SavedVariables => Weights.OrderBy(w => w.DeclaredTrainable ? 0 : 1).ToList();

    /// <summary>
    /// Where Keras 3's <c>saving_lib</c> puts this layer's variables, relative to <c>layers/NAME</c>: by default one group
    /// <c>("", SavedVariables)</c> (<c>layers/NAME/vars</c>); layers whose variables live on sub-objects in Keras override
    /// it (a recurrent layer's cell: <c>cell/vars</c>; Bidirectional: <c>forward_layer/cell/vars</c>, ...).
    /// </summary>
    internal virtual IReadOnlyList<(string Path, IReadOnlyList<Variable> Variables)> SavedVariableGroups => new[] { ("", SavedVariables) };

    /// <summary>A wrapped layer's groups under <paramref name="prefix"/> (for wrappers such as Bidirectional and TimeDistributed).</summary>
    internal static IEnumerable<(string Path, IReadOnlyList<Variable> Variables)> Nested(string prefix, Layer inner) =>
        inner.SavedVariableGroups.Select(g => (g.Path.Length == 0 ? prefix : prefix + "/" + g.Path, g.Variables));
}
