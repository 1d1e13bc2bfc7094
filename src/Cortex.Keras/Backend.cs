namespace Cortex.Keras;

/// <summary>
/// Keras's backend constants (<c>keras.backend</c>): the one place the fuzz factor used by losses and metrics is kept.
/// </summary>
public static class Backend
{
    /// <summary>
    /// Keras's <c>keras.backend.epsilon()</c>, 1e-7: the fuzz factor that keeps probabilities away from 0 and 1 in
    /// the cross-entropies, bounds divisors (MAPE, L2 normalisation) and offsets logarithms (Poisson, MSLE).
    /// </summary>
    public const float Epsilon = 1e-7f;
}
