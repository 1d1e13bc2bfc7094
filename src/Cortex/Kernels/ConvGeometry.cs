namespace Cortex.Kernels;

/// <summary>
/// The sizes of one 2-D convolution over channels-last data: input (N, H, W, C), kernel (KH, KW, C, F) (Keras's
/// layout), output (N, OH, OW, F), with strides, dilation and explicit zero padding before the first row and column
/// (padding after the last ones is implied by the output size).
/// </summary>
/// <remarks>
/// Output element (n, oh, ow, f) is Σ over kh, kw, c of x[n, oh·SH − PadTop + kh·DH, ow·SW − PadLeft + kw·DW, c] ·
/// w[kh, kw, c, f], where x is zero outside the image. A 1-D convolution is the case H = KH = 1.
/// </remarks>
public readonly struct ConvGeometry
{
    /// <summary>Batch size, input height, width and channels.</summary>
    public readonly int N, H, W, C;
    /// <summary>Kernel height and width, and the number of filters (output channels).</summary>
    public readonly int KH, KW, F;
    /// <summary>Strides and dilation rates.</summary>
    public readonly int SH, SW, DH, DW;
    /// <summary>Zero rows above and zero columns left of the image.</summary>
    public readonly int PadTop, PadLeft;
    /// <summary>Output height and width.</summary>
    public readonly int OH, OW;

    /// <summary>Describes a convolution; the output size follows from the padding on both sides.</summary>
    public ConvGeometry(int n, int h, int w, int c, int kh, int kw, int f, int sh, int sw, int dh, int dw,
        int padTop, int padBottom, int padLeft, int padRight)
    {
        if (n < 0 || h <= 0 || w <= 0 || c <= 0) throw new ArgumentException($"invalid input size ({n}, {h}, {w}, {c}).");
        if (kh <= 0 || kw <= 0 || f <= 0) throw new ArgumentException($"invalid kernel size ({kh}, {kw}, {c}, {f}).");
        if (sh <= 0 || sw <= 0 || dh <= 0 || dw <= 0) throw new ArgumentException($"strides ({sh}, {sw}) and dilation ({dh}, {dw}) must be positive.");
        if (padTop < 0 || padBottom < 0 || padLeft < 0 || padRight < 0) throw new ArgumentException("padding must be non-negative.");
        N = n; H = h; W = w; C = c; KH = kh; KW = kw; F = f; SH = sh; SW = sw; DH = dh; DW = dw;
        PadTop = padTop; PadLeft = padLeft;
        OH = OutputSize(h, kh, sh, dh, padTop + padBottom);
        OW = OutputSize(w, kw, sw, dw, padLeft + padRight);
        if (OH <= 0 || OW <= 0)
            throw new ArgumentException($"the kernel ({kh}, {kw}) with dilation ({dh}, {dw}) is larger than the padded input ({h + padTop + padBottom}, {w + padLeft + padRight}).");
    }

    /// <summary>Values in one patch: KH·KW·C, the inner size of the convolution's matrix product.</summary>
    public int PatchSize => KH * KW * C;

    /// <summary>Output positions per image: OH·OW.</summary>
    public int OutPixels => OH * OW;

    /// <summary>Whether the convolution is a plain matrix product: a 1×1 kernel, stride 1, no padding.</summary>
    public bool IsPointwise => KH == 1 && KW == 1 && SH == 1 && SW == 1 && PadTop == 0 && PadLeft == 0 && OH == H && OW == W;

    /// <summary>floor((in + pad − effective kernel) / stride) + 1, the number of output positions along an axis.</summary>
    public static int OutputSize(int input, int kernel, int stride, int dilation, int totalPad)
    {
        int effective = (kernel - 1) * dilation + 1;
        int span = input + totalPad - effective;
        return span < 0 ? 0 : span / stride + 1;
    }

    /// <summary>
    /// TensorFlow's "same" padding along one axis: the output has ceil(in / stride) positions and the padding needed for
    /// that is split with the extra one after (bottom/right).
    /// </summary>
    public static (int Before, int After) SamePadding(int input, int kernel, int stride, int dilation)
    {
        int effective = (kernel - 1) * dilation + 1;
        int output = (input + stride - 1) / stride;
        int total = Math.Max((output - 1) * stride + effective - input, 0);
        return (total / 2, total - total / 2);
    }
}
