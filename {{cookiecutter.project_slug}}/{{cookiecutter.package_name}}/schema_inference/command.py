"""The `schema` command: infer config/schema.yaml from the user's data and point the CSV source at the file."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..constants import CONFIG_DIR, CONFIG_FILE, SCHEMA_FILE
from ..exception import InputError
from ..utils.files import atomic_write_text, read_yaml_mapping
from ..utils.frames import read_table_file
from .inference import (
    find_missing_markers,
    infer_schema,
    render_schema_yaml,
)
from .source_path import (
    config_path_value,
    point_csv_source,
)


def _raw_text(path: Path) -> pd.DataFrame:
    """The file with every cell as the text it holds (nothing turned into NaN), to find missing markers."""
    if path.suffix.lower() in {".parquet", ".pq"}:
        frame = read_table_file(path)
        return frame.astype(object).where(frame.notna(), "").astype(str)
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, low_memory=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path} as CSV: {exc}") from exc


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
) -> list[str]:
    """Write config/schema.yaml (and, for a file, data_source.csv.path); return what was decided and why."""
    config_dir = project_root / CONFIG_DIR
    if from_source:
        raw, shown, sampled = _from_source(project_root, sample_rows)
        raw_text = raw.astype(object).where(raw.notna(), "").astype(str)
    else:
        if input_path is None:
            raise InputError("give --input FILE, or --from-source to read the configured data source")
        path = input_path if input_path.is_absolute() else Path.cwd() / input_path
        if not path.is_file():
            raise InputError(f"input file not found: {input_path}")
        raw_text = _raw_text(path)
        shown = config_path_value(path, project_root)
    markers = find_missing_markers(raw_text)
    if from_source:
        frame = raw.replace(list(markers), float("nan")) if markers else raw
    else:
        frame = read_table_file(path, markers)
    # A CSV's labels as written (pandas reads True/TRUE/true as one boolean); other sources hand typed values.
    csv_text = not from_source and path.suffix.lower() not in {".parquet", ".pq"} and len(raw_text) == len(frame)
    spelled = raw_text[target] if csv_text and target in raw_text.columns else None
    inferred = infer_schema(frame, target, markers, positive, spelled)
    atomic_write_text(config_dir / SCHEMA_FILE, render_schema_yaml(inferred, shown))
    read = f"read {len(frame)} rows and {len(frame.columns)} columns from {shown}"
    if from_source:
        read += f" ({sampled})"
    lines = [read, *inferred.report()]
    lines.append(f"wrote {CONFIG_DIR}/{SCHEMA_FILE}")
    source_type = read_yaml_mapping(config_dir / CONFIG_FILE, f"{CONFIG_DIR}/{CONFIG_FILE}").get("data_source") or {}
    if not from_source and source_type.get("type") == "csv":
        point_csv_source(config_dir / CONFIG_FILE, shown)
        lines.append(f"{CONFIG_DIR}/{CONFIG_FILE}: data_source.csv.path is now {shown}")
    elif not from_source:
        lines.append(
            f"training reads the {source_type.get('type')} source in {CONFIG_DIR}/{CONFIG_FILE}: "
            f"load the file into it (python scripts/load_data.py {shown}) before `train`"
        )
    return lines
