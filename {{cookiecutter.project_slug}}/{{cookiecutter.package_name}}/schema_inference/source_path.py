"""Pointing `data_source.csv` in config/config.yaml at a file and its dialect by editing those lines, comments kept."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from pathlib import Path

import yaml

from ..exception import ConfigError
from ..utils.files import atomic_write_text

_SECTION = re.compile(r"^(\s*)csv:\s*(#.*)?$")
_KEY = re.compile(r"^(?P<indent>\s+)(?P<key>[A-Za-z_]+):(?P<space>\s*)(?P<value>[^#\n]*?)(?P<comment>\s+#.*)?$")
_PLAIN_PATH = re.compile(r"^[A-Za-z0-9_./\\:-]+$")
_PLAIN_WORD = re.compile(r"^[A-Za-z0-9_-]+$")


def config_path_value(path: Path, project_root: Path) -> str:
    """How the file is written in config.yaml: relative to the project root when it lies inside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(project_root.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def _shown(key: str, value: str) -> str:
    plain = _PLAIN_PATH if key == "path" else _PLAIN_WORD if key == "encoding" else None
    return value if plain is not None and plain.match(value) else json.dumps(value)


def _same_value(written: str, value: str) -> bool:
    try:
        return bool(yaml.safe_load(written) == value)
    except yaml.YAMLError:
        return False


def point_csv_source(config_file: Path, value: str, options: Mapping[str, str] | None = None) -> bool:
    """Set data_source.csv.path to `value` and each of `options` (sep, decimal, encoding); True if the file changed."""
    text = config_file.read_text(encoding="utf-8")
    updated = csv_source_pointed(text, value, options, config_file.name)
    if updated != text:
        atomic_write_text(config_file, updated)
    return updated != text


def csv_source_pointed(text: str, value: str, options: Mapping[str, str] | None, name: str) -> str:
    """config.yaml's text with data_source.csv.path set to `value` and each of `options`; nothing is written, so the
    `schema` command can check everything before it changes any file.

    A key whose value is already the same is left as written; a missing one is added after the section's last line.
    Every other byte stays as it was.
    """
    wanted = {"path": value, **(options or {})}
    lines = text.splitlines(keepends=True)
    section_indent: int | None = None
    key_indent = None
    last = None
    for number, line in enumerate(lines):
        bare = line.rstrip("\r\n")
        if section_indent is None:
            section = _SECTION.match(bare)
            if section:
                section_indent = len(section.group(1))
            continue
        if line.strip() and len(line) - len(line.lstrip()) <= section_indent:
            break
        match = _KEY.match(bare)
        if not match or len(match.group("indent")) <= section_indent:
            continue
        key_indent, last = match.group("indent"), number
        key = match.group("key")
        if key in wanted:
            new_value = wanted.pop(key)
            if not _same_value(match.group("value"), new_value):
                space = match.group("space") or " "
                rewritten = f"{key_indent}{key}:{space}{_shown(key, new_value)}{match.group('comment') or ''}"
                lines[number] = rewritten + line[len(bare) :]
    if section_indent is None or key_indent is None or last is None or "path" in wanted:
        raise ConfigError(f"{name}: no `path:` line under data_source.csv to point at the data")
    ending = "\r\n" if lines[last].endswith("\r\n") else "\n"
    added = [f"{key_indent}{key}: {_shown(key, new_value)}{ending}" for key, new_value in wanted.items()]
    if added and not lines[last].endswith(("\n", "\r")):
        lines[last] += ending
    lines[last + 1 : last + 1] = added
    return "".join(lines)
