"""Slow: an `experiment_tracking=mlflow` project, installed by the hook, tuned briefly, trained twice, and read back
through MLflow's own client and pyfunc loader."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import DEFAULT_PACKAGE, assert_type_checks, run

pytestmark = pytest.mark.slow
SAMPLE = Path("data") / "raw" / "sensor_sample.csv"

# Run inside the generated project's venv: what a user would type in a notebook.
CHECK_MLFLOW = """
import json, sys
import mlflow, pandas as pd
from mlflow import MlflowClient
from {package}.configuration import load_settings
from {package}.pipeline.prediction_pipeline import PredictionPipeline
from {package}.registry.factory import build_model_registry
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


def test_tune_then_train_twice_is_tracked_registered_and_served_identically(mlflow_project) -> None:
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


def test_mlflow_project_type_checks(mlflow_project) -> None:
    project, _ = mlflow_project

    assert_type_checks(project)
