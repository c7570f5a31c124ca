"""Create .venv and install the project with its dev tools, the same way on every machine.

Usage: `python3 scripts/setup_venv.py [--python 3.11] [--timeout 900]` (on Windows: `py scripts\\setup_venv.py`).
With uv it writes `uv.lock` when there is none and installs exactly what the lock pins (`uv sync --locked`);
the lock is made from uv's cache when that has every package, so it is quick (`uv lock --upgrade` moves it to the
newest versions). Without uv it uses venv and pip with requirements-dev.txt. Commit `uv.lock`: CI installs from it.
Runs with the standard library only, on any Python 3, before the project is installed.
"""

from __future__ import annotations

import argparse
import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

PROJECT_PYTHON = "{{ cookiecutter.python_version }}"
DEFAULT_TIMEOUT_SECONDS = 900.0
# By `os.name == "nt"`: the project's Python as typed in the platform's shell, and what starts Python X.Y.
VENV_PYTHON = {False: ".venv/bin/python", True: ".venv\\Scripts\\python"}


def launcher(version: str, windows: bool) -> list[str]:
    """The command that starts Python X.Y: `pythonX.Y` on POSIX, the `py` launcher on Windows."""
    return ["py", f"-{version}"] if windows else [f"python{version}"]


def shown(command: list[str], windows: bool) -> str:
    """A command as the user types it: quoted for cmd/PowerShell on Windows, for a POSIX shell elsewhere."""
    return subprocess.list2cmdline(command) if windows else shlex.join(command)


def find_uv() -> str | None:
    """uv next to this Python (the venv that runs it) first, then on PATH."""
    beside = Path(sys.executable).with_name("uv.exe" if os.name == "nt" else "uv")
    return str(beside) if beside.is_file() else shutil.which("uv")


def install_plan(uv: str | None, interpreter: str, windows: bool, locked: bool) -> list[list[str]]:
    """The commands, with "uv" standing for the uv found; `locked` says whether uv.lock exists already."""
    if uv:
        lock = [] if locked else [["uv", "lock", "--quiet", "--python", interpreter]]
        return [*lock, ["uv", "sync", "--locked", "--extra", "dev", "--python", interpreter]]
    creator = [interpreter] if os.path.isabs(interpreter) else launcher(interpreter, windows)
    pip_install = [VENV_PYTHON[windows], "-m", "pip", "install", "-r", "requirements-dev.txt"]
    return [[*creator, "-m", "venv", ".venv"], pip_install]


def choose_interpreter(wanted: str, uv: str | None, env: dict[str, str], windows: bool) -> str:
    """Python `wanted` if it is installed, else this one when it is not older (the project needs >= wanted)."""
    # `--system`: without it uv would accept a .venv found in a parent folder.
    probe = [uv, "python", "find", "--system", wanted] if uv else [*launcher(wanted, windows), "-V"]
    if shutil.which(probe[0]):
        found = subprocess.run(probe, capture_output=True, env=env, timeout=60)  # noqa: S603 - a fixed command
        if found.returncode == 0:
            return wanted
    newer = sys.version_info[:2] >= tuple(int(part) for part in wanted.split("."))
    print(f"warning: Python {wanted} is not installed; " + (f"using {sys.executable}" if newer else "install it first"))
    return sys.executable if newer else wanted


def run_plan(plan: list[list[str]], uv: str | None, env: dict[str, str], timeout: float, windows: bool) -> None:
    """Run each command within one overall deadline; uv is tried offline first when it writes the lock."""
    deadline = time.monotonic() + timeout
    for command in plan:
        print("running: " + shown(command, windows), flush=True)
        actual = [uv if part == "uv" and uv else part for part in command]
        left = max(deadline - time.monotonic(), 1)
        if command[:2] == ["uv", "lock"]:
            offline = subprocess.run([*actual, "--offline"], env=env, capture_output=True, timeout=left)  # noqa: S603
            if offline.returncode == 0:
                continue
        subprocess.run(actual, check=True, env=env, timeout=max(deadline - time.monotonic(), 1))  # noqa: S603


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=PROJECT_PYTHON, help="X.Y or an interpreter's path")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_SECONDS, help="seconds for the whole install")
    arguments = parser.parse_args(argv)
    windows = os.name == "nt"
    if Path(".venv").exists():
        print(".venv already exists: leaving it alone (remove it to install again)")
        return 0
    uv = find_uv()
    env = {**{key: value for key, value in os.environ.items() if key != "VIRTUAL_ENV"}, "UV_PYTHON_DOWNLOADS": "never"}
    interpreter = choose_interpreter(arguments.python, uv, env, windows)
    plan = install_plan(uv, interpreter, windows, locked=Path("uv.lock").is_file())
    print(f"installing with {'uv' if uv else 'pip'} (up to {arguments.timeout:g}s)...", flush=True)
    try:
        run_plan(plan, uv, env, arguments.timeout, windows)
    except (subprocess.SubprocessError, OSError) as error:
        late = f"it took longer than {arguments.timeout:g}s"
        print(f"the install did not finish: {late if isinstance(error, subprocess.TimeoutExpired) else error}")
        shutil.rmtree(".venv", ignore_errors=True)
        return 1
    print(f"installed: {VENV_PYTHON[windows]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
