namespace Cortex.Keras.Metrics;

/// <summary>
/// The mean intersection-over-union over all classes (Keras's <c>MeanIoU</c>, name "mean_io_u"), the usual
/// semantic-segmentation score: an <see cref="IoU"/> whose target classes are 0 … numClasses − 1.
/// </summary>
/// <param name="numClasses">The number of classes, positive.</param>
/// <param name="name">The metric's name.</param>
/// <param name="ignoreClass">A true class to leave out, or null.</param>
/// <param name="sparseYTrue">Whether targets are class indices (else argmax'd).</param>
/// <param name="sparseYPred">Whether predictions are class indices (else argmax'd).</param>
public sealed class MeanIoU(int numClasses, string? name = null, int? ignoreClass = null, bool sparseYTrue = true, bool sparseYPred = true)
    : IoU(numClasses, Enumerable.Range(0, Math.Max(numClasses, 1)).ToArray(), name, "mean_io_u", ignoreClass, sparseYTrue, sparseYPred);
