"""The feature log (off by default, sampled, bounded, features only) and `monitor`, its drift report."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from {{ cookiecutter.package_name }}.builders.model_registry import build_model_registry
from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.components.data_validation import DataValidation
{%- if cookiecutter.serving == "fastapi" %}
from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.constants import FEATURE_LOG_SAMPLE_RATE_ENV_VAR
{%- endif %}
from {{ cookiecutter.package_name }}.monitoring.feature_log import (
    FEATURE_LOG,
    FeatureLog,
    read_feature_log,
)
from {{ cookiecutter.package_name }}.pipeline.training_config import TrainingConfiguration
from {{ cookiecutter.package_name }}.utils.frames import read_csv_file


def _log(project: Path, settings, frame: pd.DataFrame) -> None:
    FeatureLog(project / FEATURE_LOG, settings.schema.feature_columns, 1.0, 10_000_000).record(frame)


def test_the_feature_log_is_off_by_default_and_writes_features_only(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": [1.0, None], "b": [3.0, 4.0], "token": ["secret", "secret"]})

    assert FeatureLog(tmp_path / "off.jsonl", ["a", "b"], 0.0, 1000).record(frame) == 0
    assert not (tmp_path / "off.jsonl").exists()
    assert FeatureLog(tmp_path / "on.jsonl", ["a", "b"], 1.0, 1000).record(frame) == 2

    text = (tmp_path / "on.jsonl").read_text()
    assert "secret" not in text
    assert [json.loads(line)["a"] for line in text.splitlines()] == [1.0, None]


def test_the_feature_log_stays_within_twice_its_bound(tmp_path: Path) -> None:
    log = FeatureLog(tmp_path / "scored.jsonl", ["a"], 1.0, 2000)
    for _ in range(100):
        log.record(pd.DataFrame({"a": [1.5] * 5}))

    sizes = [path.stat().st_size for path in tmp_path.iterdir()]
    assert len(sizes) == 2
    assert sum(sizes) <= 2 * 2000
    assert len(read_feature_log(tmp_path / "scored.jsonl", None)) > 0


@pytest.mark.usefixtures("trained")
def test_monitor_writes_the_drift_report_and_exits_1_on_drift(project: Path, settings, sample_frame) -> None:
    features = sample_frame.drop(columns=[settings.schema.target])
    _log(project, settings, features.select_dtypes("number") * 50)

    assert main(["monitor"]) == 1

    [report] = (project / "artifacts").glob("monitor-*/report.yaml")
    content = yaml.safe_load(report.read_text())
    assert content["drift"]["drift_detected"] is True
    assert content["drift"]["reference_version"] == "v0001"
    assert "<table>" in (report.parent / "report.html").read_text()
    assert main(["monitor", "--since", "2999-01-01T00:00:00"]) == 2


@pytest.mark.usefixtures("trained")
def test_monitor_says_what_validation_says_on_the_same_rows(project: Path, settings, ingestion_artifact) -> None:
    """A column whose share of missing values jumps while the distribution of its values (PSI) does not has
    drifted, for a training run's validation and for `monitor` alike: one verdict, the same report."""
    rows = read_csv_file(ingestion_artifact.train_path, settings.schema.missing_values)
    rows.loc[np.random.default_rng(0).random(len(rows)) < 0.4, "aa_000"] = np.nan
    rows.to_csv(ingestion_artifact.train_path, index=False)
    configuration = TrainingConfiguration(settings, "same-rows", production=build_model_registry(settings).current())

    validation = DataValidation(configuration.data_validation(), ingestion_artifact).run()
    _log(project, settings, rows.drop(columns=[settings.schema.target]))
    assert main(["monitor"]) == 0

    validated = yaml.safe_load(validation.report_path.read_text())["drift"]
    [report] = (project / "artifacts").glob("monitor-*/report.yaml")
    monitored = yaml.safe_load(report.read_text())["drift"]
    assert validated["reference_version"] == "v0001"
    assert validated["psi"]["aa_000"] < validated["psi_threshold"]
    assert validation.drifted_columns == ("aa_000",)
    assert "missing share moved" in validated["drift_reasons"]["aa_000"]
    # The feature log keeps the schema's features only, without labels; monitor adds the model's answers instead.
    validation_only = {"new_columns", "vanished_columns", "target_psi"}
    assert {key: value for key, value in monitored.items() if key != "prediction_psi"} == {
        key: value for key, value in validated.items() if key not in validation_only
    }
    # The model's answers on its own training rows have about the shares of the classes it learned.
    assert monitored["prediction_psi"] < 0.1
{%- if cookiecutter.serving == "fastapi" %}


@pytest.mark.usefixtures("trained")
def test_the_server_logs_scored_features_only_when_asked(project: Path, sample_frame, monkeypatch) -> None:
    from fastapi.testclient import TestClient

    from {{ cookiecutter.package_name }}.api.app import create_app

    records = sample_frame.drop(columns=["class"]).head(3)
    records = records.astype(object).where(records.notna(), None).to_dict(orient="records")
    assert TestClient(create_app(load_settings(project))).post("/predict", json={"records": records}).is_success
    assert not (project / FEATURE_LOG).exists()

    monkeypatch.setenv(FEATURE_LOG_SAMPLE_RATE_ENV_VAR, "1")
    assert TestClient(create_app(load_settings(project))).post("/predict", json={"records": records}).is_success
    assert len((project / FEATURE_LOG).read_text().splitlines()) == 3
{%- endif %}
