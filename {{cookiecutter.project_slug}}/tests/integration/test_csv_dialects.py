"""CSV files as they come: `schema`, `train` and `predict` on one table written in five dialects.

Each file is trained once per test session in its own temporary project, with few trees.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

{% if cookiecutter.data_source != "csv" -%}
from {{ cookiecutter.package_name }}.builders.data_source import build_data_source
{% endif -%}
from {{ cookiecutter.package_name }}.cli import main
{%- if cookiecutter.data_source != "csv" %}
from {{ cookiecutter.package_name }}.configuration import load_settings
{%- endif %}
from {{ cookiecutter.package_name }}.constants import CONFIG_DIR

from tests.conftest import PointAtServices
from tests.own_tables import {% if cookiecutter.data_source != "csv" %}FillSource, {% endif %}WriteTable, train_own_table

HELD_OUT = 40


@dataclass(frozen=True)
class Dialect:
    sep: str
    decimal: str
    encoding: str
    written: str  # how one number of the file is written


DIALECTS = {
    "semicolon-decimal-comma": Dialect(";", ",", "utf-8", "12,5"),
    "comma-quoted-decimal-comma": Dialect(",", ",", "utf-8", '"12,5"'),
    "tab": Dialect("\t", ".", "utf-8", "12.5"),
    "utf-8-bom": Dialect(",", ".", "utf-8-sig", "12.5"),
    "cp1252": Dialect(";", ",", "cp1252", "12,5"),
}


@dataclass(frozen=True)
class Trained:
    root: Path
    frame: pd.DataFrame
    dialect: Dialect
    schema_output: str
    train_output: str


def _table() -> pd.DataFrame:
    """Prices and weights with fractions, a city with accents and a euro sign, a clear signal."""
    rng = np.random.default_rng(11)
    rows = 360
    frame = pd.DataFrame(
        {
            "price": rng.uniform(1, 100, rows).round(2),
            "weight": rng.normal(2.5, 0.8, rows).round(3),
            "city": rng.choice(["Zürich", "café", "São Paulo", "€-zone"], rows),
        }
    )
    frame.loc[frame.index[[3, 17]], "weight"] = np.nan
    signal = frame["price"] / 25 + (frame["city"] == "café") * 1.5
    frame["sold"] = np.where(signal + rng.normal(0, 0.3, rows) > 2.5, "oui", "non")
    return frame


def _write(frame: pd.DataFrame, path: Path, dialect: Dialect) -> None:
    frame.to_csv(path, index=False, sep=dialect.sep, decimal=dialect.decimal, encoding=dialect.encoding)


def _write_input(frame: pd.DataFrame, path: Path, dialect: Dialect) -> None:
    """A file for `predict` or `evaluate`: {% if cookiecutter.data_source == "csv" %}written as the training file is (they read it so){% else %}standard CSV (without a CSV source they read that){% endif %}."""
{%- if cookiecutter.data_source == "csv" %}
    _write(frame, path, dialect)
{%- else %}
    frame.to_csv(path, index=False)
{%- endif %}


def _written_in(name: str, dialect: Dialect, frame: pd.DataFrame) -> WriteTable:
    """The table in the dialect, for a project that trains few trees."""

    def write(root: Path) -> Path:
        model_config = root / CONFIG_DIR / "model_config.yaml"
        model_config.write_text(model_config.read_text().replace("n_estimators: 50", "n_estimators: 20", 1))
        data = root / "data" / "raw" / f"{name}.csv"
        _write(frame, data, dialect)
        return data

    return write
{%- if cookiecutter.data_source != "csv" %}


def _fill_source(frame: pd.DataFrame) -> FillSource:
    """What scripts/load_data.py does with the file: its rows, read as `schema` read them, into the source."""
    return lambda root, data: build_data_source(load_settings(root)).write(frame)
{%- endif %}


@pytest.fixture(scope="session")
def trained_dialects(
    tmp_path_factory: pytest.TempPathFactory, point_at_services: PointAtServices
) -> dict[str, Trained]:
    """Every dialect through `schema` and `train` once, on all rows but the held-out ones."""
    frame, trained = _table(), {}
    for name, dialect in DIALECTS.items():
        kept = frame.iloc[HELD_OUT:]
        own = train_own_table(
            tmp_path_factory.mktemp(name),
            _written_in(name, dialect, kept),
            "sold",
            point_at_services,
{%- if cookiecutter.data_source != "csv" %}
            _fill_source(kept),
{%- endif %}
        )
        trained[name] = Trained(own.root, frame, dialect, own.schema_output, own.train_output)
    return trained


@pytest.fixture
def dialect(request, trained_dialects, monkeypatch, point_at_services: PointAtServices) -> Trained:
    trained = trained_dialects[request.param]
    point_at_services(trained.root, monkeypatch)
    return trained


@pytest.mark.parametrize("dialect", list(DIALECTS), indirect=True)
def test_schema_reads_the_numbers_as_numbers_and_says_how_the_file_is_written(dialect: Trained) -> None:
    schema = yaml.safe_load((dialect.root / CONFIG_DIR / "schema.yaml").read_text())

    assert schema["columns"] == {"price": "numeric", "weight": "numeric", "city": "categorical"}
    assert schema["drop_columns"] == []
    assert schema["target"]["classes"] == ["non", "oui"]
    mark = "decimal comma" if dialect.dialect.decimal == "," else "decimal point"
    assert f"{mark}, {dialect.dialect.encoding} (detected)" in dialect.schema_output
    assert "warning" not in dialect.schema_output


@pytest.mark.parametrize("dialect", ["cp1252"], indirect=True)
def test_a_file_that_is_not_utf8_is_read_as_cp1252_with_a_note(dialect: Trained) -> None:
    assert "not UTF-8" in dialect.schema_output
    assert "cp1252" in dialect.schema_output
{%- if cookiecutter.data_source == "csv" %}


@pytest.mark.parametrize("dialect", list(DIALECTS), indirect=True)
def test_schema_writes_the_dialect_to_the_csv_source(dialect: Trained) -> None:
    config = yaml.safe_load((dialect.root / CONFIG_DIR / "config.yaml").read_text())["data_source"]["csv"]

    assert (config["sep"], config["decimal"], config["encoding"]) == (
        dialect.dialect.sep,
        dialect.dialect.decimal,
        dialect.dialect.encoding,
    )
{%- endif %}


@pytest.mark.parametrize("dialect", list(DIALECTS), indirect=True)
def test_train_promotes_and_predict_reads_a_held_out_part_written_the_same_way(
    dialect: Trained, tmp_path: Path
) -> None:
    held_out = dialect.frame.iloc[:HELD_OUT]
    source, output = tmp_path / "held_out.csv", tmp_path / "predictions.csv"
    _write_input(held_out.drop(columns=["sold"]), source, dialect.dialect)

    assert "promoted as v0001" in dialect.train_output
    assert main(["predict", "--input", str(source), "--output", str(output)]) == 0

    predictions = pd.read_csv(output, dtype={"prediction": str})
    assert len(predictions) == HELD_OUT
    assert (predictions["prediction"] == held_out["sold"].to_numpy()).mean() >= 0.8


@pytest.mark.parametrize("dialect", ["semicolon-decimal-comma", "cp1252"], indirect=True)
def test_evaluate_reads_a_labelled_file_written_the_same_way(dialect: Trained, tmp_path: Path, capsys) -> None:
    source = tmp_path / "held_out.csv"
    _write_input(dialect.frame.iloc[:HELD_OUT], source, dialect.dialect)

    assert main(["evaluate", "--input", str(source)]) == 0

    assert json.loads(capsys.readouterr().out)["accuracy"] >= 0.8
{%- if cookiecutter.serving == "fastapi" and cookiecutter.data_source == "csv" %}


@pytest.mark.parametrize("dialect", ["semicolon-decimal-comma", "cp1252"], indirect=True)
def test_the_server_reads_an_upload_written_as_the_training_file(dialect: Trained, tmp_path: Path) -> None:
    from fastapi.testclient import TestClient

    from {{ cookiecutter.package_name }}.api.app import create_app
    from {{ cookiecutter.package_name }}.configuration import load_settings

    held_out = dialect.frame.iloc[:HELD_OUT]
    source = tmp_path / "held_out.csv"
    _write(held_out.drop(columns=["sold"]), source, dialect.dialect)
    client = TestClient(create_app(load_settings(dialect.root)))

    answer = client.post("/predict/csv", files={"file": ("held_out.csv", source.read_bytes(), "text/csv")})

    assert answer.status_code == 200, answer.text
    labels = [item["label"] for item in answer.json()["predictions"]]
    assert (np.array(labels) == held_out["sold"].to_numpy()).mean() >= 0.8
{%- endif %}
{%- if cookiecutter.data_source == "csv" %}


@pytest.mark.parametrize("dialect", ["semicolon-decimal-comma", "comma-quoted-decimal-comma"], indirect=True)
def test_a_spark_partition_reads_decimal_commas_as_the_local_engine(dialect: Trained, tmp_path: Path) -> None:
    """What `mapInPandas` runs on each partition, fed every field as text as Spark's CSV reader hands it over."""
    from {{ cookiecutter.package_name }}.constants import MODEL_FILE
    from {{ cookiecutter.package_name }}.inference.model import TabularModel
    from {{ cookiecutter.package_name }}.pipeline.spark_prediction import PartitionScorer

    held_out = dialect.frame.iloc[:HELD_OUT].drop(columns=["sold"])
    source, output = tmp_path / "held_out.csv", tmp_path / "local.csv"
    _write(held_out, source, dialect.dialect)
    as_spark_reads = pd.read_csv(source, sep=dialect.dialect.sep, dtype=str, keep_default_na=False)
    model = TabularModel.load(dialect.root / "models" / "production" / "v0001" / MODEL_FILE)
    scorer = PartitionScorer(MODEL_FILE, from_csv=True, missing_values=(), keep_columns=(), decimal=",")

    scored = scorer.score(model, as_spark_reads)

    assert main(["predict", "--input", str(source), "--output", str(output)]) == 0
    local = pd.read_csv(output, dtype={"prediction": str})
    assert scored["prediction"].tolist() == local["prediction"].tolist()
    assert scored["probability"].tolist() == local["probability"].tolist()
{%- endif %}
