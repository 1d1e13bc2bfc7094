using Cortex.Autodiff;
using Cortex.Kernels;

namespace Cortex;

public static partial class Ops
{
    /// <summary>
    /// 2-D max pooling of a channels-last (N, H, W, C) tensor: each output cell is the maximum of a
    /// <paramref name="poolH"/>×<paramref name="poolW"/> window moved by the strides. With <paramref name="samePadding"/>
    /// the output is ⌈H / strideH⌉ × ⌈W / strideW⌉ and the padding (TensorFlow's rule: the odd cell at the bottom and
    /// right) never wins; otherwise ("valid") windows stay inside the input. The gradient goes to the first maximum of
    /// each window.
    /// </summary>
    public static Tensor MaxPool2D(Tensor x, int poolH, int poolW, int strideH, int strideW, bool samePadding)
        => Pool2D(true, x, poolH, poolW, strideH, strideW, samePadding);

    /// <summary>
    /// 2-D average pooling of a channels-last (N, H, W, C) tensor, as <see cref="MaxPool2D"/> with the mean of each
    /// window's real cells (padded cells are not counted, as in TensorFlow's SAME average pooling).
    /// </summary>
    public static Tensor AvgPool2D(Tensor x, int poolH, int poolW, int strideH, int strideW, bool samePadding)
        => Pool2D(false, x, poolH, poolW, strideH, strideW, samePadding);

    /// <summary>1-D max pooling of a channels-last (N, W, C) tensor (the 2-D pooling with H = 1).</summary>
    public static Tensor MaxPool1D(Tensor x, int pool, int stride, bool samePadding) => Pool1D(true, x, pool, stride, samePadding);

    /// <summary>1-D average pooling of a channels-last (N, W, C) tensor (the 2-D pooling with H = 1).</summary>
    public static Tensor AvgPool1D(Tensor x, int pool, int stride, bool samePadding) => Pool1D(false, x, pool, stride, samePadding);

    private static Tensor Pool1D(bool max, Tensor x, int pool, int stride, bool same)
    {
        if (x.Rank != 3)
            throw new ArgumentException($"{(max ? "MaxPool1D" : "AvgPool1D")} needs a rank-3 (batch, steps, channels) input; got shape {x.ShapeString}.", nameof(x));
        var y = Pool2D(max, Reshape(x, x.Dims[0], 1, x.Dims[1], x.Dims[2]), 1, pool, 1, stride, same);
        return Reshape(y, y.Dims[0], y.Dims[2], y.Dims[3]);
    }

    private static Tensor Pool2D(bool max, Tensor x, int poolH, int poolW, int strideH, int strideW, bool same)
    {
        string op = max ? "MaxPool2D" : "AvgPool2D";
        if (x.Rank != 4)
            throw new ArgumentException($"{op} needs a rank-4 (batch, height, width, channels) input; got shape {x.ShapeString}.", nameof(x));
        if (poolH <= 0 || poolW <= 0 || strideH <= 0 || strideW <= 0)
            throw new ArgumentException($"{op} needs positive pool sizes and strides. Received: pool=({poolH}, {poolW}), strides=({strideH}, {strideW})");
        var s = Pooling.Plan(x.Dims[0], x.Dims[1], x.Dims[2], x.Dims[3], poolH, poolW, strideH, strideW, same);
        if (s.OutH <= 0 || s.OutW <= 0)
            throw new ArgumentException($"{op}: a ({poolH}, {poolW}) pool with \"valid\" padding does not fit an input of shape {x.ShapeString}.", nameof(x));
        var xc = x.Contiguous();
        var y = Empty(new[] { s.N, s.OutH, s.OutW, s.C });
        if (max) Pooling.MaxForward(s, xc.Span, y.Span);
        else Pooling.AverageForward(s, xc.Span, y.Span);
        GradientTape.Record(y, x, g =>
        {
            var dx = Empty((int[])x.Dims.Clone());
            if (max) Pooling.MaxBackward(s, xc.Span, y.Span, Read(g), dx.Span);
            else Pooling.AverageBackward(s, Read(g), dx.Span);
            return new[] { dx };
        });
        return y;
    }
}
