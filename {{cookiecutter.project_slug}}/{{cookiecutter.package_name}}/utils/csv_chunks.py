"""Reading a CSV file in chunks of rows, so batch prediction holds one chunk in memory, not the whole file."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

import pandas as pd

from {{ cookiecutter.package_name }}.exception import InputError


def read_csv_chunks(path: Path, chunk_rows: int, missing_values: Sequence[str] = ()) -> Iterator[pd.DataFrame]:
    """Frames of at most `chunk_rows` rows, read as `utils.frames.read_csv_file` reads a whole file."""
    if not path.is_file():
        raise InputError(f"input file not found: {path}")
    try:
        with pd.read_csv(path, na_values=list(missing_values), chunksize=chunk_rows) as reader:
            yield from reader
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read {path} as CSV: {exc}") from exc
