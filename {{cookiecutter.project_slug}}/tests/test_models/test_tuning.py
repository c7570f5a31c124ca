"""`tune`: a bounded, seeded Optuna study on training rows; `--apply` edits only the tuned estimator's params."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from sklearn.pipeline import Pipeline

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.components.data_ingestion import DataIngestion
from {{ cookiecutter.package_name }}.components.data_transformation import DataTransformation
from {{ cookiecutter.package_name }}.components.data_validation import DataValidation
from {{ cookiecutter.package_name }}.components.model_trainer import ModelTrainer
from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.constants import CONFIG_DIR, MODEL_CONFIG_FILE
from {{ cookiecutter.package_name }}.pipeline.training_config import TrainingConfiguration
from {{ cookiecutter.package_name }}.tuning.config_writer import apply_params

from tests.frame_source import FrameSource

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


def _described(pipeline: Pipeline) -> dict[str, str]:
    """Every parameter of the pipeline, its steps' included, as comparable text (nested objects by class name)."""
    return {
        name: type(value).__name__ if hasattr(value, "get_params") else repr(value)
        for name, value in pipeline.get_params(deep=True).items()
    }


def test_tune_scores_the_pipeline_train_fits(project: Path, sample_frame, monkeypatch: pytest.MonkeyPatch) -> None:
    """Same config, same pipeline: steps, preprocessing, oversampling and every seed (model_config.yaml's
    random_state, set apart from data_ingestion.random_state, the split's, here). The only trial searches the
    configured parameters themselves, so it fits what `train` fits."""
    path = project / CONFIG_DIR / MODEL_CONFIG_FILE
    content = yaml.safe_load(path.read_text())
    content["random_state"] = 7
    params = content["params"][content["estimator"]]
    params.update({"n_estimators": 10} if "n_estimators" in params else {})
    content["search_space"][content["estimator"]] = {
        name: {"type": "categorical", "choices": [value]} for name, value in params.items()
    }
    path.write_text(yaml.safe_dump(content))
    fitted: list[dict[str, str]] = []
    fit = Pipeline.fit

    def recording_fit(self: Pipeline, *args: Any, **kwargs: Any) -> Pipeline:
        if "preprocess" in self.named_steps:
            fitted.append(_described(self))
        return fit(self, *args, **kwargs)

    monkeypatch.setattr(Pipeline, "fit", recording_fit)

    settings = load_settings(project)
    configuration = TrainingConfiguration(settings, run_id="same-pipeline", production=None)
    ingestion = DataIngestion(configuration.data_ingestion(), FrameSource(sample_frame)).run()
    validation = DataValidation(configuration.data_validation(), ingestion).run()
    transformation = DataTransformation(configuration.data_transformation(), validation).run()
    ModelTrainer(configuration.model_trainer(), transformation).run()
    trained = fitted.copy()
    fitted.clear()
    assert main(["tune", "--trials", "1"]) == 0
    tuned = fitted.copy()

    assert trained
    assert tuned
    assert tuned[0] == trained[0]
    assert all(described == trained[0] for described in trained + tuned)
    assert {value for name, value in trained[0].items() if name.endswith("random_state")} == {"7"}
