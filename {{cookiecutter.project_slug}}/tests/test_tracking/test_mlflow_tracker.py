"""MLflow tracking: one run per `train`, a registered version per promotion, the `production` alias following the
project's registry (rollback included), and a pyfunc model that predicts exactly as `predict` does."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from mlflow.pyfunc import scoring_server

from {{ cookiecutter.package_name }}.builders.model_registry import build_model_registry
from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.configuration import Settings, load_settings
from {{ cookiecutter.package_name }}.pipeline.prediction_pipeline import PredictionPipeline
from {{ cookiecutter.package_name }}.registry.model_registry import ModelRegistry
from {{ cookiecutter.package_name }}.tracking.mlflow_tracker import (
    EMBEDDED_ARTIFACTS,
    EMBEDDED_STORE,
    EXPERIMENT_NAME,
    HTTP_LIMITS,
    PRODUCTION_ALIAS,
    PROJECT_VERSION_TAG,
    REGISTERED_MODEL_NAME,
    tracking_uri,
)

from tests.conftest import SAMPLE_DATA


@pytest.fixture
def trained_twice(project: Path, edit_config, monkeypatch: pytest.MonkeyPatch) -> tuple[Settings, MlflowClient]:
    """Two `train` runs, both promoted (the gate asks for no gain), in the project's embedded store."""
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    edit_config("min_improvement: 0.01", "min_improvement: -1.0")
    assert main(["train"]) == 0
    assert main(["train"]) == 0
    settings = load_settings(project)
    return settings, MlflowClient(tracking_uri(settings), tracking_uri(settings))


def _alias_version(client: MlflowClient) -> str:
    found = client.get_model_version_by_alias(REGISTERED_MODEL_NAME, PRODUCTION_ALIAS)
    return found.tags[PROJECT_VERSION_TAG]


def test_the_store_is_embedded_in_the_project(trained_twice, project: Path) -> None:
    assert (project / EMBEDDED_STORE).is_file()
    assert any((project / EMBEDDED_ARTIFACTS).iterdir())


def test_each_train_is_a_run_with_params_step_metrics_and_reports(trained_twice) -> None:
    settings, client = trained_twice
    experiment = client.get_experiment_by_name(EXPERIMENT_NAME)
    runs = client.search_runs([experiment.experiment_id])

    assert len(runs) == 2
    for run in runs:
        assert run.info.status == "FINISHED"
        assert run.data.params["estimator"] == settings.model.estimator
        assert run.data.params["data_fingerprint"].startswith("sha256:")
        assert run.data.metrics["model_trainer.seconds"] > 0
        assert 0 < run.data.metrics["model_evaluation.candidate_metrics.f1"] <= 1
        reports = {item.path for item in client.list_artifacts(run.info.run_id, "data_validation")}
        assert "data_validation/report.yaml" in reports
        assert "report.html" in {item.path for item in client.list_artifacts(run.info.run_id)}  # the run's page


def test_promoted_versions_are_registered_and_the_alias_follows_rollback(trained_twice) -> None:
    settings, client = trained_twice
    versions = client.search_model_versions(f"name='{REGISTERED_MODEL_NAME}'")

    assert sorted(version.tags[PROJECT_VERSION_TAG] for version in versions) == ["v0001", "v0002"]
    assert _alias_version(client) == "v0002"

    assert main(["promote", "v0001"]) == 0
    assert _alias_version(client) == "v0001"
    assert build_model_registry(settings).current_version() == "v0001"


def test_the_registered_pyfunc_predicts_exactly_as_predict(trained_twice, sample_frame: pd.DataFrame) -> None:
    settings, _ = trained_twice
    mlflow.set_tracking_uri(tracking_uri(settings))
    features = sample_frame.drop(columns=[settings.schema.target])

    served = mlflow.pyfunc.load_model(f"models:/{REGISTERED_MODEL_NAME}@{PRODUCTION_ALIAS}").predict(features)
    expected = PredictionPipeline(settings, build_model_registry(settings)).predict_frame(features)

    pd.testing.assert_frame_equal(served.reset_index(drop=True), expected.reset_index(drop=True))


def test_the_pyfunc_reads_the_schemas_missing_value_markers_as_predict_does(
    trained_twice, project: Path, sample_frame: pd.DataFrame
) -> None:
    """A frame read without the markers (`pd.read_csv` keeps them as text) gets `predict`'s answers."""
    settings, _ = trained_twice
    mlflow.set_tracking_uri(tracking_uri(settings))
    raw = pd.read_csv(project / SAMPLE_DATA).drop(columns=[settings.schema.target])

    served = mlflow.pyfunc.load_model(f"models:/{REGISTERED_MODEL_NAME}@{PRODUCTION_ALIAS}").predict(raw)

    assert raw.isin(settings.schema.missing_values).any().any()  # the markers are in the frame as text
    features = sample_frame.drop(columns=[settings.schema.target])
    expected = PredictionPipeline(settings, build_model_registry(settings)).predict_frame(features)
    pd.testing.assert_frame_equal(served.reset_index(drop=True), expected.reset_index(drop=True))


def test_mlflow_scoring_answers_the_documented_body(trained_twice, sample_frame: pd.DataFrame) -> None:
    """The body docs/tracking.md builds for `mlflow models serve`, through MLflow's own scoring code."""
    settings, _ = trained_twice
    mlflow.set_tracking_uri(tracking_uri(settings))
    model = mlflow.pyfunc.load_model(f"models:/{REGISTERED_MODEL_NAME}@{PRODUCTION_ALIAS}")
    rows = pd.read_csv(settings.project_root / "data/raw/sensor_sample.csv", na_values=["na"], nrows=3).drop(
        columns="class"
    )
    body = '{"dataframe_split": ' + rows.to_json(orient="split", index=False) + "}"

    answer = scoring_server.invocations(body, "application/json", model, model.metadata.get_input_schema())

    assert answer.status == 200, answer.response
    features = sample_frame.drop(columns=[settings.schema.target]).head(3)
    expected = PredictionPipeline(settings, build_model_registry(settings)).predict_frame(features)
    assert [row["prediction"] for row in json.loads(answer.response)["predictions"]] == list(expected["prediction"])


def test_train_with_stderr_redirected_gets_no_mlflow_bar_or_warning(project: Path, edit_config) -> None:
    """`train 2>file`: the project's log only, none of MLflow's notes on logging the model."""
    edit_config("n_estimators: 50", "n_estimators: 10", name="model_config.yaml")
    environment = {key: value for key, value in os.environ.items() if key != "MLFLOW_TRACKING_URI"}
    command = [sys.executable, "-m", "{{ cookiecutter.package_name }}", "train"]

    result = subprocess.run(command, cwd=project, env=environment, capture_output=True, text=True, timeout=300)

    assert result.returncode == 0, result.stderr
    for noise in ("Downloading artifacts", "Warning", "WARNING mlflow", "INFO mlflow.pyfunc"):
        assert noise not in result.stderr, result.stderr


def _closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _broken_store(kind: str, project: Path) -> str:
    if kind == "a-file-not-a-database":
        (project / "broken.db").write_bytes(b"not a database " * 100)
        return f"sqlite:///{(project / 'broken.db').as_posix()}"
    if kind == "a-server-not-running":
        return f"http://tracker:s3cret-word@127.0.0.1:{_closed_port()}"
    return "nosuchscheme://tracker:s3cret-word@127.0.0.1/store"


def _second_version(registry: ModelRegistry) -> None:
    """v0002, a copy of v0001, made current (and uploaded first when there is a mirror)."""
    second = registry.directory / "v0002"
    shutil.copytree(registry.directory / "v0001", second)
    metadata = json.loads((second / "metadata.json").read_text(encoding="utf-8"))
    (second / "metadata.json").write_text(json.dumps({**metadata, "version": "v0002"}), encoding="utf-8")
    if registry.mirror is not None:
        registry.mirror.upload_version("v0002", second)
    registry.activate("v0002")


@pytest.mark.parametrize("store", ["a-file-not-a-database", "a-server-not-running", "an-unknown-scheme"])
def test_promote_with_a_broken_store_leaves_production_as_it_was(
    store: str, trained: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = build_model_registry(load_settings(trained))
    _second_version(registry)
    monkeypatch.setenv("MLFLOW_TRACKING_URI", _broken_store(store, trained))
    monkeypatch.setenv("MLFLOW_HTTP_REQUEST_MAX_RETRIES", "0")  # the bound on waiting has a test of its own
    capsys.readouterr()

    code = main(["promote", "v0001"])

    error = capsys.readouterr().err
    assert code in (1, 2), error
    assert "Traceback" not in error
    assert "s3cret-word" not in error
    [line] = [line for line in error.splitlines() if line.startswith("error:")]
    assert "MLflow store" in line or "MLFLOW_TRACKING_URI" in line, line
    assert build_model_registry(load_settings(trained)).current_version() == "v0002"
{%- if cookiecutter.artifact_storage == "s3" %}
    assert registry.mirror is not None
    assert registry.mirror.current_version() == "v0002"
{%- endif %}


def test_train_with_the_tracking_server_down_fails_within_seconds_in_one_line(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for variable in HTTP_LIMITS:  # MLflow's own defaults wait about four minutes: the project's limits apply
        monkeypatch.setenv(variable.name, "0")
        monkeypatch.delenv(variable.name)
    port = _closed_port()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"http://tracker:s3cret-word@127.0.0.1:{port}")
    started = time.monotonic()

    code = main(["train"])

    seconds = time.monotonic() - started
    error = capsys.readouterr().err
    assert code == 1, error
    assert seconds < 60, f"{seconds:.0f}s"
    assert "Traceback" not in error
    assert "s3cret-word" not in error
    [line] = [line for line in error.splitlines() if line.startswith("error:")]
    assert f"the MLflow store at http://tracker:***@127.0.0.1:{port} cannot be reached (4 tries)" in line
    assert "nothing was trained or promoted" in line
    assert not (project / "models" / "production" / "CURRENT").exists()


def test_a_tracker_lost_mid_run_is_reported_by_the_step_that_lost_it(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The store stops answering after the run started: its reports and the run's end fail too, and none of that
    may take the place of the step's one line."""
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)

    def gone(*args: object, **kwargs: object) -> None:
        raise MlflowException("API request to the tracking server failed: connection refused")

    for name in ("log_metrics", "log_artifact", "end_run"):
        monkeypatch.setattr(mlflow, name, gone)

    code = main(["train"])

    monkeypatch.undo()
    mlflow.end_run()  # the run the failed end left active in this process
    error = capsys.readouterr().err
    assert code == 1, error
    assert "Traceback" not in error
    [line] = [line for line in error.splitlines() if line.startswith("error:")]
    assert "data_ingestion: recording it in the experiment tracker failed: MlflowException" in line
    assert "was left open" in error
