"""Files are written whole or not at all, durably, with the mode an ordinary open() would give them."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path

import pytest

from {{ cookiecutter.package_name }}.utils import files
from {{ cookiecutter.package_name }}.utils.files import atomic_write_text, remove_leftovers


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_an_atomic_write_gets_the_umask_mode_not_0600(tmp_path: Path, umask: int) -> None:
    previous = os.umask(umask)
    try:
        atomic_write_text(tmp_path / "predictions.csv", "a,b\n")
    finally:
        os.umask(previous)

    assert stat.S_IMODE((tmp_path / "predictions.csv").stat().st_mode) == 0o666 & ~umask


def test_the_file_and_its_directory_are_fsynced_before_the_write_returns(tmp_path: Path, monkeypatch) -> None:
    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(files.os, "fsync", lambda descriptor: (synced.append(descriptor), real_fsync(descriptor)))

    atomic_write_text(tmp_path / "CURRENT", "v0001\n")

    assert len(synced) >= 2, "the file and its directory must both be flushed"
    assert (tmp_path / "CURRENT").read_text() == "v0001\n"


def test_an_interrupted_write_leaves_the_old_content_and_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    target = tmp_path / "CURRENT"
    atomic_write_text(target, "v0001\n")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(files.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        atomic_write_text(target, "v0002\n")

    assert target.read_text() == "v0001\n"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["CURRENT"]


def test_old_temporary_files_of_a_killed_writer_are_removed_by_the_next_write(tmp_path: Path) -> None:
    old = tmp_path / ".predictions.csv.0123456789ab.tmp"
    recent = tmp_path / ".predictions.csv.ba9876543210.tmp"
    old.write_text("half")
    recent.write_text("being written by a live run")
    an_hour_and_more = time.time() - files.STALE_TEMPORARY_SECONDS - 60
    os.utime(old, (an_hour_and_more, an_hour_and_more))

    atomic_write_text(tmp_path / "predictions.csv", "a\n")

    assert not old.exists()
    assert recent.exists()


def test_remove_leftovers_spares_recent_entries(tmp_path: Path) -> None:
    (tmp_path / ".staging-v0002-dead").mkdir()
    (tmp_path / "v0001").mkdir()

    assert remove_leftovers(tmp_path, [".staging-*"], older_than_seconds=3600) == []
    assert remove_leftovers(tmp_path, [".staging-*"]) == [".staging-v0002-dead"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["v0001"]
