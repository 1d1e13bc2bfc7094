using System.Numerics.Tensors;

namespace Cortex.Keras.Initializers;

/// <summary>
/// A random orthogonal matrix (Keras's <c>keras.initializers.Orthogonal</c>, name "orthogonal").
/// </summary>
/// <remarks>
/// <para>The shape is flattened to a matrix of rows = product of all but the last size and cols = the last size. A
/// max(rows, cols) × min(rows, cols) matrix A of standard normal values is factored A = QR (Householder, in double);
/// Q's columns are multiplied by sign(diag R) so that Q is uniformly (Haar) distributed, transposed when rows &lt; cols,
/// multiplied by <see cref="Gain"/> and reshaped. The result has orthonormal columns (rows ≥ cols) or rows.</para>
/// <para>Defaults (Keras 3): gain 1.0, seed none.</para>
/// </remarks>
public sealed class Orthogonal : RandomInitializer
{
    /// <summary>Creates the initializer.</summary>
    /// <param name="gain">Factor applied to the orthogonal matrix. Defaults to 1.</param>
    /// <param name="seed">Seed; null draws from <see cref="RandomGenerator.Global"/>.</param>
    public Orthogonal(float gain = 1f, long? seed = null) : base(seed) => Gain = gain;

    /// <summary>The factor applied to the orthogonal matrix.</summary>
    public float Gain { get; }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The shape has fewer than two dimensions.</exception>
    public override Tensor Call(int[] shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        if (shape.Length < 2)
            throw new ArgumentException($"The tensor to initialize must be at least two-dimensional. Received: shape={TensorShape.Format(shape)} of rank {shape.Length}.", nameof(shape));
        var t = NewTensor(shape);
        int cols = shape[^1];
        int rows = t.Size / Math.Max(1, cols);
        if (t.Size == 0) return t;
        int m = Math.Max(rows, cols), n = Math.Min(rows, cols);

        var a = new double[m * n];
        var rng = Generator();
        for (int i = 0; i < a.Length; i++) a[i] = rng.NextNormal();
        var q = OrthonormalFactor(a, m, n);   // m × n, row-major

        var dst = t.Span;
        if (rows >= cols)
            for (int i = 0; i < q.Length; i++) dst[i] = (float)(Gain * q[i]);
        else
            for (int r = 0; r < rows; r++)       // the result is qᵀ: rows = n, cols = m
                for (int c = 0; c < cols; c++) dst[r * cols + c] = (float)(Gain * q[c * n + r]);
        return t;
    }

    /// <summary>
    /// The Q of a thin QR factorization of the m × n (m ≥ n) row-major matrix <paramref name="a"/> (overwritten), with
    /// each column multiplied by the sign of the matching diagonal element of R.
    /// </summary>
    internal static double[] OrthonormalFactor(double[] a, int m, int n)
    {
        var vs = new double[n][];
        var betas = new double[n];
        var signs = new double[n];
        var w = new double[n];
        for (int k = 0; k < n; k++)
        {
            double norm2 = 0;
            for (int i = k; i < m; i++) norm2 += a[i * n + k] * a[i * n + k];
            double norm = Math.Sqrt(norm2);
            double alpha = a[k * n + k] >= 0 ? -norm : norm;   // R[k,k] after the reflection
            var v = new double[m - k];
            for (int i = k; i < m; i++) v[i - k] = a[i * n + k];
            v[0] -= alpha;
            double vn2 = 0;
            foreach (var x in v) vn2 += x * x;
            vs[k] = v;
            betas[k] = vn2 > 0 ? 2 / vn2 : 0;
            signs[k] = alpha > 0 ? 1 : alpha < 0 ? -1 : 0;   // Keras multiplies by sign(diag R); sign(0) = 0
            if (betas[k] == 0) continue;
            // A[k:, k:] ← (I − β v vᵀ) A[k:, k:]
            var wk = w.AsSpan(k, n - k);
            wk.Clear();
            for (int i = k; i < m; i++) TensorPrimitives.MultiplyAdd(a.AsSpan(i * n + k, n - k), v[i - k], wk, wk);
            for (int i = k; i < m; i++)
            {
                var row = a.AsSpan(i * n + k, n - k);
                TensorPrimitives.MultiplyAdd(wk, -betas[k] * v[i - k], row, row);
            }
        }

        // Q = H₀H₁…Hₙ₋₁ applied to the first n columns of the identity, last reflector first.
        var q = new double[m * n];
        for (int i = 0; i < n; i++) q[i * n + i] = 1;
        for (int k = n - 1; k >= 0; k--)
        {
            if (betas[k] == 0) continue;
            var v = vs[k];
            var wk = w.AsSpan(k, n - k);
            wk.Clear();
            for (int i = k; i < m; i++) TensorPrimitives.MultiplyAdd(q.AsSpan(i * n + k, n - k), v[i - k], wk, wk);
            for (int i = k; i < m; i++)
            {
                var row = q.AsSpan(i * n + k, n - k);
                TensorPrimitives.MultiplyAdd(wk, -betas[k] * v[i - k], row, row);
            }
        }
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) q[i * n + j] *= signs[j];
        return q;
    }

    /// <inheritdoc/>
    public override Dictionary<string, object?> GetConfig()
    {
        var c = base.GetConfig();
        c["gain"] = Gain;
        return c;
    }
}
