"""A sampled, size-bounded log of the feature values the server scores (JSON lines), off unless asked for.

Only the schema's feature columns are written, never headers, tokens or any other field of a request, so the log
holds nothing the training data does not already hold. Values are logged as the model saw them: a missing-value
marker of the schema ("na") is written as null. When the file passes its size bound it is rotated once (`.1`),
so the disk use never exceeds twice the bound. Logging never fails a prediction: a write that fails (a full disk)
is skipped with a warning, at most one a minute.
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from ..utils.run_id import utc_now

FEATURE_LOG = Path("logs") / "scored_features.jsonl"
TIME_FIELD = "_scored_at"
WARNING_INTERVAL_SECONDS = 60.0

logger = logging.getLogger(__name__)


class FeatureLog:
    def __init__(
        self, path: Path, columns: Sequence[str], sample_rate: float, max_bytes: int, seed: int | None = None
    ) -> None:
        self.path = path
        self.columns = list(columns)
        self.sample_rate = sample_rate
        self.max_bytes = max_bytes
        self._random = random.Random(seed)  # noqa: S311 - sampling rows to log, not a secret
        self._lock = threading.Lock()
        self._warned_at = float("-inf")
        self.failures = 0

    @property
    def enabled(self) -> bool:
        return self.sample_rate > 0

    def record(self, frame: pd.DataFrame, missing_values: Sequence[str] = ()) -> int:
        """Append a sample of the rows (feature columns only, markers as null); returns how many were written."""
        if not self.enabled:
            return 0
        try:
            return self._record(frame, missing_values)
        except Exception as error:  # the prediction is already made: logging must not fail it
            self._warn(error)
            return 0

    def _record(self, frame: pd.DataFrame, missing_values: Sequence[str]) -> int:
        chosen = [index for index in range(len(frame)) if self._random.random() < self.sample_rate]
        if not chosen:
            return 0
        known = [column for column in self.columns if column in frame.columns]
        rows = frame.iloc[chosen][known].astype(object)
        if missing_values:
            rows = rows.replace(list(missing_values), np.nan)
        # pandas-stubs before 3.0 reject None as `other` (pandas accepts it); later ones do not need the ignore.
        rows = rows.where(rows.notna(), None)  # type: ignore[call-overload, unused-ignore]
        stamp = utc_now()
        text = "".join(json.dumps({TIME_FIELD: stamp, **row}, default=str) + "\n" for row in rows.to_dict("records"))
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.is_file() and self.path.stat().st_size + len(text) > self.max_bytes:
                self.path.replace(self.path.with_name(self.path.name + ".1"))
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(text)
        return len(chosen)

    def _warn(self, error: Exception) -> None:
        """One line, at most once a minute, however many requests fail to log."""
        with self._lock:
            self.failures += 1
            now = time.monotonic()
            if now - self._warned_at < WARNING_INTERVAL_SECONDS:
                return
            self._warned_at, failures = now, self.failures
        reason = error.strerror if isinstance(error, OSError) and error.strerror else f"{type(error).__name__}"
        logger.warning(
            "feature log %s not written (%s); predictions go on unlogged (%d failed writes so far)",
            self.path,
            reason,
            failures,
        )


def read_feature_log(path: Path, since: datetime | None = None, missing_values: Sequence[str] = ()) -> pd.DataFrame:
    """The logged rows (rotated file first), those scored at or after `since` when given.

    A line that is not a JSON object with its time (a write cut short, bytes of another encoding, an array) is
    skipped and counted, with one warning for the whole log; markers a log written before they were nulled holds
    are read as missing.
    """
    rows: list[dict[str, object]] = []
    bad, first_bad = 0, ""
    for part in (path.with_name(path.name + ".1"), path):
        if not part.is_file():
            continue
        for number, line in enumerate(part.read_bytes().splitlines(), start=1):
            row = _row(line)
            if row is None and line.strip():
                bad += 1
                first_bad = first_bad or f"{part.name} line {number}"
            elif row is not None:
                rows.append(row)
    if bad:
        logger.warning("skipped %d lines of the feature log that are not logged rows (first: %s)", bad, first_bad)
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    if missing_values:
        frame = frame.replace(list(missing_values), np.nan)
    if since is None:
        return frame
    stamps = pd.to_datetime(frame[TIME_FIELD], utc=True, errors="coerce", format="ISO8601")
    return frame[stamps >= pd.Timestamp(since)]


def _row(line: bytes) -> dict[str, object] | None:
    try:
        row = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return row if isinstance(row, dict) and isinstance(row.get(TIME_FIELD), str) else None
