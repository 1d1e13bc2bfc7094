"""Reference values for Cortex's Embedding layer (and the RepeatVector / TimeDistributed(Dense) compositions it is
used with), computed with PyTorch in float64.

Embedding: inputs are [weights (input_dim, output_dim), ids]; only the weights are differentiated, so the recorded
gradient is the scatter-add of the upstream rows into the rows the ids picked (``torch.nn.functional.embedding``).
Repeated ids are included on purpose: their rows must receive the sum of every upstream row that picked them.

Output: ``tests/Cortex.Tests/Fixtures/text_layers_reference.json``, read by
``tests/Cortex.Tests/Layers/EmbeddingLayerTests.cs`` and ``tests/Cortex.Tests/Layers/SequenceWrapperLayerTests.cs``.

Regenerate (from the repository root, with Debian's python3-torch and python3-numpy):

    /usr/bin/python3 tests/reference/text_layers_reference.py
"""

import numpy as np
import torch
import torch.nn.functional as F

from reference_common import Fixture

fx = Fixture("text_layers_reference.json", seed=2718)

# Embedding, 2-D ids (batch, timesteps) with repeats and id 0.
w = fx.normal(7, 4)
ids = np.array([[1, 3, 3, 0, 6], [6, 6, 2, 1, 0]], dtype=np.float64)
fx.add("Embedding", "ids_2d_repeats", [w, ids], lambda w, i: F.embedding(i.long(), w),
       {"input_dim": 7, "output_dim": 4}, diff=[True, False])

# Embedding, 3-D ids (batch, a, b).
w = fx.normal(5, 3)
ids = fx.rng.integers(0, 5, size=(2, 3, 2)).astype(np.float64)
fx.add("Embedding", "ids_3d", [w, ids], lambda w, i: F.embedding(i.long(), w),
       {"input_dim": 5, "output_dim": 3}, diff=[True, False])

# TimeDistributed(Dense(3)) on (batch=2, timesteps=4, features=5): x @ kernel + bias at every step.
x = fx.normal(2, 4, 5)
k = fx.normal(5, 3)
b = fx.normal(3)
fx.add("TimeDistributedDense", "dense_3", [x, k, b], lambda x, k, b: x @ k + b, {"units": 3})

# RepeatVector(3) on (batch=2, features=4).
x = fx.normal(2, 4)
fx.add("RepeatVector", "n_3", [x], lambda x: x.unsqueeze(1).expand(2, 3, 4), {"n": 3})

fx.write()
