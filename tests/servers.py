"""Real servers on 127.0.0.1 for the slow tier: PostgreSQL from Debian's packages and moto's S3 server."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.helpers import DEFAULT_PACKAGE, tool

POSTGRES_PASSWORD = "pg-secret-for-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _postgres_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name)]
    if not found[-1]:
        raise RuntimeError(f"PostgreSQL's {name} not found: apt-get install postgresql (.ci/run does it)")
    return found[-1]


@contextmanager
def postgres_server():
    """A throwaway PostgreSQL cluster on 127.0.0.1 with password authentication; yields its URL.

    As root, the server runs as the `postgres` user, in a directory of its own that it can reach.
    """
    as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    data = Path(tempfile.mkdtemp(prefix="template-tests-pg-"))
    if as_postgres:
        shutil.chown(data, "postgres")
    port = free_port()

    def postgres(*command: str) -> None:
        result = subprocess.run([*as_postgres, *command], capture_output=True, text=True, timeout=120)
        if result.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {result.stderr.strip()}")

    postgres(
        _postgres_bin("initdb"), "-D", str(data), "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256"
    )
    options = f"-p {port} -k {data} -c listen_addresses=127.0.0.1"
    postgres(_postgres_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(data / "log"), "-w", "start")
    try:
        psql = [_postgres_bin("psql"), "-h", str(data), "-p", str(port), "-U", "postgres", "-v", "ON_ERROR_STOP=1"]
        postgres(*psql, "-c", f"ALTER USER postgres PASSWORD '{POSTGRES_PASSWORD}'")
        postgres(*psql, "-c", "CREATE DATABASE sensor")
        yield f"postgresql+psycopg://postgres:{POSTGRES_PASSWORD}@127.0.0.1:{port}/sensor"
    finally:
        postgres(_postgres_bin("pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(data, ignore_errors=True)


@contextmanager
def s3_server():
    """moto's S3 server as a separate process on 127.0.0.1; yields its endpoint URL."""
    port = free_port()
    process = subprocess.Popen(
        [tool("moto_server"), "-H", "127.0.0.1", "-p", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    endpoint = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(endpoint, timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"moto_server did not start on {endpoint}") from None
                time.sleep(0.2)
        yield endpoint
    finally:
        process.terminate()
        process.wait(timeout=10)


@dataclass
class ProjectServer:
    """A generated project's own `serve`, running: its base URL, its process, and its output once stopped."""

    base: str
    process: subprocess.Popen
    output: str = ""


@contextmanager
def project_server(python: Path, project: Path, env: dict[str, str] | None = None) -> Iterator[ProjectServer]:
    """`python -m <package> serve` on a free port, yielded once /ready answers 200; stopped and its output kept."""
    port = free_port()
    child_env = {key: value for key, value in (env or os.environ).items() if key != "VIRTUAL_ENV"}
    process = subprocess.Popen(
        [python, "-m", DEFAULT_PACKAGE, "serve", "--port", str(port)],
        cwd=project,
        env=child_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server = ProjectServer(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                with urllib.request.urlopen(f"{server.base}/ready", timeout=30) as response:
                    if response.status == 200:
                        break
            except OSError:  # not listening yet, or 503 while the model loads
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the server did not become ready: {process.communicate(timeout=30)[0][-3000:]}")
            time.sleep(0.5)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
        server.output = process.communicate(timeout=30)[0] or ""
