"""Reading tabular input and checking it against the schema, shared by training and prediction."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
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


def _as_float(value: object) -> float:
    """A value as a float: numbers too large for a float become infinite, anything not a number missing."""
    if isinstance(value, bool) or value is None:
        return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except OverflowError:
        return math.inf
    except (TypeError, ValueError):
        return math.nan


def require_rows(frame: pd.DataFrame, what: str = "input") -> None:
    """A header without rows is an error, not an empty prediction file."""
    if frame.empty:
        raise InputError(f"{what} has no rows")


def require_finite(frame: pd.DataFrame, columns: Iterable[str], what: str = "input") -> None:
    """Refuse infinite numbers (inf, Infinity, 1e309, 10**400): no model can score them."""
    problems = []
    for column in columns:
        if column not in frame.columns:
            continue
        values = frame[column]
        numbers = values.to_numpy(dtype="float64") if pd.api.types.is_numeric_dtype(values) else values.map(_as_float)
        infinite = np.isinf(np.asarray(numbers, dtype="float64"))
        if infinite.any():
            row = int(np.flatnonzero(infinite)[0])
            problems.append(f"{column} (row {row + 1}: {str(values.iloc[row])[:20]})")
    if problems:
        raise InputError(f"{what} has infinite or too large numbers in: {', '.join(problems[:10])}")


def require_complete_records(records: Sequence[Mapping[str, object]], columns: Iterable[str]) -> None:
    """Every record must carry every column: a missing key is an error even beside a complete record."""
    required = list(columns)
    for number, record in enumerate(records):
        missing = [column for column in required if column not in record]
        if missing:
            shown = ", ".join(missing[:10]) + (f" and {len(missing) - 10} more" if len(missing) > 10 else "")
            raise InputError(f"record {number} is missing required columns: {shown}")


def require_known_labels(labels: pd.Series, known: Iterable[str], what: str = "input") -> None:
    """Every label in an evaluation file must be one of the schema's classes; name the first unknown ones."""
    allowed = set(known)
    present = labels.dropna().astype(str)
    unknown = sorted(set(present) - allowed)
    if unknown:
        raise InputError(
            f"{what} has labels that are not classes of the schema: {', '.join(repr(label) for label in unknown[:5])}"
            f" (classes: {', '.join(sorted(allowed))})"
        )
    if len(present) < len(labels):
        raise InputError(f"{what} has rows without a label")


def require_distinct_paths(input_path: Path, output_path: Path) -> None:
    """Refuse to write the output over the input it is computed from, or over a directory."""
    same = input_path.resolve() == output_path.resolve()
    if not same and input_path.exists() and output_path.exists():
        same = input_path.samefile(output_path)
    if same:
        raise InputError(f"--output {output_path} is the input file: choose another path")
    if output_path.is_dir():
        raise InputError(f"--output {output_path} is a directory: give a file name")
