"""Rows turned into the input tensors of the exported graph: straight from request records, without pandas.

One request of a few records costs more in DataFrame construction than in the model, so the server builds the
arrays itself. Records are checked as `utils/frames.py` checks a frame: every feature column present, numbers or
missing-value markers in numeric columns, yes/no values in boolean ones (fed as 1 and 0); the errors name every bad
column. A category is fed as the text scikit-learn sees (`utils/frames.value_text`), a missing one as
MISSING_CATEGORY.
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..constants import MISSING_CATEGORY
from ..exception import InputError
from ..utils.frames import (
    as_text,
    plain_number_text,
    require_columns,
    require_complete_records,
    truth_value,
    typed_features,
    value_text,
)
from .date_inputs import frame_seconds, record_seconds
from .model import TabularModel


@dataclass(frozen=True)
class OnnxInputs:
    """The graph's inputs: one double matrix `input`, or one (rows, 1) tensor per column (strings for categories,
    doubles for the others, seconds since 1970 for `dates`). Doubles, as scikit-learn reads the numbers: the graph
    then gives its answers to 1e-6. `boolean` columns are fed as numbers (1, 0, missing)."""

    columns: tuple[str, ...]
    categorical: frozenset[str]
    per_column: bool
    boolean: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()

    MATRIX_INPUT = "input"

    @functools.cached_property
    def numeric(self) -> tuple[str, ...]:
        """The columns fed as numbers, in the graph's order (worked out once: the server asks on every request)."""
        return tuple(column for column in self.columns if column not in self.categorical and column not in self.dates)

    def kind(self, column: str) -> str:
        """How `column` is fed: categorical, datetime, boolean or numeric."""
        if column in self.categorical:
            return "categorical"
        if column in self.dates:
            return "datetime"
        return "boolean" if column in self.boolean else "numeric"

    def from_frame(self, frame: pd.DataFrame) -> dict[str, NDArray[Any]]:
        require_columns(frame, self.columns)
        numeric = self.numeric
        numbers = typed_features(frame, {column: self.kind(column) for column in numeric}).to_numpy(dtype=np.float64)
        if not self.per_column:
            return {self.MATRIX_INPUT: numbers}
        feed: dict[str, NDArray[Any]] = {column: numbers[:, [index]] for index, column in enumerate(numeric)}
        for column in self.dates:
            feed[column] = frame_seconds(frame[column], column)
        for column in self.categorical:
            values = as_text(frame[column]).fillna(MISSING_CATEGORY)
            feed[column] = values.to_numpy(dtype=object).reshape(-1, 1)
        return feed

    def from_records(
        self, records: Sequence[Mapping[str, Any]], missing_values: Sequence[str] = ()
    ) -> dict[str, NDArray[Any]]:
        require_complete_records(records, self.columns)
        markers = frozenset(missing_values)
        if self.boolean:
            records = _booleans_as_numbers(records, self.boolean, markers)
        numeric = self.numeric
        numbers = _numbers_at_once(records, numeric, markers)
        if numbers is None:
            numbers = _numbers_one_by_one(records, numeric, markers)
        if np.isinf(numbers).any():
            infinite = np.asarray(np.isinf(numbers).any(axis=0))
            shown = ", ".join(column for column, bad in zip(numeric, infinite, strict=True) if bad)
            raise InputError(f"input has infinite or too large numbers in: {shown}")
        if not self.per_column:
            return {self.MATRIX_INPUT: numbers}
        by_column = numbers.T.copy()  # each column's values side by side: every input is a view, not a copy
        feed: dict[str, NDArray[Any]] = {column: by_column[index, :, None] for index, column in enumerate(numeric)}
        for column in self.dates:
            dates = [_unless_marker(record[column], markers) for record in records]
            feed[column] = record_seconds(dates, column)
        for column in self.categorical:
            values = [_category(record[column], markers) for record in records]
            feed[column] = np.array(values, dtype=object).reshape(-1, 1)
        return feed


def _numbers_at_once(
    records: Sequence[Mapping[str, Any]], numeric: Sequence[str], markers: frozenset[str]
) -> NDArray[np.float64] | None:
    """Every reading converted by numpy in one call (for many records, half the time of one at a time or less):
    None becomes NaN. None when a value needs `_numbers_one_by_one`: any text (numpy would parse it as float()
    does, which reads "1_000" and "١٢"), an integer too large for a float, or markers that read as numbers."""
    if _some_read_as_numbers(markers) or not numeric:
        return None
    get = operator.itemgetter(*numeric) if len(numeric) > 1 else lambda record: (record[numeric[0]],)
    rows = list(map(get, records))
    if str in set(map(type, itertools.chain.from_iterable(rows))):
        return None
    try:
        # Doubles, as scikit-learn reads them.
        return np.array(rows, dtype=np.float64)
    except (ValueError, TypeError, OverflowError):
        return None


def _numbers_one_by_one(
    records: Sequence[Mapping[str, Any]], numeric: Sequence[str], markers: frozenset[str]
) -> NDArray[np.float64]:
    """Each reading on its own: markers become NaN, and text that is no number is named in the error."""
    numbers = np.empty((len(records), len(numeric)), dtype=np.float64)
    problems: dict[str, Any] = {}
    for row, record in enumerate(records):
        numbers[row] = [_number(record[column], markers, column, problems) for column in numeric]
    if problems:
        shown = ", ".join(f"{column} (e.g. {value!r})" for column, value in problems.items())
        raise InputError(f"input has non-numeric values in: {shown}")
    return numbers


@functools.lru_cache(maxsize=64)
def _some_read_as_numbers(markers: frozenset[str]) -> bool:
    """Whether a missing-value marker is itself a number as text (decided once per set of markers)."""
    for marker in markers:
        try:
            float(marker)
        except ValueError:
            continue
        return True
    return False


def _number(value: Any, markers: frozenset[str], column: str, problems: dict[str, Any]) -> float:
    if value is None:
        return math.nan
    if isinstance(value, str):
        if value in markers:
            return math.nan
        try:
            return float(plain_number_text(value))
        except ValueError:
            problems.setdefault(column, value)
            return math.nan
    try:
        return float(value)
    except OverflowError:  # an integer such as 10**400: refused as infinite by the caller
        return math.inf


def _category(value: Any, markers: frozenset[str]) -> str:
    if isinstance(value, str) and value in markers:
        return MISSING_CATEGORY
    text = value_text(value)
    return MISSING_CATEGORY if not isinstance(text, str) else text


def _unless_marker(value: Any, markers: frozenset[str]) -> Any:
    return None if isinstance(value, str) and value in markers else value


def _booleans_as_numbers(
    records: Sequence[Mapping[str, Any]], boolean: frozenset[str], markers: frozenset[str]
) -> list[dict[str, Any]]:
    """Copies of the records with each yes/no value as 1.0 or 0.0 and a missing one as None, as
    `utils/frames.typed_features` reads them."""
    converted = []
    problems: dict[str, Any] = {}
    for record in records:
        copy = dict(record)
        for column in boolean:
            value = record[column]
            if value is None or (isinstance(value, str) and value in markers):
                copy[column] = None
                continue
            truth = truth_value(value)
            if truth is None:
                problems.setdefault(column, value)
            copy[column] = truth
        converted.append(copy)
    if problems:
        shown = ", ".join(f"{column} (e.g. {value!r})" for column, value in problems.items())
        raise InputError(f"input has values that are not true/false values in: {shown}")
    return converted


def _categorical_columns(preprocess: Any) -> set[str]:
    """Columns a fitted ColumnTransformer (alone or first in a Pipeline) sends through a step that has categories
    (one-hot or native): they become string inputs (none when the preprocessing has no ColumnTransformer)."""
    found: set[str] = set()
    columns_step = getattr(preprocess, "steps", [(None, preprocess)])[0][1]
    for _, transformer, columns in getattr(columns_step, "transformers_", []):
        steps = getattr(transformer, "steps", [(None, transformer)])
        if any(hasattr(step, "categories_") for _, step in steps) and isinstance(columns, (list, tuple)):
            found.update(str(column) for column in columns)
    return found


def onnx_inputs_for(model: TabularModel, graph_inputs: Collection[str] | None = None) -> OnnxInputs:
    """How rows reach the graph: one double matrix when every feature is a number or yes/no (a third of the cost of
    one input per column in onnxruntime), else one tensor per column, strings for categories and doubles for dates.
    For a graph already exported, its `graph_inputs` decide: graphs exported by earlier versions of this code take
    one tensor per column."""
    categorical = frozenset(_categorical_columns(model.pipeline.steps[0][1]))
    boolean, dates = (
        frozenset(column for column, kind in model.feature_types.items() if kind == wanted) - categorical
        for wanted in ("boolean", "datetime")
    )
    per_column = bool(categorical or dates) if graph_inputs is None else OnnxInputs.MATRIX_INPUT not in graph_inputs
    return OnnxInputs(tuple(model.feature_columns), categorical, per_column, boolean, dates)
