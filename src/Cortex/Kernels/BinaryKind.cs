namespace Cortex.Kernels;

/// <summary>The element-wise binary operations the broadcasting kernel knows.</summary>
internal enum BinaryKind { Add, Subtract, Multiply, Divide, Maximum, Minimum }
