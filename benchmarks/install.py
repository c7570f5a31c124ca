"""What `experiment_tracking=mlflow` costs at install time: install times (uv and pip, empty then filled cache) and
sizes (`.venv` as the post-generation hook builds it, and the runtime dependencies alone), mlflow against none."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from benchmarks.common import bake_command, child_env, find_uv, measure, median
from benchmarks.report import Figure

TRACKERS = ("none", "mlflow")  # the `none` project is the floor of the `mlflow` one
INSTALLERS = ("uv", "pip")
CACHES = ("cold", "warm")
RUNTIME = "runtime-requirements.txt"  # in the project, so that its `-e .` is the project for uv and pip alike
# Package sources other than PyPI that a machine's configuration may add: not a user's, so not passed on.
OTHER_SOURCES = ("PIP_FIND_LINKS", "PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL", "PIP_NO_INDEX")
OTHER_SOURCES += ("UV_FIND_LINKS", "UV_INDEX_URL", "UV_EXTRA_INDEX_URL", "UV_INDEX", "UV_DEFAULT_INDEX")

NOTES = """\
How to read it: each row is measured on a default project baked with `experiment_tracking=mlflow` (*measured*)
and on one with the default answers (`experiment_tracking=none`, *floor*); *ratio* is mlflow / none. Absolute
times move with the machine's load and the network (the load averages at the start and the end are above).

- Sizes: `du -sk` right after the install, before any run (uv writes no bytecode), of `.venv` as the project's
  `scripts/setup_venv.py` builds it (what the post-generation hook runs: `uv.lock`, written from uv's cache when
  that holds every package, then `uv sync --locked --extra dev`), and of a new venv holding the runtime
  dependencies alone: `uv export --no-dev --frozen --no-hashes` of that lock (which lists `-e .` first) installed
  with `uv pip install -r`. The versions are those the lock resolved on the day of the run.
- Install times: that runtime list installed into a new, empty venv (creating the venv is not counted); *cold*:
  with an empty cache (`UV_CACHE_DIR`, `PIP_CACHE_DIR`), so every package is downloaded from PyPI; *warm*: the
  same install again into another new venv with the cache the cold one filled (uv: the median of 3 in a full run,
  1 with `--quick`; pip: 1). pip is the one `python -m venv` brings, with no configuration file, and compiles
  bytecode as it installs; both build `-e .` in an isolated environment (setuptools downloaded, or taken from the
  cache).
"""


def disk_mb(path: Path) -> float:
    """What `du -sk` counts (blocks on disk, hard links once), in MB of 1,024 KiB as `du -sm` shows."""
    return int(measure(["du", "-sk", path]).stdout.split()[0]) / 1024


def installer_env(cache: Path) -> dict[str, str]:
    """As a user's shell: PyPI only, no configuration file, this cache for uv and for pip."""
    env = child_env(UV_CACHE_DIR=str(cache), PIP_CACHE_DIR=str(cache), UV_NO_CONFIG="1", PIP_CONFIG_FILE=os.devnull)
    return {key: value for key, value in env.items() if key not in OTHER_SOURCES}


def new_venv(installer: str, venv: Path) -> Path:
    if installer == "uv":
        measure([find_uv(), "venv", "--quiet", "--python", sys.executable, venv])
    else:
        measure([sys.executable, "-m", "venv", venv])
    return venv / "bin" / "python"


def timed_install(installer: str, project: Path, venv: Path, cache: Path) -> float:
    """Seconds to install the project's runtime list into a new venv, with this cache."""
    python = new_venv(installer, venv)
    if installer == "uv":
        command = [find_uv(), "pip", "install", "--quiet", "--python", python, "-r", RUNTIME]
    else:
        command = [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-r", RUNTIME]
    return measure(command, cwd=project, env=installer_env(cache)).seconds


def prepared(workdir: Path, tracking: str) -> tuple[Path, float]:
    """A project baked with this tracking, its `.venv` built by its own setup_venv.py (size in MB), and its
    runtime list exported from the lock that wrote."""
    output = workdir / f"install-{tracking}"
    measure(bake_command(output, "create_venv=no", "init_git=no", f"experiment_tracking={tracking}"))
    project = next(output.iterdir())
    measure([sys.executable, "scripts/setup_venv.py"], cwd=project)
    export = [find_uv(), "export", "--quiet", "--no-dev", "--frozen", "--no-hashes", "--output-file", RUNTIME]
    measure(export, cwd=project)
    return project, disk_mb(project / ".venv")


def measure_install(workdir: Path, repeats: int) -> list[Figure]:
    """Each cold install once (the cache it fills makes the next one warm); warm ones with uv `repeats` times,
    with pip once (a minute or more each)."""
    seconds: dict[tuple[str, str, str], float] = {}
    sizes: dict[tuple[str, str], float] = {}
    for tracking in TRACKERS:
        project, sizes[("venv", tracking)] = prepared(workdir, tracking)
        for installer in INSTALLERS:
            cache = workdir / f"cache-{installer}-{tracking}"
            cache.mkdir()
            runs = repeats if installer == "uv" else 1
            venvs = [workdir / f"venv-{installer}-{tracking}-{attempt}" for attempt in range(runs + 1)]
            seconds[(installer, "cold", tracking)] = timed_install(installer, project, venvs[0], cache)
            warm = [timed_install(installer, project, venv, cache) for venv in venvs[1:]]
            seconds[(installer, "warm", tracking)] = median(warm)
            if installer == "uv":
                sizes[("runtime", tracking)] = disk_mb(venvs[0])
    return install_figures(seconds, sizes)


def install_figures(seconds: dict[tuple[str, str, str], float], sizes: dict[tuple[str, str], float]) -> list[Figure]:
    """`seconds` by (installer, cache, tracking), `sizes` in MB by ("venv" or "runtime", tracking)."""
    figures = [
        compared(f"install with {installer}, {cache} cache: time", "s", seconds, (installer, cache))
        for installer in INSTALLERS
        for cache in CACHES
    ]
    figures.append(compared(".venv as setup_venv.py builds it (dev extra): size", "MB", sizes, ("venv",)))
    figures.append(compared("runtime dependencies alone (uv export --no-dev): size", "MB", sizes, ("runtime",)))
    added = sizes[("runtime", "mlflow")] - sizes[("runtime", "none")]
    figures.append(Figure("  of which added by experiment_tracking=mlflow", added, "MB"))
    return figures


def compared(name: str, unit: str, values: dict, key: tuple[str, ...]) -> Figure:
    mlflow, none = values[(*key, "mlflow")], values[(*key, "none")]
    return Figure(name, mlflow, unit, floor=none, ratio=mlflow / none, ratio_means="× none")
