"""Expected outputs of the real Keras files in shared/models/keras, computed independently of Cortex.

The weights are read with h5py and the forward pass is written out here in torch (float64) from Keras's documented
semantics (channels_last convolutions with kernels (kh, kw, in, out), 'valid' 2x2 max pooling, Flatten in NHWC
order, BatchNormalization in inference mode: gamma * (x - moving_mean) / sqrt(moving_variance + epsilon) + beta,
Dropout inactive; Embedding a row lookup; LSTM gate blocks i, f, c, o; Keras 2 GRU with reset_after=False, blocks
z, r, h and Keras 2's hard_sigmoid clip(0.2 z + 0.5, 0, 1)). The architectures are the ones each file's config describes (checked by hand against it).
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

# ---- recurrent and embedding files (Keras 2 formulas written out, float64)
def hard_sigmoid_k2(z):  # Keras 2's backend hard_sigmoid: clip(0.2 z + 0.5, 0, 1)
    return torch.clamp(0.2 * z + 0.5, 0.0, 1.0)


ACT = {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "hard_sigmoid": hard_sigmoid_k2, "relu": torch.relu, "linear": lambda z: z}


def embed(ids, table):
    return t(table)[torch.as_tensor(np.asarray(ids, dtype=np.int64))]


def lstm_last(x, k, rk, b, act, ract):  # Keras gate blocks i, f, c, o; h = o * act(c)
    k, rk, b = t(k), t(rk), t(b)
    u = rk.shape[0]
    h = torch.zeros(x.shape[0], u); c = torch.zeros(x.shape[0], u)
    for s in range(x.shape[1]):
        z = x[:, s] @ k + h @ rk + b
        i, f, g, o = ract(z[:, :u]), ract(z[:, u:2 * u]), act(z[:, 2 * u:3 * u]), ract(z[:, 3 * u:])
        c = f * c + i * g
        h = o * act(c)
    return h


def gru_reset_before_last(x, k, rk, b, act, ract):  # Keras 2 reset_after=False: blocks z, r, h; bias (3u)
    k, rk, b = t(k), t(rk), t(b)
    u = rk.shape[0]
    h = torch.zeros(x.shape[0], u)
    for s in range(x.shape[1]):
        xz = x[:, s] @ k + b
        z = ract(xz[:, :u] + h @ rk[:, :u])
        r = ract(xz[:, u:2 * u] + h @ rk[:, u:2 * u])
        hh = act(xz[:, 2 * u:] + (r * h) @ rk[:, 2 * u:])
        h = z * h + (1 - z) * hh
    return h


def cfg_layers(f):
    cfg = json.loads(f.attrs["model_config"])
    return {l["config"]["name"]: l for l in (cfg["config"] if isinstance(cfg["config"], list) else cfg["config"]["layers"])}


# sentiment_lstm.h5: Embedding(2000, 128), LSTM(196, tanh, sigmoid), Dense(3, softmax); dropout inactive at inference
with h5py.File(os.path.join(SRC, "sentiment_lstm.h5"), "r") as f:
    c = cfg_layers(f)["lstm_1"]["config"]
    x = embed(np.load(os.path.join(SRC, "sentiment_lstm.input.npy")), legacy(f, "embedding_1", "embeddings:0"))
    h = lstm_last(x, legacy(f, "lstm_1", "kernel:0"), legacy(f, "lstm_1", "recurrent_kernel:0"), legacy(f, "lstm_1", "bias:0"),
                  ACT[c["activation"]], ACT[c["recurrent_activation"]])
    out["sentiment_lstm"] = enc(dense(h, legacy(f, "dense_1", "kernel:0"), legacy(f, "dense_1", "bias:0"), "softmax").numpy())

# imdb_gru.h5: Embedding(5000, 16), GRU(16, tanh, Keras 2 hard_sigmoid, reset_after=False), Dense(1, sigmoid)
with h5py.File(os.path.join(SRC, "imdb_gru.h5"), "r") as f:
    c = cfg_layers(f)["gru_1"]["config"]
    assert c["reset_after"] is False and c["recurrent_activation"] == "hard_sigmoid"
    x = embed(np.load(os.path.join(SRC, "imdb_gru.input.npy")), legacy(f, "embedding_5", "embeddings:0"))
    h = gru_reset_before_last(x, legacy(f, "gru_1", "kernel:0"), legacy(f, "gru_1", "recurrent_kernel:0"), legacy(f, "gru_1", "bias:0"),
                              ACT[c["activation"]], ACT[c["recurrent_activation"]])
    out["imdb_gru"] = enc(torch.sigmoid(h @ t(legacy(f, "dense_5", "kernel:0")) + t(legacy(f, "dense_5", "bias:0"))).numpy())

# wide_and_deep.h5: inputs (input_9 dense, input_1..8 ids, input_10 wide); the graph as its config lists it
with h5py.File(os.path.join(SRC, "wide_and_deep.h5"), "r") as f:
    L = cfg_layers(f)
    ins = [np.load(os.path.join(SRC, f"wide_and_deep.input.{i}.npy")) for i in range(10)]
    order = ["input_9"] + [f"input_{i}" for i in range(1, 9)] + ["input_10"]
    v = {n: ins[i] for i, n in enumerate(order)}
    v = {n: (t(a) if n in ("input_9", "input_10") else a) for n, a in v.items()}
    eps = lambda n: L[n]["config"]["epsilon"]
    def bn(x, n):
        g, b, m, var = (t(legacy(f, n, k + ":0")) for k in ("gamma", "beta", "moving_mean", "moving_variance"))
        return g * (x - m) / torch.sqrt(var + eps(n)) + b
    emb = [embed(v[f"input_{i}"], legacy(f, f"embedding_{i}", "embeddings:0")).reshape(64, -1) for i in range(1, 9)]
    d1 = v["input_9"] @ t(legacy(f, "dense_1", "kernel:0"))
    x = torch.relu(torch.cat([d1] + emb, -1))
    x = bn(x, "batch_normalization_1")
    x = bn(torch.relu(x @ t(legacy(f, "dense_2", "kernel:0"))), "batch_normalization_2")
    x = bn(torch.relu(x @ t(legacy(f, "dense_3", "kernel:0"))), "batch_normalization_3")
    x = torch.relu(x @ t(legacy(f, "dense_4", "kernel:0")) + t(legacy(f, "dense_4", "bias:0")))
    x = torch.cat([x, v["input_10"]], -1)
    out["wide_and_deep"] = enc(torch.sigmoid(x @ t(legacy(f, "dense_5", "kernel:0")) + t(legacy(f, "dense_5", "bias:0"))).numpy())

with open(os.path.join(FIXTURES, "keras_files_reference.json"), "w") as fh:
    json.dump(out, fh)
print({k: v["shape"] for k, v in out.items()})
