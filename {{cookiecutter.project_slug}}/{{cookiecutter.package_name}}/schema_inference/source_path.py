"""Pointing `data_source.csv.path` in config/config.yaml at a file by editing that one line, comments kept."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..exception import ConfigError
from ..utils.files import atomic_write_text

_SECTION = re.compile(r"^(\s*)csv:\s*(#.*)?$")
_PATH = re.compile(r"^(?P<indent>\s+)path:(?P<space>\s*)(?P<value>[^#\n]*?)(?P<comment>\s+#.*)?$")
_PLAIN_PATH = re.compile(r"^[A-Za-z0-9_./\\:-]+$")


def config_path_value(path: Path, project_root: Path) -> str:
    """How the file is written in config.yaml: relative to the project root when it lies inside it."""
    resolved = path.resolve()
    try:
        return resolved.relative_to(project_root.resolve()).as_posix()
    except ValueError:
        return resolved.as_posix()


def point_csv_source(config_file: Path, value: str) -> bool:
    """Set data_source.csv.path to `value`; True if the file changed. Every other byte stays as it was."""
    text = config_file.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    section_indent = None
    for number, line in enumerate(lines):
        section = _SECTION.match(line.rstrip("\n"))
        if section_indent is None:
            if section:
                section_indent = len(section.group(1))
            continue
        match = _PATH.match(line.rstrip("\r\n"))
        if match and len(match.group("indent")) > section_indent:
            shown = value if _PLAIN_PATH.match(value) else json.dumps(value)
            ending = line[len(line.rstrip("\r\n")) :]
            new = f"{match.group('indent')}path:{match.group('space') or ' '}{shown}{match.group('comment') or ''}"
            lines[number] = new + ending
            updated = "".join(lines)
            if updated != text:
                atomic_write_text(config_file, updated)
            return updated != text
        if line.strip() and len(line) - len(line.lstrip()) <= section_indent:
            break
    raise ConfigError(f"{config_file.name}: no `path:` line under data_source.csv to point at the data")
