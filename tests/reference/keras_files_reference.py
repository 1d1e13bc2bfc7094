"""Expected outputs of the real Keras files in shared/models/keras, computed independently of Cortex.

The weights are read with h5py and the forward pass is written out here in torch (float64) from Keras's documented
semantics (channels_last convolutions with kernels (kh, kw, in, out), 'valid' 2x2 max pooling, Flatten in NHWC
order, BatchNormalization in inference mode: gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta,
Dropout inactive). The architectures are the ones each file's config describes (checked by hand against it).
Run: /usr/bin/python3 tests/reference/keras_files_reference.py [shared/models/keras]
Writes tests/Cortex.Tests/Fixtures/keras_files_reference.json: {name: {"shape": [...], "data": [...]}}.
"""
import io
import json
import os
import sys
import zipfile

import h5py
import numpy as np
import torch

from reference_common import FIXTURES, enc

torch.set_default_dtype(torch.float64)
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "..", "..", "shared", "models", "keras")
if not os.path.isdir(SRC):
    SRC = "/work/shared/models/keras"


def t(a):
    return torch.tensor(np.asarray(a, dtype=np.float64))


def conv_relu(x, k, b):  # x NHWC, k (kh, kw, in, out)
    y = torch.nn.functional.conv2d(x.permute(0, 3, 1, 2), t(k).permute(3, 2, 0, 1), t(b))
    return torch.relu(y).permute(0, 2, 3, 1)


def pool(x):
    return torch.nn.functional.max_pool2d(x.permute(0, 3, 1, 2), 2, 2).permute(0, 2, 3, 1)


def dense(x, k, b, act):
    y = x @ t(k) + t(b)
    return {"relu": torch.relu, "softmax": lambda z: torch.softmax(z, -1), "linear": lambda z: z}[act](y)


def legacy(f, layer, name):
    return f["model_weights"][layer][layer][name][()]


out = {}

# mnist_cnn.h5: Conv2D(32) MaxPool Conv2D(64) MaxPool Conv2D(64) Flatten Dense(64, relu) Dense(10, softmax)
with h5py.File(os.path.join(SRC, "mnist_cnn.h5"), "r") as f:
    w = lambda l, n: legacy(f, l, n + ":0")
    x = t(np.load(os.path.join(SRC, "mnist_cnn.input.npy")))
    x = pool(conv_relu(x, w("conv2d_1", "kernel"), w("conv2d_1", "bias")))
    x = pool(conv_relu(x, w("conv2d_2", "kernel"), w("conv2d_2", "bias")))
    x = conv_relu(x, w("conv2d_3", "kernel"), w("conv2d_3", "bias"))
    x = x.reshape(x.shape[0], -1)
    x = dense(x, w("dense_1", "kernel"), w("dense_1", "bias"), "relu")
    out["mnist_cnn"] = enc(dense(x, w("dense_2", "kernel"), w("dense_2", "bias"), "softmax").numpy())

# crin_mlp.h5: (BatchNormalization, Dense(128, relu), Dropout) x3, Dense(1, linear); epsilon 0.001
with h5py.File(os.path.join(SRC, "crin_mlp.h5"), "r") as f:
    cfg = json.loads(f.attrs["model_config"])
    layers = cfg["config"] if isinstance(cfg["config"], list) else cfg["config"]["layers"]
    x = t(np.load(os.path.join(SRC, "crin_mlp.input.npy")))
    for l in layers:
        c, n = l["config"], l["config"]["name"]
        if l["class_name"] == "BatchNormalization":
            g, b, m, v = (t(legacy(f, n, k + ":0")) for k in ("gamma", "beta", "moving_mean", "moving_variance"))
            x = g * (x - m) / torch.sqrt(v + c["epsilon"]) + b
        elif l["class_name"] == "Dense":
            x = dense(x, legacy(f, n, "kernel:0"), legacy(f, n, "bias:0"), c["activation"])
    out["crin_mlp"] = enc(x.numpy())

# mnist_cnn_k3.keras: Conv2D(32) MaxPool Conv2D(64) MaxPool Flatten Dropout Dense(128, relu) Dense(10, softmax)
with zipfile.ZipFile(os.path.join(SRC, "mnist_cnn_k3.keras")) as z:
    with h5py.File(io.BytesIO(z.read("model.weights.h5")), "r") as f:
        w = lambda l, i: f["layers"][l]["vars"][str(i)][()]
        x = t(np.load(os.path.join(SRC, "mnist_cnn_k3.input.npy")))
        x = pool(conv_relu(x, w("conv2d", 0), w("conv2d", 1)))
        x = pool(conv_relu(x, w("conv2d_1", 0), w("conv2d_1", 1)))
        x = x.reshape(x.shape[0], -1)
        x = dense(x, w("dense", 0), w("dense", 1), "relu")
        out["mnist_cnn_k3"] = enc(dense(x, w("dense_1", 0), w("dense_1", 1), "softmax").numpy())

with open(os.path.join(FIXTURES, "keras_files_reference.json"), "w") as fh:
    json.dump(out, fh)
print({k: v["shape"] for k, v in out.items()})
