"""A sampled, size-bounded log of the feature values the server scores (JSON lines), off unless asked for.

Only the schema's feature columns are written, never headers, tokens or any other field of a request, so the log
holds nothing the training data does not already hold. When the file passes its size bound it is rotated once
(`.1`), so the disk use never exceeds twice the bound.
"""

from __future__ import annotations

import json
import random
import threading
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from ..utils.run_id import utc_now

FEATURE_LOG = Path("logs") / "scored_features.jsonl"
TIME_FIELD = "_scored_at"


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

    @property
    def enabled(self) -> bool:
        return self.sample_rate > 0

    def record(self, frame: pd.DataFrame) -> int:
        """Append a sample of the rows (feature columns only); returns how many were written."""
        if not self.enabled:
            return 0
        chosen = [index for index in range(len(frame)) if self._random.random() < self.sample_rate]
        if not chosen:
            return 0
        known = [column for column in self.columns if column in frame.columns]
        # pandas-stubs before 3.0 reject None as `other` (pandas accepts it); later ones do not need the ignore.
        rows = frame.iloc[chosen][known].astype(object).where(frame.iloc[chosen][known].notna(), None)  # type: ignore[call-overload, unused-ignore]
        stamp = utc_now()
        text = "".join(json.dumps({TIME_FIELD: stamp, **row}, default=str) + "\n" for row in rows.to_dict("records"))
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.is_file() and self.path.stat().st_size + len(text) > self.max_bytes:
                self.path.replace(self.path.with_name(self.path.name + ".1"))
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(text)
        return len(chosen)


def read_feature_log(path: Path, since: str | None) -> pd.DataFrame:
    """The logged rows (rotated file first), those scored at or after `since` (ISO 8601) when given."""
    rows = []
    for part in (path.with_name(path.name + ".1"), path):
        if part.is_file():
            rows += [json.loads(line) for line in part.read_text(encoding="utf-8").splitlines() if line.strip()]
    frame = pd.DataFrame(rows)
    if frame.empty or since is None:
        return frame
    stamps = pd.to_datetime(frame[TIME_FIELD], utc=True)
    return frame[
        stamps >= pd.Timestamp(since, tz="UTC") if pd.Timestamp(since).tzinfo is None else stamps >= pd.Timestamp(since)
    ]
