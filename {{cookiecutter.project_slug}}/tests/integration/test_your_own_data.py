"""Other people's data, end to end: `schema`, then `train`, `predict`{% if cookiecutter.serving == "fastapi" %} and the API{% endif %}, on several shapes.

Each shape is trained once per test session (session-scoped fixtures) in its own temporary project.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
{%- if cookiecutter.serving == "fastapi" %}
from fastapi.testclient import TestClient
{%- endif %}
from sklearn.datasets import load_breast_cancer, load_iris, load_wine, make_classification

{% if cookiecutter.serving == "fastapi" -%}
from {{ cookiecutter.package_name }}.api.app import create_app
{% endif -%}
from {{ cookiecutter.package_name }}.builders.model_registry import build_model_registry
from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.constants import CONFIG_DIR
from {{ cookiecutter.package_name }}.inference.model import TabularModel
{%- if cookiecutter.serving == "fastapi" %}
from {{ cookiecutter.package_name }}.training.onnx_export import PROBABILITY_TOLERANCE
{%- endif %}

from tests.conftest import IMPORTANCE_OFF, PROJECT_ROOT, PointAtServices
from tests.own_tables import as_csv, train_own_table


@dataclass(frozen=True)
class Trained:
    root: Path
    data: Path
    target: str
    frame: pd.DataFrame
    schema_output: str
    train_output: str


def _sklearn_frame(loader, target: str, names: bool) -> pd.DataFrame:
    bunch = loader(as_frame=True)
    frame = bunch.frame.rename(columns={"target": target})
    if names:
        frame[target] = np.asarray(bunch.target_names)[bunch.target]
    return frame


def _mixed_frame() -> pd.DataFrame:
    """Numeric, categorical and boolean features with gaps, an ID, a constant and markers '?' and 'NA'."""
    rng = np.random.default_rng(7)
    rows = 700
    frame = pd.DataFrame(
        {
            "customer_id": [f"C{index:05d}" for index in rng.permutation(rows)],
            "age": rng.integers(18, 80, rows).astype(float),
            "plan": rng.choice(["basic", "pro", "enterprise"], rows),
            "region": rng.choice(["north", "south", "east", "west"], rows),
            "active": rng.choice(["yes", "no"], rows),
            "spend": rng.normal(100, 30, rows).round(2),
            "country": "NL",
        }
    )
    signal = (frame["plan"] == "pro") * 1.5 + (frame["active"] == "yes") + (frame["spend"] - 100) / 30
    frame["churn"] = np.where(signal + rng.normal(0, 0.4, rows) > 1.3, "churned", "stayed")
    frame["age"] = frame["age"].astype(object)
    frame.loc[rng.choice(rows, 40, replace=False), "age"] = "?"
    frame.loc[rng.choice(rows, 30, replace=False), "region"] = "NA"
    frame.loc[rng.choice(rows, 20, replace=False), "plan"] = None
    return frame


def _wide_frame() -> pd.DataFrame:
    features, labels = make_classification(
        n_samples=500, n_features=160, n_informative=12, n_redundant=10, random_state=3
    )
    frame = pd.DataFrame(features, columns=[f"f{index:03d}" for index in range(160)]).round(5)
    frame["label"] = np.where(labels == 1, "yes", "no")
    return frame


def _dated_frame() -> pd.DataFrame:
    """Orders whose lateness depends only on when they were placed: weekends and evenings are late.

    An order ID (a different number per row), an ISO date, and an ISO timestamp that differs in every row.
    """
    rng = np.random.default_rng(5)
    rows = 900
    placed = pd.Timestamp("2023-01-01") + pd.to_timedelta(rng.integers(0, 730 * 24 * 60, rows), unit="min")
    frame = pd.DataFrame(
        {
            "order_id": rng.permutation(rows) + 10_000,
            "ordered_on": placed.strftime("%Y-%m-%d"),
            "created_at": placed.strftime("%Y-%m-%dT%H:%M:%S"),
            "amount": rng.normal(50, 10, rows).round(2),
        }
    )
    late = (placed.day_of_week >= 5) | (placed.hour >= 18)
    flipped = rng.random(rows) < 0.03
    frame["status"] = np.where(late != flipped, "late", "on_time")
    return frame


SHAPES = {
    "breast-cancer": (lambda: _sklearn_frame(load_breast_cancer, "diagnosis", names=False), "diagnosis"),
    "wine": (lambda: _sklearn_frame(load_wine, "cultivar", names=False), "cultivar"),
    "iris": (lambda: _sklearn_frame(load_iris, "species", names=True), "species"),
    "mixed": (_mixed_frame, "churn"),
    "wide": (_wide_frame, "label"),
    "dated": (_dated_frame, "status"),
}


@pytest.fixture(scope="session")
def trained_shapes(tmp_path_factory: pytest.TempPathFactory, point_at_services: PointAtServices) -> dict[str, Trained]:
    """Every shape through `schema` and `train` once; later tests only read the results."""
    trained = {}
    for name, (make, target) in SHAPES.items():
        frame = make()
        own = train_own_table(tmp_path_factory.mktemp(name), as_csv(name, frame), target, point_at_services)
        trained[name] = Trained(own.root, own.data, target, frame, own.schema_output, own.train_output)
    return trained


@pytest.fixture
def shape(request, trained_shapes, monkeypatch, point_at_services: PointAtServices) -> Trained:
    trained = trained_shapes[request.param]
    point_at_services(trained.root, monkeypatch)
    return trained


def _schema(trained: Trained) -> dict:
    return yaml.safe_load((trained.root / CONFIG_DIR / "schema.yaml").read_text())


@pytest.mark.parametrize("shape", list(SHAPES), indirect=True)
def test_every_shape_trains_and_is_promoted(shape: Trained) -> None:
    assert "promoted as v0001" in shape.train_output
    assert "best trivial baseline" in shape.train_output


@pytest.mark.parametrize(
    ("shape", "classes", "positive"),
    [
        ("breast-cancer", ["0", "1"], "0"),
        ("wine", ["0", "1", "2"], None),
        ("iris", ["setosa", "versicolor", "virginica"], None),
        ("mixed", ["churned", "stayed"], None),
    ],
    indirect=["shape"],
)
def test_schema_lists_the_classes_and_the_rarer_positive(shape: Trained, classes, positive) -> None:
    target = _schema(shape)["target"]

    assert target["classes"] == classes
    counts = shape.frame[shape.target].astype(str).value_counts()
    if len(classes) == 2:
        assert target["positive"] == (positive or counts.idxmin())
        assert counts[target["positive"]] == counts.min()
    else:
        assert "positive" not in target


@pytest.mark.parametrize("shape", ["mixed"], indirect=True)
def test_schema_types_columns_drops_id_and_constant_and_finds_markers(shape: Trained) -> None:
    schema = _schema(shape)
    text = (shape.root / CONFIG_DIR / "schema.yaml").read_text()

    assert schema["columns"] == {
        "customer_id": "categorical",
        "age": "numeric",
        "plan": "categorical",
        "region": "categorical",
        "active": "boolean",
        "spend": "numeric",
        "country": "categorical",
    }
    assert schema["drop_columns"] == ["customer_id", "country"]
    assert "# ID-like" in text
    assert "# constant" in text
    assert {"?", "NA", ""} <= set(schema["missing_values"])
    assert "dropped, ID-like" in shape.schema_output
    assert "ID columns, dropped as features: customer_id" in shape.schema_output
    assert "model_evaluation.costs are the sensor sample's (10 per false positive" in shape.schema_output


@pytest.mark.parametrize("shape", ["dated"], indirect=True)
def test_dates_and_timestamps_are_typed_datetime_and_the_id_is_dropped(shape: Trained) -> None:
    schema = _schema(shape)

    assert schema["columns"] == {
        "order_id": "numeric",
        "ordered_on": "datetime",
        "created_at": "datetime",
        "amount": "numeric",
    }
    assert schema["drop_columns"] == ["order_id"]
    assert "ID columns, dropped as features: order_id" in shape.schema_output
    # The signal is only in the dates: the model learned it (test_the_model_has_learned_something) from their parts.
    production = build_model_registry(load_settings(shape.root)).current()
    features = TabularModel.load(production.model_path).pipeline.steps[0][1].get_feature_names_out()
    assert {"ordered_on_day_of_week", "created_at_hour"} <= set(features)


@pytest.mark.parametrize("shape", ["dated"], indirect=True)
def test_predict_keeps_the_id_beside_predictions_learned_from_dates(shape: Trained, tmp_path: Path) -> None:
    held_out = _dated_frame().sample(60, random_state=1)
    source, output = tmp_path / "orders.csv", tmp_path / "predictions.csv"
    held_out.drop(columns=["status"]).to_csv(source, index=False)

    assert main(["predict", "--input", str(source), "--output", str(output), "--keep", "order_id"]) == 0

    predictions = pd.read_csv(output, dtype={"prediction": str})
    assert list(predictions.columns[:2]) == ["order_id", "prediction"]
    assert predictions["order_id"].tolist() == held_out["order_id"].tolist()
    assert (predictions["prediction"].to_numpy() == held_out["status"].to_numpy()).mean() >= 0.85


@pytest.mark.parametrize("shape", ["dated"], indirect=True)
@pytest.mark.parametrize("date", ["next Tuesday", "1600-01-01", "2262-05-01T00:00:00"])
def test_a_date_that_is_not_iso_or_out_of_range_is_named_with_an_example(
    shape: Trained, date: str, tmp_path: Path, capsys
) -> None:
    rows = shape.frame.drop(columns=[shape.target]).head(3).copy()
    rows.loc[rows.index[1], "ordered_on"] = date
    source = tmp_path / "bad.csv"
    rows.to_csv(source, index=False)

    assert main(["predict", "--input", str(source), "--output", str(tmp_path / "out.csv")]) == 2
    error = capsys.readouterr().err
    assert f"ordered_on (e.g. '{date}')" in error
    assert "ISO dates (2024-05-31) from 1678 to 2261" in error
    assert "Traceback" not in error


@pytest.mark.parametrize("shape", ["mixed"], indirect=True)
def test_schema_points_the_csv_source_at_the_file_and_reruns_identically(shape: Trained) -> None:
    config = shape.root / CONFIG_DIR / "config.yaml"
    schema = shape.root / CONFIG_DIR / "schema.yaml"
    before = (config.read_bytes(), schema.read_bytes())
    original = (PROJECT_ROOT / CONFIG_DIR / "config.yaml").read_text().replace(*IMPORTANCE_OFF)  # as copied
    key_line = next(line for line in original.splitlines() if line.lstrip().startswith("key_column:"))
    pairs = zip(original.splitlines(), config.read_text().splitlines(), strict=True)
    changed = [(old, new) for old, new in pairs if old != new]
    # The ID column becomes the split's key; its comment stays where it was.
    assert changed == [
{%- if cookiecutter.data_source == "csv" %}
        ("    path: data/raw/sensor_sample.csv", "    path: data/raw/mixed.csv"),
{%- endif %}
        (key_line, key_line.replace("key_column:" + " " * 12, "key_column: customer_id", 1)),
    ]

    assert main(["schema", "--input", str(shape.data), "--target", shape.target]) == 0

    assert (config.read_bytes(), schema.read_bytes()) == before


@pytest.mark.parametrize("shape", ["iris"], indirect=True)
def test_the_run_page_of_three_classes_draws_a_curve_per_class_and_no_threshold_curve(shape: Trained) -> None:
    pages = list((shape.root / "artifacts").glob("*/report.html"))
    page = pages[0].read_text(encoding="utf-8")

    assert len(pages) == 1
    assert "Decision: the likeliest class (more than two classes, no threshold)." in page
    assert 'alt="roc curve"' in page
    assert 'alt="threshold curve"' not in page
    assert not list((shape.root / "artifacts").glob("*/model_evaluation/threshold_curve.png"))


@pytest.mark.parametrize("shape", list(SHAPES), indirect=True)
def test_predict_gives_labels_and_per_class_probabilities(shape: Trained, tmp_path: Path) -> None:
    classes = [str(label) for label in _schema(shape)["target"]["classes"]]
    features = shape.frame.drop(columns=[shape.target]).head(40)
    source = tmp_path / "input.csv"
    features.to_csv(source, index=False)
    output = tmp_path / "predictions.csv"

    assert main(["predict", "--input", str(source), "--output", str(output), "--probabilities"]) == 0

    predictions = pd.read_csv(output, dtype={"prediction": str})
    assert len(predictions) == 40
    assert set(predictions["prediction"]) <= set(classes)
    per_class = predictions[[f"probability_{label}" for label in classes]]
    assert np.allclose(per_class.sum(axis=1), 1.0, atol=1e-4)
    chosen = [row[f"probability_{row['prediction']}"] for _, row in predictions.iterrows()]
    assert np.allclose(predictions["probability"], chosen)


@pytest.mark.parametrize(
    ("shape", "floor"),
    [("breast-cancer", 0.85), ("wine", 0.85), ("iris", 0.85), ("mixed", 0.7), ("wide", 0.7), ("dated", 0.85)],
    indirect=["shape"],
)
def test_the_model_has_learned_something(shape: Trained, floor: float, capsys) -> None:
    assert main(["evaluate", "--input", str(shape.data)]) == 0
    assert json.loads(capsys.readouterr().out)["f1"] > floor


@pytest.mark.parametrize("shape", ["mixed"], indirect=True)
def test_unseen_and_missing_categories_at_prediction_time(shape: Trained, tmp_path: Path) -> None:
    rows = shape.frame.drop(columns=[shape.target]).head(3).copy()
    rows["plan"] = ["platinum", None, "basic"]
    rows["region"] = ["mars", "north", None]
    rows["active"] = [True, "no", None]
    source, output = tmp_path / "unseen.csv", tmp_path / "out.csv"
    rows.to_csv(source, index=False)

    assert main(["predict", "--input", str(source), "--output", str(output)]) == 0
    assert len(pd.read_csv(output)) == 3


@pytest.mark.parametrize("shape", ["mixed"], indirect=True)
def test_a_category_spelled_like_infinity_is_a_category_and_an_infinite_reading_is_refused(
    shape: Trained, tmp_path: Path, capsys
) -> None:
    rows = shape.frame.drop(columns=[shape.target]).head(3).copy()
    rows["plan"] = ["inf", "-Infinity", "1e309"]
    source, output = tmp_path / "infinite.csv", tmp_path / "out.csv"
    rows.to_csv(source, index=False)
    assert main(["predict", "--input", str(source), "--output", str(output)]) == 0
    assert len(pd.read_csv(output)) == 3

    rows["spend"] = ["1", "1e309", "2"]
    rows.to_csv(source, index=False)
    assert main(["predict", "--input", str(source), "--output", str(output)]) == 2
    assert "infinite or too large numbers in: spend (row 2: inf)" in capsys.readouterr().err


@pytest.mark.parametrize("shape", ["mixed"], indirect=True)
def test_text_in_a_numeric_column_is_named_with_an_example(shape: Trained, tmp_path: Path, capsys) -> None:
    rows = shape.frame.drop(columns=[shape.target]).head(3).copy()
    rows["spend"] = rows["spend"].astype(object)
    rows.loc[rows.index[1], "spend"] = "lots"
    source = tmp_path / "bad.csv"
    rows.to_csv(source, index=False)

    assert main(["predict", "--input", str(source), "--output", str(tmp_path / "out.csv")]) == 2
    error = capsys.readouterr().err
    assert "spend" in error
    assert "'lots'" in error
{%- if cookiecutter.serving == "fastapi" %}


@pytest.mark.parametrize("shape", ["iris", "mixed"], indirect=True)
def test_api_answers_with_string_labels_and_optional_probabilities(shape: Trained) -> None:
    client = TestClient(create_app(load_settings(shape.root)))
    classes = [str(label) for label in _schema(shape)["target"]["classes"]]
    records = json.loads(shape.frame.drop(columns=[shape.target]).head(4).to_json(orient="records"))

    plain = client.post("/predict", json={"records": records})
    detailed = client.post("/predict", json={"records": records, "probabilities": True})

    assert plain.status_code == 200, plain.text
    assert all(item["probabilities"] is None and item["label"] in classes for item in plain.json()["predictions"])
    for item in detailed.json()["predictions"]:
        assert set(item["probabilities"]) == set(classes)
        assert item["probabilities"][item["label"]] == pytest.approx(item["probability"])
    schema = client.get("/openapi.json").json()["components"]["schemas"]["Prediction"]["properties"]
    assert schema["label"]["type"] == "string"
    assert "probabilities" in schema


@pytest.mark.parametrize("shape", ["mixed", "dated"], indirect=True)
def test_gaps_yes_no_and_dates_are_served_as_predict_scores_them(shape: Trained, tmp_path: Path) -> None:
    """The server's answers are batch `predict`'s, as the client sends the rows (markers included).
    {%- if cookiecutter.model_library in ["scikit-learn", "xgboost"] %}
    The export converts these columns: onnxruntime serves.
    {%- endif %}"""
    rows = shape.frame.drop(columns=[shape.target]).head(60)
    source, output = tmp_path / "rows.csv", tmp_path / "predictions.csv"
    rows.to_csv(source, index=False)
    assert main(["predict", "--input", str(source), "--output", str(output)]) == 0
    # Every digit of each reading, as `predict` reads them from the CSV (to_json keeps ten).
    records = rows.astype(object).where(rows.notna(), None).to_dict(orient="records")

    answer = TestClient(create_app(load_settings(shape.root))).post("/predict", json={"records": records})

    assert answer.status_code == 200, answer.text
    served = answer.json()["predictions"]
    batch = pd.read_csv(output, dtype={"prediction": str})
    assert [item["label"] for item in served] == batch["prediction"].tolist()
    probabilities = [item["probability"] for item in served]
    np.testing.assert_allclose(probabilities, batch["probability"], atol=PROBABILITY_TOLERANCE)
{%- if cookiecutter.model_library in ["scikit-learn", "xgboost"] %}
    runtime = build_model_registry(load_settings(shape.root)).current().metadata["serving_runtime"]
    assert runtime["runtime"] == "onnxruntime", runtime
{%- endif %}


@pytest.mark.parametrize("shape", ["dated"], indirect=True)
def test_the_server_refuses_a_date_out_of_range_as_predict_does(shape: Trained) -> None:
    records = json.loads(shape.frame.drop(columns=[shape.target]).head(3).to_json(orient="records"))
    records[1]["ordered_on"] = "1600-01-01"

    answer = TestClient(create_app(load_settings(shape.root))).post("/predict", json={"records": records})

    assert answer.status_code == 422, answer.text
    assert "ordered_on (e.g. '1600-01-01')" in answer.text
{%- endif %}
