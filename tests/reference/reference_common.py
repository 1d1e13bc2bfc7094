"""Shared helpers of the PyTorch reference generators in this folder.

A generator does

    from reference_common import Fixture
    fx = Fixture("conv_reference.json", seed=1234)
    x = fx.normal(2, 5, 5, 3)
    fx.add("Conv2D", "valid_3x3", [x, w], lambda x, w: ..., {"strides": [1, 1]})
    fx.write()

and the C# side reads the file with ``ReferenceFixture.Load("conv_reference.json")``. Each case records the inputs
(float64 values rounded to float32, so that the engine sees exactly the same numbers), the forward output computed
with torch in float64, and for differentiable cases the gradients of ``sum(output * upstream)`` for a fixed random
``upstream``. The format is documented in ``tests/Cortex.Tests/ReferenceFixture.cs``.
"""

import json
import os

import numpy as np
import torch

torch.set_default_dtype(torch.float64)

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Cortex.Tests", "Fixtures")


def f32(a):
    """float64 array holding float32-representable values."""
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def enc(a):
    a = np.asarray(a, dtype=np.float64)
    return {"shape": list(a.shape), "data": [float("%.9g" % v) for v in a.reshape(-1)]}


class Fixture:
    """Collects reference cases and writes them to ``tests/Cortex.Tests/Fixtures/<name>``."""

    def __init__(self, name, seed):
        self.path = os.path.join(FIXTURES, name)
        self.rng = np.random.default_rng(seed)
        self.cases = []

    # -------------------------------------------------------------- inputs

    def normal(self, *shape, scale=1.0):
        return f32(self.rng.normal(0.0, scale, size=shape))

    def uniform(self, lo, hi, *shape):
        return f32(self.rng.uniform(lo, hi, size=shape))

    def away_from_zero(self, *shape, lo=0.2, hi=2.0):
        """Values with lo <= |x| <= hi and random signs (no kinks of relu/abs near)."""
        mag = self.rng.uniform(lo, hi, size=shape)
        sign = np.where(self.rng.uniform(size=shape) < 0.5, -1.0, 1.0)
        return f32(mag * sign)

    def distinct(self, *shape, spread=3.0):
        """Values spaced at least spread/size apart, shuffled: no ties (for max pooling, max reductions)."""
        n = int(np.prod(shape)) if shape else 1
        grid = np.linspace(-spread, spread, n)
        return f32(self.rng.permutation(grid).reshape(shape))

    # -------------------------------------------------------------- cases

    def add(self, op, label, inputs, fn, params=None, diff=None):
        """Records one case. diff[i] says whether input i is differentiated (default: all; none if diff is False)."""
        if diff is None:
            diff = [True] * len(inputs)
        elif diff is False:
            diff = [False] * len(inputs)
        ts = [torch.tensor(x, dtype=torch.float64, requires_grad=d) for x, d in zip(inputs, diff)]
        out = fn(*ts)
        case = {"op": op, "case": label, "params": params or {}, "inputs": [enc(x) for x in inputs]}
        if any(diff):
            upstream = self.normal(*out.shape)
            (out * torch.tensor(upstream)).sum().backward()
            case["upstream"] = enc(upstream)
            case["grads"] = [None if not d else enc(t.grad.numpy() if t.grad is not None else np.zeros(t.shape))
                             for t, d in zip(ts, diff)]
        else:
            case["upstream"] = None
            case["grads"] = [None] * len(inputs)
        case["output"] = enc(out.detach().numpy())
        self.cases.append(case)

    def write(self):
        os.makedirs(os.path.dirname(self.path), exist_ok=True)
        with open(self.path, "w") as fh:
            json.dump(self.cases, fh, separators=(",", ":"))
            fh.write("\n")
        print("wrote %d cases (%d ops) to %s, %d bytes" % (
            len(self.cases), len({c["op"] for c in self.cases}), os.path.normpath(self.path), os.path.getsize(self.path)))
