"""Reading and writing project files so that a crash never leaves a half-written file behind, and no output is
written over its own input."""

from __future__ import annotations

import contextlib
import dataclasses
import glob
import hashlib
import json
import os
import re
import secrets
import shutil
import time
from collections.abc import Hashable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import yaml

from ..exception import ConfigError, InputError

_MERGE_TAG = "tag:yaml.org,2002:merge"
_INT_TAG, _FLOAT_TAG = "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a key given twice in one mapping: PyYAML would keep the last one silently."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            if key_node.tag == _MERGE_TAG:  # `<<: *defaults`: merged keys may be overridden, as YAML intends
                continue
            key = self.construct_object(key_node, deep=deep)
            if not isinstance(key, Hashable):  # the mapping constructor refuses it, with its own message
                continue
            if key in seen:
                twice = f"the key {key!r} is given twice"
                raise yaml.constructor.ConstructorError(None, None, twice, key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


# Numbers as YAML 1.2 and JSON write them. PyYAML follows YAML 1.1, where 1_000 is 1000, 010 is 8, 0x1F is 31 and
# 1:20 is 80, and 1e3 is text: in a configuration file each is another number than the one meant, or none. Those stay
# text here, and a setting that wants a number refuses them.
_UniqueKeyLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (_INT_TAG, _FLOAT_TAG)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_UniqueKeyLoader.add_implicit_resolver(_INT_TAG, re.compile(r"^[-+]?[0-9]+$"), list("-+0123456789"))
_YAML_FLOAT = (
    r"^(?:[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_UniqueKeyLoader.add_implicit_resolver(_FLOAT_TAG, re.compile(_YAML_FLOAT), list("-+.0123456789"))


def _decimal_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    """010 is ten, not YAML 1.1's octal eight."""
    return int(loader.construct_scalar(node))


_UniqueKeyLoader.add_constructor(_INT_TAG, _decimal_int)


def read_yaml_mapping(path: Path, shown: str) -> dict[str, Any]:
    """A YAML file's top-level mapping; a missing, malformed or non-mapping file, or a key given twice in one
    mapping, is a ConfigError."""
    try:
        content = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 - a SafeLoader
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


def fsync_directory(directory: Path) -> None:
    """Make a rename or a new entry in a directory durable; a no-op where directories cannot be opened (Windows)."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def fsync_file(path: Path) -> None:
    """Flush a file's bytes to the disk (before a rename makes it visible under its final name)."""
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def remove_leftovers(directory: Path, patterns: Sequence[str], older_than_seconds: float = 0.0) -> list[str]:
    """Delete the temporary files and directories an interrupted run left behind; return their names.

    Call it while holding the lock that guards the directory, or with an age under which a live writer may
    still be using the entry.
    """
    if not directory.is_dir():
        return []
    deadline = time.time() - older_than_seconds
    removed = []
    for pattern in patterns:
        for entry in directory.glob(pattern):
            try:
                if entry.lstat().st_mtime > deadline:
                    continue
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry)
                else:
                    entry.unlink()
            except FileNotFoundError:
                continue
            removed.append(entry.name)
    return sorted(removed)


STALE_TEMPORARY_SECONDS = 3600.0


def temporary_sibling(path: Path) -> Path:
    """A unique `.NAME.<random>.tmp` next to `path`; an old one left by a crash is removed on the next write."""
    remove_leftovers(path.parent, [f".{glob.escape(path.name)}.*.tmp"], STALE_TEMPORARY_SECONDS)
    return path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")


@contextlib.contextmanager
def atomic_output(path: Path, binary: bool = False) -> Iterator[IO[Any]]:
    """A handle on a temporary sibling of `path`, renamed over it only if the block completes.

    The file gets the mode an ordinary `open()` would give (0666 minus the umask), not mkstemp's 0600; it and its
    directory are fsynced around the rename, so a crash or power loss leaves the old content or the new one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = temporary_sibling(path)
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(descriptor, "wb") if binary else os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_directory(path.parent)


def atomic_write_text(path: Path, text: str) -> None:
    """Text written as UTF-8, all or nothing, durable, with the umask's mode (see atomic_output)."""
    with atomic_output(path) as handle:
        handle.write(text)


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


def require_distinct_paths(input_path: Path, output_path: Path) -> None:
    """Refuse to write the output over the input it is computed from, a directory, or anything but a regular file:
    the output is renamed into place, which would replace a device, a FIFO or a symbolic link with a file."""
    if output_path.is_symlink():
        target = output_path.readlink()
        raise InputError(f"--output {output_path} is a symbolic link (to {target}): give the file itself or a new path")
    same = input_path.resolve() == output_path.resolve()
    if not same and input_path.exists() and output_path.exists():
        same = input_path.samefile(output_path)
    if same:
        raise InputError(f"--output {output_path} is the input file: choose another path")
    if output_path.is_dir():
        raise InputError(f"--output {output_path} is a directory: give a file name")
    if output_path.exists() and not output_path.is_file():
        raise InputError(f"--output {output_path} is not a regular file (a device, FIFO or socket): give a new path")
