"""Promotions under stress: trainers killed with SIGKILL at random moments and at the staging and switch
points, and trainers racing for the same production directory. Production must stay loadable and consistent."""

from __future__ import annotations

import json
import os
import random
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.inference.model import TabularModel
from {{ cookiecutter.package_name }}.registry import model_registry
from {{ cookiecutter.package_name }}.registry.model_registry import ModelRegistry
from {{ cookiecutter.package_name }}.registry.promotion_lock import PromotionLock
from {{ cookiecutter.package_name }}.utils import files

from tests.forked_cli import HAS_FORK, fork_cli, kill_self, wait

pytestmark = pytest.mark.skipif(not HAS_FORK, reason="SIGKILL and fork exist on POSIX only")

RANDOM_KILLS = 10


@pytest.fixture
def fast_project(project: Path, edit_config: Callable[..., None]) -> Path:
    """A project whose every run is promoted (no minimum gain) and trains in a fraction of a second."""
    edit_config("min_improvement: 0.01", "min_improvement: -1.0")
    edit_config("n_estimators: 50", "n_estimators: 10", name="model_config.yaml")
    return project


def _production(project: Path) -> Path:
    return project / "models" / "production"


def assert_production_consistent(project: Path) -> int:
    """CURRENT names a complete, loadable version; every version directory is complete. Return CURRENT's number."""
    directory = _production(project)
    registry = ModelRegistry(directory)
    for version in registry.versions():
        names = {path.name for path in (directory / version).iterdir()}
        assert {"model.joblib", "metadata.json", "reference_profile.json"} <= names, f"{version} is incomplete"
        assert json.loads((directory / version / "metadata.json").read_text())["version"] == version
    current = registry.current_version()
    if current is None:
        return 0
    production = registry.get(current)
    TabularModel.load(production.model_path)
    return int(current[1:])


def _leftovers(project: Path) -> list[str]:
    return sorted(path.name for path in _production(project).glob(".*") if path.name != ".promotion.lock")


def _run(project: Path, tmp_path: Path, name: str, prepare: Callable[[], None] | None = None) -> tuple[int, str]:
    output = tmp_path / f"{name}.log"
    code = wait(fork_cli(["train"], output, prepare))
    return code, output.read_text()


def test_sigkill_at_random_moments_never_breaks_production(fast_project: Path, tmp_path: Path) -> None:
    started = time.monotonic()
    code, log = _run(fast_project, tmp_path, "first")
    assert code == 0, log
    duration = time.monotonic() - started
    chooser = random.Random(int(os.environ.get("FAULT_SEED", "0")) or None)
    highest = assert_production_consistent(fast_project)
    killed = 0
    for attempt in range(RANDOM_KILLS):
        pid = fork_cli(["train"], tmp_path / f"kill-{attempt}.log")
        time.sleep(chooser.uniform(0, duration))
        os.kill(pid, signal.SIGKILL)
        killed += wait(pid) == -signal.SIGKILL
        current = assert_production_consistent(fast_project)
        assert current >= highest, "CURRENT moved backwards"
        highest = current

    code, log = _run(fast_project, tmp_path, "after")
    assert code == 0, log
    assert assert_production_consistent(fast_project) > highest
    assert _leftovers(fast_project) == []
    assert killed >= 3, "the runs finished before the kills: the moments did not fall inside the runs"


def _kill_when(function: str, module: object, matches: Callable[..., bool]) -> Callable[[], None]:
    """In the child: replace module.function by one that kills the process when called with matching arguments."""

    def prepare() -> None:
        original = getattr(module, function)

        def deadly(*args: object, **kwargs: object) -> object:
            if matches(*args):
                kill_self()
            return original(*args, **kwargs)

        setattr(module, function, deadly)

    return prepare


@pytest.mark.parametrize(
    ("point", "prepare"),
    [
        # the new version is complete in its staging directory, not yet renamed into place
        ("staging", _kill_when("rename", Path, lambda path, *_: ".staging-" in str(path))),
        # the new version is in place, CURRENT not yet switched to it
        ("switch", _kill_when("atomic_write_text", model_registry, lambda path, *_: path.name == "CURRENT")),
        # the new CURRENT is written and flushed beside the old one, not yet renamed over it
        ("pointer", _kill_when("replace", files.os, lambda _, target, *__: Path(target).name == "CURRENT")),
    ],
)
def test_sigkill_at_the_staging_and_switch_points(
    fast_project: Path, tmp_path: Path, point: str, prepare: Callable[[], None]
) -> None:
    code, log = _run(fast_project, tmp_path, "first")
    assert code == 0, log

    code, log = _run(fast_project, tmp_path, point, prepare)

    assert code == -signal.SIGKILL, log
    assert assert_production_consistent(fast_project) == 1
    code, log = _run(fast_project, tmp_path, "after")
    assert code == 0, log
    assert assert_production_consistent(fast_project) >= 2
    assert _leftovers(fast_project) == []


def test_racing_trainers_promote_one_after_the_other(fast_project: Path, tmp_path: Path) -> None:
    code, log = _run(fast_project, tmp_path, "first")
    assert code == 0, log
    directory = _production(fast_project)
    logs = [tmp_path / f"trainer-{number}.log" for number in range(2)] + [tmp_path / "rollback.log"]

    # Hold the lock while two trainers finish training, so that their promotions and a rollback collide.
    with PromotionLock(directory):
        trainers = [fork_cli(["train"], path) for path in logs[:2]]
        deadline = time.monotonic() + 180
        while not all(path.exists() and "waiting for the promotion lock" in path.read_text() for path in logs[:2]):
            assert time.monotonic() < deadline, "the trainers never reached the lock"
            assert all(os.waitpid(pid, os.WNOHANG) == (0, 0) for pid in trainers), "a trainer exited early"
            time.sleep(0.2)
        rollback = fork_cli(["promote", "v0001"], logs[2])
        time.sleep(0.5)

    codes = [wait(pid) for pid in [*trainers, rollback]]
    outputs = [path.read_text() for path in logs]
    assert codes == [0, 0, 0], outputs
    assert not any("Traceback" in output or "StorageError" in output for output in outputs), outputs

    registry = ModelRegistry(directory)
    assert registry.versions() == ["v0001", "v0002", "v0003"]
    assert_production_consistent(fast_project)
    second, third = registry.get("v0002").metadata, registry.get("v0003").metadata
    assert (second["previous_version"], "regated" in second) == ("v0001", False)
    if third["previous_version"] == "v0002":
        # v0003's trainer was evaluated against v0001 but promoted after v0002: it was gated again against v0002.
        assert "regated" in third
        assert registry.current_version() in {"v0001", "v0003"}
    else:
        # the rollback came between the two: production was v0001 again, as evaluated, so no second gate.
        assert (third["previous_version"], "regated" in third) == ("v0001", False)
        assert registry.current_version() == "v0003"
    assert _leftovers(fast_project) == []


def test_the_next_run_removes_old_partial_files_of_killed_runs(fast_project: Path, tmp_path: Path) -> None:
    partial_model = fast_project / "models" / "experiments" / "killed-run" / ".model.joblib.tmp"
    partial_artifact = fast_project / "artifacts" / "killed-run" / "data_ingestion" / ".train.csv.0123abcd.tmp"
    live_run = fast_project / "models" / "experiments" / "live-run" / ".model.joblib.tmp"
    for path in (partial_model, partial_artifact, live_run):
        path.parent.mkdir(parents=True)
        path.write_bytes(b"half")
    two_hours_ago = time.time() - 7200
    for path in (partial_model, partial_artifact):
        os.utime(path, (two_hours_ago, two_hours_ago))

    code, log = _run(fast_project, tmp_path, "next")

    assert code == 0, log
    assert not partial_model.exists()
    assert not partial_artifact.exists()
    assert live_run.exists(), "a recent temporary file may belong to a run still going: it must stay"
