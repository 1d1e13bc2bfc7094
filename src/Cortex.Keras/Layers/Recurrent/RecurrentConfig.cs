using Cortex.Keras.Constraints;
using Cortex.Keras.Initializers;
using Cortex.Keras.Regularizers;

namespace Cortex.Keras.Layers;

/// <summary>
/// The constructor arguments every built-in recurrent layer shares (<see cref="SimpleRNN"/>, <see cref="LSTM"/>,
/// <see cref="GRU"/>), as given: <see cref="BaseRNN"/> validates and normalises them, and keeps them so that
/// <see cref="Bidirectional"/>'s copies are made with the same configuration (<c>config with { ... }</c>).
/// </summary>
internal sealed record RecurrentConfig(int Units, string? Activation, string? RecurrentActivation, bool UseBias,
    Initializer KernelInitializer, Initializer RecurrentInitializer, Initializer BiasInitializer, float Dropout, float RecurrentDropout,
    bool ReturnSequences, bool ReturnState, bool GoBackwards, bool Stateful, bool Unroll, int? Seed, int[]? InputShape,
    int[]? BatchInputShape, string? Name,
    Regularizer? KernelRegularizer, Regularizer? RecurrentRegularizer, Regularizer? BiasRegularizer, Regularizer? ActivityRegularizer,
    Constraint? KernelConstraint, Constraint? RecurrentConstraint, Constraint? BiasConstraint);
