"""How a CSV file is written: its delimiter, decimal mark and encoding, passed to every reader of the user's files.

The project's own CSV files (splits, predictions) are always the standard dialect; the user's data may not be.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

# The delimiters `schema` recognises, in the order a tie is broken.
SEPARATORS = (",", ";", "\t", "|")
_SHOWN = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}


class ReadOptions(TypedDict):
    """The dialect as pandas' `read_csv` (and the csv source's config keys) name it."""

    sep: str
    decimal: str
    encoding: str


@dataclass(frozen=True)
class CsvDialect:
    sep: str = ","
    decimal: str = "."
    encoding: str = "utf-8"

    def options(self) -> ReadOptions:
        return ReadOptions(sep=self.sep, decimal=self.decimal, encoding=self.encoding)

    def describe(self) -> str:
        mark = "decimal comma" if self.decimal == "," else "decimal point"
        return f"{separator_name(self.sep)}-separated, {mark}, {self.encoding}"


STANDARD_DIALECT = CsvDialect()


def known_encoding(name: str) -> str:
    """The name if Python can decode it; ValueError naming a few that can otherwise."""
    try:
        codecs.lookup(name)
    except LookupError as exc:
        raise ValueError(f"unknown encoding {name!r} (e.g. utf-8, utf-8-sig, cp1252)") from exc
    return name


def separator_name(sep: str) -> str:
    return _SHOWN.get(sep, repr(sep))


def wrong_separator_hint(columns: Sequence[object], sep: str | None = None) -> str:
    """When a file read as one column has another delimiter in its header, say which: "" when nothing is suspected."""
    if len(columns) != 1:
        return ""
    header = str(columns[0])
    others = [candidate for candidate in SEPARATORS if candidate != sep and candidate in header]
    if not others:
        return ""
    likely = max(others, key=header.count)
    read_as = f"read as {separator_name(sep)}-separated, " if sep else ""
    return (
        f"{read_as}the file gives one column {header[:60]!r}: it looks {separator_name(likely)}-separated "
        f"(sep {likely!r})"
    )
