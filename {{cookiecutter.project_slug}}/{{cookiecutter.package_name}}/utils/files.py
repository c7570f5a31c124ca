"""Reading and writing project files so that a crash never leaves a half-written file behind."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import yaml


def read_yaml(path: Path) -> dict[str, Any]:
    """Load a YAML mapping; an empty file gives an empty mapping."""
    with path.open(encoding="utf-8") as handle:
        content = yaml.safe_load(handle)
    return content or {}


def read_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def to_jsonable(value: Any) -> Any:
    """Turn dataclasses, paths and tuples into plain JSON types."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: to_jsonable(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(key): to_jsonable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(item) for item in value]
    if isinstance(value, Path):
        return str(value)
    return value


def atomic_write_text(path: Path, text: str) -> None:
    """Write to a temporary file in the same directory, then rename it over the target."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_json(path: Path, value: Any) -> Path:
    atomic_write_text(path, json.dumps(to_jsonable(value), indent=2, sort_keys=True) + "\n")
    return path


def write_yaml(path: Path, value: Any) -> Path:
    atomic_write_text(path, yaml.safe_dump(to_jsonable(value), sort_keys=False))
    return path


def file_fingerprint(path: Path) -> str:
    """SHA-256 of a file's bytes: identifies the exact training data behind a model."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return f"sha256:{digest.hexdigest()}"
