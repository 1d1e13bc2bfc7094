using Cortex.Keras.Optimizers;

namespace Cortex.Keras.Callbacks;

/// <summary>What <see cref="ReduceLROnPlateau"/> and <see cref="LearningRateScheduler"/> share: the optimizer whose rate they set.</summary>
internal static class LearningRateCallbacks
{
    /// <summary>
    /// The compiled optimizer, checked to have a settable learning rate. Keras fails when the callback first sets the
    /// rate of an optimizer built on a schedule; Cortex fails at the start of training, naming the callback.
    /// </summary>
    public static Optimizer SettableOptimizer(Callback callback)
    {
        string name = callback.GetType().Name;
        var model = callback.Model ?? throw new InvalidOperationException($"{name} is not attached to a model; pass it to Fit.");
        var opt = model.Optimizer ?? throw new InvalidOperationException($"{name}: the model has no optimizer; call Compile first.");
        if (opt.LearningRateSchedule is { } s)
            throw new InvalidOperationException($"{name} cannot set the learning rate of optimizer '{opt.Name}': it was created with a " +
                $"`LearningRateSchedule` ({s.GetType().Name}) as its learning rate, hence its learning rate is not settable. " +
                "Use a float learning rate with this callback, or the schedule alone.");
        return opt;
    }
}
