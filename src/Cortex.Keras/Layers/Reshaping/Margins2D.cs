namespace Cortex.Keras.Layers;

/// <summary>
/// How many rows and columns to add (padding) or remove (cropping) at the four sides of an image, in Keras's three
/// spellings: one integer for all four sides (<c>3</c>), <c>(symmetric_height, symmetric_width)</c> (<c>(1, 2)</c>), or
/// <c>((top, bottom), (left, right))</c> (<c>((1, 1), (2, 2))</c>).
/// </summary>
public readonly record struct Margins2D(int Top, int Bottom, int Left, int Right)
{
    /// <summary>The same margin on all four sides.</summary>
    public static implicit operator Margins2D(int all) => new(all, all, all, all);

    /// <summary>(symmetric height margin, symmetric width margin).</summary>
    public static implicit operator Margins2D((int Height, int Width) m) => new(m.Height, m.Height, m.Width, m.Width);

    /// <summary>((top, bottom), (left, right)).</summary>
    public static implicit operator Margins2D(((int Top, int Bottom) Height, (int Left, int Right) Width) m)
        => new(m.Height.Top, m.Height.Bottom, m.Width.Left, m.Width.Right);

    /// <summary>Throws Keras's error for a negative value, naming the argument and the layer.</summary>
    internal Margins2D RequireNonNegative(string argument, string layer)
    {
        if (Top < 0 || Bottom < 0 || Left < 0 || Right < 0)
            throw new ArgumentException($"Layer \"{layer}\": the `{argument}` argument must be non-negative integers ((top, bottom), (left, right)). Received: {argument}={this}", argument);
        return this;
    }

    /// <summary>As <c>[[top, bottom], [left, right]]</c>, for configs.</summary>
    public int[][] ToArray() => new[] { new[] { Top, Bottom }, new[] { Left, Right } };

    /// <inheritdoc/>
    public override string ToString() => $"(({Top}, {Bottom}), ({Left}, {Right}))";
}
