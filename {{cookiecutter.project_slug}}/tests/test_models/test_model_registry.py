from __future__ import annotations

import json
import logging
import os
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.exception import ModelNotFoundError, PipelineError, StorageError
from {{ cookiecutter.package_name }}.registry.model_registry import ModelRegistry, ProductionModel
from {{ cookiecutter.package_name }}.registry.promotion_lock import PromotionLock


def _files(tmp_path: Path, content: str) -> dict[str, Path]:
    model, profile = tmp_path / f"model-{content}", tmp_path / f"profile-{content}"
    model.write_text(content)
    profile.write_text("{}")
    return {"model.joblib": model, "reference_profile.json": profile}


def test_versions_are_kept_and_current_moves(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "production")

    first = registry.promote(_files(tmp_path, "one"), {"metric": "f1"})
    second = registry.promote(_files(tmp_path, "two"), {"metric": "f1"})

    assert (first.version, second.version) == ("v0001", "v0002")
    assert registry.versions() == ["v0001", "v0002"]
    assert registry.current_version() == "v0002"
    assert first.model_path.read_text() == "one"
    assert second.metadata["version"] == "v0002"


def test_every_switch_and_edit_of_current_is_seen_by_a_registry_that_read_it_before(tmp_path: Path) -> None:
    """current_version() skips reading CURRENT while its stat() is unchanged: no change may be missed."""
    registry = ModelRegistry(tmp_path / "production")
    registry.promote(_files(tmp_path, "one"), {"metric": "f1"})
    assert registry.current_version() == "v0001"
    registry.promote(_files(tmp_path, "two"), {"metric": "f1"})
    assert registry.current_version() == "v0002"

    ModelRegistry(tmp_path / "production").activate("v0001")  # another process switches back
    assert registry.current_version() == "v0001"
    (tmp_path / "production" / "CURRENT").write_text("v0002\n")  # by hand, in place, at once: same size
    assert registry.current_version() == "v0002"

    time.sleep(0.15)  # settled: now read once, then trusted while its stat() is unchanged
    assert registry.current_version() == "v0002"
    (tmp_path / "production" / "CURRENT").write_text("v0001\n")
    assert registry.current_version() == "v0001"


def test_rollback_activates_an_older_version(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "production")
    registry.promote(_files(tmp_path, "one"), {})
    registry.promote(_files(tmp_path, "two"), {})

    registry.activate("v0001")

    assert registry.current().model_path.read_text() == "one"
    with pytest.raises(ModelNotFoundError, match="v0001, v0002"):
        registry.activate("v0009")


def test_failed_promotion_leaves_production_untouched(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "production")
    registry.promote(_files(tmp_path, "one"), {})
    broken = {"model.joblib": tmp_path / "does-not-exist"}

    with pytest.raises(StorageError, match="v0002"):
        registry.promote(broken, {})

    assert registry.versions() == ["v0001"]
    assert registry.current_version() == "v0001"
    assert sorted(path.name for path in registry.directory.iterdir()) == [".promotion.lock", "CURRENT", "v0001"]


def test_leftovers_of_interrupted_runs_are_removed_by_the_next_promotion(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "production")
    registry.promote(_files(tmp_path, "one"), {})
    staging = registry.directory / ".staging-v0002-dead"
    staging.mkdir()
    (staging / "model.joblib").write_text("half")
    (registry.directory / ".CURRENT.0123abcd.tmp").write_text("v00")

    registry.promote(_files(tmp_path, "two"), {})

    assert sorted(path.name for path in registry.directory.iterdir()) == [
        ".promotion.lock",
        "CURRENT",
        "v0001",
        "v0002",
    ]


def test_pointer_and_metadata_get_the_umask_mode_not_0600(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        model = ModelRegistry(tmp_path / "production").promote(_files(tmp_path, "one"), {})
    finally:
        os.umask(previous)

    for path in (model.directory.parent / "CURRENT", model.directory / "metadata.json", model.model_path):
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, path.name


def test_promotion_regates_when_production_moved_since_the_evaluation(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "production")
    registry.promote(_files(tmp_path, "one"), {})
    registry.promote(_files(tmp_path, "two"), {})  # promoted by another trainer meanwhile
    seen: list[str] = []

    def regate(production: ProductionModel) -> tuple[bool, str]:
        seen.append(production.version)
        return False, "not better than v0002"

    with pytest.raises(PipelineError, match="not better than v0002"):
        registry.promote(_files(tmp_path, "three"), {}, evaluated_against="v0001", regate=regate)

    assert seen == ["v0002"]
    assert registry.versions() == ["v0001", "v0002"]
    assert registry.current_version() == "v0002"


def test_no_regate_when_production_did_not_move(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "production")
    registry.promote(_files(tmp_path, "one"), {})

    def regate(production: ProductionModel) -> tuple[bool, str]:
        raise AssertionError("gated twice against the same production model")

    assert registry.promote(_files(tmp_path, "two"), {}, evaluated_against="v0001", regate=regate).version == "v0002"


def test_accepted_regate_is_recorded_in_the_metadata(tmp_path: Path) -> None:
    registry = ModelRegistry(tmp_path / "production")
    registry.promote(_files(tmp_path, "one"), {})

    promoted = registry.promote(
        _files(tmp_path, "two"),
        {"previous_version": None},
        evaluated_against=None,
        regate=lambda production: (True, f"beats {production.version}"),
    )

    metadata = json.loads((promoted.directory / "metadata.json").read_text())
    assert metadata["previous_version"] == "v0001"
    assert metadata["regated"] == "beats v0001"


def test_a_waiter_gives_up_after_its_timeout_naming_the_holder(tmp_path: Path) -> None:
    with PromotionLock(tmp_path):
        started = time.monotonic()
        with pytest.raises(StorageError) as raised, PromotionLock(tmp_path, timeout_seconds=0.5):
            pass
        waited = time.monotonic() - started

    assert 0.5 <= waited < 5
    assert f"still held by host {socket.gethostname()} pid {os.getpid()} after 0.5s" in raised.value.message
    assert "nothing was changed" in raised.value.message
    with PromotionLock(tmp_path, timeout_seconds=0.5):  # released by its holder: taken at once
        pass


def test_a_holder_that_let_go_or_exited_is_never_named(tmp_path: Path) -> None:
    lock = PromotionLock(tmp_path)
    with lock:
        assert lock.holder() == f"host {socket.gethostname()} pid {os.getpid()}"
    assert lock.holder() == "another process"

    exited = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    lock.path.write_text(f"host {socket.gethostname()} pid {exited.stdout.strip()}\n")
    assert lock.holder() == "another process"


def test_a_promotion_waits_for_the_lock_and_says_so(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    registry = ModelRegistry(tmp_path / "production")
    registry.directory.mkdir()
    finished = threading.Event()

    def promote() -> None:
        registry.promote(_files(tmp_path, "one"), {})
        finished.set()

    with caplog.at_level(logging.WARNING), PromotionLock(registry.directory):
        worker = threading.Thread(target=promote)
        worker.start()
        time.sleep(0.5)
        assert not finished.is_set(), "the promotion did not wait for the lock"
    worker.join(10)

    assert finished.is_set()
    assert registry.current_version() == "v0001"
    assert "waiting for the promotion lock" in caplog.text
    assert f"pid {os.getpid()}" in caplog.text
