"""Reference values for Cortex's Keras losses, computed with PyTorch in float64.

For every case this script fixes small inputs (float64 values rounded to float32, so that the C# code sees exactly the
same numbers) and computes, with Keras 3's formulas (keras/src/losses/losses.py and the TensorFlow backend's
binary/categorical/sparse cross-entropies in keras/src/backend/tensorflow/nn.py):

  * ``per_sample``: the loss per sample (Keras's loss *function*, i.e. reduction "none"),
  * ``reduced``:    the "sum_over_batch_size" reduction (sum of the per-sample values / their number),
  * ``grad``:       d reduced / d y_pred by torch autograd in float64.

Where PyTorch's own function is the same math as Keras's, it is used, so the reference does not just restate the C#
code:

  mean_squared_error         F.mse_loss(reduction="none").mean(-1)
  mean_absolute_error        F.l1_loss(reduction="none").mean(-1)
  binary_crossentropy        logits: F.binary_cross_entropy_with_logits;
                             probabilities: F.binary_cross_entropy on y_pred clipped to [eps, 1 - eps] (Keras clips;
                             torch alone would not)
  categorical_crossentropy   logits: F.cross_entropy with soft targets (and its label_smoothing, the same t(1-s) + s/C)
  sparse_categorical_ce      logits: F.cross_entropy; probabilities: F.cross_entropy(log(clip(p, eps, 1 - eps))),
                             which is exactly what Keras's TensorFlow backend does
  kl_divergence              F.kl_div(log p, t) on both clipped to [eps, 1] (Keras clips)
  poisson                    F.poisson_nll_loss(log_input=False, eps=1e-7): p - t log(p + eps)
  cosine_similarity          -F.cosine_similarity
  huber                      F.huber_loss(delta=...)
  log_cosh                   log(cosh(x)) in float64 (Keras evaluates x + softplus(-2x) - log 2, the same function)

and Keras's formula is written out in torch where Keras differs from anything in PyTorch:

  mean_absolute_percentage_error   100 mean(|t - p| / max(|t|, eps))
  mean_squared_logarithmic_error   mean((log(max(p, eps) + 1) - log(max(t, eps) + 1))^2)
  categorical_crossentropy (probabilities): p / sum(p), clipped to [eps, 1 - eps], then -sum(t log p)
  hinge, squared_hinge             labels in {0, 1} mapped to {-1, 1} first, then mean(max(1 - t p, 0)) (squared)
  categorical_hinge                max(max((1 - t) p) - sum(t p) + 1, 0)

eps is Keras's 1e-7 as a float32 (Cortex's Backend.Epsilon), and 1 - eps is rounded to float32 as TensorFlow would.

Output: ``tests/Cortex.Tests/Fixtures/losses.json``, a list of cases

    {"loss": Keras name, "case": label, "config": {constructor arguments},
     "y_true": {"shape", "data"}, "y_pred": {"shape", "data"},
     "per_sample": {"shape", "data"}, "reduced": float, "grad": {"shape", "data"},
     "gradcheck": bool}      # false where y_pred sits on a clip bound (finite differences are one-sided there)

read by ``tests/Cortex.Tests/Losses/LossReferenceTests.cs``. Cases keep away from kinks (hinge at 1 - tp = 0, |x| at
0, Huber at |x| = delta) except the clipping cases, which are there on purpose.

Regenerate from the repository root:

    /usr/bin/python3 tests/reference/losses_reference.py

The output is deterministic (fixed values and seed) and small.
"""

import json
import math
import os

import numpy as np
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Cortex.Tests", "Fixtures", "losses.json")

EPS = float(np.float32(1e-7))
ONE_MINUS_EPS = float(np.float32(1.0) - np.float32(1e-7))

rng = np.random.default_rng(31415)
cases = []


def f32(a):
    """float64 array holding float32-representable values."""
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def uniform(lo, hi, *shape):
    return f32(rng.uniform(lo, hi, size=shape))


def normal(*shape, scale=1.0):
    return f32(rng.normal(0.0, scale, size=shape))


def tensor_json(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": [float(v) for v in a.reshape(-1)]}


def add(loss, label, fn, y_true, y_pred, config=None, gradcheck=True):
    """fn(y_true, y_pred) -> per-sample losses (torch, float64); records values and the reduced loss's gradient."""
    t = torch.tensor(np.asarray(y_true, dtype=np.float64))
    p = torch.tensor(np.asarray(y_pred, dtype=np.float64), requires_grad=True)
    per_sample = fn(t, p)
    n = per_sample.numel()
    reduced = per_sample.sum() / n if per_sample.dim() > 0 else per_sample
    (grad,) = torch.autograd.grad(reduced, p)
    cases.append({
        "loss": loss,
        "case": label,
        "config": config or {},
        "y_true": tensor_json(y_true),
        "y_pred": tensor_json(y_pred),
        "per_sample": tensor_json(per_sample.detach().numpy()),
        "reduced": float(reduced.detach()),
        "grad": tensor_json(grad.numpy()),
        "gradcheck": gradcheck,
    })


def same_rank(t, p):
    """Keras's squeeze_or_expand_to_same_rank for the (n,) vs (n, 1) cases used here."""
    if t.dim() == p.dim() - 1 and p.shape[-1] == 1:
        t = t.unsqueeze(-1)
    return t, p


# ----------------------------------------------------------------------------- data

one_hot = f32([[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0]])
soft = f32([[0.1, 0.7, 0.2], [0.5, 0.25, 0.25], [0.0, 0.3, 0.7], [0.2, 0.2, 0.6]])
binary_4x1 = f32([[1], [0], [0], [1]])
binary_4x3 = f32([[1, 0, 1], [0, 0, 1], [1, 1, 0], [0, 1, 0]])
probs_4x3 = uniform(0.05, 0.95, 4, 3)
probs_4x1 = uniform(0.05, 0.95, 4, 1)
logits_4x3 = normal(4, 3, scale=2.0)
logits_4x1 = normal(4, 1, scale=2.0)
regress_true = f32(rng.uniform(0.5, 3.0, size=(4, 3)) * np.where(rng.random((4, 3)) < 0.3, -1, 1))


def regression_errors(shape):
    """|error| in [0.1, 1.5], at least 0.08 away from the Huber deltas used below (1 and 0.5), random signs."""
    e = rng.uniform(0.1, 1.5, size=shape)
    while True:
        near = (np.abs(e - 1.0) < 0.08) | (np.abs(e - 0.5) < 0.08)
        if not near.any():
            return e * np.where(rng.random(shape) < 0.5, -1, 1)
        e[near] = rng.uniform(0.1, 1.5, size=int(near.sum()))


regress_pred = f32(regress_true + regression_errors((4, 3)))
positive_true = uniform(0.0, 4.0, 4, 3)
positive_pred = uniform(0.2, 4.0, 4, 3)


# ----------------------------------------------------------------------------- regression losses

def mse(t, p):
    t, p = same_rank(t, p)
    return F.mse_loss(p, t, reduction="none").mean(-1)


def mae(t, p):
    t, p = same_rank(t, p)
    return F.l1_loss(p, t, reduction="none").mean(-1)


def mape(t, p):
    t, p = same_rank(t, p)
    return 100.0 * (torch.abs(t - p) / torch.clamp(torch.abs(t), min=EPS)).mean(-1)


def msle(t, p):
    t, p = same_rank(t, p)
    first = torch.log(torch.clamp(p, min=EPS) + 1.0)
    second = torch.log(torch.clamp(t, min=EPS) + 1.0)
    return ((first - second) ** 2).mean(-1)


def huber(delta):
    def fn(t, p):
        t, p = same_rank(t, p)
        return F.huber_loss(p, t, reduction="none", delta=delta).mean(-1)
    return fn


def log_cosh(t, p):
    t, p = same_rank(t, p)
    return torch.log(torch.cosh(p - t)).mean(-1)


def poisson(t, p):
    t, p = same_rank(t, p)
    return F.poisson_nll_loss(p, t, log_input=False, full=False, eps=1e-7, reduction="none").mean(-1)


def cosine(t, p):
    return -F.cosine_similarity(t, p, dim=-1, eps=1e-7)


def kld(t, p):
    tc = torch.clamp(t, EPS, 1.0)
    pc = torch.clamp(p, EPS, 1.0)
    return F.kl_div(torch.log(pc), tc, reduction="none").sum(-1)


add("mean_squared_error", "4x3", mse, regress_true, regress_pred)
add("mean_squared_error", "ytrue_rank1_vs_4x1", mse, regress_true[:, 0], regress_pred[:, :1])
add("mean_absolute_error", "4x3", mae, regress_true, regress_pred)
add("mean_absolute_error", "ytrue_rank1_vs_4x1", mae, regress_true[:, 0], regress_pred[:, :1])
add("mean_absolute_percentage_error", "4x3", mape, regress_true, regress_pred)
zero_target = regress_true.copy()
zero_target[1, 2] = 0.0
add("mean_absolute_percentage_error", "zero_target", mape, zero_target, regress_pred, gradcheck=False)
add("mean_squared_logarithmic_error", "4x3", msle, positive_true, positive_pred)
negative_pred = positive_pred.copy()
negative_pred[0, 1] = -0.5
negative_pred[2, 0] = -2.0
add("mean_squared_logarithmic_error", "negative_clipped", msle, positive_true, negative_pred, gradcheck=False)
add("huber", "4x3_delta1", huber(1.0), regress_true, regress_pred, {"delta": 1.0})
add("huber", "4x3_delta0.5", huber(0.5), regress_true, regress_pred, {"delta": 0.5})
add("log_cosh", "4x3", log_cosh, regress_true, regress_pred)
add("poisson", "4x3", poisson, positive_true, positive_pred)
add("cosine_similarity", "4x3", cosine, regress_true, regress_pred)
zero_row = regress_true.copy()
zero_row[2, :] = 0.0
add("cosine_similarity", "zero_true_row", cosine, zero_row, regress_pred)
add("kl_divergence", "soft_4x3", kld, soft, probs_4x3)
add("kl_divergence", "one_hot_4x3", kld, one_hot, probs_4x3)


# ----------------------------------------------------------------------------- hinge losses

def to_hinge(t):
    return 2.0 * t - 1.0 if bool(torch.all((t == 0) | (t == 1))) else t


def hinge(t, p):
    t, p = same_rank(t, p)
    return torch.clamp(1.0 - to_hinge(t) * p, min=0.0).mean(-1)


def squared_hinge(t, p):
    t, p = same_rank(t, p)
    return (torch.clamp(1.0 - to_hinge(t) * p, min=0.0) ** 2).mean(-1)


def categorical_hinge(t, p):
    pos = (t * p).sum(-1)
    neg = ((1.0 - t) * p).amax(-1)
    return torch.clamp(neg - pos + 1.0, min=0.0)


hinge_pred = f32([[0.6, -0.3, 1.4], [-0.8, 0.2, 0.5], [1.7, 0.4, -1.2], [0.3, -0.6, 0.9]])
plus_minus = 2.0 * binary_4x3 - 1.0
add("hinge", "binary01_4x3", hinge, binary_4x3, hinge_pred)
add("hinge", "plus_minus_4x3", hinge, plus_minus, hinge_pred)
add("hinge", "binary01_ytrue_rank1_vs_4x1", hinge, binary_4x1[:, 0], hinge_pred[:, :1])
add("squared_hinge", "binary01_4x3", squared_hinge, binary_4x3, hinge_pred)
add("squared_hinge", "plus_minus_4x3", squared_hinge, plus_minus, hinge_pred)
add("categorical_hinge", "one_hot_4x3", categorical_hinge, one_hot, f32([[0.2, 0.5, 0.1], [0.9, 0.3, 1.6], [0.1, 0.4, 0.8], [0.3, 0.7, 0.45]]))


# ----------------------------------------------------------------------------- cross-entropies

def bce(from_logits, smoothing=0.0):
    def fn(t, p):
        t, p = same_rank(t, p)
        if smoothing:
            t = t * (1.0 - smoothing) + 0.5 * smoothing
        if from_logits:
            e = F.binary_cross_entropy_with_logits(p, t, reduction="none")
        else:
            e = F.binary_cross_entropy(torch.clamp(p, EPS, ONE_MINUS_EPS), t, reduction="none")
        return e.mean(-1)
    return fn


def cce(from_logits, smoothing=0.0):
    def fn(t, p):
        if from_logits:
            return F.cross_entropy(p, t, reduction="none", label_smoothing=smoothing)
        if smoothing:
            t = t * (1.0 - smoothing) + smoothing / t.shape[-1]
        q = torch.clamp(p / p.sum(-1, keepdim=True), EPS, ONE_MINUS_EPS)
        return -(t * torch.log(q)).sum(-1)
    return fn


def scce(from_logits):
    def fn(t, p):
        labels = t.reshape(-1).long()
        z = p if from_logits else torch.log(torch.clamp(p, EPS, ONE_MINUS_EPS))
        return F.cross_entropy(z, labels, reduction="none")
    return fn


add("binary_crossentropy", "probs_4x1", bce(False), binary_4x1, probs_4x1)
add("binary_crossentropy", "probs_ytrue_rank1_vs_4x1", bce(False), binary_4x1[:, 0], probs_4x1)
add("binary_crossentropy", "probs_multilabel_4x3", bce(False), binary_4x3, probs_4x3)
add("binary_crossentropy", "probs_smoothing0.1", bce(False, 0.1), binary_4x3, probs_4x3, {"label_smoothing": 0.1})
clipped_probs = probs_4x3.copy()
clipped_probs[0, 0] = 0.0
clipped_probs[1, 2] = 1.0
clipped_probs[2, 1] = 1e-9
add("binary_crossentropy", "probs_clipped", bce(False), binary_4x3, clipped_probs, gradcheck=False)
add("binary_crossentropy", "logits_4x1", bce(True), binary_4x1, logits_4x1, {"from_logits": True})
add("binary_crossentropy", "logits_multilabel_4x3", bce(True), binary_4x3, logits_4x3, {"from_logits": True})
add("binary_crossentropy", "logits_smoothing0.2", bce(True, 0.2), binary_4x3, logits_4x3, {"from_logits": True, "label_smoothing": 0.2})
extreme_logits = f32([[30.0, -30.0, 0.0], [-15.0, 12.0, 0.5], [80.0, -80.0, 3.0], [-0.25, 45.0, -45.0]])
add("binary_crossentropy", "logits_extreme", bce(True), binary_4x3, extreme_logits, {"from_logits": True})

unnormalised = f32(probs_4x3 * np.array([[1.0], [1.7], [0.6], [2.3]]))
add("categorical_crossentropy", "probs_one_hot", cce(False), one_hot, f32(probs_4x3 / probs_4x3.sum(-1, keepdims=True)))
add("categorical_crossentropy", "probs_unnormalised_soft", cce(False), soft, unnormalised)
add("categorical_crossentropy", "probs_smoothing0.2", cce(False, 0.2), one_hot, unnormalised, {"label_smoothing": 0.2})
clipped_cat = f32([[0.0, 0.6, 0.4], [0.5, 0.5, 0.0], [0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
add("categorical_crossentropy", "probs_clipped", cce(False), one_hot, clipped_cat, gradcheck=False)
add("categorical_crossentropy", "logits_one_hot", cce(True), one_hot, logits_4x3, {"from_logits": True})
add("categorical_crossentropy", "logits_soft", cce(True), soft, logits_4x3, {"from_logits": True})
add("categorical_crossentropy", "logits_smoothing0.1", cce(True, 0.1), one_hot, logits_4x3, {"from_logits": True, "label_smoothing": 0.1})

labels = f32([1, 0, 2, 1])
add("sparse_categorical_crossentropy", "probs_labels_n", scce(False), labels, f32(probs_4x3 / probs_4x3.sum(-1, keepdims=True)))
# Rows that do not sum to 1 (all values below 1 - eps, so nothing is clipped): Keras's sparse form renormalises them
# through the softmax of their logarithms.
add("sparse_categorical_crossentropy", "probs_labels_nx1_unnormalised", scce(False), labels.reshape(4, 1),
    f32(probs_4x3 * np.array([[1.0], [0.5], [0.6], [0.8]])))
add("sparse_categorical_crossentropy", "probs_clipped", scce(False), labels, clipped_cat, gradcheck=False)
add("sparse_categorical_crossentropy", "logits_labels_n", scce(True), labels, logits_4x3, {"from_logits": True})
add("sparse_categorical_crossentropy", "logits_labels_nx1", scce(True), labels.reshape(4, 1), logits_4x3, {"from_logits": True})


with open(OUT, "w") as f:
    json.dump(cases, f, indent=1)
    f.write("\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)}")
