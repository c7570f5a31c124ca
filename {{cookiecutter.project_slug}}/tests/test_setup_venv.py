"""scripts/setup_venv.py: the commands it plans on each platform, and the lock made offline first, online after."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "setup_venv.py"


@pytest.fixture(scope="module")
def setup_venv() -> ModuleType:
    spec = importlib.util.spec_from_file_location("setup_venv", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_with_uv_the_lock_is_written_once_then_installed_exactly(setup_venv) -> None:
    unlocked = setup_venv.install_plan("uv", "3.12", windows=False, locked=False)
    locked = setup_venv.install_plan("uv", "3.12", windows=False, locked=True)

    assert unlocked[0][:2] == ["uv", "lock"]
    assert unlocked[1:] == locked
    assert locked == [["uv", "sync", "--locked", "--extra", "dev", "--python", "3.12"]]


@pytest.mark.parametrize(
    ("windows", "expected"),
    [
        (False, "python3.12 -m venv .venv && .venv/bin/python -m pip install -r requirements-dev.txt"),
        (True, "py -3.12 -m venv .venv && .venv\\Scripts\\python -m pip install -r requirements-dev.txt"),
    ],
    ids=["posix", "windows"],
)
def test_without_uv_venv_and_pip_in_the_platforms_own_words(setup_venv, windows, expected) -> None:
    plan = setup_venv.install_plan(None, "3.12", windows=windows, locked=False)

    assert " && ".join(setup_venv.shown(command, windows) for command in plan) == expected


def test_paths_with_spaces_are_quoted_for_the_platforms_shell(setup_venv) -> None:
    assert setup_venv.shown(["cd", "C:\\My Projects\\x"], windows=True) == 'cd "C:\\My Projects\\x"'
    assert setup_venv.shown(["cd", "/my projects/x"], windows=False) == "cd '/my projects/x'"


def test_an_existing_venv_is_left_alone(setup_venv, tmp_path, monkeypatch, capsys) -> None:
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "mine").write_text("kept")
    monkeypatch.chdir(tmp_path)

    assert setup_venv.main([]) == 0

    assert "leaving it alone" in capsys.readouterr().out
    assert (tmp_path / ".venv" / "mine").read_text() == "kept"


def _fake_uv(folder: Path, offline_works: bool) -> Path:
    """A stand-in for uv that records its arguments and fails `lock --offline` when told to."""
    uv = folder / "uv"
    offline_exit = 0 if offline_works else 1
    uv.write_text(
        f"#!{sys.executable}\n"
        "import sys\n"
        f"open({str(folder / 'calls')!r}, 'a').write(' '.join(sys.argv[1:]) + '\\n')\n"
        f"sys.exit({offline_exit} if '--offline' in sys.argv else 0)\n"
    )
    uv.chmod(0o755)
    return uv


@pytest.mark.skipif(os.name == "nt", reason="the stand-in uv is a POSIX script")
@pytest.mark.parametrize("offline_works", [True, False], ids=["from-cache", "online"])
def test_the_lock_comes_from_the_cache_when_it_can(setup_venv, tmp_path, offline_works) -> None:
    uv = _fake_uv(tmp_path, offline_works)
    plan = setup_venv.install_plan("uv", "3.12", windows=False, locked=False)

    setup_venv.run_plan(plan, str(uv), dict(os.environ), timeout=60, windows=False)

    calls = (tmp_path / "calls").read_text().splitlines()
    lock = "lock --quiet --python 3.12"
    expected = [f"{lock} --offline"] + ([] if offline_works else [lock])
    assert calls == [*expected, "sync --locked --extra dev --python 3.12"]
