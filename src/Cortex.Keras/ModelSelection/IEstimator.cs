namespace Cortex.Keras.ModelSelection;

/// <summary>
/// Something with scikit-learn's parameter protocol: <c>get_params</c> / <c>set_params</c>. Parameter names are
/// sklearn's snake_case style (<c>epochs</c>, <c>batch_size</c>, <c>with_mean</c>, build parameters as the build function
/// reads them); a <see cref="Pipeline"/> prefixes its steps' names (<c>scaler__with_mean</c>, <c>model__epochs</c>).
/// </summary>
public interface IParameterized
{
    /// <summary>The current parameters, name → value (sklearn's <c>get_params()</c>).</summary>
    IReadOnlyDictionary<string, object?> GetParams();

    /// <summary>Sets parameters (sklearn's <c>set_params(**params)</c>).</summary>
    /// <param name="parameters">Name → value; every name must be one of <see cref="GetParams"/>' keys.</param>
    /// <exception cref="ArgumentException">A name is not a parameter (the message lists the valid names), or a value has the wrong type.</exception>
    void SetParams(IReadOnlyDictionary<string, object?> parameters);
}

/// <summary>
/// A scikit-learn estimator: <see cref="Fit"/>, <see cref="Predict"/>, <see cref="Score"/> (higher is better) and an
/// unfitted <see cref="Clone"/> with the same parameters (sklearn's <c>clone</c>), which cross-validation and the
/// searches fit once per fold.
/// </summary>
public interface IEstimator : IParameterized
{
    /// <summary>Fits on samples <paramref name="x"/> (axis 0) and targets <paramref name="y"/>; returns this estimator.</summary>
    IEstimator Fit(Tensor x, Tensor y);

    /// <summary>Predictions for <paramref name="x"/>: class labels (classifiers) or values (regressors).</summary>
    Tensor Predict(Tensor x);

    /// <summary>The default score on (x, y): accuracy for classifiers, R² for regressors.</summary>
    double Score(Tensor x, Tensor y);

    /// <summary>A new, unfitted estimator with the same parameters.</summary>
    IEstimator Clone();
}

/// <summary>A classifier: <see cref="IEstimator.Predict"/> returns class labels, <see cref="PredictProba"/> their probabilities.</summary>
public interface IClassifier : IEstimator
{
    /// <summary>The class labels seen by <see cref="IEstimator.Fit"/>, ascending (sklearn's <c>classes_</c>).</summary>
    IReadOnlyList<float> Classes { get; }

    /// <summary>Class probabilities, (n, classes) with columns in <see cref="Classes"/> order.</summary>
    Tensor PredictProba(Tensor x);
}

/// <summary>
/// A fitted transformation of the features (sklearn's transformer): scalers. <see cref="Pipeline"/> fits it on the
/// training part of each fold only and applies it to the rest.
/// </summary>
public interface ITransformer : IParameterized
{
    /// <summary>Learns the transformation from <paramref name="x"/>; returns this transformer.</summary>
    ITransformer Fit(Tensor x);

    /// <summary>Applies the learned transformation.</summary>
    Tensor Transform(Tensor x);

    /// <summary><see cref="Fit"/> then <see cref="Transform"/> on the same data.</summary>
    Tensor FitTransform(Tensor x);

    /// <summary>Undoes <see cref="Transform"/>.</summary>
    Tensor InverseTransform(Tensor x);

    /// <summary>A new, unfitted transformer with the same parameters.</summary>
    ITransformer Clone();
}
