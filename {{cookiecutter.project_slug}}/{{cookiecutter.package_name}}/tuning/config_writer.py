"""Write tuned parameters into config/model_config.yaml by editing only the lines of `params.<estimator>`, so the
file's comments, order and other estimators stay as they were (a YAML dump would lose every comment)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from ..exception import ConfigError
from ..utils.files import atomic_write_text

_KEY_LINE = re.compile(r"^(?P<indent> *)(?P<key>[A-Za-z_][A-Za-z0-9_]*):(?P<value>[^#]*?)(?P<comment>\s*#.*)?$")


def _scalar(value: Any) -> str:
    """A YAML scalar: JSON's numbers, booleans and double-quoted strings are valid YAML."""
    return json.dumps(value)


def apply_params(path: Path, estimator: str, params: dict[str, Any]) -> str:
    """Set `params.<estimator>.<name>` for each item, adding the missing names at the end of that block."""
    lines = path.read_text(encoding="utf-8").splitlines()
    block = _estimator_block(lines, estimator)
    if block is None:
        raise ConfigError(f"{path.name}: no `params.{estimator}:` block to write the tuned parameters into")
    start, end, indent = block
    remaining = dict(params)
    for index in range(start, end):
        match = _KEY_LINE.match(lines[index])
        if match and len(match["indent"]) == indent and match["key"] in remaining:
            value = _scalar(remaining.pop(match["key"]))
            lines[index] = f"{match['indent']}{match['key']}: {value}{match['comment'] or ''}"
    lines[end:end] = [f"{' ' * indent}{name}: {_scalar(value)}" for name, value in remaining.items()]
    text = "\n".join(lines) + "\n"
    atomic_write_text(path, text)
    return text


def _estimator_block(lines: list[str], estimator: str) -> tuple[int, int, int] | None:
    """(first line, end line, indent) of the keys under `params:` -> `<estimator>:`."""
    in_params = False
    for index, line in enumerate(lines):
        match = _KEY_LINE.match(line)
        if not match:
            continue
        depth = len(match["indent"])
        if depth == 0:
            in_params = match["key"] == "params"
        elif in_params and match["key"] == estimator and not match["value"].strip():
            start = end = index + 1
            child_indent = None
            while end < len(lines):
                child = _KEY_LINE.match(lines[end])
                if lines[end].strip() and not lines[end].lstrip().startswith("#"):
                    child_depth = len(lines[end]) - len(lines[end].lstrip())
                    if child_depth <= depth:
                        break
                    child_indent = child_indent or (child_depth if child else None)
                end += 1
            while end > start and not lines[end - 1].strip():
                end -= 1
            return start, end, child_indent or depth + 2
    return None
