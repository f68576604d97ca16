#!/usr/bin/env python3
"""The scikit-learn forest heart-forest.onnx was exported from, saved with joblib for MLServer.

Usage: sklearn_forest.py HEART_CSV ORACLE_JSON OUT_DIR

Trains RandomForestClassifier(n_estimators=10, max_depth=4, random_state=0) on every row of
heart.csv as float32, as models/export.py does, checks that it predicts what
heart-forest.oracle.json records for every row (labels equal, probabilities within 1e-5), and
writes OUT_DIR/model.joblib. Prints one line saying so; exits 1 naming the difference otherwise.
"""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import csv  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402

import joblib  # noqa: E402
import numpy as np  # noqa: E402
import sklearn  # noqa: E402
from sklearn.ensemble import RandomForestClassifier  # noqa: E402

# As in models/export.py.
FEATURES = ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg",
            "thalach", "exang", "oldpeak", "slope", "ca", "thal"]
LABEL = "target"
SEED = 0
TOLERANCE = 1e-5


def die(message):
    sys.exit(f"sklearn_forest.py: {message}")


def main():
    if len(sys.argv) != 4:
        die("usage: sklearn_forest.py HEART_CSV ORACLE_JSON OUT_DIR")
    csv_path, oracle_path, out = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    if rows[0] != FEATURES + [LABEL]:
        die(f"{csv_path}: unexpected header {','.join(rows[0])}")
    data = np.array([[float(v) for v in r] for r in rows[1:]], dtype=np.float64)
    x32 = data[:, : len(FEATURES)].astype(np.float32)
    y = data[:, len(FEATURES)].astype(np.int64)
    forest = RandomForestClassifier(n_estimators=10, max_depth=4, random_state=SEED).fit(x32, y)

    oracle = json.loads(oracle_path.read_text(encoding="utf-8"))
    inputs = np.array(oracle["inputs"], dtype=np.float32)
    if inputs.shape != x32.shape or not np.array_equal(inputs, x32):
        die(f"{csv_path} is not the data {oracle_path.name} was made from")
    labels = forest.predict(inputs).astype(np.int64)
    wrong = np.flatnonzero(labels != np.array(oracle["labels"]))
    diff = float(np.max(np.abs(forest.predict_proba(inputs) - np.array(oracle["probabilities"]))))
    if len(wrong) or diff > TOLERANCE:
        die(f"this forest differs from {oracle_path.name}: {len(wrong)} labels, probabilities by {diff:.3g}"
            f" (scikit-learn {sklearn.__version__}; models/requirements.txt pins the exporter's)")
    out.mkdir(parents=True, exist_ok=True)
    joblib.dump(forest, out / "model.joblib")
    print(f"scikit-learn {sklearn.__version__} forest = {oracle_path.name} on all {len(labels)} rows "
          f"(labels equal, probabilities within {diff:.2g})")


if __name__ == "__main__":
    main()
