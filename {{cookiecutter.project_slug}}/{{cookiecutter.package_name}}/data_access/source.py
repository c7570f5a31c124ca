"""The one method every data source offers."""

from __future__ import annotations

from typing import Protocol

import pandas as pd


class DataSource(Protocol):
    """A place the training data can be read from in one call."""

    def describe(self) -> str:
        """Where the data comes from, safe to log (no credentials)."""
        ...

    def read(self) -> pd.DataFrame: ...
