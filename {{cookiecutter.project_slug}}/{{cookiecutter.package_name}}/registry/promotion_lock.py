"""One promotion at a time: an operating-system lock on models/production/.promotion.lock.

The lock is released by the operating system when its holder exits, even after `kill -9`, so a crashed run
never leaves a stale lock behind. Several trainers (a CronJob, `POST /train` on several replicas, a person at
a terminal) sharing one models/ directory therefore promote one after the other. On network file systems the
guarantee is only as good as their support for `flock` (NFSv4 and most CSI volumes have it). A holder names
itself in the file while it holds the lock and clears it on release; a waiter gives up after `timeout_seconds`
(a promotion takes seconds; a holder stuck for minutes is hung) saying who holds it.
"""

from __future__ import annotations

import contextlib
import os
import socket
import sys
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

from ..constants import LOCK_FILE
from ..exception import StorageError

if sys.platform == "win32":
    import msvcrt
else:
    import fcntl

_POLL_SECONDS = 0.1
LOCK_TIMEOUT_SECONDS = 600.0


def _try_lock(descriptor: int) -> bool:
    try:
        if sys.platform == "win32":
            os.lseek(descriptor, 0, os.SEEK_SET)
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        else:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


def _unlock(descriptor: int) -> None:
    if sys.platform == "win32":
        os.lseek(descriptor, 0, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)
    else:
        fcntl.flock(descriptor, fcntl.LOCK_UN)


class PromotionLock:
    """`with PromotionLock(directory, on_wait):` holds the lock; `on_wait(holder)` is called once if it must wait."""

    def __init__(
        self,
        directory: Path,
        on_wait: Callable[[str], None] | None = None,
        timeout_seconds: float = LOCK_TIMEOUT_SECONDS,
    ) -> None:
        self.path = directory / LOCK_FILE
        self.on_wait = on_wait
        self.timeout_seconds = timeout_seconds
        self._descriptor: int | None = None

    def holder(self) -> str:
        """Who holds the lock, as written by its holder (host and process id), for the waiting message; a
        process of this host that has exited is not named (it no longer holds the lock: another one does)."""
        try:
            written = self.path.read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError):
            written = ""
        words = written.split()
        if words[:1] == ["host"] and words[1:2] == [socket.gethostname()] and "pid" in words:
            pid = words[words.index("pid") + 1] if words.index("pid") + 1 < len(words) else ""
            if not (pid.isdigit() and _alive(int(pid))):
                return "another process"
        return written or "another process"

    def __enter__(self) -> PromotionLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            if not _try_lock(descriptor):
                if self.on_wait is not None:
                    self.on_wait(self.holder())
                deadline = time.monotonic() + self.timeout_seconds
                while not _try_lock(descriptor):
                    if time.monotonic() >= deadline:
                        raise StorageError(
                            f"the promotion lock {self.path} is still held by {self.holder()} after "
                            f"{self.timeout_seconds:g}s; nothing was changed. Let that promotion finish (or stop it "
                            "if it hangs), then run this again"
                        )
                    time.sleep(_POLL_SECONDS)
            os.ftruncate(descriptor, 0)
            os.lseek(descriptor, 0, os.SEEK_SET)
            os.write(descriptor, f"host {socket.gethostname()} pid {os.getpid()}\n".encode())
        except BaseException:
            os.close(descriptor)
            raise
        self._descriptor = descriptor
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        descriptor, self._descriptor = self._descriptor, None
        if descriptor is None:
            return
        try:
            with contextlib.suppress(OSError):  # the next waiter must not name a holder that has let go
                os.ftruncate(descriptor, 0)
            _unlock(descriptor)
        finally:
            os.close(descriptor)


def _alive(pid: int) -> bool:
    """Whether a process of this host still runs (a process of another user counts as running)."""
    if sys.platform == "win32":
        return True  # no cheap check: trust what the holder wrote
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
