"""Reference values for Cortex's pooling layers and BatchNormalization, computed with PyTorch in float64.

Pooling follows TensorFlow/Keras, which torch does not have directly:

* "same" padding is TensorFlow's rule: out = ceil(in / stride), total padding max((out - 1) * stride + pool - in, 0),
  half of it (rounded down) before and the rest after. It is built with F.pad: -inf for max pooling (padding never
  wins), and for average pooling a zero-padded sum pool divided by the count of real cells (a ones tensor padded with
  zeros and sum-pooled the same way), which is TensorFlow's SAME average pool.
* Inputs are channels-last (NHWC / NWC) unless the case says channels_first; torch pools NCHW, so the functions
  below permute around it.
* Max-pooling inputs are distinct values (no ties), so the first-maximum rule never matters.

BatchNormalization follows Keras 3: training normalises with the batch mean and the *biased* batch variance
(F.batch_norm with training=True and no running statistics), and the moving statistics become
moving * momentum + batch * (1 - momentum) with the biased variance; that update is computed here in numpy and
stored in the case's params (expected_moving_mean / expected_moving_variance). Inference normalises with the moving
statistics (F.batch_norm with training=False). The moving statistics are inputs 3 and 4 and are not differentiated.

Output: ``tests/Cortex.Tests/Fixtures/pooling_norm_reference.json``, read by
``tests/Cortex.Tests/Layers/PoolingTests.cs`` and ``BatchNormalizationTests.cs``.

Regenerate (from the repository root): /usr/bin/python3 tests/reference/pooling_norm_reference.py
"""

import numpy as np
import torch
import torch.nn.functional as F

from reference_common import Fixture

fx = Fixture("pooling_norm_reference.json", seed=31415)


def tf_pad(size, pool, stride, same):
    if not same:
        return 0, 0
    out = -(-size // stride)
    total = max((out - 1) * stride + pool - size, 0)
    return total // 2, total - total // 2


def pool_nchw(t, max_pool, pool, strides, same):
    """TensorFlow-style pooling of an NCHW tensor."""
    (ph, pw), (sh, sw) = pool, strides
    pt, pb = tf_pad(t.shape[2], ph, sh, same)
    pl, pr = tf_pad(t.shape[3], pw, sw, same)
    if max_pool:
        return F.max_pool2d(F.pad(t, (pl, pr, pt, pb), value=float("-inf")), (ph, pw), (sh, sw))
    total = F.avg_pool2d(F.pad(t, (pl, pr, pt, pb)), (ph, pw), (sh, sw)) * (ph * pw)
    ones = torch.ones((1, 1) + tuple(t.shape[2:]))
    count = F.avg_pool2d(F.pad(ones, (pl, pr, pt, pb)), (ph, pw), (sh, sw)) * (ph * pw)
    return total / count


def pool2d(max_pool, pool, strides, same, channels_first):
    def f(x):
        t = x if channels_first else x.permute(0, 3, 1, 2)
        y = pool_nchw(t, max_pool, pool, strides, same)
        return y if channels_first else y.permute(0, 2, 3, 1)
    return f


def pool1d(max_pool, pool, stride, same, channels_first):
    def f(x):
        t = x if channels_first else x.permute(0, 2, 1)          # (N, C, W)
        y = pool_nchw(t.unsqueeze(2), max_pool, (1, pool), (1, stride), same).squeeze(2)
        return y if channels_first else y.permute(0, 2, 1)
    return f


# ----------------------------------------------------------------------------- pooling 2-D
# (label, shape, pool, strides, padding, data_format)
POOL2D = [
    ("valid_2x2_s2", (2, 4, 4, 3), (2, 2), (2, 2), "valid", "channels_last"),
    ("valid_3x3_s1_overlap", (2, 5, 5, 2), (3, 3), (1, 1), "valid", "channels_last"),
    ("valid_3x2_s21", (1, 6, 5, 3), (3, 2), (2, 1), "valid", "channels_last"),
    ("valid_2x2_s1_c10", (1, 3, 4, 10), (2, 2), (1, 1), "valid", "channels_last"),
    ("valid_2x2_s2_odd_dropped", (1, 5, 5, 2), (2, 2), (2, 2), "valid", "channels_last"),
    ("same_2x2_s2_odd", (2, 5, 5, 3), (2, 2), (2, 2), "same", "channels_last"),
    ("same_3x3_s2_asym", (1, 6, 7, 2), (3, 3), (2, 2), "same", "channels_last"),
    ("same_3x3_s1_c9", (1, 4, 4, 9), (3, 3), (1, 1), "same", "channels_last"),
    ("same_4x4_s3", (1, 5, 5, 2), (4, 4), (3, 3), "same", "channels_last"),
    ("same_2x3_s12", (1, 4, 5, 2), (2, 3), (1, 2), "same", "channels_last"),
    ("valid_2x2_s2_cf", (2, 3, 4, 4), (2, 2), (2, 2), "valid", "channels_first"),
    ("same_3x3_s2_cf", (1, 2, 5, 6), (3, 3), (2, 2), "same", "channels_first"),
]
for max_pool, op in ((True, "MaxPool2D"), (False, "AvgPool2D")):
    for label, shape, pool, strides, padding, fmt in POOL2D:
        x = fx.distinct(*shape) if max_pool else fx.normal(*shape)
        fx.add(op, label, [x], pool2d(max_pool, pool, strides, padding == "same", fmt == "channels_first"),
               {"pool": list(pool), "strides": list(strides), "padding": padding, "data_format": fmt})

# ----------------------------------------------------------------------------- pooling 1-D
POOL1D = [
    ("valid_2_s2", (2, 7, 3), 2, 2, "valid", "channels_last"),
    ("valid_3_s1", (1, 6, 9), 3, 1, "valid", "channels_last"),
    ("same_3_s2", (2, 6, 2), 3, 2, "same", "channels_last"),
    ("same_2_s2_odd", (1, 5, 3), 2, 2, "same", "channels_last"),
    ("same_3_s1_cf", (2, 3, 5), 3, 1, "same", "channels_first"),
    ("valid_2_s3_cf", (1, 2, 8), 2, 3, "valid", "channels_first"),
]
for max_pool, op in ((True, "MaxPool1D"), (False, "AvgPool1D")):
    for label, shape, pool, stride, padding, fmt in POOL1D:
        x = fx.distinct(*shape) if max_pool else fx.normal(*shape)
        fx.add(op, label, [x], pool1d(max_pool, pool, stride, padding == "same", fmt == "channels_first"),
               {"pool": pool, "strides": stride, "padding": padding, "data_format": fmt})


# ----------------------------------------------------------------------------- batch normalization

def moved(x, axis):
    """The channel axis moved to position 1, as torch's batch_norm wants it."""
    return x.movedim(axis, 1) if x.dim() > 2 or axis != 1 else x


def bn_case(label, shape, axis, eps, momentum, center=True, scale=True, offset=0.0):
    nd = len(shape)
    ax = axis % nd
    c = shape[ax]
    x = fx.normal(*shape) * 1.5 + offset
    x = np.asarray(x, dtype=np.float32).astype(np.float64)
    gamma = fx.uniform(0.5, 1.5, c) if scale else np.ones(c)
    beta = fx.normal(c) if center else np.zeros(c)
    mm = fx.normal(c, scale=0.5)
    mv = fx.uniform(0.5, 2.0, c)
    red = tuple(i for i in range(nd) if i != ax)
    bmean, bvar = x.mean(axis=red), x.var(axis=red)          # biased, as Keras 3
    params = {"axis": axis, "epsilon": eps, "momentum": momentum, "center": center, "scale": scale,
              "expected_moving_mean": [float("%.9g" % v) for v in mm * momentum + bmean * (1 - momentum)],
              "expected_moving_variance": [float("%.9g" % v) for v in mv * momentum + bvar * (1 - momentum)]}
    diff = [True, scale, center, False, False]

    def train(x, g, b, m, v):
        y = F.batch_norm(moved(x, ax), None, None, g if scale else None, b if center else None, training=True, eps=eps)
        return y.movedim(1, ax) if y.dim() > 2 else y

    def infer(x, g, b, m, v):
        y = F.batch_norm(moved(x, ax), m, v, g if scale else None, b if center else None, training=False, eps=eps)
        return y.movedim(1, ax) if y.dim() > 2 else y

    fx.add("BatchNormTraining", label, [x, gamma, beta, mm, mv], train, params, diff)
    fx.add("BatchNormInference", label, [x, gamma, beta, mm, mv], infer, params, diff)


bn_case("dense_6x4", (6, 4), -1, 1e-3, 0.99)
bn_case("nhwc_2x3x3x5", (2, 3, 3, 5), -1, 1e-3, 0.9)
bn_case("nhwc_c11", (3, 2, 2, 11), 3, 1e-5, 0.99)
bn_case("nchw_axis1", (2, 4, 3, 3), 1, 1e-3, 0.99)
bn_case("nwc_axis1_of_3", (3, 4, 2), 1, 1e-3, 0.8)
bn_case("no_center_no_scale", (5, 3), -1, 1e-3, 0.99, center=False, scale=False)
bn_case("large_mean", (8, 6), -1, 1e-3, 0.99, offset=50.0)

fx.write()
