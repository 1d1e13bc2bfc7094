"""Reference values for Cortex's recurrent layers (SimpleRNN, LSTM, GRU), computed with PyTorch in float64.

Every case checks ``Ops.Recurrent`` (the fused sequence op under the Keras layers) on Keras's weight layout: kernel
(features, G*units), recurrent_kernel (units, G*units), bias (G*units) or (2, 3*units) for GRU reset_after, gate
blocks in Keras's column order (LSTM i, f, c, o; GRU z, r, h). The output is the op's packed result
(batch, timesteps + states, units): the outputs in processing order, then the final h (and c for LSTM).

The recurrences are written out in torch ops following Keras's cells (masked steps keep the previous states and
output the previous output, or zeros with zero_output_for_mask; go_backwards processes the sequence from its end;
a recurrent-dropout mask multiplies h before the recurrent matmul). For the unmasked forward cases the script also
checks that torch.nn.RNN / nn.LSTM / nn.GRU, given the same weights mapped from Keras's layout (torch LSTM order
i, f, g, o = Keras's; torch GRU order r, z, n against Keras's z, r, h; torch's GRU is the reset_after convention),
agree with the hand-written recurrence, so the fixture is tied to torch's own layers.

Output: ``tests/Cortex.Tests/Fixtures/recurrent_reference.json``, read by
``tests/Cortex.Tests/Recurrent/RecurrentReferenceTests.cs``.

Regenerate (from the repository root, with Debian's python3-torch and python3-numpy):

    /usr/bin/python3 tests/reference/recurrent_reference.py
"""

import numpy as np
import torch

from reference_common import Fixture

fx = Fixture("recurrent_reference.json", seed=4242)

ACT = {
    "tanh": torch.tanh,
    "sigmoid": torch.sigmoid,
    "relu": torch.relu,
    "hard_sigmoid_keras2": lambda x: torch.clamp(0.2 * x + 0.5, 0.0, 1.0),
    "hard_sigmoid": lambda x: torch.clamp(x / 6.0 + 0.5, 0.0, 1.0),
}
BLOCKS = {"simple_rnn": 1, "lstm": 4, "gru": 3, "gru_reset_before": 3}


def recurrence(cell, x, W, U, b, h0, c0, mask, rdrop, p):
    act, ract = ACT[p["activation"]], ACT[p["recurrent_activation"]]
    B, T, _ = x.shape
    u = U.shape[0]
    h, c = h0, c0
    outs = []
    steps = range(T - 1, -1, -1) if p["go_backwards"] else range(T)
    for t in steps:
        xt = x[:, t]
        hin = h if rdrop is None else h * rdrop
        cn = None
        if cell == "simple_rnn":
            hn = act(xt @ W + hin @ U + b)
        elif cell == "lstm":
            z = xt @ W + hin @ U + b
            i, f, cc, o = ract(z[:, :u]), ract(z[:, u:2 * u]), act(z[:, 2 * u:3 * u]), ract(z[:, 3 * u:])
            cn = f * c + i * cc
            hn = o * act(cn)
        elif cell == "gru":
            xz = xt @ W + b[0]
            rz = hin @ U + b[1]
            z = ract(xz[:, :u] + rz[:, :u])
            r = ract(xz[:, u:2 * u] + rz[:, u:2 * u])
            hh = act(xz[:, 2 * u:] + r * rz[:, 2 * u:])
            hn = z * h + (1 - z) * hh
        else:
            xz = xt @ W + b
            z = ract(xz[:, :u] + hin @ U[:, :u])
            r = ract(xz[:, u:2 * u] + hin @ U[:, u:2 * u])
            hh = act(xz[:, 2 * u:] + (r * hin) @ U[:, 2 * u:])
            hn = z * h + (1 - z) * hh
        if mask is not None:
            m = mask[:, t:t + 1]
            hn = m * hn + (1 - m) * h
            if cn is not None:
                cn = m * cn + (1 - m) * c
            out = m * hn if p["zero_output_for_mask"] else hn
        else:
            out = hn
        h, c = hn, cn
        outs.append(out)
    rows = [torch.stack(outs, dim=1), h[:, None]]
    if c is not None:
        rows.append(c[:, None])
    return torch.cat(rows, dim=1)


def torch_layer(cell, x, W, U, b, h0, c0):
    """The same computation with torch's own layer (unmasked, forward, tanh/sigmoid)."""
    I, u = W.shape[0], U.shape[0]
    with torch.no_grad():
        if cell == "simple_rnn":
            m = torch.nn.RNN(I, u, batch_first=True)
            m.weight_ih_l0.copy_(W.T); m.weight_hh_l0.copy_(U.T); m.bias_ih_l0.copy_(b); m.bias_hh_l0.zero_()
            seq, hT = m(x, h0[None]); return torch.cat([seq, hT[0][:, None]], 1)
        if cell == "lstm":
            m = torch.nn.LSTM(I, u, batch_first=True)
            m.weight_ih_l0.copy_(W.T); m.weight_hh_l0.copy_(U.T); m.bias_ih_l0.copy_(b); m.bias_hh_l0.zero_()
            seq, (hT, cT) = m(x, (h0[None], c0[None])); return torch.cat([seq, hT[0][:, None], cT[0][:, None]], 1)
        perm = lambda a: torch.cat([a[..., u:2 * u], a[..., :u], a[..., 2 * u:]], -1)   # Keras z, r, h -> torch r, z, n
        m = torch.nn.GRU(I, u, batch_first=True)
        m.weight_ih_l0.copy_(perm(W).T); m.weight_hh_l0.copy_(perm(U).T)
        m.bias_ih_l0.copy_(perm(b[0])); m.bias_hh_l0.copy_(perm(b[1]))
        seq, hT = m(x, h0[None]); return torch.cat([seq, hT[0][:, None]], 1)


def case(cell, label, B=2, T=5, I=3, u=4, go_backwards=False, zero_output_for_mask=False, masked=False, rdrop=False,
         activation="tanh", recurrent_activation="sigmoid"):
    G = BLOCKS[cell] * u
    p = {"cell": cell, "go_backwards": go_backwards, "zero_output_for_mask": zero_output_for_mask, "activation": activation,
         "recurrent_activation": recurrent_activation, "masked": masked, "recurrent_dropout": rdrop}
    x = fx.normal(B, T, I)
    W = fx.normal(I, G, scale=0.5)
    U = fx.normal(u, G, scale=0.5)
    b = fx.normal(2, G, scale=0.3) if cell == "gru" else fx.normal(G, scale=0.3)
    h0 = fx.normal(B, u, scale=0.5)
    inputs, diff = [x, W, U, b, h0], [True] * 5
    if cell == "lstm":
        inputs.append(fx.normal(B, u, scale=0.5)); diff.append(True)
    if masked:
        m = np.ones((B, T))
        m[0, -2:] = 0          # right padding
        m[1, 0] = 0            # left padding
        m[1, 2] = 0            # a hole
        inputs.append(m); diff.append(False)
    if rdrop:
        inputs.append(np.where(fx.uniform(0, 1, B, u) < 0.3, 0.0, 1.0 / 0.7)); diff.append(False)

    def fn(*ts):
        ts = list(ts)
        x, W, U, b, h0 = ts[:5]
        k = 5
        c0 = None
        if cell == "lstm":
            c0 = ts[k]; k += 1
        mask = None
        if masked:
            mask = ts[k]; k += 1
        rd = ts[k] if rdrop else None
        out = recurrence(cell, x, W, U, b, h0, c0, mask, rd, p)
        if cell != "gru_reset_before" and not masked and not rdrop and not go_backwards and activation == "tanh" and recurrent_activation == "sigmoid":
            ref = torch_layer(cell, x.detach(), W.detach(), U.detach(), b.detach(), h0.detach(), None if c0 is None else c0.detach())
            assert torch.allclose(out.detach(), ref, atol=1e-10), f"{cell}/{label}: torch layer disagrees"
        return out

    fx.add(cell, label, inputs, fn, p, diff)


for cell in ("simple_rnn", "lstm", "gru", "gru_reset_before"):
    case(cell, "basic")
    case(cell, "go_backwards", go_backwards=True)
    case(cell, "masked", masked=True)
    case(cell, "masked_zero_output", masked=True, zero_output_for_mask=True)
    case(cell, "masked_backwards", masked=True, go_backwards=True)
    case(cell, "recurrent_dropout", rdrop=True)
    case(cell, "batch3_units5", B=3, T=4, I=2, u=5)
case("simple_rnn", "relu", activation="relu")
case("lstm", "hard_sigmoid_keras2", recurrent_activation="hard_sigmoid_keras2")
case("gru", "hard_sigmoid", recurrent_activation="hard_sigmoid")
case("gru_reset_before", "hard_sigmoid_keras2", recurrent_activation="hard_sigmoid_keras2")
fx.write()
