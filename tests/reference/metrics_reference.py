"""sklearn references for the classification metrics (tests/Cortex.Tests/Metrics/SklearnReferenceTests.cs).

Run with /usr/bin/python3 (Debian python3-sklearn); writes tests/Cortex.Tests/Fixtures/metrics_reference.json:

    {"sklearn": version, "cases": [{"name", "y_true": [...], "y_pred": [...], "shape": [...], "sample_weight": [...]|null,
                                    "expected": {...}}]}

y_pred are float32-representable scores. Predicted labels for the multi-class cases are argmax(y_pred) (no ties by
construction), which is also what Keras's F1Score with threshold=None counts as positive.
"""

import json
import os

import numpy as np
import sklearn
from sklearn import metrics as skm

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Cortex.Tests", "Fixtures", "metrics_reference.json")
rng = np.random.default_rng(20240611)


def f32(a):
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def binary_case(name, n, weighted):
    y = rng.integers(0, 2, size=n)
    # Scores correlated with the labels, kept away from the AUC thresholds' bucket edges is not needed: tolerance.
    s = f32(np.clip(0.35 * y + rng.uniform(0, 0.65, size=n), 0, 1))
    w = f32(rng.uniform(0.2, 2.0, size=n)) if weighted else None
    exp = {}
    for t in (0.3, 0.5, 0.7):
        pred = (s > t).astype(int)
        exp[f"precision@{t}"] = skm.precision_score(y, pred, sample_weight=w, zero_division=0)
        exp[f"recall@{t}"] = skm.recall_score(y, pred, sample_weight=w, zero_division=0)
    cm = skm.confusion_matrix(y, (s > 0.5).astype(int), sample_weight=w)
    exp["tn"], exp["fp"], exp["fn"], exp["tp"] = [float(v) for v in cm.ravel()]
    exp["roc_auc"] = skm.roc_auc_score(y, s, sample_weight=w)
    exp["average_precision"] = skm.average_precision_score(y, s, sample_weight=w)
    return {"name": name, "y_true": y.tolist(), "y_pred": s.tolist(), "shape": [n],
            "sample_weight": None if w is None else w.tolist(), "expected": exp}


def multiclass_case(name, n, k, beta):
    y = rng.integers(0, k, size=n)
    logits = rng.normal(size=(n, k)) + 1.2 * np.eye(k)[y]
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    p = f32(p)
    pred = p.argmax(axis=1)
    onehot = np.eye(k)[y]
    exp = {}
    for avg in (None, "micro", "macro", "weighted"):
        key = "none" if avg is None else avg
        exp[f"f1_{key}"] = np.atleast_1d(skm.f1_score(y, pred, average=avg, zero_division=0)).tolist()
        exp[f"fbeta_{key}"] = np.atleast_1d(skm.fbeta_score(y, pred, beta=beta, average=avg, zero_division=0)).tolist()
    exp["confusion_matrix"] = skm.confusion_matrix(y, pred, labels=list(range(k))).tolist()
    exp["report"] = skm.classification_report(y, pred, zero_division=0)
    names = [f"class {c}" for c in sorted(set(y) | set(pred))]
    exp["report_names_3"] = skm.classification_report(y, pred, target_names=names, digits=3, zero_division=0)
    exp["target_names"] = names
    # Mean IoU = mean over classes of the Jaccard index of the labels.
    exp["mean_iou"] = skm.jaccard_score(y, pred, average="macro", zero_division=0)
    exp["beta"] = beta
    return {"name": name, "y_true": onehot.ravel().tolist(), "labels": y.tolist(), "y_pred": p.ravel().tolist(),
            "shape": [n, k], "sample_weight": None, "expected": exp}


cases = [
    binary_case("binary", 80, False),
    binary_case("binary_weighted", 64, True),
    multiclass_case("multiclass4", 90, 4, 2.0),
    multiclass_case("multiclass3", 40, 3, 0.5),
]
doc = {"sklearn": sklearn.__version__, "cases": cases}
tmp = OUT + ".tmp"
with open(tmp, "w") as f:
    json.dump(doc, f, indent=1)
os.replace(tmp, OUT)
print("wrote", OUT)
