"""Slow tier: a project per model_library value, installed by the hook, trained on data that is not the sensor
sample: `schema`, `train` and `predict` as a user runs them."""

from __future__ import annotations

import csv
import json

import pytest

from tests.helpers import DEFAULT_PACKAGE, assert_suite_passed, assert_type_checks, run

pytestmark = pytest.mark.slow
LIBRARIES = ["scikit-learn", "lightgbm", "xgboost"]

# Written by the project's own Python: scikit-learn's bundled wine data (3 classes) plus a categorical column
# with gaps and an ID column, so schema inference, categorical encoding and multiclass all take part.
MAKE_DATA = """
import sys
import numpy as np
from sklearn.datasets import load_wine
frame = load_wine(as_frame=True).frame.rename(columns={"target": "cultivar"})
rng = np.random.default_rng(0)
frame.insert(0, "bottle_id", [f"B{index:04d}" for index in rng.permutation(len(frame))])
frame["cellar"] = rng.choice(["north", "south", "?"], len(frame))
frame.to_csv(sys.argv[1], index=False)
"""

# A measurement: delivery minutes from a distance, a weight with gaps and a region and a vehicle (categories with
# gaps), 1,500 rows with gaps in the target; the first 300 are held out for `predict`.
MAKE_REGRESSION_DATA = """
import sys
import numpy as np
import pandas as pd
rng = np.random.default_rng(1)
rows = 1500
frame = pd.DataFrame({
    "distance_km": rng.uniform(1, 40, rows).round(2),
    "weight_kg": rng.gamma(2.0, 3.0, rows).round(2),
    "region": rng.choice(["north", "south", "east", "west"], rows),
    "vehicle": rng.choice(["bike", "van", "truck"], rows),
})
slower = frame["region"].map({"north": 0.0, "south": 5.0, "east": 10.0, "west": 2.0})
speed = frame["vehicle"].map({"bike": 1.4, "van": 1.0, "truck": 1.2})
frame["minutes"] = (10 + 2 * frame["distance_km"] * speed + 0.5 * frame["weight_kg"] + slower
                    + rng.normal(0, 3, rows)).round(1)
frame.loc[rng.choice(rows, 80, replace=False), "weight_kg"] = np.nan
frame.loc[rng.choice(rows, 60, replace=False), "region"] = None
frame.loc[rng.choice(np.arange(300, rows), 12, replace=False), "minutes"] = np.nan
frame.iloc[300:].to_csv(sys.argv[1], index=False)
frame.iloc[:300].to_csv(sys.argv[2], index=False)
"""


@pytest.mark.parametrize("library", LIBRARIES)
def test_schema_train_predict_with_each_model_library(installed_project, tmp_path, library) -> None:
    # Its own project for every value, the default one included: `schema` rewrites the project's configuration,
    # which the other slow tests' shared default project must not see.
    result, project = installed_project(f"model_library={library}")
    python = project / ".venv" / "bin" / "python"
    assert "[mlops-template] installed" in result.stdout, result.stdout
    cli = [python, "-m", DEFAULT_PACKAGE]
    if library != "scikit-learn":
        # Before `schema` rewrites the configuration: the project's whole suite with its booster (the sample's run
        # page and importance, native categories, ONNX export, leaf order), as the project's own CI runs it; the
        # default project's suite runs in test_generated_project.py.
        suite = run([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], cwd=project, timeout=2400)
        assert_suite_passed(suite, minimum=40)
    data = project / "data" / "raw" / "wine.csv"
    run([python, "-c", MAKE_DATA, data], cwd=project)

    schema = run([*cli, "schema", "--input", "data/raw/wine.csv", "--target", "cultivar"], cwd=project)
    assert "bottle_id: dropped, ID-like" in schema.stdout, schema.stdout
    assert "cellar: categorical" in schema.stdout
    trained = run([*cli, "train"], cwd=project)
    assert "promoted as v0001" in trained.stdout, trained.stdout + trained.stderr

    output = tmp_path / "predictions.csv"
    run([*cli, "predict", "--input", data, "--output", output, "--probabilities"], cwd=tmp_path)
    with output.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == 178
    assert {row["prediction"] for row in rows} <= {"0", "1", "2"}
    assert set(rows[0]) == {"prediction", "probability", "probability_0", "probability_1", "probability_2"}
    correct = sum(row["prediction"] == truth for row, truth in zip(rows, _column(data, "cultivar"), strict=True))
    assert correct / len(rows) > 0.85
    metadata = json.loads((project / "models" / "production" / "v0001" / "metadata.json").read_text())
    assert metadata["estimator"] == {"scikit-learn": "random_forest"}.get(library, library)
    # Every library's model exports exactly, a booster's native split on `cellar` included: onnxruntime serves it.
    assert metadata["serving_runtime"]["runtime"] == "onnxruntime", metadata["serving_runtime"]


@pytest.mark.parametrize("library", LIBRARIES)
def test_regression_with_each_model_library(installed_project, tmp_path, library) -> None:
    """The same project, retargeted to a measurement: `schema` decides regression, `train` promotes the next version
    over the trivial regressors, `predict` writes numbers with prediction intervals."""
    _, project = installed_project(f"model_library={library}")
    python = project / ".venv" / "bin" / "python"
    cli = [python, "-m", DEFAULT_PACKAGE]
    data, held_out = project / "data" / "raw" / "deliveries.csv", tmp_path / "held_out.csv"
    run([python, "-c", MAKE_REGRESSION_DATA, data, held_out], cwd=project)

    schema = run([*cli, "schema", "--input", "data/raw/deliveries.csv", "--target", "minutes"], cwd=project)
    assert "target minutes: regression" in schema.stdout, schema.stdout
    assert "12 rows without a 'minutes' value" in schema.stdout
    trained = run([*cli, "train"], cwd=project)
    assert "beats the best trivial baseline (always the m" in trained.stdout, trained.stdout + trained.stderr
    assert "promoted as v000" in trained.stdout

    output = tmp_path / "predictions.csv"
    run([*cli, "predict", "--input", held_out, "--output", output, "--intervals"], cwd=tmp_path)
    with output.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    truth = [float(value) for value in _column(held_out, "minutes")]
    predicted = [float(row["prediction"]) for row in rows]
    mean = sum(truth) / len(truth)
    r2 = 1 - sum((t - p) ** 2 for t, p in zip(truth, predicted, strict=True)) / sum((t - mean) ** 2 for t in truth)
    assert r2 > 0.9, r2  # noise of 3 minutes against a spread of about 30
    assert all(float(row["prediction_lower"]) < float(row["prediction_upper"]) for row in rows)


@pytest.mark.parametrize("library", LIBRARIES)
def test_each_model_library_type_checks(installed_project, library) -> None:
    _, project = installed_project(f"model_library={library}")

    assert_type_checks(project)


def _column(path, name: str) -> list[str]:
    with path.open(newline="") as handle:
        return [row[name] for row in csv.DictReader(handle)]
