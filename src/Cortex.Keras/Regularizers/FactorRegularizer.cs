namespace Cortex.Keras.Regularizers;

/// <summary>
/// What the one-factor regularizers (<see cref="L1"/>, <see cref="L2"/>) share: a finite, non-negative
/// <see cref="Factor"/> validated as Keras does, a null check on the input, and the config <c>{argument: factor}</c>.
/// </summary>
public abstract class FactorRegularizer : Regularizer
{
    private readonly string _argument;

    /// <summary>Validates and stores the factor.</summary>
    /// <param name="factor">The penalty factor, finite and non-negative.</param>
    /// <param name="argument">The factor's Keras argument name ("l1", "l2"): the config key and the error's name.</param>
    /// <exception cref="ArgumentException">The factor is negative or not finite.</exception>
    protected FactorRegularizer(float factor, string argument)
    {
        _argument = argument;
        Factor = ValidateFactor(factor, argument);
    }

    /// <summary>The penalty factor.</summary>
    public float Factor { get; }

    /// <inheritdoc/>
    public sealed override Tensor Call(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return Penalty(x);
    }

    /// <summary>The penalty for a non-null <paramref name="x"/>, scaled by <see cref="Factor"/>.</summary>
    protected abstract Tensor Penalty(Tensor x);

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig() => new() { [_argument] = Factor };
}
