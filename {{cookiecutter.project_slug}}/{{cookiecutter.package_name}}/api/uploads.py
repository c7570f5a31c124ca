"""Reading the CSV file of `POST /predict/csv` as `predict` reads its input files."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
from fastapi import HTTPException

from ..utils.csv_dialect import CsvDialect


def read_csv_upload(content: bytes, missing_values: Sequence[str], dialect: CsvDialect) -> pd.DataFrame:
    """The upload as a frame, written in `dialect` (a CSV project's training file's), markers as missing; a 422
    naming what is wrong when it is not a readable CSV file."""
    try:
        return pd.read_csv(
            io.BytesIO(content),
            na_values=list(missing_values),
            **dialect.options(),
        )
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        raise HTTPException(422, f"the upload is not a readable CSV file: {error}") from error
