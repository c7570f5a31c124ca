"""Configuration mistakes stop every command at once, with one line naming the file, the key and what is allowed."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.exception import ConfigError


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "config.yaml",
            "min_improvement:",
            "min_improvment:",
            r"config/config\.yaml: model_evaluation\.min_improvment: unknown key "
            r"\(allowed: costs, metric, min_improvement",
        ),
        ("config.yaml", "random_state: 42", "random_state: forty-two", r"data_ingestion\.random_state: .*integer"),
        ("config.yaml", "test_size: 0.2", "test_size: 1.5", r"data_ingestion\.test_size: .*less than 1"),
        ("config.yaml", "split: hash", "split: time", r"data_ingestion: .*split: time needs time_column"),
        ("config.yaml", "split: hash", "split: random", r"data_ingestion\.split: .*'hash' or 'time'"),
        ("config.yaml", "production_dir: models/production", "production_dir: 17", r"storage\.production_dir"),
        ("config.yaml", "metric: f1", "metric: f2", r"model_evaluation\.metric: .*'f1'"),
        ("config.yaml", "oversample_minority: true", "oversample_minority: perhaps", r"oversample_minority: .*bool"),
        ("config.yaml", "data_ingestion:", "data_ingestion: [", r"config/config\.yaml line \d+ is not valid YAML"),
        ("model_config.yaml", "estimator: {{ 'random_forest' if cookiecutter.model_library == 'scikit-learn' else cookiecutter.model_library }}", "estimator: random_forrest", r"not one of random_forest"),
        ("model_config.yaml", "min_samples_leaf: 5", "min_sample_leaf: 5", r"unknown parameters min_sample_leaf"),
        ("schema.yaml", "column: class", "colum: class", r"config/schema\.yaml: target\.colum: unknown key"),
    ],
)
def test_a_config_mistake_is_one_line_and_exit_code_2(
    edit_config: Callable[..., None],
    capsys: pytest.CaptureFixture[str],
    name: str,
    old: str,
    new: str,
    expected: str,
) -> None:
    edit_config(old, new, name)

    assert main(["models"]) == 2

    error = capsys.readouterr().err
    assert error.count("\n") == 1, error
    assert error.startswith("error: ")
    assert "Traceback" not in error
    assert re.search(expected, error), error


def test_quoted_false_is_read_as_false(project, edit_config: Callable[..., None]) -> None:
    edit_config("oversample_minority: true", 'oversample_minority: "false"')

    assert load_settings(project).config.data_transformation.oversample_minority is False


def test_a_missing_config_file_is_named(project) -> None:
    (project / "config" / "model_config.yaml").unlink()

    with pytest.raises(ConfigError, match=r"missing configuration file config/model_config\.yaml"):
        load_settings(project)


def test_a_bad_log_level_is_refused_before_anything_runs(capsys: pytest.CaptureFixture[str], project) -> None:
    assert main(["--log-level", "LOUD", "models"]) == 2

    assert "invalid choice: 'LOUD'" in capsys.readouterr().err
