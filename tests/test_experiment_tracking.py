"""Slow: an `experiment_tracking=mlflow` project, installed by the hook, tuned briefly, trained twice, and read back
through MLflow's own client and pyfunc loader."""

from __future__ import annotations

import csv
import itertools
import json
import os
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import DEFAULT_PACKAGE, assert_type_checks, run, runnable_lines
from tests.servers import free_port

pytestmark = pytest.mark.slow
SAMPLE = Path("data") / "raw" / "sensor_sample.csv"

# Run inside the generated project's venv: what a user would type in a notebook.
CHECK_MLFLOW = """
import json, sys
import mlflow, pandas as pd
from mlflow import MlflowClient
from {package}.configuration import load_settings
from {package}.pipeline.prediction_pipeline import PredictionPipeline
from {package}.builders.model_registry import build_model_registry
from {package}.tracking.mlflow_tracker import EXPERIMENT_NAME, REGISTERED_MODEL_NAME, tracking_uri

settings = load_settings()
uri = tracking_uri(settings)
mlflow.set_tracking_uri(uri)
client = MlflowClient(uri, uri)
experiment = client.get_experiment_by_name(EXPERIMENT_NAME)
runs = client.search_runs([experiment.experiment_id])
versions = client.search_model_versions(f"name='{{REGISTERED_MODEL_NAME}}'")
alias = client.get_model_version_by_alias(REGISTERED_MODEL_NAME, "production")
frame = pd.read_csv(sys.argv[1], na_values=list(settings.schema.missing_values))
features = frame.drop(columns=[settings.schema.target])
served = mlflow.pyfunc.load_model(f"models:/{{REGISTERED_MODEL_NAME}}@production").predict(features)
expected = PredictionPipeline(settings, build_model_registry(settings)).predict_frame(features)
print(json.dumps({{
    "train_runs": sorted(
        run.info.status for run in runs
        if run.data.tags.get("kind") != "tune" and "mlflow.parentRunId" not in run.data.tags
    ),
    "tune_runs": sum(run.data.tags.get("kind") == "tune" for run in runs),
    "trial_runs": sum("mlflow.parentRunId" in run.data.tags for run in runs),
    "versions": sorted(version.tags["project_version"] for version in versions),
    "alias": alias.tags["project_version"],
    "identical": served.reset_index(drop=True).equals(expected.reset_index(drop=True)),
}}))
"""


@pytest.fixture(scope="module")
def mlflow_project(installed_project):
    result, project = installed_project("experiment_tracking=mlflow")
    assert "[mlops-template] installed" in result.stdout, result.stdout
    return project, project / ".venv" / "bin" / "python"


@pytest.fixture(scope="module")
def tracked(mlflow_project):
    """Tuned briefly, trained twice (both promoted), then rolled back to v0001: what the tests below read."""
    project, python = mlflow_project
    cli = [python, "-m", DEFAULT_PACKAGE]
    tuned = run([*cli, "tune", "--trials", "2", "--timeout", "120"], cwd=project)
    assert "best cross-validated" in tuned.stdout, tuned.stdout + tuned.stderr
    # Every candidate passes the gate, so both runs register a version.
    gate = project / "config" / "config.yaml"
    gate.write_text(gate.read_text().replace("min_improvement: 0.01", "min_improvement: -1.0"))
    assert "promoted as v0001" in run([*cli, "train"], cwd=project).stdout
    assert "promoted as v0002" in run([*cli, "train"], cwd=project).stdout
    run([*cli, "promote", "v0001"], cwd=project)
    return project, python


def test_tune_then_train_twice_is_tracked_registered_and_served_identically(tracked) -> None:
    project, python = tracked

    checked = run([python, "-c", CHECK_MLFLOW.format(package=DEFAULT_PACKAGE), project / SAMPLE], cwd=project)
    found = json.loads(checked.stdout.strip().splitlines()[-1])

    assert found["train_runs"] == ["FINISHED", "FINISHED"]
    assert found["tune_runs"] == 1 and found["trial_runs"] == 2
    assert found["versions"] == ["v0001", "v0002"]
    assert found["alias"] == "v0001"
    assert found["identical"] is True
    assert (project / "mlruns.db").is_file()
    ignored = run(["git", "status", "--porcelain", "--ignored"], cwd=project).stdout
    assert "!! mlruns.db" in ignored and "!! mlartifacts/" in ignored


def test_mlflow_models_serve_answers_as_predict_does(tracked, tmp_path) -> None:
    """`mlflow models serve` on the registered production model, as a user deploys it without our server."""
    project, python = tracked
    name = run([python, "-c", NAME_OF_MODEL.format(package=DEFAULT_PACKAGE)], cwd=project).stdout.strip()
    rows = _sample_rows(project / SAMPLE, 20)
    columns = [column for column in rows[0] if column != "class"]
    sample = tmp_path / "rows.csv"
    _write_rows(sample, rows)
    run([python, "-m", DEFAULT_PACKAGE, "predict", "--input", sample, "--output", tmp_path / "out.csv"], cwd=project)
    expected = [row["prediction"] for row in _sample_rows(tmp_path / "out.csv", 20)]
    port = free_port()
    # As the README says: the venv activated (MLflow starts `uvicorn` from PATH) and the project's store named.
    venv_bin = project / ".venv" / "bin"
    env = {
        **os.environ,
        "MLFLOW_TRACKING_URI": f"sqlite:///{project / 'mlruns.db'}",
        "PATH": f"{venv_bin}{os.pathsep}{os.environ['PATH']}",
    }
    env.pop("VIRTUAL_ENV", None)
    serve = [project / ".venv" / "bin" / "mlflow", "models", "serve", "-m", f"models:/{name}@production"]
    server = subprocess.Popen(
        [*map(str, serve), "--env-manager", "local", "-h", "127.0.0.1", "-p", str(port)],
        cwd=project,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait_until_up(f"http://127.0.0.1:{port}/ping", server, seconds=120)
        data = [[None if row[column] == "na" else float(row[column]) for column in columns] for row in rows]
        body = json.dumps({"dataframe_split": {"columns": columns, "data": data}}).encode()
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/invocations", data=body, headers={"content-type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            answered = json.loads(response.read())["predictions"]
    finally:
        server.terminate()
        server.wait(timeout=30)

    assert [item["prediction"] for item in answered] == expected


NAME_OF_MODEL = """
from {package}.tracking.mlflow_tracker import REGISTERED_MODEL_NAME
print(REGISTERED_MODEL_NAME)
"""


def _sample_rows(path: Path, count: int) -> list[dict[str, str]]:
    with path.open(newline="") as handle:
        return list(itertools.islice(csv.DictReader(handle), count))


def _write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _wait_until_up(url: str, server: subprocess.Popen, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"mlflow models serve did not answer {url}: {server.stderr.read()[-2000:]}")
            time.sleep(0.5)


def test_mlflow_project_type_checks(mlflow_project) -> None:
    project, _ = mlflow_project

    assert_type_checks(project)


# Kept last: it adds runs to the store that test_tune_then_train_twice_is_tracked_registered_and_served_identically
# counts.
def test_mlflow_projects_commands_of_the_docs_run_in_the_project_store(tracked) -> None:
    """docs/tracking.md's `mlflow run` block, as written, from the project root: offline, in mlruns.db."""
    project, python = tracked
    lines = runnable_lines(project / "docs" / "tracking.md")

    result = run(["bash", "-c", "\n".join(["set -euo pipefail", *lines])], cwd=project, timeout=1200)

    assert "=== Run (ID" in result.stderr and "succeeded ===" in result.stderr, result.stderr[-3000:]
    assert not (project / "mlflow.db").exists()
    assert (project / "predictions.csv").is_file()
    checked = run([python, "-c", PROJECT_RUNS.format(package=DEFAULT_PACKAGE)], cwd=project)
    assert json.loads(checked.stdout.strip().splitlines()[-1]) == {"train": 1, "predict": 1}
    untracked = [
        line for line in run(["git", "status", "--porcelain"], cwd=project).stdout.splitlines() if "??" in line
    ]
    assert untracked == []


# The MLflow Projects runs of the project's experiment, by entry point.
PROJECT_RUNS = """
import json
from mlflow import MlflowClient
from {package}.configuration import load_settings
from {package}.tracking.mlflow_tracker import EXPERIMENT_NAME, tracking_uri

uri = tracking_uri(load_settings())
client = MlflowClient(uri, uri)
runs = client.search_runs([client.get_experiment_by_name(EXPERIMENT_NAME).experiment_id])
projects = [run for run in runs if run.data.tags.get("mlflow.source.type") == "PROJECT"]
points = [run.data.tags.get("mlflow.project.entryPoint") for run in projects]
print(json.dumps({{point: points.count(point) for point in sorted(set(points))}}))
"""
