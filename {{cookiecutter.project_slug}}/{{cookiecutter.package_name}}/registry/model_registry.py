"""Versioned production models: a new version is written beside the old ones, then made current atomically."""

from __future__ import annotations

import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from {{ cookiecutter.package_name }}.constants import (
    CURRENT_VERSION_FILE,
    METADATA_FILE,
    MODEL_FILE,
    REFERENCE_PROFILE_FILE,
)
from {{ cookiecutter.package_name }}.exception import ModelNotFoundError, StorageError
from {{ cookiecutter.package_name }}.utils.files import atomic_write_text, read_json, write_json

_VERSION_PATTERN = re.compile(r"^v(\d{4,})$")


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


class ModelMirror(Protocol):
    """A remote backend of the registry: a copy of models/production/ (see cloud_storage/s3_storage.py)."""

    def describe(self) -> str: ...

    def versions(self) -> list[str]: ...

    def current_version(self) -> str | None: ...

    def upload_version(self, version: str, directory: Path) -> None: ...

    def download_version(self, version: str, directory: Path) -> None: ...

    def set_current(self, version: str) -> None: ...


class ModelRegistry:
    """models/production/vNNNN/ directories plus a CURRENT file naming the one in use.

    With a mirror, a new version is uploaded before it becomes current anywhere, the remote CURRENT is switched
    last, and a machine without a local production model pulls the remote one.
    """

    def __init__(self, directory: Path, mirror: ModelMirror | None = None) -> None:
        self.directory = directory
        self.mirror = mirror

    def versions(self) -> list[str]:
        if not self.directory.is_dir():
            return []
        found = [entry.name for entry in self.directory.iterdir() if _VERSION_PATTERN.match(entry.name)]
        return sorted(found, key=lambda name: int(name[1:]))

    def current_version(self) -> str | None:
        pointer = self.directory / CURRENT_VERSION_FILE
        return pointer.read_text(encoding="utf-8").strip() if pointer.is_file() else None

    def current(self) -> ProductionModel | None:
        version = self.current_version()
        if version is None and self.mirror is not None:
            version = self.mirror.current_version()
            if version is not None:
                self._pull(version)
                atomic_write_text(self.directory / CURRENT_VERSION_FILE, version + "\n")
        return self.get(version) if version else None

    def _pull(self, version: str) -> None:
        """Download a mirrored version into a staging directory, then rename it into place."""
        if (self.directory / version).is_dir():
            return
        self.directory.mkdir(parents=True, exist_ok=True)
        staging = self.directory / f".staging-{version}-{secrets.token_hex(4)}"
        try:
            self.mirror.download_version(version, staging)
            staging.rename(self.directory / version)
        finally:
            shutil.rmtree(staging, ignore_errors=True)

    def get(self, version: str) -> ProductionModel:
        directory = self.directory / version
        if not _VERSION_PATTERN.match(version) or not (directory / MODEL_FILE).is_file():
            known = ", ".join(self.versions()) or "none"
            raise ModelNotFoundError(f"no production model version '{version}' (known versions: {known})")
        return ProductionModel(version=version, directory=directory, metadata=read_json(directory / METADATA_FILE))

    def promote(self, files: dict[str, Path], metadata: dict[str, Any]) -> ProductionModel:
        """Stage the files, upload them to the mirror, rename into the next version, then switch CURRENT."""
        self.directory.mkdir(parents=True, exist_ok=True)
        known = self.versions() + (self.mirror.versions() if self.mirror else [])
        version = f"v{max((int(name[1:]) for name in known), default=0) + 1:04d}"
        staging = self.directory / f".staging-{version}-{secrets.token_hex(4)}"
        try:
            staging.mkdir()
            for name, source in files.items():
                shutil.copy2(source, staging / name)
            write_json(staging / METADATA_FILE, {**metadata, "version": version})
            if self.mirror is not None:
                self.mirror.upload_version(version, staging)
            staging.rename(self.directory / version)
        except BaseException as exc:
            # Interrupted or failed: nothing half-written may stay behind, CURRENT is still the old version.
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise StorageError(f"could not write production model {version} in {self.directory}") from exc
            raise
        return self.activate(version)

    def activate(self, version: str) -> ProductionModel:
        """Make an existing version current, here and on the mirror (also how a rollback is done)."""
        if self.mirror is not None and version in self.mirror.versions():
            self._pull(version)
        model = self.get(version)
        previous = self.current_version()
        atomic_write_text(self.directory / CURRENT_VERSION_FILE, version + "\n")
        if self.mirror is not None:
            try:
                self.mirror.set_current(version)
            except BaseException:
                pointer = self.directory / CURRENT_VERSION_FILE
                if previous:
                    atomic_write_text(pointer, previous + "\n")
                else:
                    pointer.unlink()
                raise
        return model
