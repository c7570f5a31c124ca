"""Faults on the way, each reported once and in one line, with nothing left behind: a full disk under the log
file or a model file, a step or the experiment tracker failing (the traceback kept in logs/pipeline.log, not
on the terminal){% if cookiecutter.serving == "fastapi" %}, a training run started over HTTP failing, and the
garbage of a replaced model{% endif %}."""

from __future__ import annotations

import errno
import io
import logging
{%- if cookiecutter.serving == "fastapi" %}
import time
{%- endif %}
from pathlib import Path
from typing import Any

import pytest

from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.components.data_validation import DataValidation
from {{ cookiecutter.package_name }}.constants import PACKAGE_NAME
from {{ cookiecutter.package_name }}.inference import model as model_module
from {{ cookiecutter.package_name }}.inference.model import TabularModel
from {{ cookiecutter.package_name }}.logger import configure_logging
from {{ cookiecutter.package_name }}.pipeline import training_pipeline
from {{ cookiecutter.package_name }}.tracking import Tracker

PIPELINE_LOG = Path("logs") / "pipeline.log"


def _no_space(*args: object, **kwargs: object) -> Any:
    raise OSError(errno.ENOSPC, "No space left on device")


class _FullDisk(io.StringIO):
    def write(self, text: str) -> int:
        return _no_space()


def test_a_log_file_on_a_full_disk_costs_one_line_not_a_traceback_per_record(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    configure_logging(project)
    [file_handler] = [
        handler for handler in logging.getLogger(PACKAGE_NAME).handlers if isinstance(handler, logging.FileHandler)
    ]
    file_handler.stream = _FullDisk()

    for number in range(5):
        logging.getLogger(f"{PACKAGE_NAME}.faults").warning("record %d", number)

    error = capsys.readouterr().err
    assert error.count("warning: log lines are not written to") == 1
    assert "No space left on device" in error
    assert "Logging error" not in error
    assert "Traceback" not in error


def test_a_model_file_on_a_full_disk_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def half_written(value: object, handle: Any) -> None:
        handle.write(b"half a model")
        _no_space()

    monkeypatch.setattr(model_module.joblib, "dump", half_written)
    model = TabularModel(None, {"a": "numeric"}, ("no", "yes"))

    with pytest.raises(OSError, match="No space left"):
        model.save(tmp_path / "experiments" / "model.joblib")

    assert list((tmp_path / "experiments").iterdir()) == []


def _one_error_line(error: str) -> str:
    assert "Traceback" not in error
    [line] = [line for line in error.splitlines() if line.startswith("error:")]
    return line


def test_a_failing_step_is_one_line_on_the_terminal_and_a_traceback_in_the_log(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(self: DataValidation) -> Any:
        raise RuntimeError("validation broke on row 7")

    monkeypatch.setattr(DataValidation, "run", broken)

    assert main(["train"]) == 1

    line = _one_error_line(capsys.readouterr().err)
    assert "data_validation failed: RuntimeError: validation broke on row 7" in line
    log = (project / PIPELINE_LOG).read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in log
    assert "RuntimeError: validation broke on row 7" in log
    assert "in broken" in log  # the frame where it started


class _FailingTracker(Tracker):
    def log_step(self, name: str, seconds: float, artifact: Any) -> None:
        raise ConnectionError("the tracking server went away")


def test_an_experiment_tracker_failure_is_reported_by_the_step(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(training_pipeline, "build_tracker", lambda settings: _FailingTracker())

    assert main(["train"]) == 1

    line = _one_error_line(capsys.readouterr().err)
    assert "data_ingestion: recording it in the experiment tracker failed: ConnectionError" in line
    assert "ConnectionError: the tracking server went away" in (project / PIPELINE_LOG).read_text(encoding="utf-8")


class _TrackerLostAfterThePush(Tracker):
    def log_step(self, name: str, seconds: float, artifact: Any) -> None:
        if name == "model_pusher":
            raise ConnectionError("the tracking server went away")


def test_a_tracker_failure_after_the_push_says_the_model_was_promoted(
    project: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(training_pipeline, "build_tracker", lambda settings: _TrackerLostAfterThePush())

    assert main(["train"]) == 1

    line = _one_error_line(capsys.readouterr().err)
    assert "model_pusher: recording it in the experiment tracker failed (v0001 was promoted all the same)" in line
    assert (project / "models" / "production" / "CURRENT").read_text(encoding="utf-8") == "v0001\n"
{%- if cookiecutter.serving == "fastapi" %}


def test_a_training_run_started_over_http_that_fails_is_logged_without_its_secrets(
    project: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from {{ cookiecutter.package_name }}.api.training_jobs import TrainingJobs
    from {{ cookiecutter.package_name }}.builders.model_registry import build_model_registry
    from {{ cookiecutter.package_name }}.configuration import load_settings

    def unreachable(self: training_pipeline.TrainingPipeline) -> Any:
        raise RuntimeError("cannot connect to postgresql://sensor:s3cr3t-pass@db.internal/sensor")

    monkeypatch.setattr(training_pipeline.TrainingPipeline, "run", unreachable)
    settings = load_settings(project)
    configure_logging(project)
    jobs = TrainingJobs(settings, build_model_registry(settings))

    job = jobs.start()
    assert job is not None
    deadline = time.monotonic() + 30
    while job.status == "running" and time.monotonic() < deadline:
        time.sleep(0.05)

    assert job.status == "failed"
    assert job.details["error"] == "RuntimeError: cannot connect to postgresql://sensor:***@db.internal/sensor"
    log = (project / PIPELINE_LOG).read_text(encoding="utf-8")
    assert f"training run {job.run_id} failed: RuntimeError" in log
    assert "Traceback (most recent call last)" in log
    assert "s3cr3t-pass" not in log


def test_the_garbage_of_a_replaced_model_is_collected() -> None:
    """Each load freezes what is loaded; what the previous freeze kept must become collectable again."""
    import gc
    import weakref

    from {{ cookiecutter.package_name }}.api import model_cache

    class Model:
        pass

    replaced = Model()
    replaced.cycle = replaced  # type: ignore[attr-defined]  # garbage only a collection frees
    gone = weakref.ref(replaced)
    model_cache._exempt_from_garbage_collection()  # the first model is loaded
    del replaced
    model_cache._exempt_from_garbage_collection()  # the next one replaces it

    try:
        assert gone() is None
    finally:
        gc.unfreeze()
{%- endif %}
