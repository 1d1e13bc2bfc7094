namespace Cortex.Keras.Layers;

/// <summary>
/// A pair of sizes (height, width) for 2-D layers: a kernel size, strides, a pool size, a dilation rate. As in Keras,
/// one integer means the same value for both axes: <c>new Conv2D(32, 3)</c> and <c>new Conv2D(32, (3, 3))</c> are equal.
/// </summary>
public readonly record struct Size2D(int Height, int Width)
{
    /// <summary>The same size for both axes.</summary>
    public static implicit operator Size2D(int size) => new(size, size);

    /// <summary>A (height, width) tuple.</summary>
    public static implicit operator Size2D((int Height, int Width) size) => new(size.Height, size.Width);

    /// <summary>Throws Keras's error for a non-positive value: "expected a tuple of 2 positive integers. Received: strides=(0, 1)".</summary>
    public Size2D RequirePositive(string argument)
    {
        if (Height <= 0 || Width <= 0)
            throw new ArgumentException($"The `{argument}` argument must be a tuple of 2 positive integers. Received: {argument}={this}", argument);
        return this;
    }

    /// <summary>As a two-element array, for configs.</summary>
    public int[] ToArray() => new[] { Height, Width };

    /// <inheritdoc/>
    public override string ToString() => $"({Height}, {Width})";
}
