"""Time to first prediction: cookiecutter (the hook makes .venv with uv) -> train -> first answered /predict."""

from __future__ import annotations

import json
import subprocess
import time
import urllib.request
from pathlib import Path

from benchmarks.common import (
    PACKAGE,
    SAMPLE_CSV,
    SLUG,
    bake_command,
    child_env,
    free_port,
    measure,
    median,
    project_python,
)
from benchmarks.report import Figure, Target
from benchmarks.serving import sample_records


def first_answer(url: str, body: bytes, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"serve exited with {process.returncode} before answering")
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=10) as answer:
                if answer.status == 200 and json.load(answer)["predictions"]:
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"no prediction from {url} within {timeout:g}s")


def one_run(output: Path, env: dict) -> dict[str, float]:
    """Seconds of each stage, as a new user runs them one after the other."""
    started = time.perf_counter()
    measure(bake_command(output), env=env)
    project = output / SLUG
    baked = time.perf_counter()
    measure([project_python(project), "-m", PACKAGE, "train"], cwd=project, env=env)
    trained = time.perf_counter()
    port = free_port()
    body = json.dumps({"records": sample_records(project / SAMPLE_CSV)[:1]}).encode()
    command = [project_python(project), "-m", PACKAGE, "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        first_answer(f"http://127.0.0.1:{port}/predict", body, process)
        answered = time.perf_counter()
    finally:
        process.terminate()
        process.wait(timeout=20)
    return {"total": answered - started, "bake": baked - started, "train": trained - baked, "serve": answered - trained}


def measure_first_prediction(workdir: Path, repeats: int, cold: bool) -> list[Figure]:
    """Warm: the shared uv cache already holds every package. Cold: a fresh, empty UV_CACHE_DIR (downloads)."""
    cases = [("warm", repeats, child_env(), 10.0)]
    if cold:
        cases.append(("cold", 1, child_env(UV_CACHE_DIR=str(workdir / "empty-uv-cache")), 20.0))
    figures = []
    for name, runs, env, limit in cases:
        stages = [one_run(workdir / f"first-{name}-{attempt}", env) for attempt in range(runs)]
        total = median(run["total"] for run in stages)
        figures.append(
            Figure(f"time to first prediction, {name} uv cache", total, "s", target=Target("value", limit, True))
        )
        for stage, what in (("bake", "cookiecutter + .venv"), ("train", "train"), ("serve", "serve start")):
            figures.append(Figure(f"  of which {what} ({name})", median(run[stage] for run in stages), "s"))
    return figures
