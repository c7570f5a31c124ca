"""The feature log (off by default, sampled, bounded, features only) and `monitor`, its drift report."""

from __future__ import annotations

import errno
import json
import logging
import re
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
{%- endif %}
from {{ cookiecutter.package_name }}.constants import (
{%- if cookiecutter.serving == "fastapi" %}
    FEATURE_LOG_SAMPLE_RATE_ENV_VAR,
{%- endif %}
    REFERENCE_PROFILE_FILE,
)
from {{ cookiecutter.package_name }}.monitoring.feature_log import (
    FEATURE_LOG,
    TIME_FIELD,
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


def test_missing_value_markers_are_logged_as_missing(tmp_path: Path) -> None:
    frame = pd.DataFrame({"a": ["na", "1.5", None], "b": ["2", "na", "3"]})

    FeatureLog(tmp_path / "scored.jsonl", ["a", "b"], 1.0, 10_000).record(frame, ("na",))

    rows = [json.loads(line) for line in (tmp_path / "scored.jsonl").read_text().splitlines()]
    assert [(row["a"], row["b"]) for row in rows] == [(None, "2"), ("1.5", None), (None, "3")]


def _fail_writes_to(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A full disk under `path` only: opening it to append raises ENOSPC."""
    original = Path.open

    def full_disk(self: Path, mode: str = "r", *args, **kwargs):
        if self == path and "a" in mode:
            raise OSError(errno.ENOSPC, "No space left on device", str(path))
        return original(self, mode, *args, **kwargs)

    monkeypatch.setattr(Path, "open", full_disk)


def test_a_full_disk_skips_logging_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    log = FeatureLog(tmp_path / "scored.jsonl", ["a"], 1.0, 10_000)
    _fail_writes_to(log.path, monkeypatch)

    with caplog.at_level(logging.WARNING):
        written = [log.record(pd.DataFrame({"a": [1.0, 2.0]})) for _ in range(5)]

    assert written == [0] * 5
    assert log.failures == 5
    [warning] = [record for record in caplog.records if "feature log" in record.getMessage()]
    assert "No space left on device" in warning.getMessage()
    assert "Traceback" not in caplog.text


def test_lines_that_are_not_logged_rows_are_skipped_and_counted(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    good = json.dumps({TIME_FIELD: "2026-01-31T10:00:00+00:00", "a": 1.5}).encode()
    later = json.dumps({TIME_FIELD: "2026-02-02T10:00:00+00:00", "a": 2.5}).encode()
    lines = [good, good[:20], "é".encode("latin-1") + b"\xff\xfe", b"[1, 2, 3]", b'{"a": 1}', b"", later]
    (tmp_path / "scored.jsonl").write_bytes(b"\n".join(lines) + b"\n")

    with caplog.at_level(logging.WARNING):
        frame = read_feature_log(tmp_path / "scored.jsonl", None)

    assert frame["a"].tolist() == [1.5, 2.5]
    [warning] = [record for record in caplog.records if "feature log" in record.getMessage()]
    assert "skipped 4 lines" in warning.getMessage()
    assert "line 2" in warning.getMessage()


@pytest.mark.parametrize("since", ["yesterday", "31/01/2026", "2026-13-01", ""])
def test_a_since_that_is_no_iso_time_is_an_argument_error(since: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["monitor", "--since", since]) == 2

    error = capsys.readouterr().err
    assert len(error.strip().splitlines()) == 1
    assert "not an ISO 8601 date or time" in error
    assert "2026-01-31T08:00" in error


@pytest.mark.usefixtures("trained")
def test_monitor_reads_a_logged_marker_as_missing(project: Path, settings, sample_frame) -> None:
    """A log written with the schema's marker ("na") in a numeric column, as servers wrote it before markers were
    logged as null, is read as missing values, not refused as text."""
    features = sample_frame.drop(columns=[settings.schema.target]).head(50).astype(object)
    features.iloc[::2, 0] = settings.schema.missing_values[0]
    stamp = "2026-01-31T10:00:00+00:00"
    lines = [json.dumps({TIME_FIELD: stamp, **row}, default=str) for row in features.to_dict("records")]
    (project / FEATURE_LOG).parent.mkdir(parents=True, exist_ok=True)
    (project / FEATURE_LOG).write_text("\n".join(lines) + "\n")

    assert main(["monitor", "--since", "2026-01-31"]) in {0, 1}

    [report] = (project / "artifacts").glob("monitor-*/report.yaml")
    content = yaml.safe_load(report.read_text())
    assert content["missing_fraction"][features.columns[0]] >= 0.5
    assert content["since"] == "2026-01-31T00:00:00+00:00"


@pytest.mark.usefixtures("trained")
def test_without_a_reference_profile_there_is_no_reference_not_no_drift(
    project: Path, settings, sample_frame, ingestion_artifact, capsys: pytest.CaptureFixture[str]
) -> None:
    production = build_model_registry(settings).current()
    production.profile_path.unlink()
    _log(project, settings, sample_frame.drop(columns=[settings.schema.target]))

    assert main(["monitor"]) == 2
    error = capsys.readouterr().err
    assert f"no reference: v0001 has no {REFERENCE_PROFILE_FILE}" in error

    configuration = TrainingConfiguration(settings, "no-reference", production=production)
    validation = DataValidation(configuration.data_validation(), ingestion_artifact).run()
    assert validation.reference_version is None
    assert "no reference: v0001" in validation.summary()
    assert "drift against" not in validation.summary()


@pytest.mark.usefixtures("trained")
def test_monitor_writes_the_drift_report_and_exits_1_on_drift(project: Path, settings, sample_frame) -> None:
    features = sample_frame.drop(columns=[settings.schema.target])
    _log(project, settings, features.select_dtypes("number") * 50)

    assert main(["monitor"]) == 1

    [report] = (project / "artifacts").glob("monitor-*/report.yaml")
    content = yaml.safe_load(report.read_text())
    assert content["drift"]["drift_detected"] is True
    assert content["drift"]["reference_version"] == "v0001"
    page = (report.parent / "report.html").read_text(encoding="utf-8")
    assert '<p class="decision rejected" id="decision">Served rows against v0001: drift detected; ' in page
    assert f"{len(features)} rows scored since the start" in page
    assert "Drift detected against v0001" in page
    # The run page's data section: a histogram per logged column over the reference's, its missing share.
    data = page.split('id="data"')[1]
    assert data.count("<svg") == len(settings.schema.feature_columns)
    assert re.search(r'<td class="number">\d+\.\d%</td>', data)
    assert "the served rows" in data
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


@pytest.mark.usefixtures("trained")
def test_records_posted_with_markers_are_logged_as_the_model_saw_them(
    project: Path, settings, sample_frame, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fastapi.testclient import TestClient

    from {{ cookiecutter.package_name }}.api.app import create_app

    marker = settings.schema.missing_values[0]
    frame = sample_frame.drop(columns=[settings.schema.target]).head(40).astype(object)
    frame = frame.where(frame.notna(), marker)
    frame.iloc[:, 0] = marker
    monkeypatch.setenv(FEATURE_LOG_SAMPLE_RATE_ENV_VAR, "1")
    client = TestClient(create_app(load_settings(project)))

    assert client.post("/predict", json={"records": frame.to_dict(orient="records")}).is_success

    text = (project / FEATURE_LOG).read_text()
    assert f'"{marker}"' not in text
    assert main(["monitor"]) in {0, 1}


@pytest.mark.usefixtures("trained")
def test_a_full_disk_never_fails_a_prediction(
    project: Path, sample_frame, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from fastapi.testclient import TestClient

    from {{ cookiecutter.package_name }}.api.app import create_app

    records = sample_frame.drop(columns=["class"]).head(3)
    records = records.astype(object).where(records.notna(), None).to_dict(orient="records")
    monkeypatch.setenv(FEATURE_LOG_SAMPLE_RATE_ENV_VAR, "1")
    client = TestClient(create_app(load_settings(project)))
    _fail_writes_to(project / FEATURE_LOG, monkeypatch)

    with caplog.at_level(logging.WARNING):
        answers = [client.post("/predict", json={"records": records}) for _ in range(5)]
        csv = sample_frame.drop(columns=["class"]).head(3).to_csv(index=False).encode()
        answers.append(client.post("/predict/csv", files={"file": ("rows.csv", csv, "text/csv")}))

    assert [answer.status_code for answer in answers] == [200] * 6
    warnings = [record for record in caplog.records if "feature log" in record.getMessage()]
    assert len(warnings) == 1
    assert not (project / FEATURE_LOG).exists()
{%- endif %}
