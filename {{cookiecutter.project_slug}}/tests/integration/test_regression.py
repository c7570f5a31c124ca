"""A measurement to predict (regression), end to end: `schema` decides the task, `train` gates against DummyRegressor,
`predict`{% if cookiecutter.serving == "fastapi" %} and the API{% endif %} answer numbers with prediction intervals.

Two tables, each trained once per test session on all rows but a held-out part: scikit-learn's diabetes set, and a
table made here with categorical columns, gaps in the features and gaps in the target.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
{%- if cookiecutter.serving == "fastapi" %}
from fastapi.testclient import TestClient
{%- endif %}
from sklearn.datasets import load_diabetes

{% if cookiecutter.serving == "fastapi" -%}
from {{ cookiecutter.package_name }}.api.app import create_app
{% endif -%}
from {{ cookiecutter.package_name }}.cli import main
{%- if cookiecutter.serving == "fastapi" or cookiecutter.experiment_tracking == "mlflow" %}
from {{ cookiecutter.package_name }}.configuration import load_settings
{%- endif %}
from {{ cookiecutter.package_name }}.constants import CONFIG_DIR, MODEL_FILE
from {{ cookiecutter.package_name }}.inference.model import TabularModel
from {{ cookiecutter.package_name }}.pipeline.spark_prediction import PartitionScorer
{%- if cookiecutter.experiment_tracking == "mlflow" %}
from {{ cookiecutter.package_name }}.tracking.mlflow_tracker import (
    PRODUCTION_ALIAS,
    REGISTERED_MODEL_NAME,
    tracking_uri,
)
{%- endif %}
{%- if cookiecutter.serving == "fastapi" %}
from {{ cookiecutter.package_name }}.training import onnx_export
{%- endif %}

from tests.conftest import PointAtServices{% if cookiecutter.data_source != "csv" %}, load_into_source{% endif %}
from tests.own_tables import as_csv, train_own_table


@dataclass(frozen=True)
class Trained:
    root: Path
    data: Path
    target: str
    held_out: pd.DataFrame
    schema_output: str
    train_output: str


def _diabetes() -> pd.DataFrame:
    return load_diabetes(as_frame=True).frame.rename(columns={"target": "progression"})


def _deliveries() -> pd.DataFrame:
    """Delivery times: distance and weight with gaps, a region and a vehicle (categories, some missing), noise."""
    rng = np.random.default_rng(3)
    rows = 2400
    frame = pd.DataFrame(
        {
            "distance_km": rng.uniform(1, 40, rows).round(2),
            "weight_kg": rng.gamma(2.0, 3.0, rows).round(2),
            "region": rng.choice(["north", "south", "east", "west"], rows),
            "vehicle": rng.choice(["bike", "van", "truck"], rows),
        }
    )
    slower = frame["region"].map({"north": 0.0, "south": 5.0, "east": 10.0, "west": 2.0})
    by_vehicle = frame["vehicle"].map({"bike": 1.4, "van": 1.0, "truck": 1.2})
    minutes = 10 + 2.0 * frame["distance_km"] * by_vehicle + 0.5 * frame["weight_kg"] + slower
    frame["minutes"] = (minutes + rng.normal(0, 3.0, rows)).round(1)
    frame.loc[rng.choice(rows, 120, replace=False), "weight_kg"] = np.nan
    frame.loc[rng.choice(rows, 80, replace=False), "region"] = None
    frame.loc[rng.choice(np.arange(600, rows), 60, replace=False), "minutes"] = np.nan  # not in the held-out part
    return frame


# name -> (the table, its target, rows held out for prediction)
TABLES = {"diabetes": (_diabetes, "progression", 80), "deliveries": (_deliveries, "minutes", 600)}


@pytest.fixture(scope="session")
def trained_tables(tmp_path_factory: pytest.TempPathFactory, point_at_services: PointAtServices) -> dict[str, Trained]:
    trained = {}
    for name, (make, target, held_out) in TABLES.items():
        frame = make()
        own = train_own_table(
            tmp_path_factory.mktemp(name),
            as_csv(name, frame.iloc[held_out:]),
            target,
            point_at_services,
            importance=True,
        )
        trained[name] = Trained(own.root, own.data, target, frame.iloc[:held_out], own.schema_output, own.train_output)
    return trained


@pytest.fixture
def table(request, trained_tables, monkeypatch, point_at_services: PointAtServices) -> Trained:
    trained = trained_tables[request.param]
    point_at_services(trained.root, monkeypatch)
    return trained


def _predict(table: Trained, tmp_path: Path, *options: str) -> pd.DataFrame:
    source, output = tmp_path / "input.csv", tmp_path / "predictions.csv"
    table.held_out.drop(columns=[table.target]).to_csv(source, index=False)
    assert main(["predict", "--input", str(source), "--output", str(output), *options]) == 0
    return pd.read_csv(output)


def _r2(truth: np.ndarray, predicted: np.ndarray) -> float:
    return 1 - float(np.sum((truth - predicted) ** 2)) / float(np.sum((truth - truth.mean()) ** 2))


@pytest.mark.parametrize("table", list(TABLES), indirect=True)
def test_schema_takes_a_measurement_for_regression_and_sets_a_metric_that_fits(table: Trained) -> None:
    schema = yaml.safe_load((table.root / CONFIG_DIR / "schema.yaml").read_text())
    config = yaml.safe_load((table.root / CONFIG_DIR / "config.yaml").read_text())

    assert schema["target"] == {"column": table.target, "task": "regression"}
    assert f"target {table.target}: regression, " in table.schema_output
    assert config["model_evaluation"]["metric"] == "rmse"
    assert "model_evaluation.metric is now rmse (f1 is not for regression)" in table.schema_output
    assert "model_evaluation.costs price wrong classes: a measurement ignores them" in table.schema_output


@pytest.mark.parametrize("table", ["deliveries"], indirect=True)
def test_rows_without_a_target_are_counted_and_left_out(table: Trained) -> None:
    schema = yaml.safe_load((table.root / CONFIG_DIR / "schema.yaml").read_text())

    assert schema["columns"] == {
        "distance_km": "numeric",
        "weight_kg": "numeric",
        "region": "categorical",
        "vehicle": "categorical",
    }
    assert "60 rows without a 'minutes' value: left out of training" in table.schema_output
    assert "dropped 60 rows without a 'minutes' value" in table.train_output


@pytest.mark.parametrize("table", list(TABLES), indirect=True)
def test_train_promotes_over_the_trivial_regressors(table: Trained) -> None:
    assert "promoted as v0001" in table.train_output
    assert "beats the best trivial baseline (always the m" in table.train_output


@pytest.mark.parametrize(("table", "floor"), [("diabetes", 0.2), ("deliveries", 0.9)], indirect=["table"])
def test_predict_writes_numbers_with_a_useful_r2_on_held_out_rows(table: Trained, floor: float, tmp_path) -> None:
    predictions = _predict(table, tmp_path)

    assert list(predictions.columns) == ["prediction"]
    assert predictions["prediction"].dtype == np.float64
    assert _r2(table.held_out[table.target].to_numpy(), predictions["prediction"].to_numpy()) >= floor


@pytest.mark.parametrize("table", ["deliveries"], indirect=True)
def test_intervals_reach_their_nominal_coverage_on_held_out_rows(table: Trained, tmp_path) -> None:
    predictions = _predict(table, tmp_path, "--intervals")
    truth = table.held_out[table.target].to_numpy()
    inside = (predictions["prediction_lower"] <= truth) & (truth <= predictions["prediction_upper"])
    reports = list((table.root / "artifacts").glob("*/model_evaluation/report.json"))
    interval = json.loads(reports[0].read_text())["interval"]

    assert list(predictions.columns) == ["prediction", "prediction_lower", "prediction_upper"]
    assert (predictions["prediction_lower"] < predictions["prediction"]).all()
    assert abs(float(inside.mean()) - 0.9) <= 0.04  # 600 rows: the share's standard error is about 0.012
    assert interval["coverage"] == 0.9
    assert abs(interval["measured_coverage"] - 0.9) <= 0.05


@pytest.mark.parametrize("table", ["deliveries"], indirect=True)
def test_each_spark_partition_gets_the_numbers_of_the_local_engine(table: Trained, tmp_path) -> None:
    """What `mapInPandas` runs on every partition, fed text as Spark's CSV reader hands it over."""
    model = TabularModel.load(table.root / "models" / "production" / "v0001" / MODEL_FILE)
    as_text = table.held_out.drop(columns=[table.target]).astype(str).replace("nan", "")
    scorer = PartitionScorer(MODEL_FILE, from_csv=True, missing_values=(), keep_columns=())

    scored = scorer.score(model, as_text)

    assert list(scored.columns) == ["prediction"]
    np.testing.assert_array_equal(scored["prediction"].to_numpy(), _predict(table, tmp_path)["prediction"].to_numpy())


@pytest.mark.parametrize("table", list(TABLES), indirect=True)
def test_the_run_report_shows_the_measurement_its_interval_and_what_it_relies_on(table: Trained) -> None:
    pages = list((table.root / "artifacts").glob("*/report.html"))
    page = pages[0].read_text(encoding="utf-8")

    assert len(pages) == 1
    assert "Promoted as v0001: candidate rmse=" in page
    assert page.count("data:image/png;base64,") == 2  # predicted against actual, residuals
    assert re.search(r"asked to hold the truth for 90% of rows; it held it for \d+\.\d% of the test rows", page)
    assert "rmse lost" in page.split('id="importance"')[1]


@pytest.mark.parametrize("table", ["diabetes"], indirect=True)
def test_probabilities_of_a_measurement_are_refused_in_one_line(table: Trained, tmp_path, capsys) -> None:
    source = tmp_path / "input.csv"
    table.held_out.to_csv(source, index=False)

    assert main(["predict", "--input", str(source), "--output", str(tmp_path / "p.csv"), "--probabilities"]) == 2
    error = capsys.readouterr().err
    assert "--probabilities is for a model of classes; this one predicts a measurement" in error
    assert "Traceback" not in error
    assert not (tmp_path / "p.csv").exists()


@pytest.mark.parametrize("table", ["diabetes"], indirect=True)
def test_tune_minimises_the_regression_metric(table: Trained, capsys) -> None:
{%- if cookiecutter.data_source != "csv" %}
    load_into_source(table.root, table.data)  # this test's own {{ cookiecutter.data_source }} server starts empty
{%- endif %}
    assert main(["tune", "--trials", "2", "--timeout", "60"]) == 0

    assert "best cross-validated rmse=" in capsys.readouterr().out
    [summary] = (table.root / "artifacts").glob("*/tune/study.json")
    assert json.loads(summary.read_text())["best_score"] > 0


@pytest.mark.parametrize("table", ["diabetes"], indirect=True)
def test_evaluate_reports_the_regression_metrics(table: Trained, tmp_path, capsys) -> None:
    source = tmp_path / "labelled.csv"
    table.held_out.to_csv(source, index=False)

    assert main(["evaluate", "--input", str(source)]) == 0

    metrics = json.loads(capsys.readouterr().out)
    assert {"rmse", "mae", "r2", "mape"} <= set(metrics)
    assert metrics["r2"] >= 0.2  # about 180 training rows: half of the 362 are the test set
{%- if cookiecutter.serving == "fastapi" %}


@pytest.mark.parametrize("table", ["deliveries"], indirect=True)
def test_the_server_answers_numbers_and_intervals_on_request(table: Trained) -> None:
    client = TestClient(create_app(load_settings(table.root)))
    rows = table.held_out.drop(columns=[table.target]).head(5)
    records = json.loads(rows.to_json(orient="records"))

    plain = client.post("/predict", json={"records": records})
    bounded = client.post("/predict", json={"records": records, "intervals": True})
    refused = client.post("/predict", json={"records": records, "probabilities": True})

    assert plain.status_code == 200, plain.text
    values = [item["prediction"] for item in plain.json()["predictions"]]
    assert all(isinstance(value, float) for value in values)
    for item, value in zip(bounded.json()["predictions"], values, strict=True):
        assert item["prediction"] == pytest.approx(value)
        assert item["lower"] < item["prediction"] < item["upper"]
    assert refused.status_code == 422
    assert "probabilities is for a model of classes" in refused.json()["detail"]
    lines = dict(line.split(" ", 1) for line in client.get("/metrics").text.splitlines() if not line.startswith("#"))
    assert float(lines["predicted_values_count"]) == 10  # the two answered requests' five records each
    assert float(lines["predicted_values_sum"]) == pytest.approx(2 * sum(values))
    answer = client.get("/openapi.json").json()["components"]["schemas"]["ValuePrediction"]["properties"]
    assert answer["prediction"]["type"] == "number"


@pytest.mark.parametrize("table", ["diabetes"], indirect=True)
def test_the_server_answers_what_predict_writes(table: Trained, tmp_path) -> None:
    """The runtime the export check chose is recorded with the version, and its values are `predict`'s."""
    metadata = json.loads((table.root / "models" / "production" / "v0001" / "metadata.json").read_text())
    client = TestClient(create_app(load_settings(table.root)))
    rows = table.held_out.drop(columns=[table.target])

    # Every digit of each reading, as `predict` reads them from the CSV (to_json keeps ten).
    records = rows.astype(object).where(rows.notna(), None).to_dict(orient="records")
    served = client.post("/predict", json={"records": records})

    runtime = metadata["serving_runtime"]
{%- if cookiecutter.model_library in ["scikit-learn", "xgboost"] %}
    assert runtime["runtime"] == "onnxruntime", runtime
{%- else %}
    assert runtime["reason"], runtime
{%- endif %}
    values = np.array([item["prediction"] for item in served.json()["predictions"]])
    expected = _predict(table, tmp_path)["prediction"].to_numpy()
    assert np.abs(values - expected).max() <= onnx_export.VALUE_TOLERANCE * np.abs(expected).max()
{%- endif %}
{%- if cookiecutter.experiment_tracking == "mlflow" %}


@pytest.mark.parametrize("table", ["diabetes"], indirect=True)
def test_the_registered_pyfunc_gives_the_numbers_predict_writes(table: Trained, tmp_path, monkeypatch) -> None:
    import mlflow

    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)

    store = tracking_uri(load_settings(table.root))
    mlflow.set_tracking_uri(store)
    mlflow.set_registry_uri(store)  # the registry the last table's train pointed this process at is not this one's
    features = table.held_out.drop(columns=[table.target]).reset_index(drop=True)

    served = mlflow.pyfunc.load_model(f"models:/{REGISTERED_MODEL_NAME}@{PRODUCTION_ALIAS}").predict(features)

    expected = _predict(table, tmp_path)
    assert list(served.columns) == ["prediction"]
    np.testing.assert_allclose(served["prediction"].to_numpy(), expected["prediction"].to_numpy(), rtol=1e-12)
{%- endif %}
