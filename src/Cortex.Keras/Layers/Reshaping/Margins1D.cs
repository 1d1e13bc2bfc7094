namespace Cortex.Keras.Layers;

/// <summary>
/// How many cells to add (padding) or remove (cropping) at the two ends of the one spatial axis of a 1-D layer. As in
/// Keras, one integer means the same on both ends: <c>new ZeroPadding1D(2)</c> and <c>new ZeroPadding1D((2, 2))</c> are equal.
/// </summary>
public readonly record struct Margins1D(int Left, int Right)
{
    /// <summary>The same margin at both ends.</summary>
    public static implicit operator Margins1D(int both) => new(both, both);

    /// <summary>A (left, right) tuple.</summary>
    public static implicit operator Margins1D((int Left, int Right) m) => new(m.Left, m.Right);

    /// <summary>Throws Keras's error for a negative value, naming the argument and the layer.</summary>
    internal Margins1D RequireNonNegative(string argument, string layer)
    {
        if (Left < 0 || Right < 0)
            throw new ArgumentException($"Layer \"{layer}\": the `{argument}` argument must be a tuple of 2 non-negative integers. Received: {argument}={this}", argument);
        return this;
    }

    /// <summary>As <c>[left, right]</c>, for configs.</summary>
    public int[] ToArray() => new[] { Left, Right };

    /// <inheritdoc/>
    public override string ToString() => $"({Left}, {Right})";
}
