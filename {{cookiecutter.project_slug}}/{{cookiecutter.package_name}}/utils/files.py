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

from {{ cookiecutter.package_name }}.exception import ConfigError


def read_yaml_mapping(path: Path, shown: str) -> dict[str, Any]:
    """A YAML file's top-level mapping; a missing, malformed or non-mapping file is a ConfigError."""
    try:
        content = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ConfigError(f"missing configuration file {shown}") from exc
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{shown} cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "syntax error"
        raise ConfigError(f"{shown}{where} is not valid YAML: {problem}") from exc
    if content is None:
        return {}
    if not isinstance(content, dict):
        raise ConfigError(f"{shown} must hold a mapping of keys to values, not a {type(content).__name__}")
    return content


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


def sha256_hex(path: Path) -> str:
    """SHA-256 of a file's bytes as hex, read in blocks (the one file hash of the project)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def file_fingerprint(path: Path) -> str:
    """`sha256:<hex>` of a file: identifies the exact training data behind a model."""
    return f"sha256:{sha256_hex(path)}"
