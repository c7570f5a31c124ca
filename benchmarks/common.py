"""What every benchmark needs: timed child processes with their peak memory, medians, the machine, a project."""

from __future__ import annotations

import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

TEMPLATE_DIR = Path(__file__).resolve().parent.parent
BENCHMARKS_DIR = Path(__file__).resolve().parent
PACKAGE = "sensor_fault_detection"
SLUG = "sensor-fault-detection"
SAMPLE_CSV = Path("data/raw/sensor_sample.csv")
GNU_TIME = "/usr/bin/time"


@dataclass(frozen=True)
class Measured:
    seconds: float
    peak_rss_mb: float
    stdout: str
    cpu_seconds: float = 0.0  # user + system time of the process: what the machine's other load does not inflate


# Not passed on: the caller's virtualenv, and PYTHONDONTWRITEBYTECODE, which some sandboxes and CI images set and
# which makes every start compile every module from source (seconds for scikit-learn and pandas), as no user's
# machine does.
NOT_INHERITED = frozenset({"VIRTUAL_ENV", "PYTHONDONTWRITEBYTECODE"})


def child_env(**extra: str) -> dict[str, str]:
    """The caller's environment as a user's shell would have it; uv never downloads an interpreter."""
    env = {key: value for key, value in os.environ.items() if key not in NOT_INHERITED}
    env["UV_PYTHON_DOWNLOADS"] = "never"
    env.update(extra)
    return env


def measure(command: list, cwd: Path | None = None, env: dict | None = None, timeout: float = 3600) -> Measured:
    """Run a command to completion: wall time, CPU time and the peak RSS of the process (and its waited children).

    os.wait4 gives the resource usage of that one child, unlike RUSAGE_CHILDREN, which keeps the maximum over
    every child the benchmark has ever waited for. Linux counts the spawning process's resident set at exec into
    the child's peak (a maximum, not a sum), so the peak comes from GNU time (/usr/bin/time), whose own child
    starts from its tiny footprint; without it, from wait4, which is right only while this driver is smaller.
    """
    with tempfile.TemporaryDirectory() as scratch:
        peak_file = Path(scratch) / "peak"
        prefix = [GNU_TIME, "-f", "%M", "-o", str(peak_file)] if Path(GNU_TIME).is_file() else []
        with (Path(scratch) / "out").open("w+") as out:
            started = time.perf_counter()
            process = subprocess.Popen(
                [*prefix, *(str(part) for part in command)],
                cwd=cwd,
                env=env or child_env(),
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            deadline = started + timeout
            while True:
                pid, status, usage = os.wait4(process.pid, os.WNOHANG)
                if pid:
                    break
                if time.perf_counter() > deadline:
                    process.kill()
                    os.wait4(process.pid, 0)
                    raise RuntimeError(f"{command} took longer than {timeout:g}s")
                time.sleep(0.01)
            seconds = time.perf_counter() - started
            process.returncode = os.waitstatus_to_exitcode(status)
            out.seek(0)
            output = out.read()
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(map(str, command))} exited {process.returncode}:\n{output[-3000:]}")
        peak_kb = int(peak_file.read_text().split()[-1]) if prefix else usage.ru_maxrss
    cpu_seconds = usage.ru_utime + usage.ru_stime
    return Measured(seconds=seconds, peak_rss_mb=peak_kb / 1024, stdout=output, cpu_seconds=cpu_seconds)


def median(values) -> float:
    return statistics.median(list(values))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def find_uv() -> str:
    """uv next to the running Python (the template's dev tools), else on PATH."""
    beside = Path(sys.executable).with_name("uv")
    found = str(beside) if beside.is_file() else shutil.which("uv")
    if not found:
        raise SystemExit("uv not found: install the template's dev tools (README, Quickstart)")
    return found


def bake_command(output_dir: Path, *answers: str) -> list:
    return [sys.executable, "-m", "cookiecutter", "--no-input", str(TEMPLATE_DIR), "-o", str(output_dir), *answers]


def prepare_project(workdir: Path, *answers: str, train: bool = True) -> Path:
    """A project (default answers, or these) baked without install, installed with uv into .venv, and (`train`)
    trained once on its sample."""
    project = workdir / SLUG
    measure(bake_command(workdir, "create_venv=no", "init_git=no", *answers))
    uv = find_uv()
    measure([uv, "venv", "--quiet", "--python", sys.executable, ".venv"], cwd=project)
    measure(
        [uv, "pip", "install", "--quiet", "--python", ".venv/bin/python", "-r", "requirements-dev.txt"], cwd=project
    )
    if train:
        measure([project_python(project), "-m", PACKAGE, "train"], cwd=project)
    return project


def project_python(project: Path) -> Path:
    return project / ".venv" / "bin" / "python"


def describe_machine() -> dict[str, str]:
    """CPU model, cores, RAM, Python and OS, and the load when the run started (the machine may be shared)."""
    cpu = "unknown"
    memory = "unknown"
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
        kilobytes = next(
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f"{kilobytes / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration, ValueError):
        pass
    system = platform.platform()
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                system = f"{line.split('=', 1)[1].strip(chr(34))} ({platform.system()} {platform.release()})"
    except OSError:
        pass
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return {
        "CPU": cpu,
        "cores": str(os.cpu_count()),
        "RAM": memory,
        "Python": f"{platform.python_implementation()} {platform.python_version()}",
        "OS": system,
        "load average at start (1, 5, 15 min)": load,
    }
