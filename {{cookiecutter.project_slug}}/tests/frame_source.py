"""A data source that returns a given DataFrame: component tests run the same whatever source is configured."""

from __future__ import annotations

import pandas as pd


class FrameSource:
    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def describe(self) -> str:
        return "test frame"

    def read(self) -> pd.DataFrame:
        return self.frame
