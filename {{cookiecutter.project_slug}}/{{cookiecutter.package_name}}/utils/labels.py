"""The target's labels as the data writes them (`True`, `yes`, `1`, `M`), and matching what a source hands over to
those spellings.

A CSV read by pandas turns `True`/`False` into booleans, a SQL table may hand `1`/`0` for them, a Parquet file
`1.0` when a label is missing somewhere: each value is matched to the schema's spelling, exactly first, then
ignoring case and a `.0`, then, for two yes/no-like classes, by what the value means.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

# Spellings of a yes/no label, compared lower-cased.
TRUE_SPELLINGS = frozenset({"true", "t", "yes", "y", "1"})
FALSE_SPELLINGS = frozenset({"false", "f", "no", "n", "0"})


def label_text(value: Any) -> Any:
    """One label as text: a string as written (without surrounding blanks), a boolean as `True`/`False`, a whole
    number without `.0`; missing stays NaN."""
    if value is None or value is pd.NA or (isinstance(value, (float, np.floating)) and math.isnan(value)):
        return np.nan
    if isinstance(value, (bool, np.bool_)):
        return "True" if value else "False"
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    return str(value).strip()


def labels_text(values: pd.Series) -> pd.Series:
    """A column of labels as text (object dtype), missing values kept as NaN."""
    return values.map(label_text).astype(object)


def label_key(text: str) -> str:
    """What two spellings of one label share: lower case, and a whole number without `.0` (`TRUE`, `true`)."""
    lowered = text.strip().lower()
    try:
        number = float(lowered)
    except ValueError:
        return lowered
    return str(int(number)) if number.is_integer() else lowered


def _meaning(key: str) -> bool | None:
    return True if key in TRUE_SPELLINGS else False if key in FALSE_SPELLINGS else None


def match_labels(values: pd.Series, classes: Sequence[str]) -> tuple[pd.Series, pd.Series]:
    """(each value as one of `classes`, NaN where none matches; each value's own text).

    Exact text first; else the one class with the same `label_key`; else, when the two classes are a yes/no pair
    (`True`/`False`, `yes`/`no`, `1`/`0`, ...), the class that means the same (`1` is `True`).
    """
    text = labels_text(values)
    known = set(classes)
    matched = text.where(text.isin(known))
    pending = matched.isna() & text.notna()
    if not pending.any():
        return matched.astype(object), text
    by_key: dict[str, str | None] = {}
    for label in classes:
        key = label_key(label)
        by_key[key] = None if key in by_key else label  # two classes with one key: no fuzzy match for it
    meanings = {_meaning(label_key(label)): label for label in classes}
    yes_no = len(classes) == 2 and set(meanings) == {True, False}
    mapping: dict[str, Any] = {}
    for spelled in set(text[pending]):
        key = label_key(spelled)
        found = by_key.get(key)
        if found is None and yes_no and _meaning(key) is not None:
            found = meanings[_meaning(key)]
        mapping[spelled] = np.nan if found is None else found
    matched = matched.where(~pending, text.map(mapping))
    return matched.astype(object), text


def match_label(value: Any, classes: Sequence[str]) -> str | None:
    """One value (e.g. `--positive true`) as one of `classes`, or None."""
    matched, _ = match_labels(pd.Series([value], dtype=object), classes)
    found = matched.iloc[0]
    return None if not isinstance(found, str) else found
