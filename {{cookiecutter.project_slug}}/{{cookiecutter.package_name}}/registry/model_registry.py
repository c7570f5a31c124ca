"""Versioned production models: a new version is written beside the old ones, then made current atomically."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import socket
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol

from ..constants import (
    CURRENT_VERSION_FILE,
    METADATA_FILE,
    MODEL_FILE,
    REFERENCE_PROFILE_FILE,
    TRAINING_ROWS_FILE,
)
from ..entity.data_schema import DataSchema
from ..exception import ConfigError, ModelNotFoundError, PipelineError, StorageError
from ..logger import get_logger
from ..utils.files import (
    atomic_write_text,
    fsync_directory,
    fsync_file,
    read_json,
    remove_leftovers,
    write_json,
)
from .promotion_lock import PromotionLock

logger = get_logger(__name__)

_VERSION_PATTERN = re.compile(r"^v(\d{4,})$")
# Coarser than the timestamp tick of any common file system: see ModelRegistry.current_version.
_RECENT_CHANGE_NS = 100_000_000
# What an interrupted promotion, pull or pointer switch leaves behind; removed under the lock by the next one.
LEFTOVER_PATTERNS = (".staging-*", ".*.tmp")


@dataclass(frozen=True)
class ProductionModel:
    version: str
    directory: Path
    metadata: dict[str, Any]

    @property
    def model_path(self) -> Path:
        return self.directory / MODEL_FILE

    @property
    def profile_path(self) -> Path:
        return self.directory / REFERENCE_PROFILE_FILE

    @property
    def training_rows_path(self) -> Path:
        """Hashes of the rows it trained on (versions promoted before they were kept have none)."""
        return self.directory / TRAINING_ROWS_FILE

    @cached_property
    def data_schema(self) -> DataSchema | None:
        """The schema this version was trained with (its data contract); None for versions saved before versions
        kept their schema."""
        saved = self.metadata.get("data_schema")
        return DataSchema.from_dict(saved) if isinstance(saved, dict) else None


# The model validation gate run again, under the lock, against a production model promoted while the
# candidate was training: (accepted, reason).
Regate = Callable[[ProductionModel], tuple[bool, str]]


class PromotionRejected(PipelineError):
    """Production moved on while the candidate trained, and the candidate does not beat the new one."""


class ModelMirror(Protocol):
    """A remote backend of the registry: a copy of models/production/ (see cloud_storage/s3_storage.py)."""

    def describe(self) -> str: ...

    def versions(self) -> list[str]: ...

    def current_version(self) -> str | None: ...

    def upload_version(self, version: str, directory: Path) -> None: ...

    def download_version(self, version: str, directory: Path) -> None: ...

    def set_current(self, version: str) -> None: ...

    def lock(self, on_wait: Callable[[str], None], local_holder: str) -> AbstractContextManager[object]: ...


class ModelRegistry:
    """models/production/vNNNN/ directories plus a CURRENT file naming the one in use.

    Every change (promote, activate, pull) holds the promotion lock, local and remote: promotions happen one
    at a time, a new version number is always above every existing one, and so CURRENT only moves forwards
    except through `activate` (the `promote` command, a deliberate rollback). With a mirror, a new version is
    uploaded before it becomes current anywhere and the remote CURRENT is switched last.
    """

    def __init__(self, directory: Path, mirror: ModelMirror | None = None) -> None:
        self.directory = directory
        self.mirror = mirror
        self._pointer = directory / CURRENT_VERSION_FILE  # joined once: current_version() runs on every request
        # CURRENT as last read, with the stat() it was read at: the server asks on every request.
        self._pointer_read: tuple[tuple[int, int, int, int], str | None] | None = None

    def versions(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        found = [entry.name for entry in self.directory.iterdir() if _VERSION_PATTERN.match(entry.name)]
        return sorted(found, key=lambda name: int(name[1:]))

    def current_version(self) -> str | None:
        """The version CURRENT names. The server asks on every request, and a stat() costs a fraction of a read:
        the file is read again only when its inode, size or times change. A file changed less than
        _RECENT_CHANGE_NS ago is not trusted that way (it could change again within one tick of the file system's
        clock and keep its times), so it is read every time until it is older."""
        pointer = self._pointer
        try:
            status = os.stat(pointer)
            signature = (status.st_ino, status.st_size, status.st_mtime_ns, status.st_ctime_ns)
            if self._pointer_read is not None and self._pointer_read[0] == signature:
                return self._pointer_read[1]
            version = pointer.read_text(encoding="utf-8-sig").strip() or None
        except FileNotFoundError:
            return None
        except UnicodeDecodeError:  # e.g. UTF-16, as Windows PowerShell 5's Out-File writes it
            raise ConfigError(
                f"{pointer} is not UTF-8 text: it must hold one version, e.g. v0001 (`promote VERSION` rewrites it)"
            ) from None  # the codec's frame is no help
        settled = time.time_ns() - max(status.st_mtime_ns, status.st_ctime_ns) > _RECENT_CHANGE_NS
        self._pointer_read = (signature, version) if settled else None
        return version

    def current(self) -> ProductionModel | None:
        version = self.current_version()
        if version is None and self.mirror is not None and self.mirror.current_version() is not None:
            version = self.sync_from_mirror()
        return self.get(version) if version else None

    def sync_from_mirror(self) -> str | None:
        """Make the local CURRENT follow the remote one (a promotion made on another machine); return it."""
        if self.mirror is None:
            return self.current_version()
        remote = self.mirror.current_version()
        if remote is None or remote == self.current_version():
            return self.current_version()
        with self._locked():
            remote = self.mirror.current_version()
            if remote is not None and remote != self.current_version():
                self._pull(self.mirror, remote)
                self._switch(remote)
        return self.current_version()

    def get(self, version: str) -> ProductionModel:
        directory = self.directory / version
        if not _VERSION_PATTERN.match(version) or not (directory / MODEL_FILE).is_file():
            known = ", ".join(self.versions()) or "none"
            raise ModelNotFoundError(f"no production model version '{version}' (known versions: {known})")
        try:
            metadata = read_json(directory / METADATA_FILE)
        except (OSError, ValueError) as exc:
            raise StorageError(f"the metadata of production model {version} cannot be read") from exc
        if not isinstance(metadata, dict):
            raise StorageError(f"the metadata of production model {version} is not a JSON object")
        return ProductionModel(version=version, directory=directory, metadata=metadata)

    def promote(
        self,
        files: dict[str, Path],
        metadata: dict[str, Any],
        evaluated_against: str | None = None,
        regate: Regate | None = None,
    ) -> ProductionModel:
        """Stage the files, upload them to the mirror, rename into the next version, then switch CURRENT.

        `evaluated_against` is the production version the candidate was gated against; if another promotion
        has happened since, `regate` decides again against the new production model before anything is written
        (PromotionRejected if it says no).
        """
        with self._locked():
            latest = self._latest_current()
            if regate is not None and latest is not None and latest != evaluated_against:
                logger.info("production moved from %s to %s while training: gating again", evaluated_against, latest)
                accepted, reason = regate(self.get(latest))
                if not accepted:
                    raise PromotionRejected(reason)
                metadata = {**metadata, "previous_version": latest, "regated": reason}
            known = self.versions() + (self.mirror.versions() if self.mirror else [])
            version = f"v{max((int(name[1:]) for name in known), default=0) + 1:04d}"
            self._stage(version, files, metadata)
            return self._switch(version)

    def activate(self, version: str) -> ProductionModel:
        """Make an existing version current, here and on the mirror (also how a rollback is done)."""
        with self._locked():
            if self.mirror is not None and version in self.mirror.versions():
                self._pull(self.mirror, version)
            self.get(version)
            return self._switch(version)

    def remove_leftovers(self) -> list[str]:
        """Delete what interrupted runs left in models/production/; safe only under the lock."""
        removed = remove_leftovers(self.directory, LEFTOVER_PATTERNS)
        if removed:
            logger.warning("removed leftovers of interrupted runs from %s: %s", self.directory, ", ".join(removed))
        return removed

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """The local lock, then the mirror's; leftovers are removed once both are held."""
        self.directory.mkdir(parents=True, exist_ok=True)
        with contextlib.ExitStack() as held:
            held.enter_context(PromotionLock(self.directory, self._waiting))
            if self.mirror is not None:
                local_holder = f"host {socket.gethostname()} dir {self.directory.resolve()}"
                held.enter_context(self.mirror.lock(self._waiting, local_holder))
            self.remove_leftovers()
            yield

    def _waiting(self, holder: str) -> None:
        logger.warning("another promotion is in progress (%s): waiting for the promotion lock", holder)

    def _latest_current(self) -> str | None:
        """Production as it is now: the mirror's CURRENT when there is one (another machine may have promoted)."""
        if self.mirror is not None:
            remote = self.mirror.current_version()
            if remote is not None:
                self._pull(self.mirror, remote)
                return remote
        return self.current_version()

    def _stage(self, version: str, files: dict[str, Path], metadata: dict[str, Any]) -> None:
        staging = self.directory / f".staging-{version}-{secrets.token_hex(4)}"
        try:
            staging.mkdir()
            for name, source in files.items():
                shutil.copyfile(source, staging / name)
            write_json(staging / METADATA_FILE, {**metadata, "version": version})
            for path in staging.iterdir():
                fsync_file(path)
            fsync_directory(staging)
            if self.mirror is not None:
                self.mirror.upload_version(version, staging)
            staging.rename(self.directory / version)
        except BaseException as exc:
            # Interrupted or failed: nothing half-written may stay behind, CURRENT is still the old version.
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise StorageError(f"could not write production model {version} in {self.directory}") from exc
            raise

    def _pull(self, mirror: ModelMirror, version: str) -> None:
        """Download a mirrored version into a staging directory, then rename it into place."""
        if (self.directory / version).is_dir():
            return
        staging = self.directory / f".staging-{version}-{secrets.token_hex(4)}"
        try:
            mirror.download_version(version, staging)
            staging.rename(self.directory / version)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def _switch(self, version: str) -> ProductionModel:
        """Point CURRENT at a complete version: locally first (durably), then on the mirror."""
        model = self.get(version)
        try:
            previous = self.current_version()
        except ConfigError:  # an unreadable CURRENT is replaced, and never restored
            previous = None
        pointer = self.directory / CURRENT_VERSION_FILE
        atomic_write_text(pointer, version + "\n")
        if self.mirror is not None:
            try:
                self.mirror.set_current(version)
            except BaseException:
                if previous:
                    atomic_write_text(pointer, previous + "\n")
                else:
                    pointer.unlink(missing_ok=True)
                raise
        return model
