"""Choosing `data_ingestion.key_column` for a table, and writing it in config/config.yaml by editing that one line,
comments kept (as source_path.py points `data_source.csv.path`).

An ID column decides a row's side of the train/test split by its value alone, so the split survives any change to
the other columns. `schema` drops ID columns as features and makes the first one the key.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from ..exception import ConfigError
from .inference import _scalar

_SECTION = re.compile(r"^data_ingestion:\s*(#.*)?$")
_KEY = re.compile(r"^(?P<indent>\s+)key_column:(?P<value>[^#\n]*?)(?P<comment>\s+#.*)?$")


def choose_key_column(id_columns: Sequence[str], configured: str | None, columns: Collection[str]) -> str | None:
    """The configured key while the table has that column (a key chosen by hand stays); else the table's first ID
    column; else none."""
    if configured is not None and configured in columns:
        return configured
    return id_columns[0] if id_columns else None


def key_column_set(text: str, value: str | None, name: str) -> str:
    """config.yaml's text with `value` (None: empty) as data_ingestion.key_column; every other byte stays."""
    lines = text.splitlines(keepends=True)
    inside = False
    for number, line in enumerate(lines):
        bare = line.rstrip("\r\n")
        if not inside:
            inside = bool(_SECTION.match(bare))
            continue
        match = _KEY.match(bare)
        if match:
            setting = f"{match.group('indent')}key_column:" + (f" {_scalar(value)}" if value else "")
            comment = (match.group("comment") or "").lstrip()
            if comment:
                column = len(bare) - len(comment)  # keep the comment where it was when the value fits before it
                setting = setting.ljust(column) if len(setting) < column else f"{setting}  "
            lines[number] = setting + comment + line[len(bare) :]
            return "".join(lines)
        if bare.strip() and not bare[0].isspace():
            break
    raise ConfigError(f"{name}: no `key_column:` line under data_ingestion to write the split's key in")
