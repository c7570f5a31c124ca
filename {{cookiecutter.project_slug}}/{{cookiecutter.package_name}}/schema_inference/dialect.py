"""Detecting how a CSV file is written: encoding, delimiter and decimal mark, each decision said in one line.

pandas sniffs a delimiter from the first line only and never infers the decimal mark, so both are decided here:
the delimiter that splits the first rows into the same number of fields (more than one), and a decimal comma when
the columns that hold numbers write them only as `1,75` (bare in a semicolon file, quoted in a comma file).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..utils.csv_dialect import SEPARATORS, CsvDialect

SNIFF_ROWS = 200
_READ_BYTES = 1 << 20
_COMMA_NUMBER = re.compile(r"^[-+]?\d*,\d+(?:[eE][-+]?\d+)?$")
_POINT_NUMBER = re.compile(r"^[-+]?\d*\.\d+(?:[eE][-+]?\d+)?$")
_INTEGER = re.compile(r"^[-+]?\d+$")
# Numbers in some notation: plain (12.5), decimal comma with or without grouping (1,5  1.234,5  1 234,5), grouped
# with a decimal point (1,234.5  1'234), grouped without decimals (1.234.567). Dates like 05.01.2024 are none of these.
_NUMBER_NOTATIONS = re.compile(
    r"^[-+]?(?:\d+(?:\.\d+)?"
    r"|\d+,\d+"
    r"|\d{1,3}(?:[. \u00a0\u202f']\d{3})+(?:,\d+)?"
    r"|\d{1,3}(?:[, \u00a0\u202f']\d{3})+(?:\.\d+)?)$"
)
_PLAIN_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")


@dataclass(frozen=True)
class DetectedDialect:
    dialect: CsvDialect
    notes: tuple[str, ...]


def detect_encoding(path: Path) -> tuple[str, str | None]:
    """UTF-8 (with or without a byte-order mark) when every byte of the file decodes, else cp1252 with a note."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        first = handle.read(_READ_BYTES)
        encoding = "utf-8-sig" if first.startswith(codecs.BOM_UTF8) else "utf-8"
        try:
            chunk = first
            while chunk:
                decoder.decode(chunk)
                chunk = handle.read(_READ_BYTES)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as exc:
            where = f"byte {exc.start} of a block" if exc.start else "a byte"
            fallback = "cp1252"
            try:
                first.decode(fallback)
            except UnicodeDecodeError:
                fallback = "latin-1"
            return fallback, f"the file is not UTF-8 ({where} is not): read as {fallback}; give --encoding if not"
    return encoding, None


def _first_rows(path: Path, encoding: str) -> tuple[str, bool]:
    """The start of the file as text, cut at a line end, and whether it is the whole file."""
    with path.open("r", encoding=encoding, errors="replace", newline="") as handle:
        text = handle.read(_READ_BYTES)
        whole = not handle.read(1)
    if not whole and "\n" in text:
        text = text[: text.rindex("\n") + 1]
    return text, whole


def detect_separator(text: str) -> str | None:
    """The delimiter giving every sampled row the header's number of fields (more than one); the most fields wins."""
    best: tuple[int, str] | None = None
    for candidate in SEPARATORS:
        try:
            rows = [row for row in csv.reader(io.StringIO(text), delimiter=candidate) if row][:SNIFF_ROWS]
        except csv.Error:
            continue
        if not rows or len(rows[0]) < 2:
            continue
        consistent = [row for row in rows if len(row) == len(rows[0])]
        # The last row of a sample may be cut in a quoted field; every other one must agree.
        if len(consistent) >= len(rows) - 1 and (best is None or len(rows[0]) > best[0]):
            best = (len(rows[0]), candidate)
    return None if best is None else best[1]


def _sample(text: str, sep: str, whole: bool) -> pd.DataFrame:
    """The sampled rows as text, read by the csv module: a quoted field cut by the end of the sample is no error."""
    try:
        rows = [row for row in csv.reader(io.StringIO(text), delimiter=sep) if row]
    except csv.Error:  # a field longer than the csv module takes: no decimal mark is guessed from such a file
        return pd.DataFrame()
    if not whole:
        rows = rows[:-1]
    if not rows:
        return pd.DataFrame()
    header = rows[0]
    return pd.DataFrame([row for row in rows[1:] if len(row) == len(header)], columns=header, dtype=str)


def _numeric_column_marks(raw: pd.DataFrame, missing: frozenset[str]) -> tuple[list[str], list[str]]:
    """Columns whose values are all numbers written with a decimal comma, and those with a decimal point."""
    comma, point = [], []
    for position, column in enumerate(raw.columns):
        values = raw.iloc[:, position].astype(str).str.strip()
        values = values[~values.str.lower().isin(missing)]
        if values.empty:
            continue
        has_comma = values.str.match(_COMMA_NUMBER)
        has_point = values.str.match(_POINT_NUMBER)
        integer = values.str.match(_INTEGER)
        if has_comma.any() and (has_comma | integer).all():
            comma.append(str(column))
        elif has_point.any() and (has_point | integer).all():
            point.append(str(column))
    return comma, point


def detect_dialect(
    path: Path,
    missing: frozenset[str],
    sep: str | None = None,
    decimal: str | None = None,
    encoding: str | None = None,
) -> DetectedDialect:
    """The dialect of a CSV file; each of `sep`, `decimal`, `encoding` given overrides what would be detected."""
    notes: list[str] = []
    if encoding is None:
        encoding, note = detect_encoding(path)
        if note:
            notes.append(note)
    text, whole = _first_rows(path, encoding)
    if sep is None:
        sep = detect_separator(text)
        if sep is None:
            sep = ","
            if text.strip():
                notes.append("no delimiter splits the rows evenly: read as one comma-separated column; give --sep")
    if decimal is None:
        comma, point = _numeric_column_marks(_sample(text, sep, whole), missing)
        decimal = "," if comma and not point else "."
        if comma and point:
            notes.append(
                f"decimal commas in {', '.join(comma[:5])} but points in {', '.join(point[:5])}: read with a "
                "decimal point; give --decimal , if the commas are right"
            )
    return DetectedDialect(CsvDialect(sep, decimal, encoding), tuple(notes))


def foreign_number_columns(raw: pd.DataFrame, frame: pd.DataFrame, missing: frozenset[str]) -> list[str]:
    """Columns read as text whose values all look like numbers in another notation (1.234,5  1,75  1 000)."""
    found = []
    for column in frame.columns:
        if pd.api.types.is_numeric_dtype(frame[column]) or column not in raw.columns:
            continue
        values = raw[column].astype(str).str.strip()
        values = values[~values.str.lower().isin(missing)]
        if not values.empty and values.str.match(_NUMBER_NOTATIONS).all() and not values.str.match(_PLAIN_NUMBER).all():
            found.append(f"{column} (e.g. {values.iloc[0]!r})")
    return found
