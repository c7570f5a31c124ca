"""The `schema` command: infer config/schema.yaml from the user's data and point the CSV source at the file."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..constants import CONFIG_DIR, CONFIG_FILE, SCHEMA_FILE
from ..exception import ConfigError, InputError
from ..training.metrics import SENSOR_COSTS
from ..utils.csv_dialect import STANDARD_DIALECT, CsvDialect, wrong_separator_hint
from ..utils.files import atomic_write_text, read_yaml_mapping
from ..utils.frames import is_parquet, read_table_file
from .dialect import detect_dialect, foreign_number_columns
from .inference import (
    MISSING_MARKERS,
    NUMERIC_MISSING_MARKERS,
    find_missing_markers,
    infer_schema,
)
from .schema_yaml import render_schema_yaml
from .source_path import (
    config_path_value,
    csv_source_pointed,
)
from .split_key import choose_key_column, metric_for_task, setting_set

_MARKERS = MISSING_MARKERS | NUMERIC_MISSING_MARKERS


def _raw_text(path: Path, dialect: CsvDialect) -> pd.DataFrame:
    """The file with every cell as the text it holds (nothing turned into NaN), to find missing markers."""
    if is_parquet(path):
        frame = read_table_file(path)
        return frame.astype(object).where(frame.notna(), "").astype(str)
    try:
        return pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            low_memory=False,
            **dialect.options(),
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        hint = wrong_separator_hint(_header(path, dialect), dialect.sep)
        raise InputError(f"cannot read {path} as CSV ({dialect.describe()}): {hint or exc}") from exc


def _header(path: Path, dialect: CsvDialect) -> list[str]:
    with path.open(encoding=dialect.encoding, errors="replace", newline="") as handle:
        return next(csv.reader(handle, delimiter=dialect.sep), [])


def file_dialect(path: Path, overrides: dict[str, str | None]) -> tuple[CsvDialect, list[str]]:
    """How the file is written and what was said about it: detected, or as given with --sep/--decimal/--encoding."""
    if is_parquet(path):
        return STANDARD_DIALECT, []
    detected = detect_dialect(path, _MARKERS, **overrides)
    given = [f"--{name}" for name, value in overrides.items() if value is not None]
    how = f"as given by {', '.join(given)}" if given else "detected"
    return detected.dialect, [f"file: {detected.dialect.describe()} ({how})", *detected.notes]


def _from_source(project_root: Path, sample_rows: int) -> tuple[pd.DataFrame, str, str]:
    """A bounded sample of the configured source, where it comes from, and how its rows were chosen."""
    from ..builders.data_source import build_data_source
    from ..configuration.settings import load_settings

    source = build_data_source(load_settings(project_root))
    reader = getattr(source, "read_sample", None)
    describe_sample = getattr(source, "sample_description", None)
    if reader is None or describe_sample is None:
        return source.read().head(sample_rows), source.describe(), f"the first {sample_rows} rows"
    return reader(sample_rows), source.describe(), describe_sample(sample_rows)


def infer_schema_file(
    project_root: Path,
    input_path: Path | None,
    target: str,
    positive: str | None = None,
    from_source: bool = False,
    sample_rows: int = 10000,
    sep: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
    task: str | None = None,
) -> list[str]:
    """Write config/schema.yaml (and, for a file, data_source.csv's path and dialect); return what was decided."""
    config_dir = project_root / CONFIG_DIR
    dialect: CsvDialect = STANDARD_DIALECT
    said: list[str] = []
    if from_source:
        raw, shown, sampled = _from_source(project_root, sample_rows)
        raw_text = raw.astype(object).where(raw.notna(), "").astype(str)
    else:
        if input_path is None:
            raise InputError("give --input FILE, or --from-source to read the configured data source")
        path = input_path if input_path.is_absolute() else Path.cwd() / input_path
        if not path.is_file():
            raise InputError(f"input file not found: {input_path}")
        dialect, said = file_dialect(path, {"sep": sep, "decimal": decimal, "encoding": encoding})
        raw_text = _raw_text(path, dialect)
        shown = config_path_value(path, project_root)
    markers = find_missing_markers(raw_text)
    if from_source:
        frame = raw.replace(list(markers), float("nan")) if markers else raw
    else:
        frame = read_table_file(path, markers, dialect)
    hint = wrong_separator_hint(list(frame.columns), dialect.sep)
    if target not in frame.columns and hint:
        raise InputError(f"no column '{target}' in the data: {hint}; give --sep")
    # A CSV's labels as written (pandas reads True/TRUE/true as one boolean); other sources hand typed values.
    csv_text = not from_source and not is_parquet(path) and len(raw_text) == len(frame)
    spelled = raw_text[target] if csv_text and target in raw_text.columns else None
    inferred = infer_schema(frame, target, markers, positive, spelled, task)
    schema_text = render_schema_yaml(inferred, shown)
    read = f"read {len(frame)} rows and {len(frame.columns)} columns from {shown}"
    if from_source:
        read += f" ({sampled})"
    lines = [read, *said, *inferred.report()]
    foreign = foreign_number_columns(raw_text, frame.drop(columns=[target]), _MARKERS)
    if foreign:
        lines.append(
            f"warning: read as text, not numbers: {', '.join(foreign[:10])}; if they are numbers, give --decimal "
            "or write them as 1234.5"
        )
    lines.append(f"wrote {CONFIG_DIR}/{SCHEMA_FILE}")
    config_file = config_dir / CONFIG_FILE
    source_type = read_yaml_mapping(config_file, f"{CONFIG_DIR}/{CONFIG_FILE}").get("data_source") or {}
    config_text = config_file.read_text(encoding="utf-8")
    if not from_source and source_type.get("type") == "csv":
        options = {"sep": dialect.sep, "decimal": dialect.decimal, "encoding": dialect.encoding}
        config_text = csv_source_pointed(config_text, shown, options, CONFIG_FILE)
        lines.append(f"{CONFIG_DIR}/{CONFIG_FILE}: data_source.csv is now {shown}, read {dialect.describe()}")
    elif not from_source:
        lines.append(
            f"training reads the {source_type.get('type')} source in {CONFIG_DIR}/{CONFIG_FILE}: "
            f"load the file into it (python scripts/load_data.py {shown}) before `train`"
        )
    config_text, said_of_key = _with_split_key(config_file, config_text, inferred.id_columns, frame.columns)
    config_text, said_of_metric = _with_metric(config_file, config_text, inferred.task)
    said_of_metric += _costs_note(config_file, inferred.task)
    # All or nothing: every check above passed before either file changes, each written atomically.
    atomic_write_text(config_dir / SCHEMA_FILE, schema_text)
    if config_text != config_file.read_text(encoding="utf-8"):
        atomic_write_text(config_file, config_text)
    return [*lines, *said_of_key, *said_of_metric]


def _with_split_key(
    config_file: Path, text: str, id_columns: tuple[str, ...], columns: Iterable[object]
) -> tuple[str, list[str]]:
    """config.yaml's text with the table's ID column as the key of the train/test split (data_ingestion.key_column),
    or a key the table does not have cleared; and what to say about what decides the split."""
    section = read_yaml_mapping(config_file, f"{CONFIG_DIR}/{CONFIG_FILE}").get("data_ingestion") or {}
    configured = section.get("key_column") or None
    configured = None if configured is None else str(configured)
    key = choose_key_column(id_columns, configured, {str(column) for column in columns})
    setting = f"{CONFIG_DIR}/{CONFIG_FILE}: data_ingestion.key_column"
    decides = "its value alone decides a row's side of the train/test split"
    try:
        updated = setting_set(text, "data_ingestion", "key_column", key, CONFIG_FILE)
    except ConfigError:
        if key is None:
            return text, []
        return text, [
            f"{CONFIG_DIR}/{CONFIG_FILE} has no data_ingestion.key_column line: add `key_column: {key}` there"
        ]
    if updated == text:
        return text, [f"{setting} stays {key}: {decides}"] if key else []
    if key is None:
        return updated, [f"{setting} emptied ({configured} is not a column of this table): the schema's columns decide"]
    return updated, [f"{setting} is now {key}: {decides}"]


def _with_metric(config_file: Path, text: str, task: str) -> tuple[str, list[str]]:
    """config.yaml's text with a gate metric that fits the task (model_evaluation.metric), and what was changed."""
    section = read_yaml_mapping(config_file, f"{CONFIG_DIR}/{CONFIG_FILE}").get("model_evaluation") or {}
    configured = section.get("metric")
    metric = metric_for_task(None if configured is None else str(configured), task)
    if metric == configured:
        return text, []
    try:
        updated = setting_set(text, "model_evaluation", "metric", metric, CONFIG_FILE)
    except ConfigError:
        return text, [f"{CONFIG_DIR}/{CONFIG_FILE} has no model_evaluation.metric line: add `metric: {metric}` there"]
    return updated, [
        f"{CONFIG_DIR}/{CONFIG_FILE}: model_evaluation.metric is now {metric} ({configured} is not for {task})"
    ]


def _costs_note(config_file: Path, task: str) -> list[str]:
    """A word on model_evaluation.costs when they do not price this table's errors: the sensor sample's shipped
    ones, or any for a measurement (costs price wrong classes)."""
    section = read_yaml_mapping(config_file, f"{CONFIG_DIR}/{CONFIG_FILE}").get("model_evaluation") or {}
    costs = section.get("costs")
    if not isinstance(costs, dict):
        return []
    setting = f"{CONFIG_DIR}/{CONFIG_FILE}: model_evaluation.costs"
    if task == "regression":
        return [f"{setting} price wrong classes: a measurement ignores them"]
    if (costs.get("false_positive"), costs.get("false_negative")) == (
        SENSOR_COSTS.false_positive,
        SENSOR_COSTS.false_negative,
    ):
        return [
            f"{setting} are the sensor sample's (10 per false positive, 500 per false negative): "
            "`evaluate` reports a cost with them; set yours, or remove them"
        ]
    return []
