"""Run the command line in a real child process, forked from the test so it starts without paying the imports.

The child is an ordinary OS process: it can be killed with SIGKILL at any moment, it holds its own locks and
file descriptors, and its output goes to a file the test reads.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path

HAS_FORK = hasattr(os, "fork") and hasattr(signal, "SIGKILL")


def fork_cli(argv: list[str], output: Path, prepare: Callable[[], None] | None = None) -> int:
    """Start `main(argv)` in a forked child writing stdout and stderr to `output`; return its process id."""
    pid = os.fork()
    if pid:
        return pid
    code = 70
    try:
        descriptor = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.dup2(descriptor, 1)
        os.dup2(descriptor, 2)
        sys.stdout = sys.stderr = open(descriptor, "w", buffering=1, closefd=False)  # noqa: SIM115
        if prepare is not None:
            prepare()
        from {{ cookiecutter.package_name }}.cli import main

        code = main(argv)
    except BaseException:  # the child must never return into pytest
        import traceback

        traceback.print_exc()
    finally:
        os._exit(code)


def kill_self() -> None:
    """What a power cut or the OOM killer does: no cleanup, no finally blocks, no atexit."""
    os.kill(os.getpid(), signal.SIGKILL)


def wait(pid: int) -> int:
    """The exit code of a child, or minus the signal that killed it."""
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)
