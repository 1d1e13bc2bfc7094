"""Reference values for Cortex's tensor ops, computed with PyTorch in float64.

For every case this script draws small inputs (float64 values rounded to float32, so that the C# engine sees
exactly the same numbers), computes the op's forward output with torch, and for differentiable ops the gradients
of ``sum(output * upstream)`` for a fixed random ``upstream`` with torch autograd in float64. The activations follow
Keras's definitions (hard_sigmoid: clip(x/6 + 0.5, 0, 1) as in Keras 3; leaky_relu: alpha 0.2; selu: the constants
1.67326324 and 1.05070098), written out here rather than taken from torch.nn.functional where the two differ.

Output: ``tests/Cortex.Tests/Fixtures/ops_reference.json``, a list of cases

    {"op": name, "case": label, "params": {...},
     "inputs":   [{"shape": [...], "data": [...]}, ...],     # data row-major
     "upstream": {"shape", "data"} or null,                  # null for non-differentiable ops
     "output":   {"shape", "data"},
     "grads":    [{"shape", "data"} or null, ...]}           # one per input; null where no gradient is defined

read by ``tests/Cortex.Tests/Engine/OpsReferenceTests.cs``, which maps each ``op`` name to the Cortex call.

Cases avoid the points where the ops' subgradient conventions differ between frameworks (relu/abs/leaky relu at 0,
clip at its bounds, ties in element-wise maximum/minimum); ties in the max/min reductions are included on purpose
(torch.amax/amin share the gradient equally among tied elements, as Cortex and TensorFlow do).

Regenerate (from the repository root, with Debian's python3-torch and python3-numpy):

    /usr/bin/python3 tests/reference/generate_ops_reference.py

The output is deterministic (fixed seeds); keep it small (< 300 KB): small shapes only.
"""

import numpy as np
import torch

from reference_common import Fixture, f32

SELU_ALPHA = 1.67326324
SELU_SCALE = 1.05070098

fx = Fixture("ops_reference.json", seed=20240607)
rng = fx.rng
normal, uniform, away_from_zero, distinct, add = fx.normal, fx.uniform, fx.away_from_zero, fx.distinct, fx.add


# ----------------------------------------------------------------------------- element-wise binary ops

BROADCAST_SHAPES = [
    ("same_2x3", (2, 3), (2, 3)),
    ("bcast_3x1x4_2x4", (3, 1, 4), (2, 4)),
    ("bcast_4_3x4", (4,), (3, 4)),
    ("bcast_3x1_1x4", (3, 1), (1, 4)),
    ("scalar_left", (), (2, 3)),
    ("scalar_right", (2, 3), ()),
]

for label, sa, sb in BROADCAST_SHAPES:
    add("Add", label, [normal(*sa), normal(*sb)], lambda a, b: a + b)
    add("Subtract", label, [normal(*sa), normal(*sb)], lambda a, b: a - b)
    add("Multiply", label, [normal(*sa), normal(*sb)], lambda a, b: a * b)
    add("Divide", label, [normal(*sa), away_from_zero(*sb, lo=0.5, hi=2.0)], lambda a, b: a / b)

for label, sa, sb in BROADCAST_SHAPES[:4]:
    # Inputs on disjoint grids (a on k/7, b on k/7 + 1/14): never tied, so torch's tie-splitting never applies.
    a = f32(np.round(rng.uniform(-2, 2, size=sa) * 7) / 7)
    b = f32(np.round(rng.uniform(-2, 2, size=sb) * 7) / 7 + 1 / 14)
    add("Maximum", label, [a, b], lambda x, y: torch.maximum(x, y))
    add("Minimum", label, [a, b], lambda x, y: torch.minimum(x, y))

# ----------------------------------------------------------------------------- element-wise unary ops

add("AddScalar", "2x3", [normal(2, 3)], lambda x: x + 1.5, {"c": 1.5})
add("AddScalar", "scalar", [normal()], lambda x: x - 0.25, {"c": -0.25})
add("MultiplyScalar", "2x3", [normal(2, 3)], lambda x: x * -2.5, {"c": -2.5})
add("MultiplyScalar", "3x1x2", [normal(3, 1, 2)], lambda x: x * 0.125, {"c": 0.125})
add("Negate", "2x3", [normal(2, 3)], lambda x: -x)
add("Square", "2x3", [normal(2, 3)], lambda x: x * x)
add("Sqrt", "2x3", [uniform(0.3, 4.0, 2, 3)], torch.sqrt)
add("Pow", "p3_mixed_signs", [normal(2, 3)], lambda x: x ** 3, {"p": 3.0})
add("Pow", "p0.5", [uniform(0.3, 3.0, 2, 3)], lambda x: x ** 0.5, {"p": 0.5})
add("Pow", "p-1.5", [uniform(0.3, 3.0, 3, 2)], lambda x: x ** -1.5, {"p": -1.5})
add("Exp", "2x3", [normal(2, 3)], torch.exp)
add("Log", "2x3", [uniform(0.2, 5.0, 2, 3)], torch.log)
add("Abs", "2x4", [away_from_zero(2, 4)], torch.abs)
clip_in = f32([-1.3, -0.7, -0.3, 0.0, 0.2, 0.65, 0.9, 2.0])
add("Clip", "inside_and_outside", [clip_in.reshape(2, 4)], lambda x: torch.clamp(x, -0.5, 0.7), {"min": -0.5, "max": 0.7})

cond = f32([[1, 0, 1], [0, 0, 1]])
add("Where", "same_shape", [cond, normal(2, 3), normal(2, 3)], lambda c, a, b: torch.where(c != 0, a, b), diff=[False, True, True])
add("Where", "bcast_b_scalar", [f32([[0, 1, 1], [1, 0, 0]]), normal(2, 3), normal()],
    lambda c, a, b: torch.where(c != 0, a, b), diff=[False, True, True])
add("Where", "bcast_cond_3x1", [f32([[1], [0], [1]]), normal(3, 4), normal(3, 4)],
    lambda c, a, b: torch.where(c != 0, a, b), diff=[False, True, True])

add("BroadcastTo", "3x1_to_2x3x4", [normal(3, 1)], lambda x: x.expand(2, 3, 4), {"shape": [2, 3, 4]})
add("BroadcastTo", "4_to_3x4", [normal(4)], lambda x: x.expand(3, 4), {"shape": [3, 4]})
add("BroadcastTo", "scalar_to_2x2", [normal()], lambda x: x.expand(2, 2), {"shape": [2, 2]})

# ----------------------------------------------------------------------------- reductions

REDUCE_CASES = [
    ("all", (2, 3, 4), None, False),
    ("all_keepdims", (2, 3), None, True),
    ("axis0", (3, 4), [0], False),
    ("axis-1_keepdims", (3, 4), [-1], True),
    ("axis1_3d", (2, 3, 4), [1], False),
    ("axes0_2", (2, 3, 4), [0, 2], False),
    ("axes-1_-2_keepdims", (2, 3, 4), [-1, -2], True),
    ("axes0_1_adjacent", (2, 3, 4), [0, 1], False),
]


def dims_of(axes, rank):
    return tuple(range(rank)) if axes is None else tuple(axes)


for label, shape, axes, keep in REDUCE_CASES:
    params = {"axes": axes, "keepdims": keep}
    d = dims_of(axes, len(shape))
    add("Sum", label, [normal(*shape)], lambda x: torch.sum(x, dim=d, keepdim=keep), params)
    add("Mean", label, [normal(*shape)], lambda x: torch.mean(x, dim=d, keepdim=keep), params)
    add("Var", label, [normal(*shape)], lambda x: torch.var(x, dim=d, keepdim=keep, unbiased=False), params)
    add("Max", label, [distinct(*shape)], lambda x: torch.amax(x, dim=d, keepdim=keep), params)
    add("Min", label, [distinct(*shape)], lambda x: torch.amin(x, dim=d, keepdim=keep), params)

ties = f32([[1.0, 3.0, 3.0, 2.0], [-1.0, -1.0, -4.0, -1.0], [0.5, 0.25, 0.5, 0.25]])
add("Max", "ties_axis-1", [ties], lambda x: torch.amax(x, dim=-1), {"axes": [-1], "keepdims": False})
add("Min", "ties_axis-1", [ties], lambda x: torch.amin(x, dim=-1), {"axes": [-1], "keepdims": False})
add("Max", "ties_axis0", [ties], lambda x: torch.amax(x, dim=0), {"axes": [0], "keepdims": False})
add("Min", "ties_all", [ties], lambda x: torch.amin(x), {"axes": None, "keepdims": False})

# ----------------------------------------------------------------------------- shape ops

add("Reshape", "2x3x4_to_4x-1", [normal(2, 3, 4)], lambda x: x.reshape(4, -1), {"shape": [4, -1]})
add("Reshape", "6_to_2x3", [normal(6)], lambda x: x.reshape(2, 3), {"shape": [2, 3]})
add("Reshape", "2x3_to_-1", [normal(2, 3)], lambda x: x.reshape(-1), {"shape": [-1]})
add("Transpose", "2d_default", [normal(2, 3)], lambda x: x.t(), {"perm": []})
add("Transpose", "3d_201", [normal(2, 3, 4)], lambda x: x.permute(2, 0, 1), {"perm": [2, 0, 1]})
add("Transpose", "3d_102", [normal(2, 3, 4)], lambda x: x.permute(1, 0, 2), {"perm": [1, 0, 2]})
add("Transpose", "3d_default", [normal(2, 3, 4)], lambda x: x.permute(2, 1, 0), {"perm": []})
add("Slice", "2d", [normal(4, 5)], lambda x: x[1:3, 2:], {"start": [1, 2], "size": [2, -1]})
add("Slice", "3d", [normal(2, 4, 3)], lambda x: x[:, 1:3, 1:3], {"start": [0, 1, 1], "size": [-1, 2, 2]})
add("Slice", "negative_start", [normal(4, 5)], lambda x: x[-2:, 0:3], {"start": [-2, 0], "size": [2, 3]})
add("SliceRows", "5x3_rows1to4", [normal(5, 3)], lambda x: x[1:4], {"start": 1, "count": 3})
add("SliceRows", "3d_first_row", [normal(3, 2, 2)], lambda x: x[0:1], {"start": 0, "count": 1})

add("Concat", "axis0_three", [normal(2, 3), normal(1, 3), normal(3, 3)], lambda *xs: torch.cat(xs, 0), {"axis": 0})
add("Concat", "axis1", [normal(2, 2), normal(2, 3)], lambda *xs: torch.cat(xs, 1), {"axis": 1})
add("Concat", "axis-1_3d", [normal(2, 3, 1), normal(2, 3, 2)], lambda *xs: torch.cat(xs, -1), {"axis": -1})
add("Concat", "axis1_3d", [normal(2, 1, 2), normal(2, 3, 2), normal(2, 2, 2)], lambda *xs: torch.cat(xs, 1), {"axis": 1})
add("Stack", "axis0", [normal(2, 3), normal(2, 3), normal(2, 3)], lambda *xs: torch.stack(xs, 0), {"axis": 0})
add("Stack", "axis1", [normal(2, 3), normal(2, 3)], lambda *xs: torch.stack(xs, 1), {"axis": 1})
add("Stack", "axis-1", [normal(2, 3), normal(2, 3)], lambda *xs: torch.stack(xs, -1), {"axis": -1})
add("Flatten", "2x3x4", [normal(2, 3, 4)], lambda x: x.reshape(2, -1))
add("Flatten", "3x2", [normal(3, 2)], lambda x: x.reshape(3, -1))

# ----------------------------------------------------------------------------- matmul

add("MatMul", "nn", [normal(3, 4), normal(4, 5)], lambda a, b: a @ b, {"transpose_a": False, "transpose_b": False})
add("MatMul", "tn", [normal(4, 3), normal(4, 5)], lambda a, b: a.t() @ b, {"transpose_a": True, "transpose_b": False})
add("MatMul", "nt", [normal(3, 4), normal(5, 4)], lambda a, b: a @ b.t(), {"transpose_a": False, "transpose_b": True})
add("MatMul", "tt", [normal(4, 3), normal(5, 4)], lambda a, b: a.t() @ b.t(), {"transpose_a": True, "transpose_b": True})
add("MatMul", "3d_left", [normal(2, 3, 4), normal(4, 5)], lambda a, b: a @ b, {"transpose_a": False, "transpose_b": False})
add("MatMul", "3d_left_nt", [normal(2, 3, 4), normal(5, 4)], lambda a, b: a @ b.t(), {"transpose_a": False, "transpose_b": True})
add("MatMul", "vector_rows", [normal(1, 4), normal(4, 1)], lambda a, b: a @ b, {"transpose_a": False, "transpose_b": False})

# ----------------------------------------------------------------------------- activations


def keras_elu(x, alpha):
    return torch.where(x > 0, x, alpha * (torch.exp(x) - 1))


def hard_sigmoid(x, slope, offset):
    return torch.clamp(slope * x + offset, 0.0, 1.0)


add("Relu", "2x4", [away_from_zero(2, 4)], torch.relu)
add("Sigmoid", "2x4", [normal(2, 4, scale=2.0)], torch.sigmoid)
add("Tanh", "2x4", [normal(2, 4, scale=1.5)], torch.tanh)
add("Elu", "alpha1", [away_from_zero(2, 4)], lambda x: keras_elu(x, 1.0), {"alpha": 1.0})
add("Elu", "alpha0.5", [away_from_zero(2, 4)], lambda x: keras_elu(x, 0.5), {"alpha": 0.5})
add("Selu", "2x4", [away_from_zero(2, 4)], lambda x: SELU_SCALE * keras_elu(x, SELU_ALPHA))
add("Softplus", "moderate", [normal(2, 4, scale=2.0)], lambda x: torch.clamp(x, min=0) + torch.log1p(torch.exp(-torch.abs(x))))
add("Softplus", "large_magnitudes", [f32([-30.0, -12.0, 12.0, 30.0])],
    lambda x: torch.clamp(x, min=0) + torch.log1p(torch.exp(-torch.abs(x))))
add("Softsign", "2x4", [away_from_zero(2, 4, lo=0.1, hi=3.0)], lambda x: x / (1 + torch.abs(x)))
hs_in = f32([-5.0, -3.5, -2.5, -1.0, 0.0, 0.7, 2.9, 3.2, 6.0, -0.4])
add("HardSigmoid", "keras3_default", [hs_in], lambda x: hard_sigmoid(x, 1 / 6, 0.5))
add("HardSigmoid", "keras2_slope0.2", [f32([-3.0, -2.6, -2.4, -0.5, 0.0, 1.0, 2.4, 2.6, 4.0])],
    lambda x: hard_sigmoid(x, 0.2, 0.5), {"slope": 0.2, "offset": 0.5})
add("LeakyRelu", "default_alpha", [away_from_zero(2, 4)], lambda x: torch.where(x >= 0, x, 0.2 * x))
add("LeakyRelu", "alpha0.1", [away_from_zero(2, 4)], lambda x: torch.where(x >= 0, x, 0.1 * x), {"alpha": 0.1})

add("Softmax", "axis-1", [normal(3, 4)], lambda x: torch.softmax(x, -1), {"axis": -1})
add("Softmax", "axis0", [normal(3, 4)], lambda x: torch.softmax(x, 0), {"axis": 0})
add("Softmax", "3d_axis1", [normal(2, 3, 4)], lambda x: torch.softmax(x, 1), {"axis": 1})
add("Softmax", "large_logits", [f32([[100.0, 101.0, 99.0], [-50.0, 200.0, 199.5]])], lambda x: torch.softmax(x, -1), {"axis": -1})
add("LogSoftmax", "axis-1", [normal(3, 4)], lambda x: torch.log_softmax(x, -1), {"axis": -1})
add("LogSoftmax", "axis0", [normal(3, 4)], lambda x: torch.log_softmax(x, 0), {"axis": 0})
add("LogSoftmax", "3d_axis1", [normal(2, 3, 4)], lambda x: torch.log_softmax(x, 1), {"axis": 1})
add("LogSoftmax", "large_logits", [f32([[100.0, 101.0, 99.0], [-50.0, 200.0, 199.5]])], lambda x: torch.log_softmax(x, -1), {"axis": -1})

# ----------------------------------------------------------------------------- indexing and losses

add("Gather", "repeated_indices", [normal(4, 3), f32([2, 0, 2, 3])], lambda x, i: x[i.long()], diff=[True, False])
add("Gather", "2d_indices", [normal(4, 2), f32([[1, 1], [0, 3]])], lambda x, i: x[i.long()], diff=[True, False])
add("Gather", "1d_table", [normal(5), f32([4, 4, 0])], lambda x, i: x[i.long()], diff=[True, False])
add("Gather", "3d_table", [normal(3, 2, 2), f32([1, 2, 1])], lambda x, i: x[i.long()], diff=[True, False])


def soft_targets(*shape):
    t = rng.uniform(0.0, 1.0, size=shape)
    return f32(t / t.sum(-1, keepdims=True))


def softmax_ce(z, t):
    return -(t * torch.log_softmax(z, -1)).sum(-1)


add("SoftmaxCrossEntropy", "soft_targets", [normal(3, 4), soft_targets(3, 4)], softmax_ce)
add("SoftmaxCrossEntropy", "one_hot_3d", [normal(2, 2, 3), f32(np.eye(3)[[0, 2, 1, 1]].reshape(2, 2, 3))], softmax_ce)
add("SoftmaxCrossEntropy", "unnormalised_targets", [normal(2, 3), f32([[0.5, 1.0, 0.0], [2.0, 0.0, 1.0]])], softmax_ce)
add("SoftmaxCrossEntropy", "large_logits", [f32([[100.0, 0.0, -100.0]]), f32([[0.0, 0.0, 1.0]])], softmax_ce)


def sparse_ce(z, labels):
    n = z.shape[-1]
    flat = torch.nn.functional.cross_entropy(z.reshape(-1, n), labels.reshape(-1).long(), reduction="none")
    return flat.reshape(labels.shape)


add("SparseSoftmaxCrossEntropy", "2d", [normal(4, 5), f32([1, 0, 4, 4])], sparse_ce, diff=[True, False])
add("SparseSoftmaxCrossEntropy", "3d", [normal(2, 3, 4), f32([[0, 3, 1], [2, 2, 0]])], sparse_ce, diff=[True, False])
add("SparseSoftmaxCrossEntropy", "large_logits", [f32([[100.0, 0.0, -100.0]]), f32([2])], sparse_ce, diff=[True, False])

# ----------------------------------------------------------------------------- non-differentiable ops


def first_argmax(axis):
    return lambda x: torch.tensor(np.argmax(x.detach().numpy(), axis=axis).astype(np.float64))


add("ArgMax", "axis-1_ties", [ties], first_argmax(-1), {"axis": -1}, diff=False)
add("ArgMax", "axis0_ties", [ties], first_argmax(0), {"axis": 0}, diff=False)
add("ArgMax", "3d_axis1", [normal(2, 3, 4)], first_argmax(1), {"axis": 1}, diff=False)
add("OneHot", "1d", [f32([0, 2, 1, 2])], lambda i: torch.nn.functional.one_hot(i.long(), 3).double(), {"depth": 3}, diff=False)
add("OneHot", "2d", [f32([[1, 0], [3, 3]])], lambda i: torch.nn.functional.one_hot(i.long(), 4).double(), {"depth": 4}, diff=False)
cmp_a = f32([[1.0, 2.0, 3.0], [0.5, -1.0, 2.0]])
cmp_b = f32([2.0, 2.0, 0.5])
add("Equal", "bcast_with_ties", [cmp_a, cmp_b], lambda a, b: (a == b).double(), diff=False)
add("GreaterEqual", "bcast_with_ties", [cmp_a, cmp_b], lambda a, b: (a >= b).double(), diff=False)
add("Greater", "bcast_with_ties", [cmp_a, cmp_b], lambda a, b: (a > b).double(), diff=False)
add("Sign", "with_zero", [f32([-2.0, 0.0, 3.5, -0.1, 0.0, 1e-3])], torch.sign, diff=False)
add("TakeRows", "repeated_rows", [normal(4, 2)], lambda x: x[[2, 0, 2]], {"rows": [2, 0, 2]}, diff=False)

# ----------------------------------------------------------------------------- write

fx.write()
