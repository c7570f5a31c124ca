"""Deciding one column of the user's table: its type (numeric, boolean, datetime, categorical), and whether it is
dropped as a feature and why (empty, constant, an ID, free text, too many categories)."""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..utils.frames import as_text, as_timestamps, value_text

_BOOLEAN_PAIRS = ({"true", "false"}, {"yes", "no"}, {"t", "f"}, {"y", "n"})
_ID_NAME = re.compile(r"(^|[_\W])(id|uuid|guid|key|index)$|^(id|uuid|guid)([_\W]|$)", re.IGNORECASE)
# An ISO 8601 date, optionally with a time and a zone: 2024-05-31, 2024-05-31T08:15, 2024-05-31 08:15:00.5+02:00.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$")
# A text column with more distinct values than this, and than this share of the rows, is not a category.
MAX_CATEGORIES = 100
MAX_CATEGORY_SHARE = 0.5
FREE_TEXT_LENGTH = 40


@dataclass(frozen=True)
class ColumnDecision:
    name: str
    kind: str
    drop_reason: str | None = None

    def describe(self) -> str:
        return f"{self.name}: dropped, {self.drop_reason}" if self.drop_reason else f"{self.name}: {self.kind}"

    @property
    def is_id(self) -> bool:
        """Dropped as an ID: a different value in every row, which names a row rather than describing it."""
        return (self.drop_reason or "").startswith("ID-like")


def _is_boolean(values: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(values):
        return True
    if pd.api.types.is_numeric_dtype(values):
        return False
    distinct = set(as_text(values).dropna().str.lower())
    return any(distinct <= pair for pair in _BOOLEAN_PAIRS) and len(distinct) == 2


def _is_date(values: pd.Series) -> bool:
    """Every present value is an ISO date or timestamp that parses (a datetime column, as Parquet has it, too)."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        return True
    if pd.api.types.is_numeric_dtype(values) or pd.api.types.is_bool_dtype(values):
        return False
    text = as_text(values.dropna())
    return bool(len(text)) and bool(text.str.match(_ISO_DATE).all()) and bool(as_timestamps(text).notna().all())


def _kind(values: pd.Series) -> str:
    if pd.api.types.is_numeric_dtype(values) and not pd.api.types.is_bool_dtype(values):
        return "numeric"
    return "boolean" if _is_boolean(values) else "datetime" if _is_date(values) else "categorical"


def decide_column(name: str, values: pd.Series) -> ColumnDecision:
    present = values.dropna()
    rows = len(values)
    kind = _kind(values)
    numeric = kind == "numeric"
    if present.empty:
        return ColumnDecision(name, kind, "empty: no values at all")
    distinct = present.map(value_text).nunique()
    if distinct == 1:
        return ColumnDecision(name, kind, "constant: the same value in every row, carries no information")
    if kind in {"boolean", "datetime"}:  # a timestamp differs in every row without naming the row
        return ColumnDecision(name, kind)
    unique_per_row = distinct == rows and rows > 1
    if numeric:
        integers = bool(np.all(np.mod(present.to_numpy(dtype=float), 1) == 0))
        if unique_per_row and integers and (_ID_NAME.search(name) or present.is_monotonic_increasing):
            return ColumnDecision(name, kind, "ID-like: a different whole number in every row")
        return ColumnDecision(name, kind)
    text = as_text(present)
    if text.str.len().mean() > FREE_TEXT_LENGTH and text.str.contains(" ").mean() > 0.5:
        return ColumnDecision(name, kind, f"free text: long values ({distinct} distinct), not categories")
    if unique_per_row or (distinct == len(present) and _ID_NAME.search(name)):
        return ColumnDecision(name, kind, "ID-like: a different value in every row")
    if distinct > MAX_CATEGORIES and distinct > MAX_CATEGORY_SHARE * len(present):
        return ColumnDecision(name, kind, f"very high cardinality: {distinct} distinct values")
    return ColumnDecision(name, kind)
