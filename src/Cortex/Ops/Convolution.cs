using Cortex.Autodiff;
using Cortex.Kernels;

namespace Cortex;

public static partial class Ops
{
    /// <summary>
    /// 2-D convolution (cross-correlation, as every deep-learning framework computes it) of channels-last images
    /// x (N, H, W, C) with a kernel (KH, KW, C, F) in Keras's layout, giving (N, OH, OW, F). Zero padding is explicit
    /// (see <see cref="ConvGeometry.SamePadding"/> for Keras's "same"). An optional bias (F,) is added in the same pass
    /// (and its gradient summed in the kernel gradient's pass), which saves two sweeps over the output. Differentiable in
    /// x, kernel and bias.
    /// </summary>
    public static Tensor Conv2D(Tensor x, Tensor kernel, (int H, int W) strides, (int H, int W) dilation,
        (int Top, int Bottom, int Left, int Right) padding, Tensor? bias = null)
    {
        if (x.Rank != 4) throw new ArgumentException($"Conv2D needs a 4-D input (batch, height, width, channels); got shape {x.ShapeString}.", nameof(x));
        if (kernel.Rank != 4) throw new ArgumentException($"Conv2D needs a 4-D kernel (height, width, in_channels, filters); got shape {kernel.ShapeString}.", nameof(kernel));
        if (kernel.Dims[2] != x.Dims[3])
            throw new ArgumentException($"Conv2D: the input has {x.Dims[3]} channels but the kernel of shape {kernel.ShapeString} expects {kernel.Dims[2]}.");
        var g = new ConvGeometry(x.Dims[0], x.Dims[1], x.Dims[2], x.Dims[3], kernel.Dims[0], kernel.Dims[1], kernel.Dims[3],
            strides.H, strides.W, dilation.H, dilation.W, padding.Top, padding.Bottom, padding.Left, padding.Right);
        if (bias is not null && (bias.Rank != 1 || bias.Dims[0] != g.F))
            throw new ArgumentException($"Conv2D: the bias has shape {bias.ShapeString}; the kernel of shape {kernel.ShapeString} needs ({g.F},).", nameof(bias));
        var y = Empty(new[] { g.N, g.OH, g.OW, g.F });
        ConvKernels.Forward(Read(x), Read(kernel), bias is null ? default : Read(bias), y.Span, g);
        var inputs = bias is null ? new[] { x, kernel } : new[] { x, kernel, bias };
        GradientTape.Record(y, inputs, dy =>
        {
            Tensor? dx = null, dw = null, db = null;
            var dyc = Read(dy);
            if (GradientTape.NeedsGradient(x)) { dx = Empty((int[])x.Dims.Clone()); ConvKernels.BackwardData(dyc, Read(kernel), dx.Span, g); }
            bool wantBias = bias is not null && GradientTape.NeedsGradient(bias);
            if (wantBias) db = Empty(new[] { g.F });
            if (GradientTape.NeedsGradient(kernel))
            {
                dw = Empty((int[])kernel.Dims.Clone());
                ConvKernels.BackwardFilter(Read(x), dyc, dw.Span, wantBias ? db!.Span : Span<float>.Empty, g);
            }
            else if (wantBias) ConvKernels.BackwardBias(dyc, db!.Span);
            return bias is null ? new[] { dx, dw } : new[] { dx, dw, db };
        });
        return y;
    }

    /// <summary>
    /// Transposed 2-D convolution (the gradient of <see cref="Conv2D"/> with respect to its input, used as a layer):
    /// x (N, H, W, C) and a kernel (KH, KW, F, C) in Keras's Conv2DTranspose layout give (N, outH, outW, F). It is the
    /// adjoint of the convolution from (N, outH, outW, F) to (N, H, W, C) with the same kernel, strides, dilation
    /// and top/left padding. Differentiable in x and kernel.
    /// </summary>
    public static Tensor Conv2DTranspose(Tensor x, Tensor kernel, int outH, int outW, (int H, int W) strides, (int H, int W) dilation,
        int padTop, int padLeft)
    {
        if (x.Rank != 4) throw new ArgumentException($"Conv2DTranspose needs a 4-D input (batch, height, width, channels); got shape {x.ShapeString}.", nameof(x));
        if (kernel.Rank != 4) throw new ArgumentException($"Conv2DTranspose needs a 4-D kernel (height, width, filters, in_channels); got shape {kernel.ShapeString}.", nameof(kernel));
        if (kernel.Dims[3] != x.Dims[3])
            throw new ArgumentException($"Conv2DTranspose: the input has {x.Dims[3]} channels but the kernel of shape {kernel.ShapeString} expects {kernel.Dims[3]}.");
        int h = x.Dims[1], w = x.Dims[2], kh = kernel.Dims[0], kw = kernel.Dims[1];
        int padBottom = Math.Max(0, (h - 1) * strides.H + (kh - 1) * dilation.H + 1 - outH - padTop);
        int padRight = Math.Max(0, (w - 1) * strides.W + (kw - 1) * dilation.W + 1 - outW - padLeft);
        // The forward convolution this op is the adjoint of: from the output's size back to the input's.
        var g = new ConvGeometry(x.Dims[0], outH, outW, kernel.Dims[2], kh, kw, x.Dims[3],
            strides.H, strides.W, dilation.H, dilation.W, padTop, padBottom, padLeft, padRight);
        if (g.OH != h || g.OW != w)
            throw new ArgumentException($"Conv2DTranspose: an output of ({outH}, {outW}) does not map back to the input's ({h}, {w}) with kernel ({kh}, {kw}) and strides ({strides.H}, {strides.W}).");
        var y = Empty(new[] { g.N, outH, outW, g.C });
        ConvKernels.BackwardData(Read(x), Read(kernel), y.Span, g);
        GradientTape.Record(y, new[] { x, kernel }, dy =>
        {
            Tensor? dx = null, dw = null;
            var dyc = Read(dy);
            if (GradientTape.NeedsGradient(x)) { dx = Empty((int[])x.Dims.Clone()); ConvKernels.Forward(dyc, Read(kernel), dx.Span, g); }
            if (GradientTape.NeedsGradient(kernel)) { dw = Empty((int[])kernel.Dims.Clone()); ConvKernels.BackwardFilter(dyc, Read(x), dw.Span, g); }
            return new[] { dx, dw };
        });
        return y;
    }
}
