"""The interface the pipelines call to report a run. This base class does nothing, so it is also the tracker of a
project without experiment tracking, and the pipelines never ask which tracker they have."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


class Tracker:
    """Receives a run's steps, trials and promotions; records nothing."""

    def check(self) -> None:
        """Reach the store now: a command that changes production calls this first, so that a tracker it cannot
        use fails the command before anything changed."""

    @contextmanager
    def run(self, run_id: str, artifact_dir: Path) -> Iterator[None]:
        """Wrap one training run; on exit, a real tracker keeps the run's reports."""
        yield

    def log_step(self, name: str, seconds: float, artifact: Any) -> None:
        """One pipeline step finished in `seconds` and returned `artifact` (an artifact entity)."""

    @contextmanager
    def study(self, name: str, artifact_dir: Path) -> Iterator[None]:
        """Wrap one hyperparameter search; on exit, a real tracker keeps the study's files."""
        yield

    def log_trial(self, number: int, params: dict[str, Any], score: float | None) -> None:
        """One trial of a study: its parameters and cross-validated score (None when pruned or failed)."""

    def promote(self, version: str) -> None:
        """The project's registry made `version` the production model (a rollback, say)."""
