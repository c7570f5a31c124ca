"""The remote half of the promotion lock: machines that share a bucket but not a disk promote one at a time."""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from ..logger import get_logger

if TYPE_CHECKING:
    from .s3_storage import S3Storage

logger = get_logger(__name__)

# A remote promotion lock older than this is taken to be abandoned by a killed process.
STALE_LOCK_SECONDS = 10 * 60.0


class S3PromotionLock:
    """The remote half of the promotion lock: an object created with a conditional put, deleted on release.

    Machines that share the bucket but not a disk promote one at a time. The store must honour conditional writes
    (`If-None-Match: *` and `If-Match` on PutObject and DeleteObject: AWS S3 since 2024, MinIO, moto); a store
    that ignores them gives no mutual exclusion. A holder killed with `kill -9` cannot delete its lock. A lock
    written from this host and this models directory is abandoned for sure (whoever wrote it held the local lock,
    which we now hold) and is taken over at once; any other lock object older than `stale_after_seconds` is taken
    to be abandoned and taken over, so a promotion must finish within that time. A takeover overwrites only the
    object judged abandoned (If-Match on its ETag), so two waiters never both win it; a release deletes only the
    holder's own object, never one that replaced it.
    """

    def __init__(
        self,
        storage: S3Storage,
        key: str,
        on_wait: Callable[[str], None],
        local_holder: str,
        stale_after_seconds: float = STALE_LOCK_SECONDS,
        poll_seconds: float = 0.5,
    ) -> None:
        self.storage = storage
        self.key = key
        self.on_wait = on_wait
        self.local_holder = local_holder
        self.stale_after_seconds = stale_after_seconds
        self.poll_seconds = poll_seconds
        self._etag: str | None = None

    def __enter__(self) -> S3PromotionLock:
        owner = f"{self.local_holder} pid {os.getpid()} lock {secrets.token_hex(4)}"
        waited = False
        while (etag := self.storage.create_exclusive(self.key, owner)) is None:
            found = self.storage.read_tagged(self.key)
            if found is None:
                continue  # released meanwhile: try again at once
            holder, held_etag, age = found[0].strip(), found[1], found[2]
            if holder.startswith(self.local_holder + " pid ") or age > self.stale_after_seconds:
                etag = self.storage.replace_if_match(self.key, owner, held_etag)
                if etag is not None:
                    break
                continue  # another waiter took it over first
            if not waited:
                self.on_wait(f"{holder or 'another process'}, at {self.storage.url(self.key)}")
                waited = True
            time.sleep(self.poll_seconds)
        self._etag = etag
        return self

    def __exit__(self, *exc_info: object) -> None:
        etag, self._etag = self._etag, None
        if etag is not None and not self.storage.delete_if_match(self.key, etag):
            logger.warning(
                "the promotion lock %s was taken over while held (judged abandoned after %gs): left to its new holder",
                self.storage.url(self.key),
                self.stale_after_seconds,
            )
