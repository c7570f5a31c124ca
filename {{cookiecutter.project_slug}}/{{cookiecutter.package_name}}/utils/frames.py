"""Reading tabular input and checking it against the schema, shared by training and prediction."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..exception import InputError
from .csv_dialect import STANDARD_DIALECT, CsvDialect, wrong_separator_hint
from .labels import match_labels

# Spellings of a boolean value, compared lower-cased.
_TRUE = frozenset({"true", "t", "yes", "y", "1", "1.0"})
_FALSE = frozenset({"false", "f", "no", "n", "0", "0.0"})
_EPOCH = pd.Timestamp(0, tz="UTC")
# The years of dates a model reads: those pandas holds in nanoseconds (1677-09-21 to 2262-04-11), whole years only.
DATE_YEARS = range(1678, 2262)
_FIRST_DATE = pd.Timestamp(year=DATE_YEARS[0], month=1, day=1, tz="UTC")
_END_DATE = pd.Timestamp(year=DATE_YEARS[-1] + 1, month=1, day=1, tz="UTC")


def read_csv_file(
    path: Path, missing_values: Sequence[str] = (), dialect: CsvDialect = STANDARD_DIALECT
) -> pd.DataFrame:
    """Read a CSV written in `dialect`, treating the schema's missing-value markers (e.g. "na") as missing."""
    if not path.is_file():
        raise InputError(f"input file not found: {path}")
    try:
        return pd.read_csv(
            path,
            na_values=list(missing_values),
            keep_default_na=True,
            low_memory=False,
            **dialect.options(),
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path} as CSV ({dialect.describe()}): {exc}") from exc


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() in {".parquet", ".pq"}


def read_table_file(
    path: Path, missing_values: Sequence[str] = (), dialect: CsvDialect = STANDARD_DIALECT
) -> pd.DataFrame:
    """A CSV, or a Parquet file (by its suffix) when pyarrow is installed."""
    if not is_parquet(path):
        return read_csv_file(path, missing_values, dialect)
    if not path.is_file():
        raise InputError(f"input file not found: {path}")
    try:
        frame = pd.read_parquet(path)
    except ImportError as exc:
        raise InputError(f"reading {path.name} needs pyarrow: pip install pyarrow (or convert it to CSV)") from exc
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read {path} as Parquet: {exc}") from exc
    return frame.replace(list(missing_values), np.nan) if missing_values else frame


def require_columns(frame: pd.DataFrame, columns: Iterable[str], what: str = "input") -> None:
    """Fail with the names of every missing column, not just the first one."""
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        hint = wrong_separator_hint(list(frame.columns))
        hint = f" ({hint})" if hint else ""
        raise InputError(f"{what} is missing required columns: {', '.join(missing)}{hint}")


def value_text(value: Any) -> Any:
    """One value as the text a category or label is compared by (1, 1.0 and "1" agree); missing stays NaN."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return np.nan
    if isinstance(value, (bool, np.bool_)):
        return "true" if value else "false"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    return str(value).strip()


def _float_text(value: float) -> str:
    """`value_text` of a number that is not missing, without its type checks (columns of floats are long)."""
    return str(int(value)) if value.is_integer() else repr(value)


def as_text(values: pd.Series) -> pd.Series:
    """A column as text values (object dtype), missing values kept as NaN.

    A column of floats or of strings (most of a real table) has few distinct values: each is formatted once."""
    if pd.api.types.is_float_dtype(values.dtype):
        texts = text_of_distinct_floats(values, _float_text, np.nan)
    elif pd.api.types.infer_dtype(values, skipna=True) == "string":
        codes, distinct = pd.factorize(values)  # a missing value's code is -1: the NaN appended last
        texts = np.array([text.strip() for text in distinct.tolist()] + [np.nan], dtype=object)[codes]
    else:  # mixed values: 1, 1.0 and True are equal keys, but not the same text
        return values.map(value_text).astype(object)
    return pd.Series(texts, index=values.index, name=values.name, dtype=object)


def text_of_distinct_floats(values: pd.Series, text_of: Callable[[float], Any], missing: Any) -> NDArray[Any]:
    """The text of every value of a float column, each distinct value formatted once (missing ones as `missing`).

    Training splits and batch output format hundreds of thousands of readings, most of them repeated; factorizing
    is done on the bit pattern so that -0.0 and 0.0 each keep their own text.
    """
    numbers = values.to_numpy(dtype=np.float64, na_value=np.nan)
    codes, distinct = pd.factorize(numbers.view(np.int64))
    texts = [missing if value != value else text_of(value) for value in distinct.view(np.float64).tolist()]
    return np.array(texts, dtype=object)[codes]


def _as_numbers(values: pd.Series) -> tuple[pd.Series, Any]:
    converted = pd.to_numeric(values, errors="coerce").astype("float64")
    bad = (converted.isna() & values.notna()) | np.isinf(converted)
    return converted, (values[bad].iloc[0] if bad.any() else None)


def plain_number_text(text: str) -> str:
    """`text` if it can be a number as a CSV file writes one (ASCII, no `_`), else ValueError: float() alone also
    reads "1_000" and "١٢", which pandas refuses in a file, so a record would be scored where a file is refused."""
    if not text.isascii() or "_" in text:
        raise ValueError(f"{text!r} is not a number")
    return text


def _as_booleans(values: pd.Series) -> tuple[pd.Series, Any]:
    converted = per_distinct(values, lambda distinct: _truths(as_text(distinct))).astype("float64")
    bad = converted.isna() & values.notna()
    return converted, (values[bad].iloc[0] if bad.any() else None)


def _iso_timestamps(text: pd.Series) -> pd.Series:
    """ISO 8601 text as UTC datetimes (a time without a zone is UTC); anything else missing."""
    return pd.to_datetime(text, errors="coerce", utc=True, format="ISO8601")


def _truths(text: pd.Series) -> pd.Series:
    """1.0 or 0.0 for each yes/no spelling, NaN for anything else."""
    return text.str.lower().map(lambda item: 1.0 if item in _TRUE else 0.0 if item in _FALSE else np.nan)


def per_distinct(values: pd.Series, convert: Callable[[pd.Series], pd.Series]) -> pd.Series:
    """`convert(values)`, computed once for each distinct value (a column of a real table repeats a few dates or
    spellings) and spread back to every row; a missing value stays missing. `convert` must treat each value alone."""
    codes, distinct = pd.factorize(values)  # a missing value's code is -1: reindexed, it becomes missing
    converted = convert(pd.Series(distinct, dtype=object)).reindex(codes)
    return pd.Series(converted.array, index=values.index, name=values.name)


def truth_value(value: Any) -> float | None:
    """One value of a boolean column as `typed_features` reads it: 1.0 or 0.0, NaN when missing, None when it is no
    yes/no value."""
    text = value_text(value)
    if not isinstance(text, str):
        return math.nan
    lowered = text.lower()
    return 1.0 if lowered in _TRUE else 0.0 if lowered in _FALSE else None


def as_timestamps(values: pd.Series) -> pd.Series:
    """Dates and timestamps (ISO 8601 text, or a datetime column as Parquet holds it) as UTC datetimes; a time
    without a zone is taken as UTC; text that is not an ISO date, or a date outside DATE_YEARS, becomes missing."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        stamps = pd.Series(values)
        utc: pd.Series = stamps.dt.tz_localize("UTC") if stamps.dt.tz is None else stamps.dt.tz_convert("UTC")
    else:
        utc = per_distinct(values, lambda distinct: _iso_timestamps(as_text(distinct)))
    inside = (utc >= _FIRST_DATE) & (utc < _END_DATE)
    return utc.where(inside).astype("datetime64[ns, UTC]")


def _as_seconds(values: pd.Series) -> tuple[pd.Series, Any]:
    """Dates as seconds since 1970 (UTC): the float column the saved pipeline turns into date features. A column of
    numbers is taken as seconds already (a frame typed once is typed again by the model it is handed to)."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return _as_numbers(values)
    stamps = as_timestamps(values)
    converted = ((stamps - _EPOCH).dt.total_seconds()).astype("float64")
    bad = converted.isna() & values.notna()
    return converted, (values[bad].iloc[0] if bad.any() else None)


def coerce_numeric(frame: pd.DataFrame, columns: Sequence[str], what: str = "input") -> pd.DataFrame:
    """Return the columns as floats; values that are not (finite) numbers are an error, not silently missing."""
    return typed_features(frame, dict.fromkeys(columns, "numeric"), what)


def typed_features(frame: pd.DataFrame, feature_types: Mapping[str, str], what: str = "input") -> pd.DataFrame:
    """The feature columns with their declared types: numeric and boolean as floats, datetime as seconds since
    1970 (UTC), categorical as text.

    A numeric column holding text (or an infinite number), a boolean column holding anything but a yes/no value and
    a datetime column holding anything but ISO dates are errors naming the column and an example value; a
    categorical column takes any value.
    """
    require_columns(frame, feature_types, what)
    columns: dict[str, pd.Series] = {}
    problems = []
    for column, kind in feature_types.items():
        original = frame[column]
        if kind == "categorical":
            columns[column] = as_text(original)
            continue
        convert = _as_booleans if kind == "boolean" else _as_seconds if kind == "datetime" else _as_numbers
        converted, example = convert(original)
        if example is not None:
            problems.append((kind, f"{column} (e.g. {example!r})"))
        columns[column] = converted
    if problems:
        expected = {"numeric": "numbers", "boolean": "true/false values", "datetime": _DATES_WANTED}
        wanted = " or ".join(expected[kind] for kind in sorted({kind for kind, _ in problems}))
        shown = ", ".join(text for _, text in problems)
        raise InputError(f"{what} has values that are not {wanted} in: {shown}")
    return pd.DataFrame(columns, index=frame.index)


_DATES_WANTED = f"ISO dates (2024-05-31) from {DATE_YEARS[0]} to {DATE_YEARS[-1]}"


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
    """Refuse infinite numbers (inf, Infinity, 1e309, 10**400) in numeric `columns`: no model can score them."""
    problems = []
    for column in columns:
        if column not in frame.columns:
            continue
        values = frame[column]
        infinite = np.isinf(_floats_of(values))
        if infinite.any():
            row = int(np.flatnonzero(infinite)[0])
            problems.append(f"{column} (row {row + 1}: {str(values.iloc[row])[:20]})")
    if problems:
        raise InputError(f"{what} has infinite or too large numbers in: {', '.join(problems[:10])}")


def _floats_of(values: pd.Series) -> NDArray[np.float64]:
    """Each value as `_as_float` reads it; a text column (most of a real table) has few distinct values, each read
    once."""
    if pd.api.types.is_numeric_dtype(values.dtype):
        return values.to_numpy(dtype=np.float64, na_value=np.nan)
    return per_distinct(values, lambda distinct: distinct.map(_as_float)).to_numpy(dtype=np.float64, na_value=np.nan)


def require_complete_records(records: Sequence[Mapping[str, object]], columns: Iterable[str]) -> None:
    """Every record must carry every column: a missing key is an error even beside a complete record. Like
    `require_columns`, name every missing column (the schema bounds the list, not the request)."""
    required = list(columns)
    for number, record in enumerate(records):
        missing = [column for column in required if column not in record]
        if missing:
            raise InputError(f"record {number} is missing required columns: {', '.join(missing)}")


def require_known_labels(labels: pd.Series, known: Sequence[str], what: str = "input") -> None:
    """Every label in an evaluation file must be one of the schema's classes (as `utils/labels.py` matches them);
    name the first unknown ones."""
    matched, text = match_labels(labels, known)
    unknown = sorted(set(text[matched.isna()].dropna()))
    if unknown:
        raise InputError(
            f"{what} has labels that are not classes of the schema: {', '.join(repr(label) for label in unknown[:5])}"
            f" (classes: {', '.join(known)})"
        )
    if text.isna().any():
        raise InputError(f"{what} has rows without a label")
