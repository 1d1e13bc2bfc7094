using Cortex.Keras.Layers;

namespace Cortex.Keras.Models;

/// <summary>The training step's share of regularizers and constraints (Keras's <c>compute_loss</c> and optimizer order).</summary>
public abstract partial class Model
{
    /// <inheritdoc/>
    protected override IEnumerable<Layer> Sublayers => Layers;

    /// <summary>
    /// The loss a step differentiates and logs, as Keras's <c>compute_loss</c>: the compiled loss plus the sum of each of
    /// <see cref="Layer.Losses"/> (weight penalties and losses added during the forward pass). The added losses are
    /// collected: a later step does not see them again.
    /// </summary>
    /// <param name="dataLoss">The compiled loss on the batch (a scalar).</param>
    protected Tensor TotalLoss(Tensor dataLoss)
    {
        var extra = Losses;
        ClearLosses();
        var total = dataLoss;
        foreach (var l in extra) total = Ops.Add(total, l.Rank == 0 ? l : Ops.Sum(l));
        return total;
    }

    /// <summary>
    /// Projects every variable that has a <see cref="Variable.Constraint"/> (Keras applies them right after the optimizer's
    /// update). A custom training loop calls this after <c>optimizer.Apply</c>.
    /// </summary>
    /// <param name="variables">The variables just updated.</param>
    public static void ApplyConstraints(IEnumerable<Variable> variables)
    {
        ArgumentNullException.ThrowIfNull(variables);
        foreach (var v in variables) v.Constraint?.Apply(v);
    }
}
