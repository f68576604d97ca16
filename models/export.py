#!/usr/bin/env python3
"""Export the small ONNX models and oracles that the model server's tests load.

Usage: python models/export.py [path/to/heart.csv]   (or: make models)

Trains a few small models on every row of heart.csv (UCI Heart Disease, Cleveland
subset; default path ../shared/data/heart.csv relative to the repository root),
converts them to ONNX and writes, into inference-app/src/test/resources/onnx/:
  <name>.onnx         the model: FLOAT input "input" [None, n features];
                      classifiers output "label" int64 [None] and "probabilities"
                      float [None, 2], the regressor "variable" float [None, 1]
  <name>.oracle.json  every CSV row as float32-exact inputs and what the training
                      framework itself predicts for exactly those numbers
and, into hostile/, models that the server has to refuse or handle.
Each model is checked with ONNX Runtime (Python) against its oracle before any
file is written. Only this script reads the CSV; the product never does.
"""

import os

# One thread everywhere: byte-stable output, and a busy machine stays usable.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import csv  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
import warnings  # noqa: E402
from pathlib import Path  # noqa: E402

import lightgbm  # noqa: E402
import numpy as np  # noqa: E402
import onnx  # noqa: E402
import onnxmltools  # noqa: E402
import onnxruntime as ort  # noqa: E402
import sklearn  # noqa: E402
import skl2onnx  # noqa: E402
from onnx import TensorProto, helper  # noqa: E402
from onnxmltools.convert.lightgbm.operator_converters.LightGbm import convert_lightgbm  # noqa: E402
from skl2onnx import convert_sklearn, update_registered_converter  # noqa: E402
from skl2onnx.common.shape_calculator import calculate_linear_classifier_output_shapes  # noqa: E402
from skl2onnx.common.data_types import FloatTensorType  # noqa: E402
from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier  # noqa: E402
from sklearn.linear_model import LogisticRegression, Ridge  # noqa: E402
from sklearn.neural_network import MLPClassifier  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CSV = REPO.parent / "shared" / "data" / "heart.csv"
OUT = REPO / "inference-app" / "src" / "test" / "resources" / "onnx"
HOSTILE = OUT / "hostile"

# ONNX Runtime 1.29 (the server's) loads IR versions up to 13 and ai.onnx opsets up to 25
# at least (its refusal of opset 99 names 26); these lower ones load there and in every
# ONNX Runtime of the last years. Converters use less where the operators allow it.
OPSET = 17  # ai.onnx; IR version 8 goes with it
ML_OPSET = 3  # ai.onnx.ml
TARGET_OPSET = {"": OPSET, "ai.onnx.ml": ML_OPSET}
IR_VERSION = 8
TOLERANCE = 1e-5  # |ONNX Runtime - framework| for probabilities and values
MODEL_VERSION = "1"
SEED = 0

FEATURES = ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg",
            "thalach", "exang", "oldpeak", "slope", "ca", "thal"]
LABEL = "target"
# The regressor predicts oldpeak (ST depression induced by exercise) from the other
# 12 features. Its values (0 to 6.2) are small enough that float32 resolves 1e-5;
# thalach or chol (100 to 560) are not: one float32 step there is 0.8e-5 to 6e-5.
REG_TARGET = "oldpeak"
REG_FEATURES = [f for f in FEATURES if f != REG_TARGET]


update_registered_converter(
    lightgbm.LGBMClassifier, "LightGbmLGBMClassifier", calculate_linear_classifier_output_shapes,
    convert_lightgbm, options={"nocl": [True, False], "zipmap": [True, False, "columns"]})


def die(message):
    sys.exit(f"export.py: {message}")


def load_csv(path):
    if not path.is_file():
        die(f"training data not found: {path} (pass the path to heart.csv as the first argument)")
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    if rows[0] != FEATURES + [LABEL]:
        die(f"{path}: unexpected header {','.join(rows[0])}")
    data = np.array([[float(v) for v in r] for r in rows[1:]], dtype=np.float64)
    return data


def producer(converter):
    return {
        "name": "inference-operator models/export.py",
        "version": f"{converter}, scikit-learn {sklearn.__version__}, lightgbm {lightgbm.__version__}",
    }


def stamp(onx, name, features, target, description, converter):
    """Names the graph and fills the metadata the server reads."""
    onx.graph.name = name
    sort_opsets(onx)
    onx.producer_name = producer(converter)["name"]
    onx.producer_version = producer(converter)["version"]
    onx.model_version = int(MODEL_VERSION)
    onx.doc_string = description
    del onx.metadata_props[:]
    for key, value in (("feature_names", ",".join(features)),
                       ("model_version", MODEL_VERSION),
                       ("target", target),
                       ("training_data", "heart.csv (UCI Heart Disease, Cleveland subset), all 303 rows")):
        prop = onx.metadata_props.add()
        prop.key, prop.value = key, value
    onnx.checker.check_model(onx)
    return onx


def sort_opsets(onx):
    """Converters may list the opset imports in set order, which changes from run to run."""
    ordered = sorted(((o.domain, o.version) for o in onx.opset_import))
    del onx.opset_import[:]
    for domain, version in ordered:
        onx.opset_import.add(domain=domain, version=version)


def opsets(onx):
    return {o.domain or "ai.onnx": o.version for o in onx.opset_import}


def session(model_bytes_or_path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    return ort.InferenceSession(model_bytes_or_path, options, providers=["CPUExecutionProvider"])


def worst(a, b):
    diff = np.abs(np.asarray(a, dtype=np.float64) - np.asarray(b, dtype=np.float64))
    index = np.unravel_index(int(np.argmax(diff)), diff.shape)
    return float(diff[index]), int(index[0])


def check_classifier(name, onx, x32, labels, proba):
    label, probabilities = session(onx.SerializeToString()).run(["label", "probabilities"], {"input": x32})
    if label.dtype != np.int64 or label.shape != (len(x32),):
        die(f"{name}: label output is {label.dtype} {label.shape}, not int64 [{len(x32)}]")
    if probabilities.dtype != np.float32 or probabilities.shape != (len(x32), 2):
        die(f"{name}: probabilities output is {probabilities.dtype} {probabilities.shape}, not float [{len(x32)}, 2]")
    wrong = np.flatnonzero(label != labels)
    max_diff, row = worst(probabilities, proba)
    if len(wrong):
        die(f"{name}: ONNX Runtime labels differ from the framework's in {len(wrong)} rows (first: row {wrong[0]}); "
            f"largest probability difference {max_diff:.3g} (row {row})")
    if max_diff > TOLERANCE:
        die(f"{name}: ONNX Runtime probabilities differ from the framework's by {max_diff:.3g} (row {row}), "
            f"more than {TOLERANCE:g}")
    return max_diff


def check_regressor(name, onx, x32, values):
    (variable,) = session(onx.SerializeToString()).run(["variable"], {"input": x32})
    if variable.dtype != np.float32 or variable.shape != (len(x32), 1):
        die(f"{name}: variable output is {variable.dtype} {variable.shape}, not float [{len(x32)}, 1]")
    max_diff, row = worst(variable[:, 0], values)
    if max_diff > TOLERANCE:
        die(f"{name}: ONNX Runtime values differ from the framework's by {max_diff:.3g} (row {row}), "
            f"more than {TOLERANCE:g}")
    return max_diff


def oracle_json(name, features, x32, fields):
    """One row per line, every number as Python writes a float64: float32 inputs exactly, nothing rounded."""
    def rows(values):
        return "[\n" + ",\n".join(json.dumps(v) for v in values) + "\n]"

    parts = [f'"model": {json.dumps(name)}',
             f'"feature_names": {json.dumps(features)}',
             f'"inputs": {rows([[float(v) for v in r] for r in x32])}']
    for key, values in fields:
        parts.append(f'"{key}": {rows(values)}')
    return "{\n" + ",\n".join(parts) + "\n}\n"


def classifiers(x32, y):
    """(name, description, fitted model, converter) for each classifier."""
    logreg = Pipeline([("scale", StandardScaler()),
                       ("logreg", LogisticRegression(max_iter=1000, random_state=SEED))])
    forest = RandomForestClassifier(n_estimators=10, max_depth=4, random_state=SEED)
    gbt = GradientBoostingClassifier(n_estimators=20, max_depth=3, learning_rate=0.1, random_state=SEED)
    lgbm = lightgbm.LGBMClassifier(n_estimators=20, num_leaves=8, max_depth=3, learning_rate=0.1,
                                   min_child_samples=10, random_state=SEED, deterministic=True,
                                   force_row_wise=True, n_jobs=1, verbose=-1)
    mlp = Pipeline([("scale", StandardScaler()),
                    ("mlp", MLPClassifier(hidden_layer_sizes=(16,), solver="lbfgs", alpha=1e-2,
                                          max_iter=2000, random_state=SEED))])
    models = [
        ("heart-logreg", "Pipeline(StandardScaler, LogisticRegression)", logreg, "sklearn"),
        ("heart-forest", "RandomForestClassifier(n_estimators=10, max_depth=4)", forest, "sklearn"),
        ("heart-gbt", "GradientBoostingClassifier(n_estimators=20, max_depth=3)", gbt, "sklearn"),
        ("heart-lgbm", "lightgbm.LGBMClassifier(n_estimators=20, num_leaves=8, max_depth=3)", lgbm, "lightgbm"),
        ("heart-mlp", "Pipeline(StandardScaler, MLPClassifier(hidden_layer_sizes=(16,), solver=lbfgs))", mlp, "sklearn"),
    ]
    for _, _, model, _ in models:
        model.fit(x32, y)
    return models


def convert_classifier(model, converter, n_features, zipmap=False):
    # LightGBM goes through skl2onnx too, with onnxmltools' converter registered (the way skl2onnx documents
    # it): onnxmltools' own convert_lightgbm takes no per-domain opsets and stops at ai.onnx 15.
    return convert_sklearn(model, initial_types=[("input", FloatTensorType([None, n_features]))],
                           target_opset=TARGET_OPSET, options={id(model): {"zipmap": zipmap}})


def converter_version(converter):
    if converter == "lightgbm":
        return f"onnxmltools {onnxmltools.__version__} through skl2onnx {skl2onnx.__version__}"
    return f"skl2onnx {skl2onnx.__version__}"


def tiny_model(name, inputs, outputs, nodes, description, opset=OPSET):
    graph = helper.make_graph(nodes, name, inputs, outputs)
    onx = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], ir_version=IR_VERSION)
    onx.producer_name = producer("onnx.helper")["name"]
    onx.producer_version = f"onnx {onnx.__version__}"
    onx.doc_string = description
    return onx


def hostile_models(x32, y):
    """(file name, description, ModelProto): models the server must refuse or treat with care."""
    small = LogisticRegression(max_iter=1000, random_state=SEED).fit(x32, y)
    zipmap = stamp(convert_classifier(small, "sklearn", len(FEATURES), zipmap=True), "hostile-zipmap", FEATURES,
                   LABEL, "LogisticRegression exported with zipmap on: probabilities is a sequence of maps, not a tensor",
                   converter_version("sklearn"))
    too_new = stamp(convert_classifier(small, "sklearn", len(FEATURES)), "hostile-opset-too-new", FEATURES, LABEL,
                    "LogisticRegression whose ai.onnx opset import was raised to 99 after export",
                    converter_version("sklearn"))
    for o in too_new.opset_import:
        if o.domain in ("", "ai.onnx"):
            o.version = 99

    def floats(name, shape):
        return helper.make_tensor_value_info(name, TensorProto.FLOAT, shape)

    sequence = tiny_model(
        "hostile-sequence-input",
        [helper.make_tensor_sequence_value_info("input", TensorProto.FLOAT, [None, len(FEATURES)])],
        [floats("output", [None, len(FEATURES)])],
        [helper.make_node("ConcatFromSequence", ["input"], ["output"], axis=0)],
        "input is a sequence of float tensors, not a tensor; output is their concatenation")
    mapped = helper.make_model(
        helper.make_graph(
            [helper.make_node("DictVectorizer", ["input"], ["output"], domain="ai.onnx.ml",
                              int64_vocabulary=list(range(len(FEATURES))))],
            "hostile-map-input",
            [helper.make_value_info("input", helper.make_map_type_proto(
                TensorProto.INT64, helper.make_tensor_type_proto(TensorProto.FLOAT, None)))],
            [floats("output", [1, len(FEATURES)])]),
        opset_imports=[helper.make_opsetid("", OPSET), helper.make_opsetid("ai.onnx.ml", ML_OPSET)],
        ir_version=IR_VERSION)
    mapped.producer_name = producer("onnx.helper")["name"]
    mapped.producer_version = f"onnx {onnx.__version__}"
    mapped.doc_string = "input is a map int64 -> float (feature index -> value), not a tensor"
    no_outputs = tiny_model(
        "hostile-no-outputs", [floats("input", [None, len(FEATURES)])], [],
        [helper.make_node("Identity", ["input"], ["unused"])],
        "a graph that declares no outputs")
    string_input = tiny_model(
        "hostile-string-input",
        [helper.make_tensor_value_info("input", TensorProto.STRING, [None, len(FEATURES)])],
        [helper.make_tensor_value_info("output", TensorProto.STRING, [None, len(FEATURES)])],
        [helper.make_node("Identity", ["input"], ["output"])],
        "input is a tensor of strings")
    dynamic_rank = tiny_model(
        "hostile-dynamic-rank", [floats("input", None)], [floats("output", None)],
        [helper.make_node("Identity", ["input"], ["output"])],
        "input and output are float tensors of unknown rank (no shape at all); ONNX Runtime reports their "
        "shape as [], as it does for a scalar")
    two_inputs = tiny_model(
        "hostile-two-inputs", [floats("input", [None, len(FEATURES)]), floats("bias", [None, len(FEATURES)])],
        [floats("output", [None, len(FEATURES)])],
        [helper.make_node("Add", ["input", "bias"], ["output"])],
        "two inputs, input and bias; output is their sum")
    models = [("zipmap.onnx", zipmap), ("opset-too-new.onnx", too_new), ("sequence-input.onnx", sequence),
              ("map-input.onnx", mapped), ("no-outputs.onnx", no_outputs), ("string-input.onnx", string_input),
              ("dynamic-rank.onnx", dynamic_rank), ("two-inputs.onnx", two_inputs)]
    for file_name, onx in models:
        onx.graph.doc_string = onx.doc_string
        if file_name != "opset-too-new.onnx":  # that one is valid but for its opset
            try:
                onnx.checker.check_model(onx)
            except onnx.checker.ValidationError as e:
                onx.doc_string += f" (onnx.checker: {str(e).splitlines()[0]})"
    return models


def type_text(arg):
    if not arg.type.startswith("tensor("):
        return f"{arg.name}: {arg.type}"
    return f"{arg.name}: {arg.type} {list(arg.shape)}"


def load_outcome(path):
    """What Python ONNX Runtime does when it loads the file: the error's first line, or the signature."""
    try:
        sess = session(str(path))
    except Exception as e:  # noqa: BLE001 - any load failure is the answer
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return "refused: " + first.replace(str(path.parent) + "/", "")
    ins = "; ".join(type_text(i) for i in sess.get_inputs()) or "none"
    outs = "; ".join(type_text(o) for o in sess.get_outputs()) or "none"
    return f"loads. inputs: {ins}. outputs: {outs}"


def human_size(n):
    return f"{n} B" if n < 1024 else f"{n / 1024:.1f} KiB"


def main():
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and sys.argv[1].startswith("-")):
        die("usage: export.py [path/to/heart.csv]")
    csv_path = Path(sys.argv[1]) if len(sys.argv) == 2 else DEFAULT_CSV
    data = load_csv(csv_path)
    x32 = data[:, : len(FEATURES)].astype(np.float32)  # what the server will get
    y = data[:, len(FEATURES)].astype(np.int64)
    warnings.filterwarnings("ignore", category=UserWarning)  # feature-name notices from lightgbm/sklearn

    outputs = {}  # file name -> bytes or text, written only once every check passed
    summary = []
    for name, description, model, converter in classifiers(x32, y):
        conv = converter_version(converter)
        onx = stamp(convert_classifier(model, converter, len(FEATURES)), name, FEATURES, LABEL,
                    f"{description} trained on all 303 rows of heart.csv; input: the 13 features as float32 "
                    f"in column order; outputs: label (0/1) and probabilities [p0, p1]", conv)
        labels = model.predict(x32).astype(np.int64)
        proba = model.predict_proba(x32)
        max_diff = check_classifier(name, onx, x32, labels, proba)
        outputs[f"{name}.onnx"] = onx.SerializeToString()
        outputs[f"{name}.oracle.json"] = oracle_json(
            name, FEATURES, x32, [("labels", [int(v) for v in labels]),
                                  ("probabilities", [[float(p) for p in row] for row in proba])])
        summary.append((name, description, conv, opsets(onx), onx.ir_version, max_diff, "probabilities"))

    name = f"heart-{REG_TARGET}-regressor"
    description = "Pipeline(StandardScaler, Ridge(alpha=1.0))"
    xr = np.delete(x32, FEATURES.index(REG_TARGET), axis=1)
    yr = data[:, FEATURES.index(REG_TARGET)].astype(np.float32).astype(np.float64)
    ridge = Pipeline([("scale", StandardScaler()), ("ridge", Ridge(alpha=1.0))]).fit(xr, yr)
    conv = converter_version("sklearn")
    onx = stamp(convert_sklearn(ridge, initial_types=[("input", FloatTensorType([None, len(REG_FEATURES)]))],
                                target_opset=TARGET_OPSET),
                name, REG_FEATURES, REG_TARGET,
                f"{description} predicting {REG_TARGET} (ST depression induced by exercise) from the other 12 "
                f"features, trained on all 303 rows of heart.csv; input: those 12 features as float32 in column "
                f"order; output: variable [None, 1]", conv)
    values = ridge.predict(xr)
    max_diff = check_regressor(name, onx, xr, values)
    outputs[f"{name}.onnx"] = onx.SerializeToString()
    outputs[f"{name}.oracle.json"] = oracle_json(name, REG_FEATURES, xr, [("values", [float(v) for v in values])])
    summary.append((name, f"{description} predicting {REG_TARGET} from the other 12 features (input [None, 12]); "
                          f"{REG_TARGET} because float32 resolves 1e-5 in its range (0 to 6.2), unlike chol's or "
                          f"thalach's", conv, opsets(onx), onx.ir_version, max_diff, "values"))

    hostile = hostile_models(x32, y)

    OUT.mkdir(parents=True, exist_ok=True)
    HOSTILE.mkdir(parents=True, exist_ok=True)
    for file_name, content in outputs.items():
        path = OUT / file_name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    outcomes = []
    for file_name, onx in hostile:
        path = HOSTILE / file_name
        path.write_bytes(onx.SerializeToString())
        outcomes.append((file_name, onx.doc_string, load_outcome(path)))

    write_readmes(summary, outcomes)
    for name, _, _, ops, ir, max_diff, what in summary:
        size = (OUT / f"{name}.onnx").stat().st_size
        print(f"{name:28} {human_size(size):>9}  opsets {ops} IR {ir}  max |ORT - framework| {what} {max_diff:.3g}")
    for file_name, _, outcome in outcomes:
        print(f"hostile/{file_name:22} {outcome}")


def versions_line():
    return (f"Python {sys.version.split()[0]}, numpy {np.__version__}, scikit-learn {sklearn.__version__}, "
            f"lightgbm {lightgbm.__version__}, skl2onnx {skl2onnx.__version__}, "
            f"onnxmltools {onnxmltools.__version__}, onnx {onnx.__version__}, onnxruntime {ort.__version__} "
            f"(models/requirements.txt)")


def write_readmes(summary, outcomes):
    lines = [
        "# ONNX test models",
        "",
        "Made by `make models` (models/export.py, versions pinned in models/requirements.txt) from",
        "heart.csv (UCI Heart Disease, Cleveland subset: 303 rows, 13 features, binary `target`), every",
        "row used for training, as the float32 numbers the server gets. Do not edit by hand: change the",
        "script and run `make models` again (it writes the same bytes each time with these versions).",
        "",
        f"- Opsets: ai.onnx {OPSET}, ai.onnx.ml {ML_OPSET} (at most; the files below say which they import), "
        f"IR version {IR_VERSION}. ONNX Runtime 1.29 loads IR versions up to 13 and ai.onnx opsets up to "
        "25 at least.",
        "- Input: `input`, FLOAT (float32) [None, n features], the features in the CSV's column order, as",
        "  listed in the model's `feature_names` metadata. Classifiers output `label` INT64 [None] and",
        "  `probabilities` FLOAT [None, 2] (zipmap off); the regressor outputs `variable` FLOAT [None, 1].",
        f"- Metadata: `feature_names`, `model_version` ({MODEL_VERSION}), `target`, `training_data` in",
        "  metadata_props; graph name = file name without .onnx; producer_name and doc_string set.",
        "- `<name>.oracle.json`: `model`, `feature_names`, `inputs` (every CSV row as float32-exact",
        "  numbers), and what the training framework itself returns for exactly those float32 numbers:",
        "  `labels` and `probabilities` (predict, predict_proba) for classifiers, `values` (predict) for the",
        "  regressor. Nothing is rounded. The script checks that ONNX Runtime (Python) gives the same",
        f"  labels and probabilities/values within {TOLERANCE:g} before it writes anything.",
        f"- Versions: {versions_line()}.",
        "",
        "| file | size | what | converter | opsets | max abs diff ORT vs framework |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for name, description, conv, ops, ir, max_diff, what in summary:
        size = (OUT / f"{name}.onnx").stat().st_size
        ops_text = ", ".join(f"{d} {v}" for d, v in sorted(ops.items()))
        lines.append(f"| {name}.onnx | {human_size(size)} | {description} | {conv} | {ops_text}; IR {ir} "
                     f"| {what} {max_diff:.3g} |")
    for name, *_ in summary:
        size = (OUT / f"{name}.oracle.json").stat().st_size
        lines.append(f"| {name}.oracle.json | {human_size(size)} | oracle of {name}.onnx | | | |")
    lines += ["", "Hostile models for the server's error tests are in hostile/ (see hostile/README.md).", ""]
    (OUT / "README.md").write_text("\n".join(lines))

    lines = [
        "# Hostile ONNX models",
        "",
        "Small models the server must refuse or handle with care, made by `make models` (models/export.py).",
        "Each line: the file, its size, what it is, and what Python onnxruntime "
        f"{ort.__version__} does when it loads the file (the error's first line, or the signature it sees).",
        "Corrupt bytes and a huge file are made by the tests themselves, not kept here.",
        "",
    ]
    for file_name, description, outcome in outcomes:
        size = (HOSTILE / file_name).stat().st_size
        lines.append(f"- `{file_name}` ({human_size(size)}): {description}. Python onnxruntime: {outcome}")
    lines.append("")
    (HOSTILE / "README.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
