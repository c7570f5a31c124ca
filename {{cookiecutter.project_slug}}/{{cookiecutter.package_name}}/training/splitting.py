"""A train/test split that stays put: each row's side is decided by a hash of its content (or of a key column).

Appending rows or reordering the file leaves every existing row on the side it was on, so the test set of the
next run still holds the rows the production model was tested on, and identical rows never straddle the split.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from numpy.typing import NDArray

from ..utils.frames import as_text

_BUCKETS = 10_000


def _normalised(frame: pd.DataFrame, column_types: Mapping[str, str]) -> pd.DataFrame:
    """Values as text that does not depend on how the file was parsed (5, 5.0 and "5" agree)."""
    columns = {}
    for column in frame.columns:
        values = frame[column]
        if column_types.get(column) == "numeric":
            values = pd.to_numeric(values, errors="coerce")
        columns[column] = as_text(values).fillna("")
    return pd.DataFrame(columns, index=frame.index)


def in_test_set(
    frame: pd.DataFrame,
    test_size: float,
    seed: int,
    column_types: Mapping[str, str] | None = None,
    key_columns: Sequence[str] | None = None,
) -> NDArray[Any]:
    """True for the rows that belong to the test set; the same row always gets the same answer for one seed."""
    keys = frame[list(key_columns)] if key_columns else frame[sorted(frame.columns)]
    text = _normalised(keys, column_types or {})
    hashes = pd.util.hash_pandas_object(text, index=False, hash_key=f"{seed:016d}"[-16:]).to_numpy()
    return (hashes % _BUCKETS) < round(test_size * _BUCKETS)
