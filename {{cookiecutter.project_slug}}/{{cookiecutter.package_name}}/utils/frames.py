"""Reading tabular input and checking it against the schema, shared by training and prediction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import pandas as pd

from {{ cookiecutter.package_name }}.exception import InputError


def read_csv_file(path: Path, missing_values: Sequence[str] = ()) -> pd.DataFrame:
    """Read a CSV, treating the schema's missing-value markers (e.g. "na") as missing."""
    if not path.is_file():
        raise InputError(f"input file not found: {path}")
    try:
        return pd.read_csv(path, na_values=list(missing_values))
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path} as CSV: {exc}") from exc


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str = "input") -> None:
    """Fail with the names of every missing column, not just the first one."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise InputError(f"{what} is missing required columns: {', '.join(missing)}")


def coerce_numeric(frame: pd.DataFrame, columns: Sequence[str], what: str = "input") -> pd.DataFrame:
    """Return the columns as floats; values that are not numbers are an error, not silently missing."""
    result = pd.DataFrame(index=frame.index)
    problems = []
    for column in columns:
        original = frame[column]
        converted = pd.to_numeric(original, errors="coerce")
        bad = converted.isna() & original.notna()
        if bad.any():
            problems.append(f"{column} (e.g. {original[bad].iloc[0]!r})")
        result[column] = converted.astype("float64")
    if problems:
        raise InputError(f"{what} has non-numeric values in: {', '.join(problems)}")
    return result
