"""Training data from a CSV file (the shipped sample by default)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..utils.csv_dialect import STANDARD_DIALECT, CsvDialect
from ..utils.frames import read_csv_file


class CsvDataSource:
    def __init__(
        self, path: Path, missing_values: tuple[str, ...] = (), dialect: CsvDialect = STANDARD_DIALECT
    ) -> None:
        self.path = path
        self.missing_values = missing_values
        self.dialect = dialect

    def describe(self) -> str:
        return f"csv file {self.path.name}"

    def read(self) -> pd.DataFrame:
        return read_csv_file(self.path, self.missing_values, self.dialect)
