"""Versioned production models: a new version is written beside the old ones, then made current atomically."""

from __future__ import annotations

import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


class LocalModelRegistry:
    """models/production/vNNNN/ directories plus a CURRENT file naming the one in use."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory

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
        return self.get(version) if version else None

    def get(self, version: str) -> ProductionModel:
        directory = self.directory / version
        if not _VERSION_PATTERN.match(version) or not (directory / MODEL_FILE).is_file():
            known = ", ".join(self.versions()) or "none"
            raise ModelNotFoundError(f"no production model version '{version}' (known versions: {known})")
        return ProductionModel(version=version, directory=directory, metadata=read_json(directory / METADATA_FILE))

    def promote(self, files: dict[str, Path], metadata: dict[str, Any]) -> ProductionModel:
        """Copy the files into a staging directory, rename it to the next version, then switch CURRENT."""
        self.directory.mkdir(parents=True, exist_ok=True)
        existing = self.versions()
        version = f"v{int(existing[-1][1:]) + 1 if existing else 1:04d}"
        staging = self.directory / f".staging-{version}-{secrets.token_hex(4)}"
        try:
            staging.mkdir()
            for name, source in files.items():
                shutil.copy2(source, staging / name)
            write_json(staging / METADATA_FILE, {**metadata, "version": version})
            staging.rename(self.directory / version)
        except BaseException as exc:
            # Interrupted or failed: nothing half-written may stay behind, CURRENT is still the old version.
            shutil.rmtree(staging, ignore_errors=True)
            if isinstance(exc, OSError):
                raise StorageError(f"could not write production model {version} in {self.directory}") from exc
            raise
        self.activate(version)
        return self.get(version)

    def activate(self, version: str) -> ProductionModel:
        """Make an existing version current (also how a rollback is done)."""
        model = self.get(version)
        atomic_write_text(self.directory / CURRENT_VERSION_FILE, version + "\n")
        return model
