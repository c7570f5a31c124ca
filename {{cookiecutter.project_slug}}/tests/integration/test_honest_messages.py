"""Messages that say what happened: why there is no production model after a train that was not promoted."""

from __future__ import annotations

from pathlib import Path

import pytest
{% if cookiecutter.serving == "fastapi" %}
from {{ cookiecutter.package_name }}.api.model_cache import ModelCache
from {{ cookiecutter.package_name }}.builders.model_registry import build_model_registry
{%- endif %}
from {{ cookiecutter.package_name }}.cli import main
{%- if cookiecutter.serving == "fastapi" %}
from {{ cookiecutter.package_name }}.configuration import load_settings
{%- endif %}

from tests.conftest import SAMPLE_DATA


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


def test_before_any_train_the_message_still_says_to_train(project: Path, tmp_path: Path, capsys) -> None:
    assert main(["predict", "--input", str(project / SAMPLE_DATA), "--output", str(tmp_path / "out.csv")]) == 1
    assert "no production model yet: run `python -m {{ cookiecutter.package_name }} train` first" in capsys.readouterr().err
