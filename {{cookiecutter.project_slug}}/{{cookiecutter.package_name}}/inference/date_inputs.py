"""Date columns as the exported graph takes them: seconds since 1970 (UTC) in doubles, read as
`utils/frames.typed_features` reads them.

pandas parses a column of dates in about a millisecond however short it is, more than a whole request costs
otherwise; a request's few dates in the common ISO forms in whole seconds are parsed one by one instead, and
anything else (numbers, fractions of a second, other ISO forms, text that is no date) goes through pandas as a
frame does, errors included.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

import numpy as np
import pandas as pd
from numpy.typing import NDArray

from ..utils.frames import DATE_YEARS, typed_features

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
# A date, a time to the minute or second, and a zone: forms Python and pandas read alike.
_PLAIN_ISO = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?(?:Z|[+-]\d{2}:\d{2})?")


def frame_seconds(values: pd.Series, column: str) -> NDArray[np.float64]:
    """The date column `column` as seconds, (rows, 1)."""
    typed = typed_features(pd.DataFrame({column: values.reset_index(drop=True)}), {column: "datetime"})
    return typed[column].to_numpy(dtype=np.float64).reshape(-1, 1)


def record_seconds(values: Sequence[Any], column: str) -> NDArray[np.float64]:
    """One date column of request records (missing ones as None) as seconds, (rows, 1)."""
    seconds = np.empty((len(values), 1), dtype=np.float64)
    for row, value in enumerate(values):
        parsed = _plain_iso_seconds(value)
        if parsed is None:
            # A Series infers the column's type as a DataFrame of the records would (numbers are seconds already).
            return frame_seconds(pd.Series(list(values)), column)
        seconds[row, 0] = parsed
    return seconds


def _plain_iso_seconds(value: Any) -> float | None:
    """Seconds of a missing value (NaN) or of a date in a plain ISO form; None for anything else."""
    if value is None:
        return np.nan
    if not isinstance(value, str) or not _PLAIN_ISO.fullmatch(text := value.strip()):
        return None
    try:
        stamp = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    if stamp.year not in DATE_YEARS:
        return None
    if stamp.tzinfo is None:  # a time without a zone is UTC
        stamp = stamp.replace(tzinfo=timezone.utc)
    return (stamp - _EPOCH).total_seconds()
