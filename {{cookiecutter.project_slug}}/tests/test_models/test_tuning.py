"""`tune`: a bounded, seeded Optuna study on training rows; `--apply` edits only the tuned estimator's params."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.tuning.config_writer import apply_params

SMALL_SPACE = "    n_estimators: {type: int, low: 50, high: 200}"


def test_tune_stores_the_study_and_apply_writes_the_best_params(
    project: Path, edit_config, capsys: pytest.CaptureFixture[str]
) -> None:
    edit_config(SMALL_SPACE, "    n_estimators: {type: int, low: 5, high: 20}", "model_config.yaml")

    assert main(["tune", "--trials", "3", "--timeout", "60", "--apply"]) == 0

    output = capsys.readouterr().out
    assert "best cross-validated f1=" in output
    [summary_path] = (project / "artifacts").glob("*/tune/study.json")
    summary = json.loads(summary_path.read_text())
    assert (summary_path.parent / "study.db").is_file()
    assert summary["trials"] == 3
    assert len(summary["trials_table"]) == 3
    model_settings = load_settings(project).model
    written = model_settings.params[model_settings.estimator]
    assert {key: written[key] for key in summary["best_params"]} == summary["best_params"]
    assert "# keyword arguments of each estimator" in (project / "config" / "model_config.yaml").read_text()


def test_apply_keeps_comments_and_other_estimators(tmp_path: Path) -> None:
    path = tmp_path / "model_config.yaml"
    path.write_text(
        "estimator: random_forest  # chosen\n"
        "params:  # per estimator\n"
        "  random_forest:\n"
        "    n_estimators: 100   # trees\n"
        "    n_jobs: 1\n"
        "\n"
        "  logistic_regression:\n"
        "    C: 1.0\n"
        "search_space: {}\n"
    )

    apply_params(path, "random_forest", {"n_estimators": 42, "max_depth": 7})

    text = path.read_text()
    assert "    n_estimators: 42   # trees\n" in text
    assert "# chosen" in text
    assert "# per estimator" in text
    content = yaml.safe_load(text)
    assert content["params"] == {
        "random_forest": {"n_estimators": 42, "n_jobs": 1, "max_depth": 7},
        "logistic_regression": {"C": 1.0},
    }


def test_a_search_space_with_an_unknown_parameter_is_a_config_error(project: Path, edit_config) -> None:
    edit_config(SMALL_SPACE, "    n_trees: {type: int, low: 5, high: 20}", "model_config.yaml")

    assert main(["tune", "--trials", "1"]) == 2
