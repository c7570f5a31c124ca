"""Messages that say what happened: why there is no production model after a train that was not promoted, a cost
only where costs are configured, and a column that gives the answer away named by `schema` and validation."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
{% if cookiecutter.serving == "fastapi" %}
from {{ cookiecutter.package_name }}.api.model_cache import ModelCache
from {{ cookiecutter.package_name }}.builders.model_registry import build_model_registry
{%- endif %}
from {{ cookiecutter.package_name }}.cli import main
{%- if cookiecutter.serving == "fastapi" %}
from {{ cookiecutter.package_name }}.configuration import load_settings
{%- endif %}
from {{ cookiecutter.package_name }}.constants import CONFIG_DIR, PACKAGE_NAME

from tests.conftest import SAMPLE_DATA{% if cookiecutter.data_source != "csv" %}, load_into_source{% endif %}

# The costs section of the shipped config.yaml, as it is written there.
COSTS = (
    "  costs:                         # two classes: what one wrong answer costs; adds the metric `cost` (their sum).\n"
    "    false_positive: 10           # the sensor sample's: a needless check of a healthy truck...\n"
    "    false_negative: 500          # ...and a missed air-pressure-system failure. Set yours, or remove `costs`\n"
)


@pytest.fixture
def not_promoted(project: Path, edit_config, capsys) -> str:
    """A first `train` whose model misses an absolute minimum no model reaches: the run id it printed."""
    edit_config("  min_score:  ", "  min_score: 1.01")
    assert main(["train"]) == 0
    printed = capsys.readouterr().out
    assert "not promoted" in printed
    return printed.split("run ", 1)[1].split()[0]


@pytest.mark.parametrize("command", ["predict", "evaluate"])
def test_after_a_train_that_was_not_promoted_the_reason_is_given(
    project: Path, not_promoted: str, tmp_path: Path, command: str, capsys
) -> None:
    # given a first train that was not promoted
    arguments = ["--input", str(project / SAMPLE_DATA)]
    if command == "predict":
        arguments += ["--output", str(tmp_path / "out.csv")]

    # when a command needs the production model
    assert main([command, *arguments]) == 1

    # then it says the last run was not promoted, and why, instead of asking for a train
    error = capsys.readouterr().err
    assert f"no production model yet: the last train (run {not_promoted}) was not promoted because" in error
    assert "does not reach the minimum 1.01" in error
    assert "first" not in error
{%- if cookiecutter.serving == "fastapi" %}


def test_the_server_readiness_gives_the_reason_too(project: Path, not_promoted: str) -> None:
    # given a first train that was not promoted
    settings = load_settings(project)
    artifacts = settings.path(settings.config.storage.artifacts_dir)
    cache = ModelCache(build_model_registry(settings), artifacts_dir=artifacts)

    # when the server is asked whether it is ready
    ready, reason = cache.readiness()

    # then it is not, and says why
    assert not ready
    assert f"the last train (run {not_promoted}) was not promoted because" in reason
{%- endif %}


def test_a_train_that_stopped_before_its_evaluation_is_named(project: Path, tmp_path: Path, capsys) -> None:
    # given a run that got no further than its first step (it failed, or is still running)
    (project / "artifacts" / "20260101T000000Z-abcdef" / "data_ingestion").mkdir(parents=True)

    # when a command needs the production model
    assert main(["predict", "--input", str(project / SAMPLE_DATA), "--output", str(tmp_path / "out.csv")]) == 1

    # then it names that run rather than asking for a train
    assert "the last train (run 20260101T000000Z-abcdef) has not evaluated a model" in capsys.readouterr().err


def test_before_any_train_the_message_still_says_to_train(project: Path, tmp_path: Path, capsys) -> None:
    assert main(["predict", "--input", str(project / SAMPLE_DATA), "--output", str(tmp_path / "out.csv")]) == 1
    said = capsys.readouterr().err
    assert f"no production model yet: run `python -m {PACKAGE_NAME} train` first" in said


def test_evaluate_reports_a_cost_only_where_costs_are_configured(project: Path, edit_config, capsys) -> None:
    # given a production model trained with the shipped costs
    assert main(["train"]) == 0
    capsys.readouterr()
    assert main(["evaluate", "--input", str(project / SAMPLE_DATA)]) == 0
    with_costs = json.loads(capsys.readouterr().out)

    # when the costs are removed from config.yaml
    edit_config(COSTS, "")
    assert main(["evaluate", "--input", str(project / SAMPLE_DATA)]) == 0
    without = json.loads(capsys.readouterr().out)

    # then the cost is reported with them only, and the other metrics are the same
    assert with_costs["cost"] >= 0
    assert "cost" not in without
    assert "cost" not in without["held_out"]  # the sample holds training rows: they are scored apart
    assert without == _without_cost(with_costs)


def test_the_metric_cost_without_costs_is_refused(project: Path, edit_config, capsys) -> None:
    edit_config(COSTS, "")
    edit_config("  metric: f1 ", "  metric: cost ")

    assert main(["models"]) == 2
    assert "costs" in capsys.readouterr().err


def _leaking_table(rows: int = 600) -> pd.DataFrame:
    rng = np.random.default_rng(3)
    frame = pd.DataFrame({"a": rng.normal(size=rows), "b": rng.choice(["x", "y", "z"], rows)})
    frame["outcome"] = np.where(frame["a"] + rng.normal(0, 1, rows) > 0.5, "late", "on time")
    # measured after the outcome: the delay in minutes, zero when on time
    frame["delay_minutes"] = np.where(frame["outcome"] == "late", rng.integers(5, 90, rows), 0)
    return frame


def test_a_leaking_column_is_named_by_schema_and_validation(project: Path, monkeypatch, capsys) -> None:
    # given a table with a column measured after the target
    source = project / "data" / "raw" / "flights.csv"
    _leaking_table().to_csv(source, index=False)
    monkeypatch.chdir(project)

    # when `schema` infers it, and `train` validates the data
    assert main(["schema", "--input", str(source), "--target", "outcome"]) == 0
    printed = capsys.readouterr().out
{%- if cookiecutter.data_source != "csv" %}
    load_into_source(project, source)
{%- endif %}
    assert main(["train"]) == 0
    logged = capsys.readouterr().err

    # then both name that column, and only that one
    warnings = [line for line in printed.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1
    assert warnings[0].startswith("warning: delay_minutes alone predicts the target")
    schema_text = (project / CONFIG_DIR / "schema.yaml").read_text()
    assert "delay_minutes: numeric  # warning: alone predicts the target" in schema_text
    assert "a: numeric\n" in schema_text
    leaks = [line for line in logged.splitlines() if "possible leak" in line]
    assert len(leaks) == 1
    assert "possible leak: delay_minutes alone predicts the target" in leaks[0]
    report = yaml.safe_load(next((project / "artifacts").glob("*/data_validation/report.yaml")).read_text())
    assert len(report["leaks"]) == 1
    assert report["leaks"][0].startswith("delay_minutes")


def test_no_leak_is_reported_on_the_sample(project: Path, capsys) -> None:
    assert main(["train"]) == 0

    logged = capsys.readouterr().err
    assert "data_validation: done" in logged
    assert "possible leak" not in logged


def _without_cost(metrics: dict) -> dict:
    """The metrics as evaluate prints them without costs: no `cost`, at the top or in `held_out`."""
    kept = {name: value for name, value in metrics.items() if name != "cost"}
    if isinstance(kept.get("held_out"), dict):
        kept["held_out"] = _without_cost(kept["held_out"])
    return kept
