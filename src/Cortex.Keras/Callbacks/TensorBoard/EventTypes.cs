namespace Cortex.Keras.Callbacks;

/// <summary>A histogram as TensorBoard stores it (<c>HistogramProto</c>): bucket i holds the values below
/// <c>BucketLimits[i]</c> and at or above the previous limit.</summary>
public sealed record Histogram(double Min, double Max, double Num, double Sum, double SumSquares,
    IReadOnlyList<double> BucketLimits, IReadOnlyList<double> Buckets);

/// <summary>One <c>Summary.Value</c>: a tag with a scalar (<c>simple_value</c>, or a scalar float tensor) or a histogram.</summary>
public sealed record SummaryValue(string Tag, float? Scalar, Histogram? Histogram);

/// <summary>One <c>NodeDef</c> of a graph: its name, op and the names of its inputs.</summary>
public sealed record GraphNode(string Name, string Op, IReadOnlyList<string> Inputs);

/// <summary>
/// One decoded <c>Event</c> of an event file: its wall time and step, and one of a file version, a summary
/// (<see cref="Values"/>) or a graph (<see cref="Graph"/>). <see cref="Offset"/> is the record's byte offset in the file.
/// </summary>
public sealed record TensorBoardEvent(long Offset, double WallTime, long Step, string? FileVersion,
    IReadOnlyList<SummaryValue> Values, IReadOnlyList<GraphNode>? Graph);
