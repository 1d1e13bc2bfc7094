using Cortex.Autodiff;
using Cortex.Memory;

namespace Cortex.Tests.Engine;

/// <summary>Tensor basics: creation, views, broadcasting, reductions' edge cases, indexing errors, scopes, tapes, randomness.</summary>
public sealed class TensorTests
{
    private static Tensor Range(params int[] shape)
        => Tensor.FromArray(Enumerable.Range(0, TensorShape.Size(shape)).Select(i => (float)i).ToArray(), shape);

    // ------------------------------------------------------------------ creation

    [Fact]
    public void FromArrayWithWrongLengthNamesTheShape()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[5], 2, 3));
        Assert.Contains("(2, 3)", e.Message);
        Assert.Contains("5", e.Message);
        Assert.Equal("data", e.ParamName);
    }

    [Fact]
    public void WrapWithWrongLengthNamesTheShape()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Wrap(new float[7], 4));
        Assert.Contains("(4,)", e.Message);
    }

    [Fact]
    public void NegativeSizeIsRejected()
    {
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, -3));
        Assert.Equal("shape", e.ParamName);
        Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[3], -1, 3));
        Assert.Throws<ArgumentException>(() => Tensor.Full(1f, 3, -2));
    }

    [Fact]
    public void NegativeSizeErrorRepeatsTheSizeReceived()
    {
        // Keras style: the message repeats what it received. (-1, 3) must not be printed as "(None, 3)".
        var e = Assert.Throws<ArgumentException>(() => Tensor.Zeros(-1, 3));
        Assert.Contains("-1", e.Message);
    }

    [Fact]
    public void CreationGivesTheShapeAndValues()
    {
        var s = Tensor.Scalar(2.5f);
        Assert.Equal(0, s.Rank);
        Assert.Equal(1, s.Size);
        Assert.Equal(2.5f, s.Item());
        Assert.Equal("()", s.ShapeString);
        Assert.Equal(new[] { 7f, 7f, 7f, 7f, 7f, 7f }, Tensor.Full(7f, 2, 3).ToArray());
        Assert.Equal(new[] { 1f, 1f }, Tensor.Ones(2).ToArray());
        Assert.Equal(new float[6], Tensor.Zeros(3, 2).ToArray());
        Assert.Equal("(3, 2)", Tensor.ZerosLike(Tensor.Ones(3, 2)).ShapeString);
        Assert.Equal(0, Tensor.Zeros(0, 4).Size);
        Assert.Equal("(4,)", Tensor.Ones(4).ShapeString);
    }

    [Fact]
    public void FromArrayCopiesAndWrapShares()
    {
        var data = new[] { 1f, 2f, 3f };
        var copied = Tensor.FromArray(data, 3);
        var wrapped = Tensor.Wrap(data, 3);
        data[0] = 10f;
        Assert.Equal(1f, copied[0]);
        Assert.Equal(10f, wrapped[0]);
    }

    [Fact]
    public void IndexingChecksRangeAndRank()
    {
        var x = Range(2, 3);
        Assert.Equal(5f, x[1, 2]);
        Assert.Equal(5f, x[-1, -1]);
        Assert.Throws<IndexOutOfRangeException>(() => x[2, 0]);
        Assert.Throws<ArgumentException>(() => x[1]);
        Assert.Throws<InvalidOperationException>(() => x.Item());
    }

    // ------------------------------------------------------------------ views

    [Fact]
    public void ReshapeOfContiguousTensorIsAViewSharingMemory()
    {
        var x = Range(3, 4);
        var r = Ops.Reshape(x, 2, -1, 2);
        Assert.Equal(new[] { 2, 3, 2 }, r.Shape);
        r[0, 0, 1] = 100f;
        Assert.Equal(100f, x[0, 1]);
        x[2, 3] = -5f;
        Assert.Equal(-5f, r[1, 2, 1]);
    }

    [Fact]
    public void ReshapeErrorsNameTheShapes()
    {
        var x = Range(3, 4);
        var e = Assert.Throws<ArgumentException>(() => Ops.Reshape(x, 5, -1));
        Assert.Contains("(3, 4)", e.Message);
        Assert.Throws<ArgumentException>(() => Ops.Reshape(x, -1, -1));
        Assert.Throws<ArgumentException>(() => Ops.Reshape(x, 2, 5));
    }

    [Fact]
    public void TransposeIsAStridedViewSharingMemory()
    {
        var x = Range(2, 3);
        var t = Ops.Transpose(x);
        Assert.Equal(new[] { 3, 2 }, t.Shape);
        Assert.False(t.IsContiguous);
        Assert.Equal(x[0, 2], t[2, 0]);
        t[2, 1] = 42f;
        Assert.Equal(42f, x[1, 2]);
        Assert.Throws<InvalidOperationException>(() => { _ = t.Span; });
        Assert.Equal(new[] { 0f, 3f, 1f, 4f, 2f, 42f }, t.ToArray());
    }

    [Fact]
    public void SliceIsAViewSharingMemory()
    {
        var x = Range(4, 5);
        var s = Ops.Slice(x, new[] { 1, 2 }, new[] { 2, -1 });
        Assert.Equal(new[] { 2, 3 }, s.Shape);
        Assert.Equal(new[] { 7f, 8f, 9f, 12f, 13f, 14f }, s.ToArray());
        s[1, 0] = -1f;
        Assert.Equal(-1f, x[2, 2]);
        var rows = Ops.SliceRows(x, 3, 1);
        Assert.True(rows.IsContiguous);
        rows[0, 4] = 99f;
        Assert.Equal(99f, x[3, 4]);
    }

    [Fact]
    public void SliceOutOfRangeNamesTheAxis()
    {
        var x = Range(4, 5);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Slice(x, new[] { 3, 0 }, new[] { 2, 5 }));
        Assert.Contains("axis 0", e.Message);
        Assert.Throws<ArgumentException>(() => Ops.Slice(x, new[] { 0 }, new[] { 1 }));
    }

    [Fact]
    public void ViewOfAViewComposes()
    {
        var x = Range(2, 3, 4);
        var v = Ops.Slice(Ops.Transpose(x, 2, 0, 1), new[] { 1, 0, 1 }, new[] { 2, 2, 2 }); // v[i,j,k] = x[j, k+1, i+1]
        Assert.Equal(x[1, 2, 2], v[1, 1, 1]);
        v[0, 1, 0] = 1000f;
        Assert.Equal(1000f, x[1, 1, 1]);
        var expected = new List<float>();
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 2; k++) expected.Add(x[j, k + 1, i + 1]);
        Assert.Equal(expected, v.ToArray());
    }

    [Fact]
    public void ContiguousCopiesAStridedView()
    {
        var x = Range(2, 3);
        var t = Ops.Transpose(x);
        var c = t.Contiguous();
        Assert.True(c.IsContiguous);
        Assert.Equal(new[] { 3, 2 }, c.Shape);
        Assert.Equal(new[] { 0f, 3f, 1f, 4f, 2f, 5f }, c.ToArray());
        c[0, 1] = 77f;
        Assert.Equal(3f, x[1, 0]);
        Assert.Same(x, x.Contiguous());
    }

    [Fact]
    public void ReshapeOfAStridedViewCopies()
    {
        var x = Range(2, 3);
        var r = Ops.Reshape(Ops.Transpose(x), 6);
        Assert.Equal(new[] { 0f, 3f, 1f, 4f, 2f, 5f }, r.ToArray());
        r[0] = 50f;
        Assert.Equal(0f, x[0, 0]);
    }

    [Fact]
    public void DetachCopies()
    {
        var x = Range(2, 2);
        var d = x.Detach();
        d[0, 0] = 9f;
        Assert.Equal(0f, x[0, 0]);
    }

    // ------------------------------------------------------------------ broadcasting

    [Theory]
    [InlineData(new[] { 3, 1, 4 }, new[] { 2, 4 }, new[] { 3, 2, 4 })]
    [InlineData(new[] { 4 }, new[] { 3, 4 }, new[] { 3, 4 })]
    [InlineData(new int[0], new[] { 2, 3 }, new[] { 2, 3 })]
    [InlineData(new[] { 5 }, new[] { 1 }, new[] { 5 })]
    [InlineData(new[] { 3, 1 }, new[] { 1, 4 }, new[] { 3, 4 })]
    [InlineData(new[] { 0, 3 }, new[] { 1, 3 }, new[] { 0, 3 })]
    [InlineData(new[] { 2, 1, 1 }, new[] { 1, 1 }, new[] { 2, 1, 1 })]
    public void BroadcastFollowsNumPy(int[] a, int[] b, int[] expected)
    {
        Assert.Equal(expected, TensorShape.Broadcast(a, b));
        Assert.Equal(expected, TensorShape.Broadcast(b, a));
        Assert.Equal(expected, Ops.Add(Tensor.Zeros(a), Tensor.Zeros(b)).Shape);
    }

    [Fact]
    public void BroadcastValuesFollowNumPy()
    {
        var a = Tensor.FromArray(new[] { 1f, 2f, 3f }, 3, 1);
        var b = Tensor.FromArray(new[] { 10f, 20f }, 2);
        Assert.Equal(new[] { 11f, 21f, 12f, 22f, 13f, 23f }, Ops.Add(a, b).ToArray());
        Assert.Equal(new[] { -9f, -19f, -8f, -18f, -7f, -17f }, Ops.Subtract(a, b).ToArray());
        Assert.Equal(new[] { 9f, 19f, 8f, 18f, 7f, 17f }, Ops.Subtract(b, a).ToArray());
    }

    [Fact]
    public void IncompatibleShapesErrorNamesBothShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Ops.Add(Tensor.Zeros(3, 4), Tensor.Zeros(2, 4)));
        Assert.Contains("(3, 4)", e.Message);
        Assert.Contains("(2, 4)", e.Message);
        e = Assert.Throws<ArgumentException>(() => Ops.Multiply(Tensor.Zeros(3), Tensor.Zeros(4)));
        Assert.Contains("(3,)", e.Message);
        Assert.Contains("(4,)", e.Message);
    }

    [Fact]
    public void BroadcastToCopiesAlongNewAndUnitAxes()
    {
        var x = Tensor.FromArray(new[] { 1f, 2f }, 2, 1);
        Assert.Equal(new[] { 1f, 1f, 1f, 2f, 2f, 2f, 1f, 1f, 1f, 2f, 2f, 2f }, Ops.BroadcastTo(x, 2, 2, 3).ToArray());
    }

    [Fact]
    public void BroadcastToAShapeTheInputDoesNotBroadcastToThrows()
    {
        // (3, 4) broadcasts *with* (1, 4) but not *to* it; (2, 3) cannot be broadcast to the lower-rank (3,).
        Assert.Throws<ArgumentException>(() => Ops.BroadcastTo(Range(3, 4), 1, 4));
        Assert.Throws<ArgumentException>(() => Ops.BroadcastTo(Range(2, 3), 3));
        Assert.Throws<ArgumentException>(() => Ops.BroadcastTo(Range(3), 2, 4));
    }

    // ------------------------------------------------------------------ reductions

    [Fact]
    public void ReductionShapes()
    {
        var x = Range(2, 3, 4);
        Assert.Equal(0, Ops.Sum(x).Rank);
        Assert.Equal(276f, Ops.Sum(x).Item());
        Assert.Equal(new[] { 1, 1, 1 }, Ops.Sum(x, null, keepDims: true).Shape);
        Assert.Equal(new[] { 3 }, Ops.Sum(x, new[] { 0, -1 }).Shape);
        Assert.Equal(new[] { 2, 1, 4 }, Ops.Mean(x, 1, keepDims: true).Shape);
        Assert.Equal(new[] { 2, 3 }, Ops.Max(x, -1).Shape);
    }

    [Fact]
    public void ReductionValuesOverNonAdjacentAxes()
    {
        var x = Range(2, 3, 4);
        var s = Ops.Sum(x, new[] { 0, 2 }).ToArray();
        // Σ over i, k of 12i + 4j + k = 2·(0+1+2+3) + 4·12 + 8·4j = 60 + 32j
        Assert.Equal(new[] { 60f, 92f, 124f }, s);
        Assert.Equal(new[] { 11f, 23f }, Ops.Max(x, new[] { 1, 2 }).ToArray());
        Assert.Equal(new[] { 0f, 1f, 2f, 3f }, Ops.Min(x, new[] { 0, 1 }).ToArray());
    }

    [Fact]
    public void ReductionOfAStridedView()
    {
        var x = Range(2, 3);
        Assert.Equal(new[] { 3f, 12f }, Ops.Sum(Ops.Transpose(x), 0).ToArray());
        Assert.Equal(new[] { 2f, 5f }, Ops.Max(Ops.Slice(x, new[] { 0, 1 }, new[] { 2, 2 }), 1).ToArray());
    }

    [Fact]
    public void ReductionOfAScalarAndOfEmptyAxes()
    {
        Assert.Equal(3f, Ops.Sum(Tensor.Scalar(3f)).Item());
        Assert.Equal(3f, Ops.Max(Tensor.Scalar(3f)).Item());
        var empty = Tensor.Zeros(0, 3);
        Assert.Equal(new[] { 0f, 0f, 0f }, Ops.Sum(empty, 0).ToArray());
        Assert.All(Ops.Mean(empty, 0).ToArray(), v => Assert.True(float.IsNaN(v)));
        Assert.Equal(new[] { float.NegativeInfinity, float.NegativeInfinity, float.NegativeInfinity }, Ops.Max(empty, 0).ToArray());
        Assert.Equal(new[] { 0 }, Ops.Sum(empty, 1).Shape);
        // No axes: nothing is reduced (NumPy's axis=()), but the result is a copy.
        var x = Range(2, 3);
        var same = Ops.Sum(x, Array.Empty<int>());
        Assert.Equal(new[] { 2, 3 }, same.Shape);
        Assert.Equal(x.ToArray(), same.ToArray());
        same[0, 0] = 9f;
        Assert.Equal(0f, x[0, 0]);
    }

    [Fact]
    public void ReducingAScalarAlongAnAxisIsAnAxisError()
    {
        // A rank-0 tensor has no axis 0 (NumPy: AxisError; TensorFlow: invalid reduction dimension).
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Sum(Tensor.Scalar(1f), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.ArgMax(Tensor.Scalar(1f), 0));
    }

    [Fact]
    public void ReductionAxisErrors()
    {
        var x = Range(2, 3);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Sum(x, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Sum(x, -3));
        Assert.Throws<ArgumentException>(() => Ops.Sum(x, new[] { 1, -1 }));
    }

    [Fact]
    public void VarIsThePopulationVariance()
    {
        var x = Tensor.FromArray(new[] { 1f, 2f, 3f, 4f, 2f, 2f, 2f, 2f }, 2, 4);
        Assert.Equal(new[] { 1.25f, 0f }, Ops.Var(x, new[] { 1 }).ToArray());
    }

    [Fact]
    public void MaxGradientIsSharedAmongTies()
    {
        var x = Tensor.FromArray(new[] { 1f, 3f, 3f, 2f }, 4);
        using var tape = GradientTape.Begin();
        tape.Watch(x);
        var g = tape.Gradient(Ops.Max(x), x)[0];
        Assert.Equal(new[] { 0f, 0.5f, 0.5f, 0f }, g.ToArray());
    }

    [Fact]
    public void ElementwiseMaximumTieSendsTheGradientToTheFirstOperand()
    {
        var a = Tensor.FromArray(new[] { 1f, 2f, 3f }, 3);
        var b = Tensor.FromArray(new[] { 1f, 5f, 0f }, 3);
        using var tape = GradientTape.Begin();
        tape.Watch(a); tape.Watch(b);
        var g = tape.Gradient(Ops.Sum(Ops.Maximum(a, b)), a, b);
        Assert.Equal(new[] { 1f, 0f, 1f }, g[0].ToArray());
        Assert.Equal(new[] { 0f, 1f, 0f }, g[1].ToArray());
    }

    [Fact]
    public void ArgMaxOnTiesPicksTheFirst()
    {
        var x = Tensor.FromArray(new[] { 1f, 3f, 3f, 2f, 2f, 1f, 5f, 5f, 5f }, 3, 3);
        Assert.Equal(new[] { 1f, 0f, 0f }, Ops.ArgMax(x).ToArray());
        var y = Tensor.FromArray(new[] { 4f, 1f, 4f, 4f, 0f, 4f }, 3, 2);
        Assert.Equal(new[] { 0f, 1f }, Ops.ArgMax(y, 0).ToArray()); // the strided (inner > 1) path
    }

    // ------------------------------------------------------------------ indexing errors

    [Fact]
    public void OneHotBuildsRowsAndRejectsBadLabels()
    {
        Assert.Equal(new[] { 0f, 1f, 0f, 0f, 0f, 1f }, Ops.OneHot(Tensor.FromArray(new[] { 1f, 2f }, 2), 3).ToArray());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.OneHot(Tensor.FromArray(new[] { 0f, 3f }, 2), 3));
        Assert.Contains("3", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.OneHot(Tensor.FromArray(new[] { -1f }, 1), 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.OneHot(Tensor.FromArray(new[] { 1.5f }, 1), 3));
        Assert.Throws<ArgumentException>(() => Ops.OneHot(Tensor.FromArray(new[] { 0f }, 1), 0));
    }

    [Fact]
    public void GatherRejectsOutOfRangeIndices()
    {
        var x = Range(4, 2);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Gather(x, Tensor.FromArray(new[] { 1f, 4f }, 2)));
        Assert.Contains("4", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.Gather(x, Tensor.FromArray(new[] { -1f }, 1)));
        Assert.Throws<ArgumentException>(() => Ops.Gather(Tensor.Scalar(1f), Tensor.FromArray(new[] { 0f }, 1)));
    }

    [Fact]
    public void SparseCrossEntropyRejectsOutOfRangeLabels()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Ops.SparseSoftmaxCrossEntropy(Tensor.Zeros(2, 3), Tensor.FromArray(new[] { 0f, 3f }, 2)));
        Assert.Throws<ArgumentException>(() => Ops.SparseSoftmaxCrossEntropy(Tensor.Zeros(2, 3), Tensor.FromArray(new[] { 0f }, 1)));
        Assert.Throws<ArgumentException>(() => Ops.SoftmaxCrossEntropy(Tensor.Zeros(2, 3), Tensor.Zeros(2, 4)));
    }

    [Fact]
    public void TakeRowsPicksRowsAndRejectsOutOfRangeRows()
    {
        var x = Range(3, 2);
        Assert.Equal(new[] { 4f, 5f, 0f, 1f, 4f, 5f }, Ops.TakeRows(x, new[] { 2, 0, 2 }).ToArray());
        Assert.ThrowsAny<ArgumentException>(() => Ops.TakeRows(x, new[] { 3 }));
        Assert.ThrowsAny<ArgumentException>(() => Ops.TakeRows(x, new[] { -1 }));
    }

    [Fact]
    public void MatMulWithAnEmptyInnerDimensionGivesZeros()
    {
        // The output buffer comes from the pool: dirty it first so that a product that writes nothing shows.
        using (TensorScope.Begin()) for (int i = 0; i < 4; i++) Tensor.Full(float.NaN, 2, 3);
        using (TensorScope.Begin())
        {
            Assert.Equal(new float[6], Ops.MatMul(Tensor.Zeros(2, 0), Tensor.Zeros(0, 3)).ToArray());
            Assert.Equal(new float[6], Ops.MatMul(Tensor.Zeros(0, 2), Tensor.Zeros(3, 0), transposeA: true, transposeB: true).ToArray());
        }
    }

    [Fact]
    public void MatMulShapeErrorsNameTheShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Ops.MatMul(Tensor.Zeros(2, 3), Tensor.Zeros(4, 5)));
        Assert.Contains("(2, 3)", e.Message);
        Assert.Contains("(4, 5)", e.Message);
        Assert.Throws<ArgumentException>(() => Ops.MatMul(Tensor.Zeros(2, 3, 4), Tensor.Zeros(2, 3), transposeA: true));
        Assert.Throws<ArgumentException>(() => Ops.MatMul(Tensor.Zeros(3), Tensor.Zeros(3, 2)));
    }

    [Fact]
    public void ConcatAndStackRejectMismatchedShapes()
    {
        var e = Assert.Throws<ArgumentException>(() => Ops.Concat(new[] { Tensor.Zeros(2, 3), Tensor.Zeros(3, 2) }, 0));
        Assert.Contains("(3, 2)", e.Message);
        Assert.Throws<ArgumentException>(() => Ops.Stack(new[] { Tensor.Zeros(2, 3), Tensor.Zeros(2, 2) }));
        Assert.Throws<ArgumentException>(() => Ops.Concat(Array.Empty<Tensor>()));
    }

    // ------------------------------------------------------------------ numerics that must not overflow

    [Fact]
    public void SoftmaxOfLargeLogitsIsFinite()
    {
        var x = Tensor.FromArray(new[] { 1000f, 1001f, 999f }, 1, 3);
        var y = Ops.Softmax(x).ToArray();
        Assert.All(y, v => Assert.True(float.IsFinite(v), $"softmax gave {v}"));
        Assert.Equal(0.66524096f, y[1], 1e-6f);
        var ls = Ops.LogSoftmax(x).ToArray();
        Assert.Equal(-0.40760596f, ls[1], 1e-5f);
    }

    [Fact]
    public void WherePicksEvenWhereTheOtherBranchIsNotFinite()
    {
        // where(x > 0, log(x), 0): the unselected log(−1) = NaN and log(0) = −∞ must not leak into the result.
        var x = Tensor.FromArray(new[] { -1f, 0f, 1f, float.E }, 4);
        var y = Ops.Where(Ops.Greater(x, Tensor.Scalar(0f)), Ops.Log(x), Tensor.Zeros(4));
        Assert.Equal(new[] { 0f, 0f, 0f, 1f }, y.ToArray());
    }

    [Fact]
    public void ComparisonsAndSign()
    {
        var a = Tensor.FromArray(new[] { 1f, 2f, 3f }, 3);
        var b = Tensor.Scalar(2f);
        Assert.Equal(new[] { 0f, 1f, 0f }, Ops.Equal(a, b).ToArray());
        Assert.Equal(new[] { 0f, 1f, 1f }, Ops.GreaterEqual(a, b).ToArray());
        Assert.Equal(new[] { 0f, 0f, 1f }, Ops.Greater(a, b).ToArray());
        Assert.Equal(new[] { -1f, 0f, 1f }, Ops.Sign(Tensor.FromArray(new[] { -3f, 0f, 0.5f }, 3)).ToArray());
    }

    [Fact]
    public void ComparisonsOfInfinities()
    {
        var inf = Tensor.FromArray(new[] { float.PositiveInfinity, float.NegativeInfinity }, 2);
        Assert.Equal(new[] { 1f, 1f }, Ops.Equal(inf, inf).ToArray());
        Assert.Equal(new[] { 1f, 1f }, Ops.GreaterEqual(inf, inf).ToArray());
        Assert.Equal(new[] { 0f, 0f }, Ops.Greater(inf, inf).ToArray());
    }

    // ------------------------------------------------------------------ TensorScope

    [Fact]
    public void TensorsOfADisposedScopeThrow()
    {
        var x = Range(2, 3);
        Tensor inside, view, transposed;
        using (TensorScope.Begin())
        {
            inside = Ops.Add(x, x);
            view = Ops.Reshape(inside, 3, 2);
            transposed = Ops.Transpose(inside);
            Assert.Equal(10f, inside[1, 2]);
        }
        Assert.Throws<ObjectDisposedException>(() => inside.ToArray());
        Assert.Throws<ObjectDisposedException>(() => inside[0, 0]);
        Assert.Throws<ObjectDisposedException>(() => { _ = inside.Span; });
        Assert.Throws<ObjectDisposedException>(() => view.ToArray());
        Assert.Throws<ObjectDisposedException>(() => transposed.Contiguous());
        Assert.Equal(5f, x[1, 2]); // made outside: untouched
    }

    [Fact]
    public void ScopeBuffersAreReusedByTheNextScope()
    {
        const int N = 1237; // an unusual size, so the pool holds only what this test returned
        var x = Tensor.Ones(N);
        float[] buffer;
        long before = TensorScope.PooledFloats;
        using (TensorScope.Begin())
        {
            var y = Ops.MultiplyScalar(x, 2f);
            buffer = y.Buffer;
        }
        long held = TensorScope.PooledFloats;
        Assert.True(held >= before + N, $"pool held {before} floats before the scope and {held} after");
        using (TensorScope.Begin())
        {
            var z = Ops.MultiplyScalar(x, 3f);
            Assert.Same(buffer, z.Buffer);
            Assert.Equal(held - N, TensorScope.PooledFloats);
            Assert.Equal(3f, z[0]);
        }
        Assert.Equal(held, TensorScope.PooledFloats);
    }

    [Fact]
    public void DetachAndPersistentSurviveTheScope()
    {
        var x = Range(3);
        Tensor kept, persistent;
        using (TensorScope.Begin())
        {
            kept = Ops.Square(x).Detach();
            using (TensorScope.Persistent()) persistent = Ops.AddScalar(x, 1f);
        }
        Assert.Equal(new[] { 0f, 1f, 4f }, kept.ToArray());
        Assert.Equal(new[] { 1f, 2f, 3f }, persistent.ToArray());
    }

    [Fact]
    public void TensorsOutsideAnyScopeAreNotPooled()
    {
        long before = TensorScope.PooledFloats;
        var y = Ops.Exp(Tensor.Ones(811));
        Assert.Null(y.Owner);
        Assert.Equal(before, TensorScope.PooledFloats);
    }

    // ------------------------------------------------------------------ GradientTape

    [Fact]
    public void NoGradientModeRecordsNothing()
    {
        var x = Range(2, 3);
        using var tape = GradientTape.Begin();
        tape.Watch(x);
        using (GradientTape.NoGradient())
        {
            Assert.False(GradientTape.IsRecording);
            Ops.Sum(Ops.Square(x));
        }
        Assert.Equal(0, tape.Count);
        Assert.True(GradientTape.IsRecording);
        Ops.Square(x);
        Assert.Equal(1, tape.Count);
    }

    [Fact]
    public void UnwatchedTensorsAreNotRecorded()
    {
        using var tape = GradientTape.Begin();
        Ops.Add(Range(3), Range(3));
        Assert.Equal(0, tape.Count);
    }

    [Fact]
    public void GradientWithRespectToAWatchedInput()
    {
        var x = Tensor.FromArray(new[] { 1f, -2f, 3f }, 3);
        using var tape = GradientTape.Begin();
        tape.Watch(x);
        var y = Ops.Sum(Ops.Square(x));
        Assert.Equal(new[] { 2f, -4f, 6f }, tape.Gradient(y, x)[0].ToArray());
    }

    [Fact]
    public void GradientOfATensorUsedTwiceAccumulates()
    {
        var x = Tensor.FromArray(new[] { 1f, -2f, 3f }, 3);
        using var tape = GradientTape.Begin();
        tape.Watch(x);
        var y = Ops.Add(Ops.Sum(Ops.Multiply(x, x)), Ops.Sum(Ops.MultiplyScalar(x, 3f)));
        Assert.Equal(new[] { 5f, -1f, 9f }, tape.Gradient(y, x)[0].ToArray());
        var z = Ops.Add(x, x);
        Assert.Equal(new[] { 2f, 2f, 2f }, tape.Gradient(z, x)[0].ToArray());
    }

    [Fact]
    public void GradientOfANonScalarTargetIsThatOfItsSum()
    {
        var x = Tensor.FromArray(new[] { 1f, 2f }, 2);
        using var tape = GradientTape.Begin();
        tape.Watch(x);
        var y = Ops.MultiplyScalar(x, 4f);
        Assert.Equal(new[] { 4f, 4f }, tape.Gradient(y, x)[0].ToArray());
    }

    [Fact]
    public void GradientForAnUnrelatedSourceIsZeros()
    {
        var x = Range(3);
        var other = Tensor.Ones(2, 2);
        using var tape = GradientTape.Begin();
        tape.Watch(x); tape.Watch(other);
        var y = Ops.Sum(Ops.Exp(x));
        var g = tape.Gradient(y, other, Tensor.Ones(4));
        Assert.Equal(new[] { 2, 2 }, g[0].Shape);
        Assert.Equal(new float[4], g[0].ToArray());
        Assert.Equal(new float[4], g[1].ToArray());
    }

    [Fact]
    public void GradientWithRespectToAnIntermediate()
    {
        var x = Tensor.FromArray(new[] { 1f, 2f }, 2);
        using var tape = GradientTape.Begin();
        tape.Watch(x);
        var h = Ops.MultiplyScalar(x, 3f);
        var y = Ops.Sum(Ops.Square(h));
        var g = tape.Gradient(y, h, x);
        Assert.Equal(new[] { 6f, 12f }, g[0].ToArray());
        Assert.Equal(new[] { 18f, 36f }, g[1].ToArray());
    }

    [Fact]
    public void GradientThroughViewsOfAWatchedTensor()
    {
        var x = Range(2, 3);
        using var tape = GradientTape.Begin();
        tape.Watch(x);
        var y = Ops.Add(Ops.Sum(Ops.Transpose(x), 0), Ops.Sum(Ops.Slice(x, new[] { 0, 1 }, new[] { 2, 1 })));
        // Σ over the (2,) result: every element once through the transpose, column 1 twice more through the broadcast scalar.
        Assert.Equal(new[] { 1f, 3f, 1f, 1f, 3f, 1f }, tape.Gradient(Ops.Sum(y), x)[0].ToArray());
    }

    [Fact]
    public void GradientInsideAScopeWorksAndDetachedResultsSurvive()
    {
        var x = Tensor.FromArray(new[] { 0.5f, -1f }, 2);
        float[] grad;
        using (TensorScope.Begin())
        using (var tape = GradientTape.Begin())
        {
            tape.Watch(x);
            var y = Ops.Sum(Ops.Multiply(Ops.Tanh(x), Ops.Exp(x)));
            grad = tape.Gradient(y, x)[0].Detach().ToArray();
        }
        for (int i = 0; i < 2; i++)
        {
            double v = x[i], t = Math.Tanh(v), expected = (1 - t * t) * Math.Exp(v) + t * Math.Exp(v);
            Assert.Equal(expected, grad[i], 1e-5);
        }
    }

    // ------------------------------------------------------------------ RandomGenerator

    [Fact]
    public void SameSeedGivesSameNumbers()
    {
        var a = new RandomGenerator(1234);
        var b = new RandomGenerator(1234);
        var c = new RandomGenerator(1235);
        var sa = Enumerable.Range(0, 16).Select(_ => a.NextUInt64()).ToArray();
        Assert.Equal(sa, Enumerable.Range(0, 16).Select(_ => b.NextUInt64()).ToArray());
        Assert.NotEqual(sa, Enumerable.Range(0, 16).Select(_ => c.NextUInt64()).ToArray());
        Assert.Equal(new RandomGenerator(7).Normal(new[] { 5, 5 }).ToArray(), new RandomGenerator(7).Normal(new[] { 5, 5 }).ToArray());
        Assert.Equal(new RandomGenerator(7).Permutation(50), new RandomGenerator(7).Permutation(50));
    }

    [Fact]
    public void PermutationIsAPermutation()
    {
        var rng = new RandomGenerator(99);
        var p = rng.Permutation(1000);
        Assert.Equal(Enumerable.Range(0, 1000), p.OrderBy(v => v));
        Assert.NotEqual(Enumerable.Range(0, 1000), p);
        Assert.Empty(rng.Permutation(0));
        Assert.Equal(new[] { 0 }, rng.Permutation(1));
    }

    [Fact]
    public void UniformStaysInItsRange()
    {
        var v = new RandomGenerator(3).Uniform(new[] { 20000 }, -2f, 3f).ToArray();
        Assert.All(v, x => Assert.InRange(x, -2f, 3f));
        Assert.True(v.Any(x => x >= 2.9f) && v.Any(x => x < -1.9f));
        Assert.Equal(0.5, v.Average(x => (double)x), 0.05);
        var rng = new RandomGenerator(5);
        var counts = new int[7];
        for (int i = 0; i < 70000; i++) counts[rng.NextInt(7)]++;
        Assert.All(counts, n => Assert.InRange(n, 9400, 10600));
        Assert.Throws<ArgumentOutOfRangeException>(() => rng.NextInt(0));
    }

    [Fact]
    public void NormalHasItsMeanAndDeviation()
    {
        var v = new RandomGenerator(11).Normal(new[] { 40000 }, 1.5f, 2f).ToArray();
        double mean = v.Average(x => (double)x);
        double sd = Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
        Assert.Equal(1.5, mean, 0.05);
        Assert.Equal(2.0, sd, 0.05);
    }

    [Fact]
    public void TruncatedNormalStaysWithinTwoDeviations()
    {
        var v = new RandomGenerator(12).TruncatedNormal(new[] { 40000 }, 0.5f, 0.1f).ToArray();
        Assert.All(v, x => Assert.InRange(x, 0.5f - 0.2f - 1e-6f, 0.5f + 0.2f + 1e-6f));
        // Near the bounds too: the draws are truncated, not squeezed.
        Assert.True(v.Any(x => x > 0.69f) && v.Any(x => x < 0.31f));
        // A normal truncated at ±2σ has standard deviation 0.8796σ.
        double mean = v.Average(x => (double)x);
        double sd = Math.Sqrt(v.Average(x => (x - mean) * (x - mean)));
        Assert.Equal(0.5, mean, 0.005);
        Assert.Equal(0.08796, sd, 0.002);
    }

    [Theory]
    [InlineData(0.1f)]
    [InlineData(0.5f)]
    [InlineData(0.8f)]
    public void BernoulliMeanIsP(float p)
    {
        const int n = 40000;
        var v = new RandomGenerator(13).Bernoulli(new[] { n }, p).ToArray();
        Assert.All(v, x => Assert.True(x == 0f || x == 1f));
        double mean = v.Average(x => (double)x);
        Assert.Equal(p, mean, 4 * Math.Sqrt(p * (1 - p) / n)); // 4σ
    }

    [Fact]
    public void BernoulliExtremes()
    {
        var rng = new RandomGenerator(14);
        Assert.All(rng.Bernoulli(new[] { 1000 }, 0f).ToArray(), x => Assert.Equal(0f, x));
        Assert.All(rng.Bernoulli(new[] { 1000 }, 1f).ToArray(), x => Assert.Equal(1f, x));
    }
}
