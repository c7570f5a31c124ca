"""Serving: wrk against the project's `serve` and against the empty-endpoint floor, alternately, same settings."""

from __future__ import annotations

import csv
import json
import math
import shutil
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.common import BENCHMARKS_DIR, PACKAGE, SAMPLE_CSV, child_env, free_port, median, project_python
from benchmarks.report import Figure, Target

CONNECTIONS = 32
WRK_THREADS = 1  # one wrk thread keeps a core for the server on a 2-core machine; it drives far more than needed
WRK_TIMEOUT = "2s"  # wrk's default: slower answers count as timeout errors
TARGET_COLUMN = "class"
RESULT_PREFIX = "BENCHMARK "
MISSING_CELLS = ("", "na")  # the sample's marker, and what pandas writes for a gap
SIZES = ((1, 200), (100, 20))  # records per request, and how many different bodies wrk cycles through

LUA_TEMPLATE = """-- Written by benchmarks/serving.py: POST /predict, cycling through prepared bodies.
local bodies = {
%(bodies)s
}
local prepared = {}
local counter = 0

init = function(args)
  for i, body in ipairs(bodies) do
    prepared[i] = wrk.format("POST", "/predict", {["Content-Type"] = "application/json"}, body)
  end
end

request = function()
  counter = counter + 1
  return prepared[(counter %% #prepared) + 1]
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '%(prefix)s{"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, "write": %%d, ' ..
    '"status": %%d, "timeout": %%d, "p50_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


@dataclass(frozen=True)
class WrkResult:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def sample_records(sample_csv: Path, target: str = TARGET_COLUMN) -> list[dict]:
    """A table's rows as a client sends them: features only, "na" and empty cells as null, numbers as numbers,
    other text as text."""
    with sample_csv.open(newline="") as handle:
        return [{key: _reading(value) for key, value in row.items() if key != target} for row in csv.DictReader(handle)]


def _reading(text: str):
    if text in MISSING_CELLS:
        return None
    try:
        number = float(text)
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def lua_script(records: list[dict], per_request: int, bodies: int) -> str:
    """A wrk script sending `bodies` different requests of `per_request` records each, in turn."""
    chunks = []
    for index in range(bodies):
        start = (index * per_request) % max(len(records) - per_request + 1, 1)
        body = json.dumps({"records": records[start : start + per_request]}, separators=(",", ":"))
        chunks.append(f"  [=[{body}]=],")
    return LUA_TEMPLATE % {"bodies": "\n".join(chunks), "prefix": RESULT_PREFIX}


def parse_wrk(output: str) -> WrkResult:
    """Read the line our Lua `done` writes; wrk's own text (rounded, unit-suffixed) is not parsed."""
    for line in output.splitlines():
        if line.startswith(RESULT_PREFIX):
            data = json.loads(line[len(RESULT_PREFIX) :])
            errors = sum(data[key] for key in ("connect", "read", "write", "status", "timeout"))
            # No answer within the timeout: wrk has no latency to report (it says 0); it is at least the timeout.
            answered = data["requests"] > 0  # completed requests; timeouts are not among them
            return WrkResult(
                requests_per_second=data["requests"] / (data["duration_us"] / 1e6),
                p50_ms=data["p50_us"] / 1000 if answered else math.inf,
                p99_ms=data["p99_us"] / 1000 if answered else math.inf,
                errors=errors,
            )
    raise ValueError(f"no {RESULT_PREFIX.strip()} line in the wrk output:\n{output[-2000:]}")


def require_wrk() -> str:
    found = shutil.which("wrk")
    if not found:
        raise SystemExit("wrk is not installed: `sudo apt-get install -y wrk` (Debian/Ubuntu), then run again")
    return found


def run_wrk(url: str, script: Path, seconds: float) -> WrkResult:
    command = [require_wrk(), f"-t{WRK_THREADS}", f"-c{CONNECTIONS}", f"-d{seconds:g}s", "--timeout", WRK_TIMEOUT]
    result = subprocess.run(
        [*command, "-s", str(script), url], capture_output=True, text=True, timeout=seconds + 60, check=True
    )
    return parse_wrk(result.stdout)


def wait_until_ready(url: str, ready, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode} before answering {url}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if ready(json.load(answer)):
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout:g}s")


@contextmanager
def server(project: Path, floor: bool):
    """The project's `serve`, or the floor started through it; yields the base URL."""
    port = free_port()
    arguments = ["--host", "127.0.0.1", "--port", str(port)]
    if floor:
        command = [project_python(project), BENCHMARKS_DIR / "floor_serve.py", *arguments]
        probe, ready = "/floor", lambda body: body.get("floor") is True
    else:
        command = [project_python(project), "-m", PACKAGE, "serve", *arguments]
        probe, ready = "/health", lambda body: body.get("model_loaded") is True
    env = child_env(BENCHMARK_PACKAGE=PACKAGE, PYTHONPATH=str(BENCHMARKS_DIR))
    process = subprocess.Popen(
        [str(part) for part in command], cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_ready(base + probe, ready, process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def measure_serving(
    project: Path, workdir: Path, repeats: int, seconds: float, records: list[dict] | None = None, label: str = ""
) -> list[Figure]:
    """Both servers up at once (idle costs nothing); wrk runs alternate between them so load drift hits both.
    `records` (the sample's by default) are cycled through as request bodies; `label` starts each figure's name."""
    records = records or sample_records(project / SAMPLE_CSV)
    scripts = {}
    for per_request, bodies in SIZES:
        name = "".join(character if character.isalnum() else "-" for character in label)
        scripts[per_request] = workdir / f"predict_{name}{per_request}.lua"
        scripts[per_request].write_text(lua_script(records, per_request, bodies))
    results: dict[tuple[str, int], list[WrkResult]] = {}
    with server(project, floor=False) as project_url, server(project, floor=True) as floor_url:
        for per_request, script in scripts.items():
            for url in (project_url, floor_url):
                run_wrk(url + "/predict", script, min(seconds, 3))  # warm-up, not counted
            for _ in range(repeats):
                for name, url in (("project", project_url), ("floor", floor_url)):
                    results.setdefault((name, per_request), []).append(run_wrk(url + "/predict", script, seconds))
    return serving_figures(results, label)


def serving_figures(results: dict[tuple[str, int], list[WrkResult]], label: str = "") -> list[Figure]:
    def mid(name, per_request, field):
        return median(getattr(result, field) for result in results[(name, per_request)])

    rps, floor_rps = mid("project", 1, "requests_per_second"), mid("floor", 1, "requests_per_second")
    records, floor_records = (
        mid("project", 100, "requests_per_second") * 100,
        mid("floor", 100, "requests_per_second") * 100,
    )
    errors = sum(result.errors for result in results[("project", 1)] + results[("project", 100)])
    floor_errors = sum(result.errors for result in results[("floor", 1)] + results[("floor", 100)])
    return [
        Figure(
            f"{label}serve, 1 record/request, {CONNECTIONS} connections: throughput",
            rps,
            "req/s",
            floor=floor_rps,
            ratio=rps / floor_rps,
            ratio_means="of the floor",
            target=Target("ratio", 0.5, at_most=False),
        ),
        Figure(
            f"{label}serve, 1 record/request: p50 latency",
            mid("project", 1, "p50_ms"),
            "ms",
            floor=mid("floor", 1, "p50_ms"),
        ),
        Figure(
            f"{label}serve, 1 record/request: p99 latency",
            mid("project", 1, "p99_ms"),
            "ms",
            floor=mid("floor", 1, "p99_ms"),
            target=Target("value", 50, at_most=True),
        ),
        Figure(
            f"{label}serve, 100 records/request: records/s",
            records,
            "records/s",
            floor=floor_records,
            ratio=records / floor_records,
            ratio_means="of the floor",
            target=Target("value", 20_000, at_most=False),
        ),
        Figure(
            f"{label}serve: errors (all runs, both sizes; timeouts > 2 s count)",
            errors,
            "",
            floor=floor_errors,
            target=Target("value", 0, at_most=True),
        ),
    ]
