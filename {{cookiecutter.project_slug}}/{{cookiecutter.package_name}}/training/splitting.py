"""Train/test splits that cannot leak into the gate: no row the production model trained on reaches a later test set
through the split itself.

The hash split (the default): a hash of each row's key decides its side. The key is `data_ingestion.key_column`
when set, else the schema's feature columns and the target: never a column the schema does not name, so adding an
unused column to the data moves no row. A row's side depends on that row alone: appending rows or reordering the
file leaves every row where it was, and identical rows never straddle the split. Every class is split at the same
share by that rule (up to sampling noise); a class whose few rows all fell on one side gets one on the other.

The time split (`split: time`): the newest rows by `time_column` are the test set, as the model will meet them.

The share held out is `test_size`, raised where the table allows to hold `min_test_rows` (never more than half of
the rows). As a table grows that share only shrinks, and newer rows push the time cutoff forward: either way rows
only ever leave the test set for training, never the other way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..entity.artifact_entity import SplitSpec
from ..entity.config_entity import DataIngestionSettings
from ..entity.data_schema import DataSchema
from ..exception import InputError
from ..utils.frames import as_text, value_text

_BUCKETS = 10_000
# The test set is never raised beyond this share of the rows to reach `min_test_rows`.
MAX_TEST_SHARE = 0.5
# The type the split gives the target: compared as text, case aside (True, "True" and "true" agree).
_LABEL = "label"


def held_out_share(rows: int, test_size: float, min_test_rows: int) -> float:
    """The share of `rows` held out: test_size, raised to hold min_test_rows where at most half the rows does it."""
    if rows <= 0 or rows * test_size >= min_test_rows:
        return test_size
    return max(test_size, min(min_test_rows / rows, MAX_TEST_SHARE))


def _normalised(frame: pd.DataFrame, column_types: Mapping[str, str]) -> pd.DataFrame:
    """Values as text that does not depend on how the file was parsed (5, 5.0 and "5" agree; so do True and "true"
    in a boolean column or the target)."""
    columns = {}
    for column in frame.columns:
        values = frame[column]
        kind = column_types.get(column)
        if kind == "numeric":
            values = pd.to_numeric(values, errors="coerce")
        text = as_text(values)
        if kind in {"boolean", _LABEL}:
            text = text.str.lower()
        columns[column] = text.fillna("")
    return pd.DataFrame(columns, index=frame.index)


def row_hashes(frame: pd.DataFrame, seed: int, column_types: Mapping[str, str] | None = None) -> NDArray[np.uint64]:
    """A 64-bit hash of each row's values (columns in name order), the same for the same values and seed."""
    text = _normalised(frame[sorted(frame.columns)], column_types or {})
    hashed = pd.util.hash_pandas_object(text, index=False, hash_key=f"{seed:016d}"[-16:])
    return np.asarray(hashed, dtype=np.uint64)


def content_hashes(frame: pd.DataFrame, schema: DataSchema) -> NDArray[np.uint64]:
    """Each row's identity by what the model sees and learns from (the schema's feature columns and the target, those
    the frame has), whatever the split: kept with a production version, it tells `evaluate` which rows it trained on."""
    columns = [column for column in (*schema.feature_columns, schema.target) if column in frame.columns]
    return row_hashes(frame[columns], 0, {**dict(schema.column_types), schema.target: _LABEL})


def _threshold(share: float) -> int:
    return round(share * _BUCKETS)


def in_test_set(
    frame: pd.DataFrame,
    test_size: float,
    seed: int,
    column_types: Mapping[str, str] | None = None,
    key_columns: Sequence[str] | None = None,
) -> NDArray[np.bool_]:
    """True for the rows that belong to the test set by the hash of `key_columns` (all columns when None); the same
    row always gets the same answer for one seed."""
    keys = frame[list(key_columns)] if key_columns else frame
    return (row_hashes(keys, seed, column_types) % _BUCKETS) < _threshold(test_size)


def _both_sides_per_class(in_test: NDArray[np.bool_], hashes: NDArray[np.uint64], labels: pd.Series) -> None:
    """A class of two rows or more whose rows all fell on one side gives its extreme-hash row(s) to the other."""
    codes, _ = pd.factorize(labels)
    for code in np.unique(codes[codes >= 0]):
        rows = np.flatnonzero(codes == code)
        if len(rows) < 2:
            continue
        sides = in_test[rows]
        if sides.all():
            in_test[rows[hashes[rows] == hashes[rows].max()]] = False
        elif not sides.any():
            in_test[rows[hashes[rows] == hashes[rows].min()]] = True


def _times(values: pd.Series, column: str) -> pd.Series:
    """The column as numbers (years, epochs, compact dates) or as UTC timestamps, whichever it holds."""
    present = values.notna()
    if not present.all():
        raise InputError(
            f"time_column '{column}' has no value in {int((~present).sum())} rows: a time split needs every row's time"
        )
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return values.astype("float64")
    text = as_text(values)
    numbers = pd.to_numeric(text, errors="coerce")
    if numbers.notna().all():
        return numbers.astype("float64")
    parsed = pd.to_datetime(text, errors="coerce", utc=True, format="ISO8601")
    if parsed.isna().any():
        parsed = pd.to_datetime(text, errors="coerce", utc=True, format="mixed")
    unreadable = text[parsed.isna()]
    if not unreadable.empty:
        examples = ", ".join(repr(value) for value in unreadable.unique()[:3])
        raise InputError(
            f"time_column '{column}' has values that are neither dates nor numbers in {len(unreadable)} rows "
            f"(e.g. {examples})"
        )
    return parsed


def _newest(values: pd.Series, share: float, column: str) -> tuple[NDArray[np.bool_], str]:
    """The newest `share` of the rows (every row of the cutoff's moment included), and that cutoff as text."""
    times = _times(values, column)
    newest_first = times.sort_values(ascending=False, kind="mergesort")
    cutoff = newest_first.iloc[max(1, round(share * len(times))) - 1]
    shown = cutoff.isoformat() if isinstance(cutoff, pd.Timestamp) else str(value_text(cutoff))
    return (times >= cutoff).to_numpy(dtype=bool), shown


def split_rows(
    frame: pd.DataFrame, settings: DataIngestionSettings, schema: DataSchema
) -> tuple[NDArray[np.bool_], SplitSpec]:
    """Which labelled rows are test rows (True), and the spec that decided it."""
    share = _threshold(held_out_share(len(frame), settings.test_size, settings.min_test_rows)) / _BUCKETS
    if settings.split == "time" and settings.time_column:
        in_test, cutoff = _newest(frame[settings.time_column], share, settings.time_column)
        spec = SplitSpec(
            "time",
            test_size=share,
            requested_test_size=settings.test_size,
            min_test_rows=settings.min_test_rows,
            time_column=settings.time_column,
            time_cutoff=cutoff,
        )
        return in_test, spec
    if settings.key_column:
        columns = [settings.key_column]
    else:
        # Named by the schema only. One it names but the data lacks fails validation, the next step, with the rest.
        columns = sorted([column for column in schema.feature_columns if column in frame.columns] + [schema.target])
    types = {**dict(schema.column_types), schema.target: _LABEL}
    hashes = row_hashes(frame[columns], settings.random_state, types)
    in_test = (hashes % _BUCKETS) < _threshold(share)
    if not schema.is_regression:  # a measurement has no classes to keep on both sides
        _both_sides_per_class(in_test, hashes, as_text(frame[schema.target]))
    spec = SplitSpec(
        "hash",
        test_size=share,
        requested_test_size=settings.test_size,
        min_test_rows=settings.min_test_rows,
        seed=settings.random_state,
        key_column=settings.key_column,
        hashed_columns=tuple(columns),
        stratified_by=None if schema.is_regression else schema.target,
    )
    return in_test, spec
