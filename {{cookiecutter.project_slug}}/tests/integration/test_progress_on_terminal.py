"""Progress on a terminal: `predict` draws a bar on stderr and writes the same predictions; `train` counts steps."""

from __future__ import annotations

import os
import select
import struct
import sys
import time

import pytest

from {{ cookiecutter.package_name }}.builders.model_registry import build_model_registry
from {{ cookiecutter.package_name }}.cli import main
from {{ cookiecutter.package_name }}.configuration import load_settings
from {{ cookiecutter.package_name }}.pipeline.prediction_pipeline import PredictionPipeline

from tests.forked_cli import HAS_FORK, fork_cli, wait
from tests.test_progress import FakeTerminal

SAMPLE = "data/raw/sensor_sample.csv"


@pytest.fixture
def quick_project(project, edit_config):
    """Trains in a fraction of the usual time: the tests look at the display, not at the model."""
    edit_config("n_estimators: 50", "n_estimators: 10", name="model_config.yaml")
    edit_config("tune_threshold: true", "tune_threshold: false", name="model_config.yaml")
    return project


@pytest.fixture
def pipeline(quick_project) -> PredictionPipeline:
    assert main(["train"]) == 0
    settings = load_settings(quick_project)
    return PredictionPipeline(settings, build_model_registry(settings))


def test_predictions_are_the_same_bytes_with_and_without_a_bar(pipeline, project, monkeypatch) -> None:
    plain, with_bar = project / "plain.csv", project / "with_bar.csv"
    pipeline.predict_file(project / SAMPLE, plain, chunk_rows=1000)
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)

    pipeline.predict_file(project / SAMPLE, with_bar, chunk_rows=1000)

    assert "predict:" in terminal.getvalue()  # the bar was really drawn
    assert with_bar.read_bytes() == plain.read_bytes()


def test_train_on_a_terminal_counts_its_steps_and_logs_each_step_once(quick_project, monkeypatch) -> None:
    terminal = FakeTerminal()
    monkeypatch.setattr(sys, "stderr", terminal)

    assert main(["train"]) == 0

    shown = terminal.getvalue().replace("\r", "\n").splitlines()
    assert any(line.startswith("3/6 model_trainer |") for line in shown)
    assert any(line.startswith("5/6 model_pusher |") for line in shown)
    assert sum(line.endswith("model_trainer: started") for line in shown) == 1


@pytest.mark.skipif(not HAS_FORK or not hasattr(os, "openpty"), reason="pseudo-terminals and fork exist on POSIX only")
def test_cli_predict_on_a_pseudo_terminal_draws_a_bar_on_stderr_only(pipeline, project, tmp_path) -> None:
    import fcntl
    import termios

    controller, terminal = os.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # a new one is 0 columns wide

    def stderr_to_terminal() -> None:
        os.dup2(terminal, 2)
        sys.stderr = open(2, "w", buffering=1, closefd=False)  # noqa: SIM115 - the child exits without closing

    stdout = tmp_path / "stdout.txt"
    argv = ["predict", "--input", str(project / SAMPLE), "--output", str(project / "predictions.csv")]
    pid = fork_cli(argv, stdout, prepare=stderr_to_terminal)
    os.close(terminal)
    drawn = _read_until_closed(controller, seconds=60)

    assert wait(pid) == 0
    assert "predict:" in drawn
    assert "100%|" in drawn or "B/s]" in drawn
    printed = stdout.read_text(encoding="utf-8")
    assert "wrote 3000 predictions" in printed
    assert "predict:" not in printed


def _read_until_closed(controller: int, seconds: float) -> str:
    """Everything written to the terminal until the child closes it (EOF, or EIO on Linux), within `seconds`."""
    received = b""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        ready, _, _ = select.select([controller], [], [], 1.0)
        if not ready:
            continue
        try:
            data = os.read(controller, 65536)
        except OSError:  # EIO: every writer has closed the terminal
            break
        if not data:
            break
        received += data
    os.close(controller)
    return received.decode("utf-8", errors="replace")
