"""scikit-learn reference values for the model-selection tests (tests/Cortex.Tests/ModelSelection).

Run from the repository root with the Debian scikit-learn (python3-sklearn 1.2.1):

    /usr/bin/python3 tests/reference/sklearn_modelsel_reference.py

Writes tests/Cortex.Tests/Fixtures/sklearn_modelsel.json: fold assignments of KFold / StratifiedKFold (no
shuffling, where sklearn's folds are deterministic), scaler statistics and transforms, r2_score, the diabetes
scaling and ParameterGrid's candidate order. The datasets are read with sklearn's own loaders, whose files are the
ones shipped in data/sklearn-sample/.
"""

import json
import os

import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes, load_iris, load_wine
from sklearn.metrics import r2_score
from sklearn.model_selection import KFold, ParameterGrid, StratifiedKFold
from sklearn.preprocessing import MinMaxScaler, StandardScaler

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Cortex.Tests", "Fixtures", "sklearn_modelsel.json")


def folds(splitter, n, y=None):
    ids = np.full(n, -1)
    for k, (_, test) in enumerate(splitter.split(np.zeros((n, 1)), y)):
        ids[test] = k
    return ids.tolist()


def fl(a):
    return [float("%.9g" % v) for v in np.asarray(a, dtype=np.float64).reshape(-1)]


iris, cancer, wine, diabetes = load_iris(), load_breast_cancer(), load_wine(), load_diabetes()
y_small = np.array([2, 0, 0, 1, 1, 1, 2, 2, 0, 1, 1, 2, 0, 1, 2, 2, 1])
out = {
    "kfold_23_5": folds(KFold(5), 23),
    "skf_iris_10": folds(StratifiedKFold(10), 150, iris.target),
    "skf_cancer_10": folds(StratifiedKFold(10), 569, cancer.target),
    "skf_small_3": {"y": y_small.tolist(), "folds": folds(StratifiedKFold(3), len(y_small), y_small)},
}

s = StandardScaler().fit(cancer.data)
out["standard_cancer"] = {"mean": fl(s.mean_), "var": fl(s.var_), "scale": fl(s.scale_), "row0": fl(s.transform(cancer.data[:1]))}
const = np.array([[1.0, 5.0], [2.0, 5.0], [4.0, 5.0]], dtype=np.float32).astype(np.float64)
s = StandardScaler().fit(const)
out["standard_const"] = {"x": fl(const), "scale": fl(s.scale_), "z": fl(s.transform(const))}
m = MinMaxScaler(feature_range=(-1, 1)).fit(wine.data)
out["minmax_wine"] = {"min": fl(m.data_min_), "max": fl(m.data_max_), "row0": fl(m.transform(wine.data[:1]))}

yt = np.array([[3.0, -1.0], [-0.5, 2.0], [2.0, 0.5], [7.0, 4.0]])
yp = np.array([[2.5, -0.5], [0.0, 2.5], [2.0, 0.0], [8.0, 3.5]])
out["r2"] = {"y_true": fl(yt), "y_pred": fl(yp), "score": r2_score(yt, yp)}
out["diabetes_row0"] = fl(diabetes.data[0])
out["grid_order"] = [dict(p) for p in ParameterGrid({"b": [1, 2], "a": ["x", "y", "z"]})]

with open(OUT, "w") as f:
    json.dump(out, f)
    f.write("\n")
print("wrote", OUT)
