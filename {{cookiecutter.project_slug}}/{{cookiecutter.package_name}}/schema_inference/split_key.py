"""Settings of config/config.yaml that `schema` chooses for a table, written by editing their one line, comments kept
(as source_path.py points `data_source.csv.path`).

- `data_ingestion.key_column`: an ID column decides a row's side of the train/test split by its value alone, so the
  split survives any change to the other columns. `schema` drops ID columns as features and makes the first one the
  key.
- `model_evaluation.metric`: the gate's metric must fit the task (f1 for classes, rmse for a measurement).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from ..entity.config_entity import REGRESSION_METRICS
from ..exception import ConfigError
from .schema_yaml import yaml_scalar

_KEY = re.compile(r"^(?P<indent>\s+)(?P<key>\w+):(?P<value>[^#\n]*?)(?P<comment>\s+#.*)?$")
# The gate's metric when the configured one is for the other task.
DEFAULT_METRIC = {"classification": "f1", "regression": "rmse"}


def choose_key_column(id_columns: Sequence[str], configured: str | None, columns: Collection[str]) -> str | None:
    """The configured key while the table has that column (a key chosen by hand stays); else the table's first ID
    column; else none."""
    if configured is not None and configured in columns:
        return configured
    return id_columns[0] if id_columns else None


def metric_for_task(configured: str | None, task: str) -> str:
    """The configured gate metric while it fits the task (a metric chosen by hand stays); else the task's default."""
    fits = configured in REGRESSION_METRICS if task == "regression" else configured not in REGRESSION_METRICS
    return configured if configured and fits else DEFAULT_METRIC[task]


def setting_set(text: str, section: str, key: str, value: str | None, name: str) -> str:
    """config.yaml's text with `value` (None: empty) as `section.key`; every other byte stays."""
    lines = text.splitlines(keepends=True)
    heading = re.compile(rf"^{re.escape(section)}:\s*(#.*)?$")
    inside = False
    for number, line in enumerate(lines):
        bare = line.rstrip("\r\n")
        if not inside:
            inside = bool(heading.match(bare))
            continue
        match = _KEY.match(bare)
        if match and match.group("key") == key:
            setting = f"{match.group('indent')}{key}:" + (f" {yaml_scalar(value)}" if value else "")
            comment = (match.group("comment") or "").lstrip()
            if comment:
                column = len(bare) - len(comment)  # keep the comment where it was when the value fits before it
                setting = setting.ljust(column) if len(setting) < column else f"{setting}  "
            lines[number] = setting + comment + line[len(bare) :]
            return "".join(lines)
        if bare.strip() and not bare[0].isspace():
            break
    raise ConfigError(f"{name}: no `{key}:` line under {section} to write in")
