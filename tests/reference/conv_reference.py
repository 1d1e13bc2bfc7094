"""PyTorch reference values for Cortex's convolutions: Ops.Conv2D, Ops.Conv2DTranspose and the Conv1D / Conv2D /
Conv2DTranspose layers (channels-last and channels-first, "valid", "same" with TensorFlow's asymmetric padding,
"causal", strides, dilation, 1x1 kernels).

Cortex stores images channels-last (N, H, W, C) and kernels in Keras's layouts: Conv2D (KH, KW, C, F),
Conv2DTranspose (KH, KW, F, C), Conv1D (K, C, F). Torch works on (N, C, H, W) with weights (F, C, KH, KW) (for
conv_transpose2d: (C_in, F, KH, KW)), so the cases permute on the way in and out; TensorFlow's "same" padding puts the
odd row/column at the bottom/right, which torch's symmetric padding cannot, so the padding is applied with F.pad.

Regenerate from the repository root:  /usr/bin/python3 tests/reference/conv_reference.py
"""

import torch
import torch.nn.functional as F

from reference_common import Fixture

fx = Fixture("conv_reference.json", seed=20261202)


def same_pad(n, k, s, d):
    eff = (k - 1) * d + 1
    out = -(-n // s)
    total = max((out - 1) * s + eff - n, 0)
    return total // 2, total - total // 2


def conv2d_nhwc(x, w, strides, dilation, pads):
    """x (N,H,W,C), w (KH,KW,C,F), pads (top, bottom, left, right) -> (N,OH,OW,F)."""
    top, bottom, left, right = pads
    xn = F.pad(x.permute(0, 3, 1, 2), (left, right, top, bottom))
    y = F.conv2d(xn, w.permute(3, 2, 0, 1), stride=strides, dilation=dilation)
    return y.permute(0, 2, 3, 1)


def conv2d_transpose_nhwc(x, w, out_hw, strides, dilation, top, left):
    """x (N,H,W,C), w (KH,KW,F,C) -> (N,outH,outW,F): the adjoint of conv2d_nhwc from (outH,outW) with that padding."""
    full = F.conv_transpose2d(x.permute(0, 3, 1, 2), w.permute(3, 2, 0, 1), stride=strides, dilation=dilation)
    fh, fw = full.shape[2], full.shape[3]
    oh, ow = out_hw
    y = F.pad(full, (-left, ow + left - fw, -top, oh + top - fh))
    return y.permute(0, 2, 3, 1)


# ----------------------------------------------------------------------------- Ops.Conv2D

CONV_CASES = [
    # label, x shape (N,H,W,C), kernel (KH,KW), filters, strides, dilation, padding mode
    ("valid_3x3", (2, 6, 5, 3), (3, 3), 4, (1, 1), (1, 1), "valid"),
    ("same_3x3_stride2", (2, 7, 6, 2), (3, 3), 3, (2, 2), (1, 1), "same"),
    ("same_4x4_stride1_asym", (1, 6, 6, 2), (4, 4), 2, (1, 1), (1, 1), "same"),
    ("valid_dilation2", (2, 8, 7, 2), (3, 3), 3, (1, 1), (2, 2), "valid"),
    ("same_dilation_2x3", (1, 7, 8, 3), (3, 2), 2, (1, 1), (2, 3), "same"),
    ("pointwise_1x1", (2, 4, 5, 6), (1, 1), 4, (1, 1), (1, 1), "valid"),
    ("strided_1x1", (2, 5, 5, 3), (1, 1), 2, (2, 2), (1, 1), "valid"),
    ("rect_5x3_stride_2x1_same", (2, 9, 6, 2), (5, 3), 3, (2, 1), (1, 1), "same"),
    ("one_channel", (3, 6, 6, 1), (3, 3), 4, (1, 1), (1, 1), "valid"),
    ("kernel_equals_input", (2, 3, 3, 2), (3, 3), 2, (1, 1), (1, 1), "valid"),
]

for label, xs, (kh, kw), f, s, d, mode in CONV_CASES:
    x = fx.normal(*xs)
    w = fx.normal(kh, kw, xs[3], f, scale=0.5)
    if mode == "same":
        pads = same_pad(xs[1], kh, s[0], d[0]) + same_pad(xs[2], kw, s[1], d[1])
    else:
        pads = (0, 0, 0, 0)
    fx.add("Conv2D", label, [x, w], lambda x, w, s=s, d=d, p=pads: conv2d_nhwc(x, w, s, d, p),
           {"strides": list(s), "dilation": list(d), "padding": list(pads)})

# Conv2D with the fused bias: gradients for x, kernel and bias.
for label, xs, (kh, kw), f, s, pads in [("valid_3x3", (2, 6, 5, 3), (3, 3), 4, (1, 1), (0, 0, 0, 0)),
                                        ("same_stride2", (3, 7, 6, 2), (3, 3), 5, (2, 2), (1, 1, 1, 1)),
                                        ("pointwise", (2, 4, 4, 3), (1, 1), 2, (1, 1), (0, 0, 0, 0))]:
    x = fx.normal(*xs)
    w = fx.normal(kh, kw, xs[3], f, scale=0.5)
    b = fx.normal(f)
    fx.add("Conv2DBias", label, [x, w, b], lambda x, w, b, s=s, p=pads: conv2d_nhwc(x, w, s, (1, 1), p) + b,
           {"strides": list(s), "padding": list(pads)})

# ----------------------------------------------------------------------------- Ops.Conv2DTranspose

TRANSPOSE_CASES = [
    # label, x shape, kernel, filters, strides, dilation, padding mode
    ("valid_3x3_stride1", (2, 4, 3, 3), (3, 3), 2, (1, 1), (1, 1), "valid"),
    ("valid_3x3_stride2", (2, 3, 4, 2), (3, 3), 3, (2, 2), (1, 1), "valid"),
    ("same_4x4_stride2", (2, 3, 3, 2), (4, 4), 2, (2, 2), (1, 1), "same"),
    ("same_3x3_stride2", (1, 4, 3, 3), (3, 3), 2, (2, 2), (1, 1), "same"),
    ("valid_kernel_smaller_than_stride", (2, 3, 3, 2), (2, 2), 2, (3, 3), (1, 1), "valid"),
    ("same_dilation2", (1, 4, 4, 2), (3, 3), 2, (1, 1), (2, 2), "same"),
]


def deconv_length(n, k, s, d, mode):
    eff = (k - 1) * d + 1
    return n * s if mode == "same" else n * s + max(eff - s, 0)


for label, xs, (kh, kw), f, s, d, mode in TRANSPOSE_CASES:
    x = fx.normal(*xs)
    w = fx.normal(kh, kw, f, xs[3], scale=0.5)
    oh, ow = deconv_length(xs[1], kh, s[0], d[0], mode), deconv_length(xs[2], kw, s[1], d[1], mode)
    top = same_pad(oh, kh, s[0], d[0])[0] if mode == "same" else 0
    left = same_pad(ow, kw, s[1], d[1])[0] if mode == "same" else 0
    fx.add("Conv2DTranspose", label, [x, w],
           lambda x, w, o=(oh, ow), s=s, d=d, t=top, l=left: conv2d_transpose_nhwc(x, w, o, s, d, t, l),
           {"out": [oh, ow], "strides": list(s), "dilation": list(d), "top": top, "left": left})

# ----------------------------------------------------------------------------- layers (kernel and bias given, relu)

LAYER_CASES = [
    # layer, label, x shape, kernel size, filters, strides, dilation, padding, data_format
    ("Conv2D", "channels_last_same", (2, 5, 6, 3), (3, 3), 4, (2, 2), (1, 1), "same", "channels_last"),
    ("Conv2D", "channels_first_valid", (2, 3, 5, 6), (3, 2), 4, (1, 1), (1, 1), "valid", "channels_first"),
    ("Conv2D", "channels_first_same_strided", (2, 2, 7, 5), (3, 3), 3, (2, 2), (1, 1), "same", "channels_first"),
    ("Conv1D", "valid", (2, 9, 3), (3,), 4, (1,), (1,), "valid", "channels_last"),
    ("Conv1D", "same_stride2", (2, 9, 3), (4,), 2, (2,), (1,), "same", "channels_last"),
    ("Conv1D", "causal_dilation2", (2, 8, 2), (3,), 3, (1,), (2,), "causal", "channels_last"),
    ("Conv1D", "channels_first", (2, 3, 8), (3,), 2, (1,), (1,), "valid", "channels_first"),
    ("Conv2DTranspose", "same_stride2", (2, 3, 4, 3), (3, 3), 2, (2, 2), (1, 1), "same", "channels_last"),
    ("Conv2DTranspose", "channels_first_valid", (2, 3, 3, 4), (2, 2), 2, (2, 2), (1, 1), "valid", "channels_first"),
]


def layer_fn(layer, xs, k, f, s, d, padding, fmt):
    first = fmt == "channels_first"

    def fn(x, w, b):
        if layer == "Conv1D":
            xl = x.permute(0, 2, 1) if first else x            # (N, L, C)
            L = xl.shape[1]
            if padding == "same":
                pads = same_pad(L, k[0], s[0], d[0])
            elif padding == "causal":
                pads = ((k[0] - 1) * d[0], 0)
            else:
                pads = (0, 0)
            y = conv2d_nhwc(xl.unsqueeze(1), w.unsqueeze(0), (1, s[0]), (1, d[0]), (0, 0) + pads).squeeze(1)
            y = torch.relu(y + b)
            return y.permute(0, 2, 1) if first else y
        xl = x.permute(0, 2, 3, 1) if first else x             # (N, H, W, C)
        H, W = xl.shape[1], xl.shape[2]
        if layer == "Conv2D":
            pads = same_pad(H, k[0], s[0], d[0]) + same_pad(W, k[1], s[1], d[1]) if padding == "same" else (0, 0, 0, 0)
            y = conv2d_nhwc(xl, w, s, d, pads)
        else:
            oh, ow = deconv_length(H, k[0], s[0], d[0], padding), deconv_length(W, k[1], s[1], d[1], padding)
            top = same_pad(oh, k[0], s[0], d[0])[0] if padding == "same" else 0
            left = same_pad(ow, k[1], s[1], d[1])[0] if padding == "same" else 0
            y = conv2d_transpose_nhwc(xl, w, (oh, ow), s, d, top, left)
        y = torch.relu(y + b)
        return y.permute(0, 3, 1, 2) if first else y

    return fn


for layer, label, xs, k, f, s, d, padding, fmt in LAYER_CASES:
    x = fx.normal(*xs)
    c = xs[1] if fmt == "channels_first" else xs[-1]
    if layer == "Conv1D":
        w = fx.normal(k[0], c, f, scale=0.5)
    elif layer == "Conv2D":
        w = fx.normal(k[0], k[1], c, f, scale=0.5)
    else:
        w = fx.normal(k[0], k[1], f, c, scale=0.5)
    b = fx.normal(f, scale=0.3)
    # The layer owns its kernel and bias as variables: the case checks the output and the input gradient (the ops
    # above check the kernel gradients).
    fx.add(layer + "Layer", label, [x, w, b], layer_fn(layer, xs, k, f, s, d, padding, fmt),
           {"kernel_size": list(k), "filters": f, "strides": list(s), "dilation": list(d), "padding": padding, "data_format": fmt},
           diff=[True, False, False])

fx.write()
