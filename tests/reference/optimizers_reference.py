"""Reference trajectories for Cortex's Keras optimizers, computed with Keras 3's update rules in float64 NumPy.

The rules are transcribed from keras-team/keras (Keras 3), ``keras/src/optimizers/``:

    sgd.py       m = mu*m - lr*g;  w += m   (nesterov: w += mu*m - lr*g);  without momentum w -= lr*g
    rmsprop.py   v = rho*v + (1-rho)*g^2;  centered: a = rho*a + (1-rho)*g, denom = v - a^2 + eps, else v + eps;
                 inc = lr*g / sqrt(denom);  momentum: m = mu*m + inc, w -= m;  else w -= inc
    adagrad.py   A += g^2 (A starts at initial_accumulator_value);  w -= lr*g / sqrt(A + eps)
    adadelta.py  Eg = rho*Eg + (1-rho)*g^2;  d = -sqrt(Ed + eps)*g / sqrt(Eg + eps);  Ed = rho*Ed + (1-rho)*d^2;  w += lr*d
    adam.py      alpha = lr*sqrt(1-b2^t)/(1-b1^t);  m += (g-m)*(1-b1);  v += (g^2-v)*(1-b2);  amsgrad: vh = max(vh, v), v = vh;
                 w -= m*alpha / (sqrt(v) + eps)
    adamax.py    m += (g-m)*(1-b1);  u = max(b2*u, |g|);  w -= lr*m / ((1-b1^t)*(u + eps))
    nadam.py     once per step P *= b1*(1 - 0.5*0.96^t);  u_t = b1*(1-0.5*0.96^t), u_t1 = b1*(1-0.5*0.96^(t+1));
                 m += (g-m)*(1-b1);  v += (g^2-v)*(1-b2);
                 m_hat = u_t1*m/(1 - P*u_t1) + (1-u_t)*g/(1 - P);  v_hat = v/(1-b2^t);  w -= lr*m_hat/(sqrt(v_hat) + eps)

with t = iterations + 1. Gradient clipping is base_optimizer.py's ``_clip_gradients`` (clipnorm: g*c/max(|g|, c) per
variable; global_clipnorm: every g times c*min(1/N, 1/c) with N the global norm; clipvalue: clip to [-c, c]); ``decay``
is Keras 2's legacy inverse-time decay lr_t = lr / (1 + decay*iterations) (Keras 3 ignores it; Cortex keeps it).

Cross-check with torch.optim (float64): the rules coincide with PyTorch's where PyTorch's epsilon convention can be
made to agree, i.e. with eps = 0 for RMSprop / Adagrad / Adam / Adamax / NAdam (PyTorch adds eps outside the square
root or bias correction) and with NAdam's momentum_decay = 1 (PyTorch's default 0.004 is 0.96^(0.004 t); the check uses
foreach=True because torch 1.13's single-tensor NAdam multiplies mu_product by mu twice for the next step); Adadelta
agrees with the default eps; SGD with momentum and Nesterov agrees while the learning rate is constant (Keras stores
m = -lr*b, PyTorch b), and differs under decay. The script asserts the agreements and prints the table.

Output: ``tests/Cortex.Tests/Fixtures/optimizers.json``:

    {"variables": [{"name", "shape", "initial": [...]}, ...],     # shared by every case
     "gradients": [[per variable, flat] per step],                  # shared by every case
     "cases": [{"name", "optimizer", "config": {Keras argument names, all of them},
                "expected": [[per variable, flat] per step],         # the weights after each step
                "slots":    [{"name", "data"}, ...]}]}               # optimizer state after the last step, Keras's order

read by ``tests/Cortex.Tests/Optimizers/OptimizerReferenceTests.cs``. All inputs and hyperparameters are float32
values (the engine computes in float32; the reference in float64).

Regenerate (from the repository root):

    /usr/bin/python3 tests/reference/optimizers_reference.py
"""

import json
import os

import numpy as np
import torch

torch.set_default_dtype(torch.float64)   # torch.optim.NAdam keeps mu_product in the default dtype

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Cortex.Tests", "Fixtures", "optimizers.json")

STEPS = 6
SHAPES = {"dense/kernel": (3, 7), "dense/bias": (5,)}   # 21 and 5 elements: vector loops and scalar tails
STEP_SCALES = [1.0, 2.0, 0.5, 3.0, 0.1, 0.2]              # varying magnitudes so that AMSGrad's max matters


def f32(x):
    """The float32 value nearest x, as float64 (a Python float for scalars)."""
    a = np.asarray(x, dtype=np.float64).astype(np.float32).astype(np.float64)
    return float(a) if a.ndim == 0 else a


DEFAULTS = {
    "sgd": {"learning_rate": 0.01, "momentum": 0.0, "nesterov": False},
    "rmsprop": {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False},
    "adagrad": {"learning_rate": 0.001, "initial_accumulator_value": 0.1, "epsilon": 1e-7},
    "adadelta": {"learning_rate": 0.001, "rho": 0.95, "epsilon": 1e-7},
    "adam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False},
    "adamax": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
    "nadam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
}
COMMON = {"clipnorm": None, "clipvalue": None, "global_clipnorm": None, "decay": 0.0}


# ----------------------------------------------------------------------------- Keras 3 rules (float64)

class KerasReference:
    """Keras 3's optimizer on a list of float64 arrays; slots are kept in Keras's creation order."""

    def __init__(self, kind, names, shapes, **config):
        self.kind = kind
        self.c = {k: (f32(v) if isinstance(v, float) else v) for k, v in {**COMMON, **DEFAULTS[kind], **config}.items()}
        self.iterations = 0
        self.names = names
        self.slots = {}         # slot name -> list per variable
        self.order = []         # (slot name, variable index) in Keras's order
        c = self.c

        def group(slot, init=0.0):
            self.slots[slot] = [np.full(s, init) for s in shapes]
            self.order += [(slot, i) for i in range(len(shapes))]

        if kind == "sgd":
            if c["momentum"] != 0:
                group("momentum")
        elif kind == "rmsprop":
            group("velocity")
            if c["momentum"] > 0:
                group("momentum")
            if c["centered"]:
                group("average_gradient")
        elif kind == "adagrad":
            group("accumulator", c["initial_accumulator_value"])
        elif kind == "adadelta":
            group("accumulated_grad")
            group("accumulated_delta_var")
        elif kind in ("adam", "nadam"):
            group("momentum")
            group("velocity")
            if kind == "adam" and c["amsgrad"]:
                group("velocity_hat")
            if kind == "nadam":
                self.u_product = 1.0
        elif kind == "adamax":   # add_optimizer_variables(var_list, ["momentum", "norm"]) interleaves per variable
            self.slots["momentum"] = [np.zeros(s) for s in shapes]
            self.slots["norm"] = [np.zeros(s) for s in shapes]
            self.order = [(n, i) for i in range(len(shapes)) for n in ("momentum", "norm")]

    def clip(self, grads):
        c = self.c
        if c["clipnorm"]:
            out = []
            for g in grads:
                n = np.sqrt(np.sum(g * g))
                out.append(g * c["clipnorm"] / max(n, c["clipnorm"]))
            return out
        if c["global_clipnorm"]:
            n = np.sqrt(sum(np.sum(g * g) for g in grads))
            scale = c["global_clipnorm"] * min(1.0 / n, 1.0 / c["global_clipnorm"])
            return [g * scale for g in grads]
        if c["clipvalue"]:
            return [np.clip(g, -c["clipvalue"], c["clipvalue"]) for g in grads]
        return grads

    def apply(self, grads, weights):
        c = self.c
        grads = self.clip(grads)
        lr = c["learning_rate"] / (1.0 + c["decay"] * self.iterations)
        t = self.iterations + 1
        if self.kind == "nadam":
            self.u_product *= c["beta_1"] * (1.0 - 0.5 * 0.96 ** t)
        for i, (g, w) in enumerate(zip(grads, weights)):
            s = {name: slot[i] for name, slot in self.slots.items()}
            getattr(self, "_" + self.kind)(g, w, s, lr, t)
        self.iterations += 1

    def _sgd(self, g, w, s, lr, t):
        mu = self.c["momentum"]
        if mu != 0:
            m = s["momentum"]
            m[...] = m * mu - g * lr
            if self.c["nesterov"]:
                w += m * mu - g * lr
            else:
                w += m
        else:
            w -= g * lr

    def _rmsprop(self, g, w, s, lr, t):
        c = self.c
        rho, v = c["rho"], s["velocity"]
        v[...] = rho * v + (1 - rho) * g * g
        if c["centered"]:
            a = s["average_gradient"]
            a[...] = rho * a + (1 - rho) * g
            denom = v - a * a + c["epsilon"]
        else:
            denom = v + c["epsilon"]
        inc = lr * g / np.sqrt(denom)
        if c["momentum"] > 0:
            m = s["momentum"]
            m[...] = c["momentum"] * m + inc
            w -= m
        else:
            w -= inc

    def _adagrad(self, g, w, s, lr, t):
        a = s["accumulator"]
        a += g * g
        w -= lr * g / np.sqrt(a + self.c["epsilon"])

    def _adadelta(self, g, w, s, lr, t):
        rho, eps = self.c["rho"], self.c["epsilon"]
        eg, ed = s["accumulated_grad"], s["accumulated_delta_var"]
        eg[...] = rho * eg + (1 - rho) * g * g
        d = -(np.sqrt(ed + eps) * g / np.sqrt(eg + eps))
        ed[...] = rho * ed + (1 - rho) * d * d
        w += lr * d

    def _adam(self, g, w, s, lr, t):
        c = self.c
        b1, b2 = c["beta_1"], c["beta_2"]
        alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
        m, v = s["momentum"], s["velocity"]
        m += (g - m) * (1 - b1)
        v += (g * g - v) * (1 - b2)
        if c["amsgrad"]:
            vh = s["velocity_hat"]
            vh[...] = np.maximum(vh, v)
            v = vh
        w -= m * alpha / (np.sqrt(v) + c["epsilon"])

    def _adamax(self, g, w, s, lr, t):
        c = self.c
        b1, b2 = c["beta_1"], c["beta_2"]
        m, u = s["momentum"], s["norm"]
        m += (g - m) * (1 - b1)
        u[...] = np.maximum(b2 * u, np.abs(g))
        w -= lr * m / ((1 - b1 ** t) * (u + c["epsilon"]))

    def _nadam(self, g, w, s, lr, t):
        c = self.c
        b1, b2 = c["beta_1"], c["beta_2"]
        u_t = b1 * (1.0 - 0.5 * 0.96 ** t)
        u_t1 = b1 * (1.0 - 0.5 * 0.96 ** (t + 1))
        p_t = self.u_product
        p_t1 = p_t * u_t1
        m, v = s["momentum"], s["velocity"]
        m += (g - m) * (1 - b1)
        v += (g * g - v) * (1 - b2)
        m_hat = u_t1 * m / (1 - p_t1) + (1 - u_t) * g / (1 - p_t)
        v_hat = v / (1 - b2 ** t)
        w -= m_hat * lr / (np.sqrt(v_hat) + c["epsilon"])

    def slot_list(self):
        out = [{"name": self.names[i].replace("/", "_") + "_" + n, "data": self.slots[n][i].ravel().tolist()}
               for n, i in self.order]
        if self.kind == "nadam":
            out.append({"name": "u_product", "data": [self.u_product]})
        return out


# ----------------------------------------------------------------------------- data

rng = np.random.default_rng(20250101)
NAMES = list(SHAPES)
INITIAL = [f32(rng.normal(0.0, 1.0, SHAPES[n])) for n in NAMES]
GRADS = [[f32(rng.normal(0.0, 1.0, SHAPES[n]) * STEP_SCALES[k]) for n in NAMES] for k in range(STEPS)]


def run(kind, **config):
    opt = KerasReference(kind, NAMES, [SHAPES[n] for n in NAMES], **config)
    weights = [w.copy() for w in INITIAL]
    trajectory = []
    for k in range(STEPS):
        opt.apply([g.copy() for g in GRADS[k]], weights)
        trajectory.append([w.copy() for w in weights])
    return trajectory, opt


CASES = [
    ("sgd", "sgd", {"learning_rate": 0.1}),
    ("sgd_momentum", "sgd", {"learning_rate": 0.1, "momentum": 0.9}),
    ("sgd_nesterov", "sgd", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    ("rmsprop", "rmsprop", {"learning_rate": 0.01}),
    ("rmsprop_epsilon", "rmsprop", {"learning_rate": 0.01, "rho": 0.8, "epsilon": 0.1}),
    ("rmsprop_momentum", "rmsprop", {"learning_rate": 0.01, "momentum": 0.9}),
    ("rmsprop_centered", "rmsprop", {"learning_rate": 0.01, "centered": True}),
    ("rmsprop_centered_momentum", "rmsprop", {"learning_rate": 0.01, "rho": 0.8, "momentum": 0.5, "epsilon": 1e-3, "centered": True}),
    ("adagrad", "adagrad", {"learning_rate": 0.1}),
    ("adagrad_epsilon", "adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.0, "epsilon": 0.5}),
    ("adadelta", "adadelta", {"learning_rate": 1.0}),
    ("adadelta_rho", "adadelta", {"learning_rate": 0.5, "rho": 0.5, "epsilon": 1e-3}),
    ("adam", "adam", {"learning_rate": 0.01}),
    ("adam_nondefault", "adam", {"learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.95, "epsilon": 1e-3}),
    ("adam_amsgrad", "adam", {"learning_rate": 0.01, "amsgrad": True}),
    ("adamax", "adamax", {"learning_rate": 0.01}),
    ("adamax_nondefault", "adamax", {"learning_rate": 0.02, "beta_1": 0.8, "beta_2": 0.9, "epsilon": 0.1}),
    ("nadam", "nadam", {"learning_rate": 0.01}),
    ("nadam_nondefault", "nadam", {"learning_rate": 0.02, "beta_1": 0.7, "beta_2": 0.9, "epsilon": 1e-3}),
    ("sgd_clipnorm", "sgd", {"learning_rate": 0.1, "momentum": 0.9, "clipnorm": 1.0}),
    ("adam_clipnorm", "adam", {"learning_rate": 0.01, "clipnorm": 0.5}),
    ("sgd_clipvalue", "sgd", {"learning_rate": 0.1, "clipvalue": 0.5}),
    ("rmsprop_clipvalue", "rmsprop", {"learning_rate": 0.01, "clipvalue": 0.3}),
    ("sgd_global_clipnorm", "sgd", {"learning_rate": 0.1, "global_clipnorm": 2.0}),
    ("rmsprop_global_clipnorm", "rmsprop", {"learning_rate": 0.01, "momentum": 0.9, "global_clipnorm": 1.0}),
    ("sgd_decay", "sgd", {"learning_rate": 0.1, "momentum": 0.9, "decay": 0.5}),
    ("adam_decay", "adam", {"learning_rate": 0.01, "decay": 0.1}),
]


# ----------------------------------------------------------------------------- torch cross-check

def torch_run(make, steps=STEPS, lr_schedule=None):
    params = [torch.tensor(w.copy(), dtype=torch.float64, requires_grad=True) for w in INITIAL]
    opt = make(params)
    out = []
    for k in range(steps):
        if lr_schedule is not None:
            for grp in opt.param_groups:
                grp["lr"] = lr_schedule(k)
        for p, g in zip(params, GRADS[k]):
            p.grad = torch.tensor(g, dtype=torch.float64)
        opt.step()
        out.append([p.detach().numpy().copy() for p in params])
    return out


def sig(a):
    """A flat list with 10 significant digits (the engine computes in float32)."""
    return [float(f"{x:.10g}") for x in np.ravel(a)]


def close(a, b):
    return all(np.allclose(x, y, rtol=1e-10, atol=1e-12) for sa, sb in zip(a, b) for x, y in zip(sa, sb))


def cross_check():
    o = torch.optim
    rows = [
        ("SGD", {"learning_rate": 0.1}, lambda p: o.SGD(p, lr=f32(0.1)), "sgd", True),
        ("SGD momentum", {"learning_rate": 0.1, "momentum": 0.9}, lambda p: o.SGD(p, lr=f32(0.1), momentum=f32(0.9)), "sgd", True),
        ("SGD nesterov", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True},
         lambda p: o.SGD(p, lr=f32(0.1), momentum=f32(0.9), nesterov=True), "sgd", True),
        ("RMSprop eps=0", {"learning_rate": 0.01, "epsilon": 0.0}, lambda p: o.RMSprop(p, lr=f32(0.01), alpha=f32(0.9), eps=0.0), "rmsprop", True),
        ("RMSprop momentum eps=0", {"learning_rate": 0.01, "momentum": 0.9, "epsilon": 0.0},
         lambda p: o.RMSprop(p, lr=f32(0.01), alpha=f32(0.9), momentum=f32(0.9), eps=0.0), "rmsprop", True),
        ("RMSprop centered eps=0", {"learning_rate": 0.01, "centered": True, "epsilon": 0.0},
         lambda p: o.RMSprop(p, lr=f32(0.01), alpha=f32(0.9), centered=True, eps=0.0), "rmsprop", True),
        ("RMSprop eps=1e-7 (Keras: inside sqrt)", {"learning_rate": 0.01},
         lambda p: o.RMSprop(p, lr=f32(0.01), alpha=f32(0.9), eps=f32(1e-7)), "rmsprop", False),
        ("Adagrad eps=0", {"learning_rate": 0.1, "epsilon": 0.0},
         lambda p: o.Adagrad(p, lr=f32(0.1), initial_accumulator_value=f32(0.1), eps=0.0), "adagrad", True),
        ("Adadelta", {"learning_rate": 1.0}, lambda p: o.Adadelta(p, lr=1.0, rho=f32(0.95), eps=f32(1e-7)), "adadelta", True),
        ("Adam eps=0", {"learning_rate": 0.01, "epsilon": 0.0}, lambda p: o.Adam(p, lr=f32(0.01), betas=(f32(0.9), f32(0.999)), eps=0.0), "adam", True),
        ("Adam amsgrad eps=0", {"learning_rate": 0.01, "epsilon": 0.0, "amsgrad": True},
         lambda p: o.Adam(p, lr=f32(0.01), betas=(f32(0.9), f32(0.999)), eps=0.0, amsgrad=True), "adam", True),
        ("Adam eps=1e-3 (Keras: epsilon hat)", {"learning_rate": 0.01, "epsilon": 1e-3},
         lambda p: o.Adam(p, lr=f32(0.01), betas=(f32(0.9), f32(0.999)), eps=f32(1e-3)), "adam", False),
        ("Adamax eps=0", {"learning_rate": 0.01, "epsilon": 0.0}, lambda p: o.Adamax(p, lr=f32(0.01), betas=(f32(0.9), f32(0.999)), eps=0.0), "adamax", True),
        ("NAdam eps=0 momentum_decay=1", {"learning_rate": 0.01, "epsilon": 0.0},
         lambda p: o.NAdam(p, lr=f32(0.01), betas=(f32(0.9), f32(0.999)), eps=0.0, momentum_decay=1.0, foreach=True), "nadam", True),
    ]
    print(f"{'torch.optim cross-check':45s} agrees")
    for label, config, make, kind, expect in rows:
        keras, _ = run(kind, **config)
        agrees = close(keras, torch_run(make))
        print(f"  {label:43s} {agrees}")
        assert agrees == expect, label
    # Under a changing learning rate the momentum conventions part ways (Keras: m = mu*m - lr*g; torch: b = mu*b + g).
    keras, _ = run("sgd", learning_rate=0.1, momentum=0.9, decay=0.5)
    lr0 = f32(0.1)
    torch_traj = torch_run(lambda p: o.SGD(p, lr=lr0, momentum=f32(0.9)), lr_schedule=lambda k: lr0 / (1 + f32(0.5) * k))
    agrees = close(keras, torch_traj)
    print(f"  {'SGD momentum with decay (conventions differ)':43s} {agrees}")
    assert not agrees


def main():
    cross_check()
    cases = []
    for name, kind, config in CASES:
        trajectory, opt = run(kind, **config)
        full = {**DEFAULTS[kind], **config}
        cases.append({
            "name": name,
            "optimizer": kind,
            "config": {k: (f32(v) if isinstance(v, float) else v) for k, v in full.items()},
            "expected": [[sig(w) for w in step] for step in trajectory],
            "slots": [{"name": s["name"], "data": sig(np.array(s["data"]))} for s in opt.slot_list()],
        })
    fixture = {
        "variables": [{"name": n, "shape": list(SHAPES[n]), "initial": INITIAL[i].ravel().tolist()} for i, n in enumerate(NAMES)],
        "gradients": [[g.ravel().tolist() for g in GRADS[k]] for k in range(STEPS)],
        "cases": cases,
    }
    adam, _ = run("adam", learning_rate=0.01)
    ams, _ = run("adam", learning_rate=0.01, amsgrad=True)
    assert not close(adam, ams), "the AMSGrad case must differ from plain Adam"
    with open(OUT, "w") as f:
        json.dump(fixture, f, separators=(",", ":"))
    print(f"wrote {len(cases)} cases to {os.path.normpath(OUT)} ({os.path.getsize(OUT)} bytes)")


if __name__ == "__main__":
    main()
