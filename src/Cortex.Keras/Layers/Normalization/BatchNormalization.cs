using Cortex.Keras.Constraints;
using Cortex.Keras.Initializers;
using Cortex.Keras.Regularizers;

namespace Cortex.Keras.Layers;

/// <summary>
/// Layer that normalizes its inputs per feature (Keras 3's <c>BatchNormalization</c>):
/// <c>output = gamma * (x - mean) / sqrt(var + epsilon) + beta</c>.
/// </summary>
/// <remarks>
/// <para>In training (<c>training == true</c> and the layer is trainable) mean and var are the batch's mean and biased
/// variance over every axis but <c>axis</c>, and the moving statistics are updated in place:
/// <c>moving = moving * momentum + batch * (1 - momentum)</c>. Otherwise (inference, or a frozen layer:
/// <c>Trainable == false</c>, Keras's fine-tuning behaviour since TF 2) the moving statistics are used and left alone.</para>
/// <para>Args: axis (−1; the feature axis, 1 for channels_first images), momentum (0.99), epsilon (1e-3), center (true:
/// add beta), scale (true: multiply by gamma), beta_initializer ("zeros"), gamma_initializer ("ones"),
/// moving_mean_initializer ("zeros"), moving_variance_initializer ("ones"), beta_regularizer, gamma_regularizer,
/// beta_constraint, gamma_constraint (none).<br/>
/// Weights, in Keras's order: gamma, beta (trainable), moving_mean, moving_variance (non-trainable), each of the
/// size of the feature axis.<br/>
/// Input shape: arbitrary. Output shape: the input's.</para>
/// </remarks>
public sealed class BatchNormalization : Layer
{
    /// <inheritdoc/>
    public override bool SupportsMasking => true;

    private Variable? _gamma, _beta, _movingMean, _movingVariance;
    private int _axis = -1; // the normalised axis, once built

    /// <summary>Creates a BatchNormalization layer.</summary>
    public BatchNormalization(int axis = -1, float momentum = 0.99f, float epsilon = 1e-3f, bool center = true, bool scale = true,
        string betaInitializer = "zeros", string gammaInitializer = "ones", string movingMeanInitializer = "zeros",
        string movingVarianceInitializer = "ones", int[]? inputShape = null, string? name = null,
        Regularizer? betaRegularizer = null, Regularizer? gammaRegularizer = null, Constraint? betaConstraint = null, Constraint? gammaConstraint = null)
        : this(axis, momentum, epsilon, center, scale, Initializer.Get(betaInitializer), Initializer.Get(gammaInitializer),
            Initializer.Get(movingMeanInitializer), Initializer.Get(movingVarianceInitializer), inputShape, name,
            betaRegularizer, gammaRegularizer, betaConstraint, gammaConstraint) { }

    /// <summary>Creates a BatchNormalization layer with initializer objects.</summary>
    public BatchNormalization(int axis, float momentum, float epsilon, bool center, bool scale, Initializer betaInitializer,
        Initializer gammaInitializer, Initializer movingMeanInitializer, Initializer movingVarianceInitializer,
        int[]? inputShape = null, string? name = null,
        Regularizer? betaRegularizer = null, Regularizer? gammaRegularizer = null, Constraint? betaConstraint = null, Constraint? gammaConstraint = null) : base(name, inputShape)
    {
        if (!(momentum >= 0f && momentum <= 1f))
            throw new ArgumentException($"Invalid value for argument `momentum`: expected a float between 0 and 1. Received: momentum={momentum}", nameof(momentum));
        if (!(epsilon > 0f))
            throw new ArgumentException($"Invalid value for argument `epsilon`: expected a positive float. Received: epsilon={epsilon}", nameof(epsilon));
        Axis = axis;
        Momentum = momentum;
        Epsilon = epsilon;
        Center = center;
        Scale = scale;
        BetaInitializer = betaInitializer;
        GammaInitializer = gammaInitializer;
        MovingMeanInitializer = movingMeanInitializer;
        MovingVarianceInitializer = movingVarianceInitializer;
        BetaRegularizer = betaRegularizer;
        GammaRegularizer = gammaRegularizer;
        BetaConstraint = betaConstraint;
        GammaConstraint = gammaConstraint;
    }

    /// <summary>The feature axis as given (negative counts from the end).</summary>
    public int Axis { get; }
    /// <summary>Momentum of the moving averages.</summary>
    public float Momentum { get; }
    /// <summary>Added to the variance to avoid dividing by zero.</summary>
    public float Epsilon { get; }
    /// <summary>Whether beta is added.</summary>
    public bool Center { get; }
    /// <summary>Whether the output is multiplied by gamma.</summary>
    public bool Scale { get; }
    /// <summary>Initializer of beta.</summary>
    public Initializer BetaInitializer { get; }
    /// <summary>Initializer of gamma.</summary>
    public Initializer GammaInitializer { get; }
    /// <summary>Initializer of the moving mean.</summary>
    public Initializer MovingMeanInitializer { get; }
    /// <summary>Initializer of the moving variance.</summary>
    public Initializer MovingVarianceInitializer { get; }

    /// <summary>Penalty on beta (none by default).</summary>
    public Regularizer? BetaRegularizer { get; }
    /// <summary>Penalty on gamma (none by default).</summary>
    public Regularizer? GammaRegularizer { get; }
    /// <summary>Constraint on beta, applied after each update (none by default).</summary>
    public Constraint? BetaConstraint { get; }
    /// <summary>Constraint on gamma, applied after each update (none by default).</summary>
    public Constraint? GammaConstraint { get; }

    /// <summary>gamma (null when scale is false), once built.</summary>
    public Variable? Gamma => _gamma;
    /// <summary>beta (null when center is false), once built.</summary>
    public Variable? Beta => _beta;
    /// <summary>The moving mean, once built.</summary>
    public Variable MovingMean => _movingMean ?? throw new InvalidOperationException($"layer \"{Name}\" is not built yet.");
    /// <summary>The moving variance, once built.</summary>
    public Variable MovingVariance => _movingVariance ?? throw new InvalidOperationException($"layer \"{Name}\" is not built yet.");

    /// <inheritdoc/>
    public override void Build(int[] inputShape)
    {
        int rank = inputShape.Length;
        if (Axis < -rank || Axis >= rank)
            throw new ArgumentException($"Layer \"{Name}\": invalid axis {Axis} for inputs of rank {rank}. Received: axis={Axis}, input_shape={TensorShape.Format(inputShape)}");
        _axis = Axis < 0 ? Axis + rank : Axis;
        if (_axis == 0 && rank > 1 || inputShape[_axis] <= 0)
            throw new ArgumentException($"Layer \"{Name}\": axis {Axis} of input shape {TensorShape.Format(inputShape)} must have a defined size (it cannot be the batch axis).");
        var shape = new[] { inputShape[_axis] };
        if (Scale) _gamma = AddWeight("gamma", shape, GammaInitializer, regularizer: GammaRegularizer, constraint: GammaConstraint);
        if (Center) _beta = AddWeight("beta", shape, BetaInitializer, regularizer: BetaRegularizer, constraint: BetaConstraint);
        _movingMean = AddWeight("moving_mean", shape, MovingMeanInitializer, trainable: false);
        _movingVariance = AddWeight("moving_variance", shape, MovingVarianceInitializer, trainable: false);
        Built = true;
    }

    /// <inheritdoc/>
    public override Tensor Call(Tensor inputs, bool training)
    {
        int rank = inputs.Rank;
        if (rank != InputShape?.Length && InputShape is not null)
            throw new ArgumentException($"Input 0 of layer \"{Name}\" is incompatible with the layer: expected ndim={InputShape.Length}, found ndim={rank}. Full shape received: {inputs.ShapeString}");
        if (_axis == rank - 1) return Normalize(inputs, training);
        // Move the feature axis last (a view), normalise the (rows, C) matrix, and move it back.
        var perm = Enumerable.Range(0, rank).Where(i => i != _axis).Append(_axis).ToArray();
        var inverse = new int[rank];
        for (int i = 0; i < rank; i++) inverse[perm[i]] = i;
        return Ops.Transpose(Normalize(Ops.Transpose(inputs, perm), training), inverse);
    }

    private Tensor Normalize(Tensor x, bool training)
    {
        var gamma = _gamma?.Value;
        var beta = _beta?.Value;
        if (!training || !Trainable)
            return Ops.BatchNormInference(x, MovingMean.Value, MovingVariance.Value, gamma, beta, Epsilon);
        var y = Ops.BatchNormTraining(x, gamma, beta, Epsilon, out var mean, out var variance);
        Update(MovingMean.Value.Span, mean.Span);
        Update(MovingVariance.Value.Span, variance.Span);
        return y;
    }

    /// <summary>moving = moving·momentum + batch·(1 − momentum), in place.</summary>
    private void Update(Span<float> moving, ReadOnlySpan<float> batch)
    {
        float m = Momentum, rest = 1f - Momentum;
        for (int i = 0; i < moving.Length; i++) moving[i] = moving[i] * m + batch[i] * rest;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["axis"] = Axis; c["momentum"] = Momentum; c["epsilon"] = Epsilon; c["center"] = Center; c["scale"] = Scale;
        c["beta_initializer"] = Saving.KerasObjects.Serialize(BetaInitializer); c["gamma_initializer"] = Saving.KerasObjects.Serialize(GammaInitializer);
        c["moving_mean_initializer"] = Saving.KerasObjects.Serialize(MovingMeanInitializer);
        c["moving_variance_initializer"] = Saving.KerasObjects.Serialize(MovingVarianceInitializer);
        c["beta_regularizer"] = Regularizer.Serialize(BetaRegularizer); c["gamma_regularizer"] = Regularizer.Serialize(GammaRegularizer);
        c["beta_constraint"] = Constraint.Serialize(BetaConstraint); c["gamma_constraint"] = Constraint.Serialize(GammaConstraint);
        c["synchronized"] = false;
        return c;
    }
}
