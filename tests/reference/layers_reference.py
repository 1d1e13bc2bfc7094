"""Reference values for Cortex's small Keras layers (reshaping and activation layers), computed with PyTorch in float64.

Each case is named after the Keras layer (or Cortex op) it checks; ``params`` holds the layer's arguments as the C#
test passes them. Inputs are channels_last unless ``data_format`` says otherwise; the torch side permutes to NCHW
where ``F.pad`` / ``F.interpolate`` want it. Cases avoid the kinks of the rectifiers (inputs at least 0.2 away from
0, theta and max_value).

Output: ``tests/Cortex.Tests/Fixtures/layers_reference.json``, read by ``tests/Cortex.Tests/Layers/LayersReferenceTests.cs``.

Regenerate (from the repository root, with Debian's python3-torch and python3-numpy):

    /usr/bin/python3 tests/reference/layers_reference.py
"""

import numpy as np
import torch
import torch.nn.functional as F

from reference_common import Fixture, f32

fx = Fixture("layers_reference.json", seed=31337)
normal, away, add = fx.normal, fx.away_from_zero, fx.add


def nhwc_to_nchw(x):
    return x.permute(0, 3, 1, 2)


def nchw_to_nhwc(x):
    return x.permute(0, 2, 3, 1)


# ----------------------------------------------------------------------------- padding and cropping

add("ZeroPadding1D", "default", [normal(2, 3, 2)], lambda x: F.pad(x, (0, 0, 1, 1)), {"left": 1, "right": 1})
add("ZeroPadding1D", "asym_2_0", [normal(2, 3, 2)], lambda x: F.pad(x, (0, 0, 2, 0)), {"left": 2, "right": 0})

for label, (t, b, l, r), fmt in [("default", (1, 1, 1, 1), "channels_last"),
                                 ("asym_1_2_0_3", (1, 2, 0, 3), "channels_last"),
                                 ("asym_cf_2_0_1_1", (2, 0, 1, 1), "channels_first")]:
    if fmt == "channels_last":
        x = normal(2, 3, 4, 2)
        fn = lambda x, t=t, b=b, l=l, r=r: nchw_to_nhwc(F.pad(nhwc_to_nchw(x), (l, r, t, b)))
    else:
        x = normal(2, 2, 3, 4)
        fn = lambda x, t=t, b=b, l=l, r=r: F.pad(x, (l, r, t, b))
    add("ZeroPadding2D", label, [x], fn, {"top": t, "bottom": b, "left": l, "right": r, "data_format": fmt})

add("Pad", "rank1_value", [normal(4)], lambda x: F.pad(x, (2, 1), value=1.5), {"before": [2], "after": [1], "value": 1.5})
add("Pad", "rank3_all_axes", [normal(2, 3, 2)], lambda x: F.pad(x, (1, 0, 0, 2, 1, 1)), {"before": [1, 0, 1], "after": [1, 2, 0], "value": 0.0})

add("Cropping1D", "default", [normal(2, 5, 2)], lambda x: x[:, 1:-1, :], {"left": 1, "right": 1})
add("Cropping1D", "asym_0_2", [normal(2, 5, 2)], lambda x: x[:, 0:3, :], {"left": 0, "right": 2})
add("Cropping2D", "asym_1_0_2_1", [normal(2, 4, 5, 3)], lambda x: x[:, 1:4, 2:4, :],
    {"top": 1, "bottom": 0, "left": 2, "right": 1, "data_format": "channels_last"})
add("Cropping2D", "cf_1_1_0_2", [normal(2, 2, 4, 5)], lambda x: x[:, :, 1:3, 0:3],
    {"top": 1, "bottom": 1, "left": 0, "right": 2, "data_format": "channels_first"})

# ----------------------------------------------------------------------------- up-sampling

add("UpSampling1D", "size3", [normal(2, 3, 2)], lambda x: torch.repeat_interleave(x, 3, dim=1), {"size": 3})
add("UpSampling2D", "nearest_2x3", [normal(2, 3, 2, 2)],
    lambda x: nchw_to_nhwc(F.interpolate(nhwc_to_nchw(x), scale_factor=(2, 3), mode="nearest")),
    {"h": 2, "w": 3, "data_format": "channels_last", "interpolation": "nearest"})
add("UpSampling2D", "nearest_cf_2x2", [normal(1, 2, 2, 3)],
    lambda x: F.interpolate(x, scale_factor=(2, 2), mode="nearest"),
    {"h": 2, "w": 2, "data_format": "channels_first", "interpolation": "nearest"})
add("UpSampling2D", "bilinear_2x2", [normal(2, 3, 4, 2)],
    lambda x: nchw_to_nhwc(F.interpolate(nhwc_to_nchw(x), scale_factor=(2, 2), mode="bilinear", align_corners=False)),
    {"h": 2, "w": 2, "data_format": "channels_last", "interpolation": "bilinear"})
add("UpSampling2D", "bilinear_3x2", [normal(1, 3, 3, 1)],
    lambda x: nchw_to_nhwc(F.interpolate(nhwc_to_nchw(x), scale_factor=(3, 2), mode="bilinear", align_corners=False)),
    {"h": 3, "w": 2, "data_format": "channels_last", "interpolation": "bilinear"})
add("UpSampling2D", "bilinear_cf_2x3", [normal(1, 2, 3, 2)],
    lambda x: F.interpolate(x, scale_factor=(2, 3), mode="bilinear", align_corners=False),
    {"h": 2, "w": 3, "data_format": "channels_first", "interpolation": "bilinear"})

# ----------------------------------------------------------------------------- permute

add("Permute", "2_1", [normal(2, 3, 4)], lambda x: x.permute(0, 2, 1), {"dims": [2, 1]})
add("Permute", "3_1_2", [normal(2, 2, 3, 4)], lambda x: x.permute(0, 3, 1, 2), {"dims": [3, 1, 2]})

# ----------------------------------------------------------------------------- activations

add("LeakyReLU", "default_0.3", [away(3, 4)], lambda x: F.leaky_relu(x, 0.3), {"negative_slope": 0.3})
add("LeakyReLU", "slope_0.05", [away(2, 5)], lambda x: F.leaky_relu(x, 0.05), {"negative_slope": 0.05})

x = away(2, 3, 4)
alpha = f32(fx.rng.uniform(0.05, 0.6, size=(3, 4)))
add("PReLU", "per_element", [x, alpha], lambda x, a: F.relu(x) - a * F.relu(-x), {"shared_axes": None})
x = away(2, 3, 2, 4)
alpha = f32(fx.rng.uniform(0.05, 0.6, size=(1, 1, 4)))
add("PReLU", "shared_1_2", [x, alpha], lambda x, a: F.prelu(nhwc_to_nchw(x), a.reshape(4)).permute(0, 2, 3, 1),
    {"shared_axes": [1, 2]})

add("ELU", "alpha1", [away(3, 4)], lambda x: F.elu(x, 1.0), {"alpha": 1.0})
add("ELU", "alpha0.5", [away(3, 4)], lambda x: F.elu(x, 0.5), {"alpha": 0.5})


def thresholded(theta):
    return lambda x: x * (x > theta).to(x.dtype)


xt = f32(np.array([[-1.3, 0.4, 0.8, 1.25, 2.0], [1.6, -0.2, 0.7, 3.1, 1.21]]))
add("ThresholdedReLU", "theta1", [xt], thresholded(1.0), {"theta": 1.0})
add("ThresholdedReLU", "theta0.5", [xt], thresholded(0.5), {"theta": 0.5})


def keras_relu(slope, max_value, threshold):
    def fn(x):
        top = x if max_value is None else torch.clamp(x, max=max_value)
        return torch.where(x > threshold, top, slope * (x - threshold))
    return fn


xr = f32(np.linspace(-3.05, 7.95, 12).reshape(3, 4))
add("ReLU", "max6", [xr], lambda x: torch.clamp(F.relu(x), max=6.0), {"max_value": 6.0, "negative_slope": 0.0, "threshold": 0.0})
add("ReLU", "max6_via_where", [xr], keras_relu(0.0, 6.0, 0.0), {"max_value": 6.0, "negative_slope": 0.0, "threshold": 0.0})
add("ReLU", "slope0.1_threshold1", [xr], keras_relu(0.1, None, 1.0), {"max_value": None, "negative_slope": 0.1, "threshold": 1.0})
add("ReLU", "all_three", [xr], keras_relu(0.2, 5.0, 0.5), {"max_value": 5.0, "negative_slope": 0.2, "threshold": 0.5})

add("Softmax", "axis-1", [normal(3, 4)], lambda x: F.softmax(x, dim=-1), {"axis": -1})
add("Softmax", "axis1_of_3d", [normal(2, 3, 4)], lambda x: F.softmax(x, dim=1), {"axis": 1})

fx.write()
